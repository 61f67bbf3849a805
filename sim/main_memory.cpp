#include "sim/main_memory.h"

namespace xbarsim::sim {

MainMemory::MainMemory(sc_core::sc_module_name name, const ArchSpec& arch)
    : sc_core::sc_module(name),
      port("port"),
      link_(arch.main_memory.bandwidth_bps * arch.clock_period_s,
            arch.cyclesFor(arch.main_memory.latency_s)) {
  port.bind(*this);
}

}  // namespace xbarsim::sim
