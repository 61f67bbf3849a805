// The `per-layer` topology, the crossbar-allocation paper's reading of its eq. 11-12: every
// layer receives over a channel of its own (every transfer into a layer's tiles, from any
// producer or from the global buffer, shares that layer's channel), and the global buffer
// receives over one more. Channels serve transfers first come, first served.
#include <map>

#include "sim/interconnect.h"

namespace xbarsim::sim {
namespace {

class PerLayerNoc : public Interconnect {
 public:
  PerLayerNoc(const InterconnectSetup& s, const std::string& topology)
      : Interconnect(s, topology) {}

 protected:
  Delivery route(const Flow& f) override {
    auto it = channels_.find(f.consumer);
    if (it == channels_.end()) {
      const std::string name = f.consumer < 0
                                   ? "to_global_buffer"
                                   : "to_" + setup_.layers[static_cast<std::size_t>(f.consumer)];
      it = channels_
               .emplace(f.consumer,
                        &addLink(name, arch_.chip.noc.bandwidth_bps * arch_.clock_period_s,
                                 arch_.cyclesFor(arch_.chip.noc.latency_s)))
               .first;
    }
    return {it->second->transfer(f.bytes, f.ready, f.layer), 1, f.bytes};
  }

 private:
  std::map<int, Link*> channels_;  // by receiving node; -1: the global buffer
};

}  // namespace

XBARSIM_REGISTER_TOPOLOGY(PerLayerNoc, "per-layer",
                          "a channel per receiving layer (and one into the global buffer)");

}  // namespace xbarsim::sim
