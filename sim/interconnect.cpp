#include "sim/interconnect.h"

#include <algorithm>

#include "io/registry.h"

namespace xbarsim::sim {

Interconnect::Interconnect(const InterconnectSetup& setup, const std::string& topology)
    : sc_core::sc_module(sc_core::sc_module_name("noc")),
      arch_(*setup.arch),
      setup_(setup),
      topology_(topology),
      component_(setup.ledger->component("noc")),
      stats_(this->name()),
      bytes_(stats_.declare("bytes", "B", "data bytes delivered between tiles and memory")),
      transfers_(stats_.declare("transfers", "1", "flows delivered (one per tile pair)")),
      wire_bytes_(stats_.declare("wire_bytes", "B", "bytes on the wire, packet headers included")),
      byte_traversals_(stats_.declare("byte_traversals", "B",
                                      "wire bytes x links or routers passed (the energy)")) {}

std::int64_t Interconnect::send(const Flow& f) {
  const Delivery d = route(f);
  bytes_ += static_cast<double>(f.bytes);
  transfers_ += 1;
  wire_bytes_ += static_cast<double>(d.wire_bytes);
  const double traversed = static_cast<double>(d.wire_bytes) * d.traversals;
  byte_traversals_ += traversed;
  setup_.ledger->add(component_, f.layer, traversed * arch_.energy.noc_byte_j);
  return d.arrival;
}

Link& Interconnect::addLink(const std::string& name, double bytes_per_cycle,
                            std::int64_t latency_cycles) {
  links_.emplace_back(bytes_per_cycle, latency_cycles, setup_.ideal);
  names_.push_back(name);
  if (setup_.tracer != nullptr && setup_.tracer->on())
    links_.back().traceAs(
        *setup_.tracer,
        setup_.tracer->component(std::string(this->name()) + "." + name, ComponentKind::kLink));
  return links_.back();
}

std::vector<Interconnect::NamedLink> Interconnect::links() const {
  std::vector<NamedLink> out;
  for (std::size_t i = 0; i < links_.size(); ++i) out.push_back({names_[i], &links_[i]});
  return out;
}

std::int64_t Interconnect::maxBusyCycles() const {
  std::int64_t busy = 0;
  for (const Link& l : links_) busy = std::max(busy, l.reservation().busyCycles());
  return busy;
}

bool registerTopology(TopologyInfo info) {
  return Registry<TopologyInfo>::add(std::move(info));
}

const std::vector<TopologyInfo>& topologies() {
  return Registry<TopologyInfo>::all();
}

std::unique_ptr<Interconnect> makeInterconnect(const InterconnectSetup& setup) {
  return Registry<TopologyInfo>::find(setup.arch->chip.noc.topology, "interconnect topology")
      .make(setup);
}

}  // namespace xbarsim::sim
