#include "sim/bus.h"

#include <algorithm>

namespace xbarsim::sim {

Bus::Bus(sc_core::sc_module_name name, const BusSpec& spec, double clock_period_s,
         bool unconstrained, double cap_bps)
    : sc_core::sc_module(name),
      port("port"),
      link_((cap_bps > 0 ? std::min(spec.bandwidth_bps, cap_bps) : spec.bandwidth_bps) *
                clock_period_s,
            spec.latency_cycles, unconstrained) {
  port.bind(*this);
}

}  // namespace xbarsim::sim
