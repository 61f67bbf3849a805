// Layer-sequential execution end to end: schedulers' Plans run on the simulator, against hand
// counts and against what the cells must hold.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "alloc/scheduler.h"
#include "sim/simulator.h"
#include "weights/weight_source.h"

namespace xbarsim {
namespace {

std::string data(const std::string& path) {
  return std::string(XBARSIM_TEST_DATA_DIR) + "/" + path;
}

// aras with one PE (6 APU rows), and one 128 x 128 fc layer (one logical crossbar).
ArchSpec onePe() {
  return loadArchSpec(data("arch/aras-one-pe.yaml"));
}

Network oneFc() {
  return parseNetwork(
      "name: one-fc\ninput: [128, 1, 1]\nlayers:\n"
      "  - {name: fc, type: fc, out: 128}\n",
      "one-fc.yaml");
}

sim::SimResult run(const Network& net, const ArchSpec& arch, const std::string& scheduler,
                   std::int64_t inferences) {
  sim::SimOptions o;
  return sim::simulate(net, arch, sequentialPlan(net, arch, scheduler, inferences), o);
}

// The hand-worked network of tests/alloc/scheduler_test.cpp.
TEST(LayerSequential, ReplicationNeverSlowsTheHandWorkedNetwork) {
  const ArchSpec arch = onePe();
  const Network net = loadNetwork(data("workloads/three-convs.yaml"));
  const sim::SimResult overlap = run(net, arch, "overlap", 1);
  const sim::SimResult aras = run(net, arch, "aras", 1);
  EXPECT_LE(aras.cycles, overlap.cycles);
  // c0 in two copies computes in half the steps: 6,272 of at least 96 cycles.
  const sim::SeqLayerResult& c0 = aras.sequential.layers[0];
  EXPECT_EQ(c0.layer, "c0");
  EXPECT_EQ(c0.max_copies, 2);
  EXPECT_GE(c0.compute_cycles, 6272 * 96);
  EXPECT_LT(c0.compute_cycles, 6272 * 96 * 11 / 10);
}

// One fc layer of 128 x 128 weights on one APU row: the write time and pulses follow from the
// cells' levels, computed here from the weight codes directly.
TEST(LayerSequential, WritingAFreshCrossbarTakesItsRowsHighestLevels) {
  const ArchSpec arch = onePe();
  const Network net = oneFc();
  const Plan plan = sequentialPlan(net, arch, "naive", 1);
  const WeightSource source(1);
  const std::vector<std::uint32_t> codes = source.block(net, arch, plan.layers[0], 0, 0);
  // Fresh cells: only the increase phase; a row of slice s takes (its highest level) x 20
  // pulses x 50 ns; the 4 slices sit in 4 APUs, written at once; rows follow one another.
  std::int64_t steps = 0, slowest_apu = 0;
  for (int s = 0; s < 4; ++s) {
    std::int64_t apu_cycles = 0;
    for (int r = 0; r < 128; ++r) {
      std::uint32_t top = 0;
      for (int c = 0; c < 128; ++c) {
        const std::uint32_t level = (codes[static_cast<std::size_t>(r * 128 + c)] >> (2 * s)) & 3;
        top = std::max(top, level);
        steps += level;
      }
      apu_cycles += top * 1000;
    }
    slowest_apu = std::max(slowest_apu, apu_cycles);
  }
  sim::SimOptions o;
  const sim::SimResult r = sim::simulate(net, arch, plan, o);
  EXPECT_EQ(r.sequential.level_steps, steps);
  EXPECT_EQ(r.sequential.pulses, steps * 20);
  const sim::SeqOpTiming& write = r.sequential.ops[0];
  // The deltas of each row come from main memory first (48 bytes at 19.2 B/cycle plus 100
  // cycles latency and the bus), overlapping the previous row's write: only the first fetch
  // adds to the rows' write time.
  EXPECT_GE(write.end - write.start, slowest_apu);
  EXPECT_LT(write.end - write.start, slowest_apu + 400);
  const double joules = static_cast<double>(steps) * 20 * 2.8e-12;  // per batch, summed
  EXPECT_NEAR(r.energy_by_component.at("reram_write"), joules, joules * 1e-12);
}

// Cell history: a second inference rewrites the same weights into the same cells, which
// already hold them: no pulse at all.
TEST(LayerSequential, CellsThatHoldTheirNewLevelsGetNoPulse) {
  const ArchSpec arch = onePe();
  const Network net = oneFc();
  const sim::SimResult r = run(net, arch, "naive", 2);
  ASSERT_EQ(r.sequential.layers.size(), 2u);
  EXPECT_GT(r.sequential.layers[0].level_steps, 0);
  EXPECT_EQ(r.sequential.layers[1].level_steps, 0);
}

// Overwriting: the second layer's pulses are |new - old| summed over the cells the first left.
TEST(LayerSequential, OverwritingCountsTheLevelChangesFromWhatTheCellsHeld) {
  const ArchSpec arch = onePe();
  const Network net = loadNetwork(data("workloads/two-fc.yaml"));
  std::string text = arch.yaml_text;
  text.replace(text.find("apu_rows: 6"), 11, "apu_rows: 1");
  text.replace(text.find("apus: 24"), 8, "apus: 4");
  const ArchSpec one_row = parseArchSpec(text, "aras-one-row.yaml");
  ASSERT_EQ(one_row.apuRows(), 1);
  const WeightSource source(1);
  // Without and with partial weight reuse (the second layer's codes moved by the Plan's shift,
  // clipped): the cells take exactly the codes' level changes.
  for (const bool reuse : {false, true}) {
    SCOPED_TRACE(reuse ? "weight reuse" : "no reuse");
    const Plan plan = sequentialPlan(net, one_row, "naive", 1, reuse ? &source : nullptr);
    EXPECT_EQ(plan.layers[0].weight_shift, 0);  // the first layer is never shifted
    if (reuse) {
      EXPECT_NE(plan.layers[1].weight_shift, 0);
    }
    const auto a = source.block(net, one_row, plan.layers[0], 0, 0);
    const auto b = source.block(net, one_row, plan.layers[1], 0, 0);
    std::int64_t first = 0, second = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      for (int s = 0; s < 4; ++s) {
        const int la = static_cast<int>((a[i] >> (2 * s)) & 3);
        const int lb = static_cast<int>((b[i] >> (2 * s)) & 3);
        first += la;
        second += std::abs(lb - la);
      }
    const sim::SimResult r = sim::simulate(net, one_row, plan, {});
    ASSERT_EQ(r.sequential.layers.size(), 2u);
    EXPECT_EQ(r.sequential.layers[0].level_steps, first);
    EXPECT_EQ(r.sequential.layers[1].level_steps, second);
  }
}

// Only the banks the schedule selects are ever powered, and their static energy is their power
// over the cycles they were on.
TEST(LayerSequential, OnlySelectedBanksArePoweredAndPayStaticEnergy) {
  const ArchSpec arch = onePe();
  const Network net = loadNetwork(data("workloads/three-convs.yaml"));
  const Plan plan = sequentialPlan(net, arch, "aras", 1);
  const sim::SimResult r = sim::simulate(net, arch, plan, {});
  std::set<int> selected;
  for (const LayerBanks& b : plan.schedule.banks) {
    selected.insert(b.input_banks.begin(), b.input_banks.end());
    selected.insert(b.output_banks.begin(), b.output_banks.end());
  }
  double energy = 0;
  for (const sim::BankResult& b : r.sequential.banks) {
    EXPECT_EQ(b.powered_cycles > 0, selected.count(b.bank) > 0) << "bank " << b.bank;
    EXPECT_LE(b.powered_cycles, r.cycles);
    energy += b.static_power_w * static_cast<double>(b.powered_cycles) * 1e-9;
  }
  EXPECT_NEAR(r.energy_by_component.at("global_buffer_static"), energy, energy * 1e-12);
}

// Activations larger than the global buffer are processed in parts: what does not fit goes to
// main memory and back, so main memory carries more than the weights' deltas and the network's
// input and output.
TEST(LayerSequential, ActivationsLargerThanTheBufferGoThroughMainMemory) {
  const Network net = loadNetwork(data("workloads/three-convs.yaml"));
  YAML::Node doc = YAML::Load(onePe().yaml_text);
  doc["chip"]["global_buffer"]["banks"] =
      YAML::Load("[{size: 256KiB, count: 2, static_power: 2.56mW}]");
  YAML::Emitter out;
  out << doc;
  const ArchSpec tiny = parseArchSpec(out.c_str(), "tiny-buffer.yaml");
  const auto memoryBytes = [&](const ArchSpec& arch) {
    const sim::SimResult r = sim::simulate(net, arch, sequentialPlan(net, arch, "naive", 1), {});
    for (const sim::StatRow& s : r.stats)
      if (s.block == "chip.main_memory" && s.name == "bytes") return s.value;
    return 0.0;
  };
  const Plan plan = sequentialPlan(net, tiny, "naive", 1);
  EXPECT_GT(plan.schedule.banks[1].parts, 1);  // c1: 784 KiB in, 1568 KiB out, 512 KiB of banks
  EXPECT_GT(memoryBytes(tiny), memoryBytes(onePe()) + 1e6);
}

TEST(LayerSequential, EveryNetworkLayerComputesOnceAndInOrder) {
  const ArchSpec arch = onePe();
  const Network net = loadNetwork("resnet-18");
  const sim::SimResult r = run(net, arch, "overlap", 1);
  std::size_t vertices = net.topoOrder().size();
  ASSERT_EQ(r.sequential.layers.size(), vertices);
  for (std::size_t i = 1; i < r.sequential.layers.size(); ++i)
    EXPECT_GE(r.sequential.layers[i].start, r.sequential.layers[i - 1].end)
        << r.sequential.layers[i].layer;
  EXPECT_GT(r.sequential.inferences_per_s, 0);
  EXPECT_GT(r.sequential.fraction_of_upper_bound, 0);
  EXPECT_LE(r.sequential.fraction_of_upper_bound, 1.0);
}

}  // namespace
}  // namespace xbarsim
