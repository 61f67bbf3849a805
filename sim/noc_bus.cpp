// The `bus` topology: one link all inter-tile transfers share, one at a time in the order they
// are ready (first come, first served), the global buffer's included.
#include "sim/interconnect.h"

namespace xbarsim::sim {
namespace {

class BusNoc : public Interconnect {
 public:
  BusNoc(const InterconnectSetup& s, const std::string& topology)
      : Interconnect(s, topology),
        bus_(addLink("bus", s.arch->chip.noc.bandwidth_bps * s.arch->clock_period_s,
                     s.arch->cyclesFor(s.arch->chip.noc.latency_s))) {}

 protected:
  Delivery route(const Flow& f) override {
    return {bus_.transfer(f.bytes, f.ready, f.layer), 1, f.bytes};
  }

 private:
  Link& bus_;
};

}  // namespace

XBARSIM_REGISTER_TOPOLOGY(BusNoc, "bus",
                          "one shared link for every inter-tile transfer, first come first served");

}  // namespace xbarsim::sim
