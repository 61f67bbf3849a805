// The interconnect against hand-computed cases: XY routes and their hops, packet and flit
// counts, cut-through and store-and-forward timing, contention on a shared link, backfilling;
// the bus and per-layer channels; the placement strategies' tile orders and hop counts.
#include <gtest/gtest.h>

#include <algorithm>

#include <systemc>

#include "sim/kernel_context.h"

#include "arch/mesh_geometry.h"
#include "plan/plan.h"
#include "sim/interconnect.h"
#include "sim/reservation.h"

namespace xbarsim::sim {
namespace {

class Noc : public ::testing::Test {
 protected:
  KernelContext kernel_;  // first: the blocks below belong to it
  EnergyLedger ledger{4};
  // isaac-like with 4 tiles and the given interconnect.
  static ArchSpec archWith(const std::string& noc) {
    std::string text = loadArchSpec("isaac-like").yaml_text;
    const std::string from =
        "noc: {topology: \"${topology}\", bandwidth: 12.8GB/s, latency: 100ns}";
    text.replace(text.find(from), from.size(), "noc: " + noc);
    return parseArchSpec(text, "noc.yaml", {{"tiles", 4}});
  }
  std::unique_ptr<Interconnect> make(const ArchSpec& arch) {
    InterconnectSetup s;
    s.arch = &arch;
    s.layers = {"input", "a", "b", "c"};
    s.ledger = &ledger;
    return makeInterconnect(s);
  }
  static const Link& link(const Interconnect& n, const std::string& name) {
    for (const Interconnect::NamedLink& l : n.links())
      if (l.name == name) return *l.link;
    throw std::runtime_error("no link " + name);
  }
  static bool made(const Interconnect& n, const std::string& name) {
    for (const Interconnect::NamedLink& l : n.links())
      if (l.name == name) return true;
    return false;
  }
};

// 2 x 2 routers (columns: 2), one tile each: router 0 at (0,0), 1 at (1,0), 2 at (0,1),
// 3 at (1,1). 40 MB/s at a 100 ns cycle = 4 B = one flit per cycle; 1 cycle per hop.
// Packets of 3 flits: a header and 8 B of data.
constexpr const char* kMesh =
    "{topology: mesh, bandwidth: 40MB/s, latency: 100ns, flit_bytes: 4, packet_flits: 3, "
    "columns: 2}";

TEST_F(Noc, MeshRoutesXYWithPacketsAndContention) {
  const ArchSpec arch = archWith(kMesh);
  const MeshGeometry grid(arch.chip.noc, 4);
  EXPECT_EQ(grid.hops(0, 3), 2);
  auto noc = make(arch);
  // 16 B from tile 0 to tile 3: 2 packets, 2 headers + 4 data flits = 6 flits, 6 cycles on
  // each link. Route: tile0->router0, router0->router1 (X first), router1->router3 (then Y),
  // router3->tile3; the head enters each next link one cycle (a hop) after the one before,
  // at 0, 1, 2, 3, and the tail leaves the last at 3 + 6 = 9.
  EXPECT_EQ(noc->send({1, 2, 0, 3, 16, 0}), 9);
  EXPECT_EQ(link(*noc, "router0->router1").bytes(), 24);  // wire bytes: 6 flits x 4 B
  // Not Y first: that link never carried a flow, so it was never made (links are made on use).
  EXPECT_FALSE(made(*noc, "router0->router2"));
  // 8 B from tile 1 to tile 3: one packet of 3 flits. Its head reaches router1->router3 at
  // cycle 1, which the first flow holds over [2, 8): it waits there until 8 (7 cycles of
  // contention), reaches the ejection link at 9 as the first flow leaves it, and is out at 12.
  EXPECT_EQ(noc->send({1, 2, 1, 3, 8, 0}), 12);
  EXPECT_EQ(link(*noc, "router1->router3").reservation().waitCycles(), 7);
  EXPECT_EQ(link(*noc, "router3->tile3").reservation().waitCycles(), 0);
  EXPECT_EQ(noc->maxBusyCycles(), 9);  // router1->router3 and the ejection link: 6 + 3
  // Energy counts wire bytes per router passed: 24 B x 3 routers + 12 B x 2 routers.
  double traversals = 0;
  for (const Counter& c : noc->stats().counters())
    if (c.name == "byte_traversals") traversals = c.value;
  EXPECT_DOUBLE_EQ(traversals, 24 * 3 + 12 * 2);
}

TEST_F(Noc, StoreAndForwardWaitsForWholePackets) {
  const std::string saf = std::string(kMesh).replace(std::string(kMesh).size() - 1, 1,
                                                     ", flow_control: store-and-forward}");
  const ArchSpec arch = archWith(saf);  // outlives the interconnect, which refers to it
  auto noc = make(arch);
  // Each next link starts once the first 3-flit packet is whole in the router, plus the hop:
  // 4 cycles apart, 0, 4, 8, 12; the 6-flit train leaves the last link at 18.
  EXPECT_EQ(noc->send({1, 2, 0, 3, 16, 0}), 18);
}

TEST_F(Noc, ConcentratedMeshKeepsNeighboursOnOneRouter) {
  const ArchSpec arch = archWith(
      "{topology: cmesh, concentration: 2, bandwidth: 40MB/s, latency: 100ns, flit_bytes: 4, "
      "packet_flits: 3}");
  auto noc = make(arch);
  // Tiles 0 and 1 share router 0: injection then ejection, 2 flits of data + a header.
  EXPECT_EQ(noc->send({1, 2, 0, 1, 8, 0}), 1 + 3);
  EXPECT_EQ(link(*noc, "router0->tile1").bytes(), 12);
  // The global buffer hangs on router 0 too; tile 2 sits on router 1, one hop east.
  EXPECT_EQ(noc->send({1, -1, 2, kMemoryPort, 8, 0}), 2 + 3);
}

TEST_F(Noc, BusSharesOneLinkAndChannelsAreIndependent) {
  // 12.8 GB/s at 100 ns = 1280 B per cycle; one cycle of latency.
  const ArchSpec bus_arch = archWith("{topology: bus, bandwidth: 12.8GB/s, latency: 100ns}");
  auto bus = make(bus_arch);
  EXPECT_EQ(bus->send({1, 2, 0, 1, 2560, 0}), 3);
  EXPECT_EQ(bus->send({1, 3, 2, 3, 2560, 0}), 5);  // waits for the first: same link
  const ArchSpec channels_arch =
      archWith("{topology: per-layer, bandwidth: 12.8GB/s, latency: 100ns}");
  auto channels = make(channels_arch);
  EXPECT_EQ(channels->send({1, 2, 0, 1, 2560, 0}), 3);
  EXPECT_EQ(channels->send({1, 3, 2, 3, 2560, 0}), 3);  // layer 3's own channel
  EXPECT_EQ(channels->send({1, 2, 2, 1, 2560, 0}), 5);  // layer 2's channel again
  EXPECT_EQ(link(*channels, "to_b").bytes(), 5120);
}

// The arch accepts exactly the topologies the simulator implements.
TEST(Topologies, TheArchListsWhatTheSimulatorRegisters) {
  std::vector<std::string> registered;
  for (const TopologyInfo& t : topologies()) registered.push_back(t.name);
  std::vector<std::string> accepted = nocTopologies();
  std::sort(registered.begin(), registered.end());
  std::sort(accepted.begin(), accepted.end());
  EXPECT_EQ(registered, accepted);
}

// Requests are served in the order they are ready, whatever the order they were booked in.
TEST(Reservation, ServesRequestsInTheOrderTheyAreReady) {
  Reservation calendar;
  EXPECT_DOUBLE_EQ(calendar.reserve(10, 5), 10);
  EXPECT_DOUBLE_EQ(calendar.reserve(0, 4), 0);   // fits before the booked slot
  EXPECT_DOUBLE_EQ(calendar.reserve(2, 5), 4);   // the gap [4, 10) holds 5 cycles
  EXPECT_DOUBLE_EQ(calendar.reserve(2, 2), 15);  // nothing free before 15 now
  EXPECT_EQ(calendar.busyCycles(), 16);
  EXPECT_EQ(calendar.waitCycles(), 2 + 13);
}

// Its memory is bounded: a long run of disjoint bookings keeps at most kMaxSlots slots, and
// requests at the present still find the gaps near it.
TEST(Reservation, ForgetsTheDistantPast) {
  Reservation r;
  const auto n = static_cast<double>(3 * Reservation::kMaxSlots);
  for (double t = 0; t < n; ++t) EXPECT_DOUBLE_EQ(r.reserve(2 * t, 1), 2 * t);  // gaps between
  EXPECT_LE(r.slots(), Reservation::kMaxSlots);
  EXPECT_DOUBLE_EQ(r.reserve(2 * n - 5, 1), 2 * n - 5);  // a recent gap is still free
  EXPECT_EQ(r.waitCycles(), 0);
}

TEST(Placement, SnakeKeepsConsecutiveLayersAdjacent) {
  ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", 9}});
  arch.chip.noc.topology = "mesh";  // 3 x 3 routers
  EXPECT_EQ(tileOrder(arch, "snake", 9), (std::vector<int>{0, 1, 2, 5, 4, 3, 6, 7, 8}));
  EXPECT_EQ(tileOrder(arch, "linear", 9), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  // Four tiles: a snake down the first two columns (the 2 x 2 corner first), then the rest
  // row by row.
  EXPECT_EQ(tileOrder(arch, "snake", 4), (std::vector<int>{0, 1, 4, 3, 6, 7, 2, 5, 8}));
  EXPECT_THROW(tileOrder(arch, "spiral", 9), ConfigError);
  // Layers of one tile each (72 crossbars) after two tiles of a first layer, filling the chip:
  // the third layer goes to tile 3 (linear, router (0,1), 3 hops from tile 2) or tile 5
  // (snake, 1 hop).
  std::vector<PlanLayer> layers{{"a", 0, 2, 72, {}, {}, {}},
                                {"b", 0, 1, 72, {}, {}, {}},
                                {"c", 0, 1, 72, {}, {}, {}},
                                {"d", 0, 5, 72, {}, {}, {}}};
  const Plan linear = placeLayers(arch, layers, "all", "linear");
  const Plan snake = placeLayers(arch, layers, "all", "snake");
  EXPECT_EQ(linear.layers[2].tiles, std::vector<int>{3});
  EXPECT_EQ(snake.layers[2].tiles, std::vector<int>{5});
  EXPECT_DOUBLE_EQ(linear.layers[2].hops_from_previous, 3);
  EXPECT_DOUBLE_EQ(snake.layers[2].hops_from_previous, 1);
  // b (tile 2) from a (tiles 0 and 1): 2 and 1 hops, equal weights.
  EXPECT_DOUBLE_EQ(snake.layers[1].hops_from_previous, 1.5);
  EXPECT_EQ(snake.placement, "snake");
  // The same layers on a larger mesh are placed alike (the corner block is as wide).
  ArchSpec larger = loadArchSpec("isaac-like", {{"tiles", 25}});
  larger.chip.noc.topology = "mesh";  // 5 x 5 routers
  const std::vector<PlanLayer> few(layers.begin(), layers.begin() + 3);
  const Plan small = placeLayers(arch, few, "all", "snake");
  const Plan big = placeLayers(larger, few, "all", "snake");
  for (std::size_t i = 0; i < few.size(); ++i)
    EXPECT_DOUBLE_EQ(small.layers[i].hops_from_previous, big.layers[i].hops_from_previous) << i;
}

}  // namespace
}  // namespace xbarsim::sim
