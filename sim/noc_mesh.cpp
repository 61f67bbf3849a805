// The `mesh` and `cmesh` topologies: routers on a grid (arch/mesh_geometry.h), each tile
// attached to its router by an injection and an ejection link, neighbouring routers joined by
// one link each way, the global buffer attached to `memory_router` the same way as a tile. All
// links have the NoC bandwidth. Routing is dimension-ordered: along the row (X) first, then
// along the column (Y).
//
// A flow is cut into packets of `packet_flits` flits of `flit_bytes`; the first flit of each
// packet is a header carrying no data, the last packet is as short as its data allows. The
// packets of one flow travel as a train: on every link of the path they occupy
// flits x flit_bytes / bandwidth cycles in one go (flows are not interleaved packet by packet).
// Flow control:
//   cut-through (virtual cut-through): a packet's head goes on to the next link `latency`
//     after it entered the router; a packet blocked by a busy link waits whole in the router
//     (routers buffer a packet) and the links behind it are free for others;
//   store-and-forward: a packet goes on only once it is whole in the router, one packet's
//     serialisation later.
// A link serves a flow at the earliest idle slot long enough for it from the time its head
// arrives (sim/reservation.h: a flow held up upstream does not keep the link idle for others).
#include <cmath>
#include <string>
#include <unordered_map>

#include "arch/mesh_geometry.h"
#include "sim/interconnect.h"

namespace xbarsim::sim {
namespace {

class MeshNoc : public Interconnect {
 public:
  MeshNoc(const InterconnectSetup& s, const std::string& topology)
      : Interconnect(s, topology),
        noc_(s.arch->chip.noc),
        grid_(noc_, s.arch->chip.tiles),
        bytes_per_cycle_(noc_.bandwidth_bps * s.arch->clock_period_s),
        hop_cycles_(noc_.latency_s / s.arch->clock_period_s) {}

 protected:
  Delivery route(const Flow& f) override {
    const int from = f.src == kMemoryPort ? noc_.memory_router : grid_.routerOf(f.src);
    const int to = f.dst == kMemoryPort ? noc_.memory_router : grid_.routerOf(f.dst);
    std::vector<Link*> path{f.src == kMemoryPort ? &hop(kMemory, 0, kRouter, from)
                                                 : &hop(kTile, f.src, kRouter, from)};
    for (int at = from; at != to;) {
      // X first: east (0) or west (1); then Y: south (2) or north (3).
      const int d = grid_.column(at) != grid_.column(to)
                        ? (grid_.column(to) > grid_.column(at) ? 0 : 1)
                        : (grid_.row(to) > grid_.row(at) ? 2 : 3);
      const int next = neighbour(at, d);
      path.push_back(&hop(kRouter, at, kRouter, next));
      at = next;
    }
    path.push_back(f.dst == kMemoryPort ? &hop(kRouter, to, kMemory, 0)
                                        : &hop(kRouter, to, kTile, f.dst));

    // Packets and flits.
    const std::int64_t flit = noc_.flit_bytes;
    const std::int64_t payload = (noc_.packet_flits - 1) * flit;  // data per full packet
    const std::int64_t packets = (f.bytes + payload - 1) / payload;
    const std::int64_t flits = packets + (f.bytes + flit - 1) / flit;
    const std::int64_t first_packet = std::min<std::int64_t>(noc_.packet_flits, flits);
    const double flit_cycles = static_cast<double>(flit) / bytes_per_cycle_;
    const double train = static_cast<double>(flits) * flit_cycles;
    const bool saf = noc_.flow_control == "store-and-forward";
    double head = static_cast<double>(f.ready), start = head;
    for (std::size_t h = 0; h < path.size(); ++h) {
      start = path[h]->occupy(head, train, flits * flit, f.layer);
      // Into the next router: its latency, and (store-and-forward) the whole first packet.
      head = start + hop_cycles_ + (saf ? static_cast<double>(first_packet) * flit_cycles : 0.0);
    }
    const double tail = setup_.ideal ? static_cast<double>(f.ready) : start + train;
    const auto arrival = static_cast<std::int64_t>(std::ceil(tail - 1e-9));
    return {arrival, static_cast<double>(path.size() - 1), flits * flit};
  }

 private:
  // Links are made on first use, one each way between neighbours (tile and router, router and
  // router, router and global buffer): a chip of many tiles pays only for the links its flows
  // cross.
  enum End : std::uint64_t { kTile, kRouter, kMemory };
  Link& hop(End a, int i, End b, int j) {
    const std::uint64_t key =
        ((a * 3 + b) << 60) | (static_cast<std::uint64_t>(i) << 30) | static_cast<std::uint64_t>(j);
    auto [it, fresh] = hops_.try_emplace(key, nullptr);
    if (fresh) it->second = &addLink(endName(a, i) + "->" + endName(b, j), bytes_per_cycle_, 0);
    return *it->second;
  }
  static std::string endName(End e, int i) {
    return e == kMemory ? "global_buffer" : (e == kTile ? "tile" : "router") + std::to_string(i);
  }
  int neighbour(int router, int d) const {
    const int x = grid_.column(router), y = grid_.row(router);
    const int nx = x + (d == 0) - (d == 1), ny = y + (d == 2) - (d == 3);
    if (nx < 0 || ny < 0 || nx >= grid_.columns() || ny >= grid_.rows()) return -1;
    return ny * grid_.columns() + nx;
  }

  NocSpec noc_;
  MeshGeometry grid_;
  double bytes_per_cycle_, hop_cycles_;
  std::unordered_map<std::uint64_t, Link*> hops_;
};

// The concentrated mesh is the same network with several tiles per router.
class CMeshNoc : public MeshNoc {
  using MeshNoc::MeshNoc;
};

}  // namespace

XBARSIM_REGISTER_TOPOLOGY(MeshNoc, "mesh", "a 2D mesh of routers, one tile each, XY routing");
XBARSIM_REGISTER_TOPOLOGY(CMeshNoc, "cmesh",
                          "a 2D mesh of routers, `concentration` tiles each, XY routing");

}  // namespace xbarsim::sim
