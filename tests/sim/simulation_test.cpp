// End-to-end on the simulator alone (no analytical model linked): a hand-counted inference,
// every layer simulated (pools, adds, fc, attention's matmuls), back-pressure, deadlock
// breaking by spilling, layers left without crossbars named, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/sim_time.h"
#include "sim/simulator.h"
#include "workloads/fused_view.h"

namespace xbarsim::sim {
namespace {

// A Plan of every static-weight layer of `net`, R from `r_of(layer)` (1 by default).
Plan planAll(const Network& net, const ArchSpec& arch,
             const std::function<std::int64_t(const FusedLayer&)>& r_of = nullptr,
             const std::string& selection = "all") {
  const FusedView view(net, arch.chip.tile.pe.apu.crossbar.rows,
                       arch.chip.tile.pe.apu.crossbar.cols);
  std::vector<PlanLayer> layers;
  for (const FusedLayer& f : view.layers()) {
    if (!f.staticWeights()) continue;
    if (selection == "paper" && (f.isFc() || f.shortcut)) continue;
    PlanLayer l;
    l.name = f.name;
    l.vertex = f.vertex;
    l.set = f.set;
    l.r = r_of ? r_of(f) : 1;
    layers.push_back(l);
  }
  return placeLayers(arch, layers, selection);
}

const NodeResult& node(const SimResult& r, const std::string& name) {
  for (const NodeResult& n : r.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no layer " + name);
}

double stat(const SimResult& r, const std::string& block_suffix, const std::string& name) {
  double sum = 0;
  for (const StatRow& s : r.stats)
    if (s.name == name && s.block.size() >= block_suffix.size() &&
        s.block.compare(s.block.size() - block_suffix.size(), block_suffix.size(), block_suffix) ==
            0)
      sum += s.value;
  return sum;
}

// A 3x3 conv over a 4x4 single-channel input, one output row (R = 4) per group, then an fc.
// Ideal data movement, isaac-like's 21-cycle computation stage. Group g computes output row g,
// whose window ends at input row g + 1: the whole input is there from cycle 0, so the groups
// run back to back, 0-21, 21-42, 42-63, 63-84; the fc needs all 16 outputs, 84-105.
TEST(Simulation, HandCountedConvThenFc) {
  const Network net = parseNetwork(
      "name: tiny\ninput: [1, 4, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 8, kernel: 3, pad: 1}\n"
      "  - {name: f, type: fc, out: 2}\n",
      "tiny.yaml");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const Plan plan = planAll(net, arch, [](const FusedLayer& f) { return f.isFc() ? 1 : 4; });
  SimOptions o;
  o.bandwidth = false;
  const SimResult r = simulate(net, arch, plan, o);
  EXPECT_EQ(r.step_cycles, 21);
  EXPECT_EQ(r.cycles, 105);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[0].groups, 4);
  EXPECT_EQ(r.layers[0].first_cycle, 0);
  EXPECT_EQ(r.layers[0].last_cycle, 84);
  EXPECT_EQ(r.layers[1].first_cycle, 84);
  EXPECT_EQ(r.layers[0].stalls, 0);
  // Each group runs one input vector through each of its 4 copies (an APU each: one logical
  // crossbar of 8 physical ones), then the fc's one: 4 x 4 + 1.
  EXPECT_EQ(r.kernel.crossbar_mvms, 17);
}

// With data movement modelled the same inference is slower (the input comes from main memory)
// and costs bus, buffer, NoC and memory energy.
TEST(Simulation, DataMovementCostsTimeAndEnergy) {
  const Network net = loadNetwork("lenet");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const Plan plan = planAll(net, arch);
  SimOptions ideal;
  ideal.bandwidth = false;
  const SimResult a = simulate(net, arch, plan, ideal);
  const SimResult b = simulate(net, arch, plan, {});
  EXPECT_GT(b.cycles, a.cycles);
  for (const char* c : {"noc", "buffers", "tile_bus", "global_buffer", "main_memory"})
    EXPECT_GT(b.energy_by_component.at(c), 0) << c;
  EXPECT_EQ(b.programming.pulses, a.programming.pulses);
}

// Every layer of the network is simulated and costs time and energy: convolutions and fc on
// crossbars, pools on the vector units.
TEST(Simulation, EveryLayerIsSimulated) {
  const Network net = loadNetwork("lenet");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const SimResult r = simulate(net, arch, planAll(net, arch), {});
  ASSERT_EQ(r.nodes.size(), net.topoOrder().size() + 1);
  EXPECT_TRUE(r.not_simulated.empty());
  for (std::size_t i = 1; i < r.nodes.size(); ++i) {
    const NodeResult& n = r.nodes[i];
    EXPECT_GT(n.chunks, 0) << n.name;
    EXPECT_GT(n.last_cycle, n.first_cycle) << n.name;
    EXPECT_GT(n.energy_j, 0) << n.name;
    EXPECT_EQ(n.hardware, n.type == "maxpool" || n.type == "avgpool" ? "vector unit" : "crossbars")
        << n.name;
  }
  double sum = 0;
  for (const NodeResult& n : r.nodes) sum += n.energy_j;
  EXPECT_LT(sum, r.energy_j);  // static power belongs to no layer
}

// Attention's activation x activation matmuls run on the vector units: they take time and
// energy (BERT with a short sequence to keep the test small).
TEST(Simulation, AttentionMatmulsTakeTimeAndEnergy) {
  const Network net = loadNetwork("bert-base", {{"seq", 16}});
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", 80}});
  const SimResult r = simulate(net, arch, planAll(net, arch), {});
  int matmuls = 0;
  for (const NodeResult& n : r.nodes) {
    if (n.type != "matmul") continue;
    ++matmuls;
    EXPECT_EQ(n.hardware, "vector unit");
    EXPECT_GT(n.last_cycle, n.first_cycle) << n.name;
    EXPECT_GT(n.energy_j, 0) << n.name;
  }
  EXPECT_EQ(matmuls, 24);
  // 12 x (scores + context) MACs of 12 heads x 16 x 16 x 64, at 1024 per cycle at least.
  EXPECT_GE(stat(r, "vector_unit", "ops"), 24.0 * 12 * 16 * 16 * 64);
}

// Layers the Plan gives no crossbars (the paper's subset) pass through and are named.
TEST(Simulation, LayersWithoutCrossbarsAreNamed) {
  const Network net = loadNetwork("lenet");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const SimResult r = simulate(net, arch, planAll(net, arch, nullptr, "paper"), {});
  EXPECT_EQ(r.selection, "paper");
  EXPECT_EQ(r.not_simulated, (std::vector<std::string>{"fc1", "fc2", "fc3"}));
  EXPECT_EQ(node(r, "fc1").hardware, "not simulated");
  EXPECT_EQ(node(r, "fc1").first_cycle, node(r, "fc1").last_cycle);  // in zero time
  EXPECT_EQ(stat(r, "layer_fc1", "chunks"), 1);
}

// A slow consumer behind a small input buffer pushes back on its producer: the producer's
// back-pressure wait and the buffer's sender stalls are counted, and the timing changes.
TEST(Simulation, SmallBuffersPushBack) {
  const Network net = loadNetwork("vgg-8");
  std::string text = loadArchSpec("isaac-like").yaml_text;
  const std::string big = "input_buffer: {size: 64KiB";
  text.replace(text.find(big), big.size(), "input_buffer: {size: 8KiB");
  const ArchSpec small = parseArchSpec(text, "small.yaml", {{"tiles", 40}});
  const ArchSpec preset = loadArchSpec("isaac-like", {{"tiles", 40}});
  // The first conv is fast (many copies), the second slow (one copy).
  const auto r_of = [](const FusedLayer& f) -> std::int64_t { return f.name == "conv1" ? 64 : 1; };
  const SimResult a = simulate(net, preset, planAll(net, preset, r_of), {});
  const SimResult b = simulate(net, small, planAll(net, small, r_of), {});
  EXPECT_GT(node(b, "conv1").backpressure_cycles, 0);
  EXPECT_GT(stat(b, "input_buffer", "sender_stall_cycles"), 0);
  EXPECT_GT(stat(b, "input_buffer", "peak_occupancy"), 0);
  EXPECT_NE(b.cycles, a.cycles);
  EXPECT_FALSE(b.input_buffer_occupancy.empty());
}

// A residual join whose shortcut buffer cannot hold the skew between its two paths deadlocks
// with bounded buffers; the blocked producer spills to the global buffer, the run completes,
// and the spilled bytes are counted.
TEST(Simulation, DeadlockIsBrokenBySpilling) {
  const Network net = parseNetwork(
      "name: res\ninput: [64, 32, 32]\nlayers:\n"
      "  - {name: a, type: conv, out: 64, kernel: 3, pad: 1}\n"
      "  - {name: b, type: conv, out: 64, kernel: 3, pad: 1}\n"
      "  - {name: c, type: conv, out: 64, kernel: 3, pad: 1}\n"
      "  - {name: sum, type: add, inputs: [c, a]}\n",
      "res.yaml");
  std::string text = loadArchSpec("isaac-like").yaml_text;
  const std::string big = "input_buffer: {size: 64KiB";
  text.replace(text.find(big), big.size(), "input_buffer: {size: 12KiB");
  const ArchSpec arch = parseArchSpec(text, "small.yaml", {{"tiles", 4}});
  const SimResult r = simulate(net, arch, planAll(net, arch), {});
  EXPECT_GT(stat(r, "layer_a", "spilled_bytes"), 0);
  EXPECT_EQ(node(r, "sum").chunks > 0, true);
  EXPECT_GT(r.cycles, 0);
}

TEST(Simulation, TwoRunsGiveIdenticalResults) {
  const Network net = loadNetwork("resnet-18");
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", 20}});
  const Plan plan = planAll(net, arch);
  SimOptions o;
  o.trace = true;
  const SimResult a = simulate(net, arch, plan, o);
  const SimResult b = simulate(net, arch, plan, o);
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_EQ(a.energy_by_component, b.energy_by_component);
  EXPECT_EQ(a.programming.cycles, b.programming.cycles);
  EXPECT_EQ(a.programming.pulses, b.programming.pulses);
  ASSERT_EQ(a.groups.size(), b.groups.size());
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    EXPECT_EQ(a.groups[g].start, b.groups[g].start);
    EXPECT_EQ(a.groups[g].end, b.groups[g].end);
  }
  EXPECT_EQ(a.trace.size(), b.trace.size());
  EXPECT_GT(a.trace.size(), 0u);
  EXPECT_EQ(a.tile_utilisation, b.tile_utilisation);
  EXPECT_EQ(a.kernel.delta_cycles, b.kernel.delta_cycles);
}

// The kernel is doing the work: every engine activation is a scheduled wake-up, and the
// messages between layers are counted.
TEST(Simulation, ReportsKernelActivity) {
  const Network net = loadNetwork("lenet");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const SimResult r = simulate(net, arch, planAll(net, arch), {});
  EXPECT_GT(r.kernel.delta_cycles, 0);
  EXPECT_GT(r.kernel.activations, 0);
  EXPECT_LE(r.kernel.activations, r.kernel.timed_notifications + r.kernel.delta_notifications);
  EXPECT_GT(r.kernel.messages, 0);
  EXPECT_GT(r.wall.total_s, 0);
  EXPECT_GE(r.wall.total_s, r.wall.setup_s + r.wall.programming_s + r.wall.inference_s);
}

// Cost follows the work: a chip of 100,000 tiles runs lenet exactly as one of 32 does (the
// same cycles, energy and static power), and builds only the tiles the layers use, on the
// per-layer channels and on a mesh (whose links are made on first use).
TEST(Simulation, UnusedTilesAreNeverBuilt) {
  const Network net = loadNetwork("lenet");
  for (const char* topology : {"per-layer", "mesh"}) {
    const ArchSpec small = loadArchSpec("isaac-like", {{"tiles", 32}, {"topology", topology}});
    const ArchSpec huge = loadArchSpec("isaac-like", {{"tiles", 100000}, {"topology", topology}});
    const SimResult a = simulate(net, small, planAll(net, small), {});
    const SimResult b = simulate(net, huge, planAll(net, huge), {});
    EXPECT_EQ(a.cycles, b.cycles) << topology;
    EXPECT_DOUBLE_EQ(a.energy_j, b.energy_j) << topology;
    // lenet's five weight layers fit one tile of 72 crossbars: it and tile 0 (the same one).
    EXPECT_EQ(b.tile_index, std::vector<std::int64_t>{0}) << topology;
    EXPECT_EQ(b.tile_utilisation.size(), 1u) << topology;
    EXPECT_EQ(a.noc_links.size(), b.noc_links.size()) << topology;
  }
}

// Time stays in range: a duration past 2^53 cycles or past the kernel's 2^64 ps is an error
// naming the cause, never a wrapped or undefined value.
TEST(Simulation, TimeOutOfRangeIsAnError) {
  EXPECT_EQ(checkedCycle(12.7, "x"), 12);
  EXPECT_THROW(checkedCycle(1e17, "a transfer"), SimError);
  EXPECT_THROW(checkedCycle(std::numeric_limits<double>::infinity(), "x"), SimError);
  EXPECT_THROW(checkedCycle(std::nan(""), "x"), SimError);
  EXPECT_EQ(cyclesToTime(5, 1000).value(), 5000u);
  EXPECT_THROW(cyclesToTime(std::int64_t{1} << 50, 100000), SimError);
}

}  // namespace
}  // namespace xbarsim::sim
