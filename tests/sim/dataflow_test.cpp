// The input-stationary dataflow against hand counts: a conv's patches written into the cells
// round by round (level steps and write time from the codes, cell history from round to round),
// then one output channel per step; and how an input-stationary producer meets a
// weight-stationary consumer (its outputs come a round at a time).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/simulator.h"
#include "weights/activation_source.h"

namespace xbarsim::sim {
namespace {

// tests/data/arch/tiny-2bit.yaml: 2-bit cells, 4 x 4 crossbars, two per APU, a 16-cycle stage.
ArchSpec tinyArch(int apus) {
  return loadArchSpec(std::string(XBARSIM_TEST_DATA_DIR) + "/arch/tiny-2bit.yaml",
                      {{"apus", apus}});
}

// A 2x2 conv, stride 2, over 2 channels of 8 x 4: 4 x 2 = 8 output positions of 3 channels,
// fan-in K = 2 x 2 x 2 = 8, two block rows of 4.
Network oneConv() {
  return parseNetwork(
      "name: t\ninput: [2, 8, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 3, kernel: 2, stride: 2}\n",
      "t.yaml");
}

Plan inputStationary(const Network& net, const ArchSpec& arch, std::int64_t groups) {
  PlanLayer l;
  l.name = "c";
  l.vertex = net.topoOrder().front();
  l.r = groups;
  l.set = 2;  // ceil(K / rows) = ceil(8 / 4)
  l.dataflow = "is";
  return placeLayers(arch, {l}, "all");
}

// The hand count. Patch element k = (c, ky, kx), channel-major, of position p = (oy, ox) reads
// input (c, 2 oy + ky, 2 ox + kx). Logical crossbar (group g, block row b) holds, in row r and
// column j, element 4 b + r of position (round first) + 4 g + j, its 2-bit slices in the two
// crossbars of its APU (least significant first).
struct Expected {
  std::int64_t level_steps = 0, write_cycles = 0;  // write cycles: every round's slowest APU
  std::vector<std::int64_t> round_writes;          // each round's
};

Expected handCount(std::int64_t groups) {
  const ActivationSource codes(1);
  const auto code = [&](std::int64_t p, std::int64_t k) {
    const std::int64_t c = k / 4, ky = k % 4 / 2, kx = k % 2;
    return codes.code(0, c, 2 * (p / 2) + ky, 2 * (p % 2) + kx, 4);
  };
  Expected e;
  const std::int64_t per_round = 4 * groups;
  // cells[apu][crossbar][row][col], all level 0 at first.
  std::vector<int> cells(static_cast<std::size_t>(2 * groups * 2 * 16), 0);
  for (std::int64_t first = 0; first < 8; first += per_round) {
    std::int64_t slowest = 0;
    for (std::int64_t apu = 0; apu < 2 * groups; ++apu) {
      const std::int64_t g = apu / 2, b = apu % 2;
      std::int64_t cycles = 0;
      for (std::int64_t r = 0; r < 4; ++r) {
        int down = 0, up = 0;
        for (std::int64_t x = 0; x < 2; ++x)
          for (std::int64_t j = 0; j < 4; ++j) {
            const std::int64_t p = first + 4 * g + j;
            const int level = p < 8 ? static_cast<int>(code(p, 4 * b + r) >> (2 * x) & 3) : 0;
            int& cell = cells[static_cast<std::size_t>(((apu * 2 + x) * 4 + r) * 4 + j)];
            down = std::max(down, cell - level);
            up = std::max(up, level - cell);
            e.level_steps += std::abs(level - cell);
            cell = level;
          }
        cycles += down + up;
      }
      slowest = std::max(slowest, cycles);
    }
    e.write_cycles += slowest;
    e.round_writes.push_back(slowest);
  }
  return e;
}

double stat(const SimResult& r, const std::string& name) {
  double sum = 0;
  for (const StatRow& s : r.stats)
    if (s.name == name) sum += s.value;
  return sum;
}

// Ideal data movement: a round is its write (the slowest APU) and then 3 steps (one per output
// channel) of the computation stage, 4 reads x (1 read + 1 S&H + 1 conversion round of 8
// columns on 8 ADCs + 1 shift-add) = 16 cycles. One group: two rounds of positions 0-3 and
// 4-7, the second overwriting the first's cells; two groups: one round.
TEST(InputStationary, RoundsWriteThePatchesThenComputeAChannelAStep) {
  const Network net = oneConv();
  for (const std::int64_t groups : {1, 2}) {
    SCOPED_TRACE(groups);
    const ArchSpec arch = tinyArch(4);
    ASSERT_EQ(arch.computeStageCycles(), 16);
    SimOptions o;
    o.bandwidth = false;
    const SimResult r = simulate(net, arch, inputStationary(net, arch, groups), o);
    const Expected e = handCount(groups);
    const std::int64_t rounds = 8 / (4 * groups);
    EXPECT_GT(e.level_steps, 0);
    EXPECT_EQ(stat(r, "input_level_steps"), static_cast<double>(e.level_steps));
    EXPECT_EQ(stat(r, "input_write_cycles"), static_cast<double>(e.write_cycles));
    EXPECT_EQ(r.cycles, e.write_cycles + rounds * 3 * 16);
    // Energy: one pulse per level step at 1 pJ; every step reads all the layer's APUs.
    EXPECT_NEAR(r.energy_by_component.at("reram_write"), static_cast<double>(e.level_steps) * 1e-12,
                1e-18);
    EXPECT_EQ(stat(r, "computes"), static_cast<double>(rounds * 3 * 2 * groups));
    // Nothing is programmed before the inference: the cells take inputs, not weights.
    EXPECT_EQ(r.programming.pulses, 0);
  }
}

// Input-stationary conv, then a weight-stationary 1x1 conv (one position per group). The
// consumer's position p needs producer position p, which is complete only when the round
// holding it has computed its last channel: its first group starts after the first round.
TEST(InputStationary, AConsumerGetsAProducersOutputsARoundAtATime) {
  const Network net = parseNetwork(
      "name: t\ninput: [2, 8, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 3, kernel: 2, stride: 2}\n"
      "  - {name: d, type: conv, out: 2, kernel: 1}\n",
      "t.yaml");
  const ArchSpec arch = tinyArch(4);
  PlanLayer is;
  is.name = "c";
  is.vertex = net.topoOrder()[0];
  is.r = 1;
  is.set = 2;
  is.dataflow = "is";
  PlanLayer ws;
  ws.name = "d";
  ws.vertex = net.topoOrder()[1];
  ws.r = 1;
  ws.set = 1;
  SimOptions o;
  o.bandwidth = false;
  const SimResult r = simulate(net, arch, placeLayers(arch, {is, ws}, "all"), o);
  const Expected e = handCount(1);
  // The first round: its write, then 3 steps; the consumer's 4 positions of the first round
  // follow one a stage while the producer writes and computes its second round.
  const NodeResult* c = nullptr;
  const NodeResult* d = nullptr;
  for (const NodeResult& n : r.nodes) {
    if (n.name == "c") c = &n;
    if (n.name == "d") d = &n;
  }
  ASSERT_TRUE(c && d);
  ASSERT_EQ(e.round_writes.size(), 2u);
  EXPECT_EQ(d->first_cycle, e.round_writes[0] + 3 * 16);
  EXPECT_LT(d->first_cycle, c->last_cycle);  // it does not wait for the whole layer
  // The consumer's last 4 positions start when both the second round and its first 4 are done.
  const std::int64_t first_round = e.round_writes[0] + 3 * 16;
  const std::int64_t second_round = first_round + e.round_writes[1] + 3 * 16;
  EXPECT_EQ(r.cycles, std::max(first_round + 4 * 16, second_round) + 4 * 16);
}

// withDataflow keeps R as column groups and sizes each group ceil(K / rows); a depthwise conv
// stays weight-stationary; layers that cannot run input-stationary are refused by name.
TEST(InputStationary, PlansAndRefusals) {
  const Network net = parseNetwork(
      "name: t\ninput: [2, 8, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 3, kernel: 2, stride: 2}\n"
      "  - {name: dw, type: dwconv, kernel: 3, pad: 1}\n"
      "  - {name: f, type: fc, out: 5}\n",
      "t.yaml");
  const ArchSpec arch = tinyArch(20);
  std::vector<PlanLayer> layers;
  for (const Vertex v : net.topoOrder()) {
    PlanLayer l;
    l.name = net.layer(v).spec.name;
    l.vertex = v;
    l.r = 2;
    l.set = 1;  // c: 8 x 3 weights on 4 x 4 crossbars would be 2; withDataflow resizes
    layers.push_back(l);
  }
  const Plan is = withDataflow(net, arch, placeLayers(arch, layers, "all"), "is");
  ASSERT_EQ(is.layers.size(), 3u);
  EXPECT_EQ(is.layers[0].dataflow, "is");
  EXPECT_EQ(is.layers[0].set, 2);  // K = 8 over 4 rows
  EXPECT_EQ(is.layers[1].dataflow, "ws");
  EXPECT_EQ(is.layers[2].dataflow, "is");
  EXPECT_EQ(is.layers[2].set, 6);  // K = 3 x 4 x 2 = 24 over 4 rows
  EXPECT_EQ(is.layers[2].r, 2);
  const auto error = [&](Plan p, const std::string& mode = "pipelined") {
    p.mode = mode;
    try {
      SimOptions o;
      o.bandwidth = false;
      simulate(net, arch, p, o);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Plan dw = is;
  dw.layers[1].dataflow = "is";
  EXPECT_NE(error(dw).find("'dw' cannot run input-stationary"), std::string::npos) << error(dw);
  Plan bad_set = is;
  bad_set.layers[0].set = 3;
  EXPECT_NE(error(bad_set).find("a column group is 2"), std::string::npos) << error(bad_set);
  EXPECT_NE(error(is, "layer-sequential").find("only ws runs"), std::string::npos);
  EXPECT_THROW(withDataflow(net, arch, is, "os"), ConfigError);
}

}  // namespace
}  // namespace xbarsim::sim
