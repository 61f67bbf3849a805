// The inter-tile interconnect: what carries data between tiles, and between tiles and the
// global buffer (which main memory sits behind). One class per topology, registered by the
// name the arch's `chip.noc.topology` gives (arch/arch_spec.h lists them):
//   XBARSIM_REGISTER_TOPOLOGY(MeshNoc, "mesh", "a 2D mesh of routers ...");
// A layer engine sends one Flow per (source tile, destination tile) pair of a message; data
// that stays on its tile never reaches the interconnect. Every topology is built from Links
// (sim/link.h), which count their bytes, busy and waiting cycles and traffic over time: the
// per-link contention and utilisation in the results. With tracing on, every link records each
// transfer it carries (its occupancy, bytes and sending layer) as component `chip.noc.LINK`.
#pragma once

#include <systemc>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/link.h"
#include "sim/stats.h"
#include "sim/tracer.h"

namespace xbarsim::sim {

// The port of the global buffer (and main memory behind it), in place of a tile index.
constexpr int kMemoryPort = -1;

struct Flow {
  int layer = 0;         // the sending layer (node), charged the energy
  int consumer = -1;     // the receiving layer (node); -1 when it goes to the global buffer
  int src = 0, dst = 0;  // tiles, or kMemoryPort
  std::int64_t bytes = 0;
  std::int64_t ready = 0;  // cycle the data is ready to leave
};

struct InterconnectSetup {
  const ArchSpec* arch = nullptr;
  std::vector<std::string> layers;  // node names (per-layer channels are named after them)
  bool ideal = false;               // transfers take no time (bytes are still counted)
  EnergyLedger* ledger = nullptr;
  Tracer* tracer = nullptr;  // null or off: links record nothing
};

class Interconnect : public sc_core::sc_module {
 public:
  Interconnect(const InterconnectSetup& setup, const std::string& topology);
  // Moves the flow's bytes from its source to its destination (which differ); returns the
  // cycle the last byte has arrived.
  std::int64_t send(const Flow& f);

  const std::string& topology() const { return topology_; }
  struct NamedLink {
    std::string name;
    const Link* link;
  };
  std::vector<NamedLink> links() const;
  const Stats& stats() const { return stats_; }
  // Busy cycles of the busiest link.
  std::int64_t maxBusyCycles() const;

 protected:
  // The topology's timing: returns the arrival cycle and the links the bytes crossed, for
  // the energy (one `noc_byte` per byte and traversal) and the counters.
  struct Delivery {
    std::int64_t arrival = 0;
    double traversals = 1;        // bus or channel: 1; mesh: routers passed
    std::int64_t wire_bytes = 0;  // bytes on the wire (data plus packet headers)
  };
  virtual Delivery route(const Flow& f) = 0;
  Link& addLink(const std::string& name, double bytes_per_cycle, std::int64_t latency_cycles);

  const ArchSpec& arch_;
  const InterconnectSetup setup_;

 private:
  std::string topology_;
  std::deque<Link> links_;
  std::vector<std::string> names_;
  int component_;
  Stats stats_;
  Counter& bytes_;
  Counter& transfers_;
  Counter& wire_bytes_;
  Counter& byte_traversals_;
};

struct TopologyInfo {
  std::string name, description;
  std::function<std::unique_ptr<Interconnect>(const InterconnectSetup&)> make;
};

bool registerTopology(TopologyInfo info);
// The arch's topology; throws ConfigError naming the known ones.
std::unique_ptr<Interconnect> makeInterconnect(const InterconnectSetup& setup);
const std::vector<TopologyInfo>& topologies();

#define XBARSIM_REGISTER_TOPOLOGY(Class, name, description)                        \
  static const bool registered_##Class = ::xbarsim::sim::registerTopology(         \
      {name, description, [](const ::xbarsim::sim::InterconnectSetup& s) {         \
         return std::unique_ptr<::xbarsim::sim::Interconnect>(new Class(s, name)); \
       }})

}  // namespace xbarsim::sim
