// End-to-end: the simulator against the exact step model (fidelity), golden results on small
// networks, determinism, ReRAM programming, and the run file.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <filesystem>
#include <random>

#include "alloc/allocator.h"
#include "sim/run_file.h"
#include "sim/simulator.h"

namespace xbarsim::sim {
namespace {

struct Bench {
  Bench(const std::string& workload, LayerSelection layers, std::int64_t crossbars,
        const Params& arch_params = {})
      : net(loadNetwork(workload)),
        arch(loadArchSpec("isaac-like", arch_params)),
        view(net, 128, 128),
        problem(net, view, arch, layers, crossbars) {}
  Network net;
  ArchSpec arch;
  FusedView view;
  Problem problem;
  Allocation dp(bool bandwidth) const {
    AllocOptions o;
    o.objective = {StepModel::kAlg1, bandwidth, 0};
    return makeAllocator("dp")->allocate(problem, o).r;
  }
};

SimResult run(const Bench& s, const Allocation& r, bool bandwidth, bool trace = false) {
  SimOptions o;
  o.bandwidth = bandwidth;
  o.trace = trace;
  return simulate(s.problem, makePlan(s.problem, r), o);
}

// With data movement free, the simulator's steps are the exact step model's at lag 1, layer by
// layer: dp and random allocations on CNNs with pools, residual joins, depthwise and fc layers.
TEST(Fidelity, SimulatedStepsEqualTheExactModelAtLagOne) {
  const std::vector<std::tuple<std::string, LayerSelection, std::int64_t>> cases = {
      {"lenet", LayerSelection::kAll, 200},
      {"vgg-8", LayerSelection::kAll, 1600},
      {"alexnet", LayerSelection::kPaper, 1200},
      {"resnet-18", LayerSelection::kAll, 1500},
      {"mobilenet-v1", LayerSelection::kPaper, 1000}};
  std::mt19937_64 rng(11);
  for (const auto& [workload, layers, crossbars] : cases) {
    const Bench s(workload, layers, crossbars, {{"tiles", (crossbars + 71) / 72}});
    std::vector<Allocation> allocations = {s.dp(false)};
    for (int k = 0; k < 3; ++k) allocations.push_back(sampleAllocation(s.problem, rng));
    for (const Allocation& r : allocations) {
      const SimResult sim = run(s, r, false);
      const ExactResult exact = exactSteps(s.problem, r, kSimulatorLag);
      EXPECT_EQ(sim.step_cycles, 21);
      EXPECT_EQ(sim.steps, exact.steps) << workload;
      EXPECT_EQ(sim.cycles, exact.steps * 21) << workload;
      for (std::size_t i = 0; i < s.problem.size(); ++i) {
        EXPECT_EQ(sim.layers[i].first_step, exact.layers[i].first_step) << workload << " " << i;
        EXPECT_EQ(sim.layers[i].last_step, exact.layers[i].last_step) << workload << " " << i;
        EXPECT_EQ(sim.layers[i].stalls, exact.layers[i].stalls) << workload << " " << i;
      }
    }
  }
}

// Golden results: regenerate with `xbarsim simulate --workload W --layers all --crossbars N
// --allocator dp --json` after a deliberate change, and say why in the commit.
TEST(Golden, LenetAndVgg8) {
  {
    const Bench s("lenet", LayerSelection::kAll, 100);
    const Allocation r = s.dp(true);
    EXPECT_EQ(r, (Allocation{65, 12, 1, 1, 1}));
    const SimResult sim = run(s, r, true);
    EXPECT_EQ(sim.cycles, 400);
    EXPECT_EQ(sim.steps, 20);
    EXPECT_EQ(sim.programming.pulses, 11705970);
    EXPECT_EQ(sim.programming.cycles, 4053);
  }
  {
    const Bench s("vgg-8", LayerSelection::kAll, 1600, {{"tiles", 23}});
    const Allocation r = s.dp(true);
    const SimResult sim = run(s, r, true);
    EXPECT_EQ(r, (Allocation{27, 27, 7, 7, 2, 2, 1, 1}));
    EXPECT_EQ(sim.cycles, 2514);
    EXPECT_EQ(sim.programming.pulses, 3090401930);
  }
}

TEST(Determinism, TwoRunsGiveIdenticalResults) {
  const Bench s("alexnet", LayerSelection::kPaper, 1200, {{"tiles", 17}});
  const Allocation r = s.dp(true);
  const SimResult a = run(s, r, true, true);
  const SimResult b = run(s, r, true, true);
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_EQ(a.energy_by_component, b.energy_by_component);
  EXPECT_EQ(a.programming.cycles, b.programming.cycles);
  ASSERT_EQ(a.groups.size(), b.groups.size());
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    EXPECT_EQ(a.groups[g].start, b.groups[g].start);
    EXPECT_EQ(a.groups[g].end, b.groups[g].end);
  }
  EXPECT_EQ(a.trace.size(), b.trace.size());
  EXPECT_GT(a.trace.size(), 0u);
  EXPECT_EQ(a.tile_utilisation, b.tile_utilisation);
}

TEST(Programming, CountsPulsesOfTheWeightsAndUsesMainMemory) {
  const Bench s("lenet", LayerSelection::kAll, 100);
  const Allocation r = s.dp(true);
  const SimResult sim = run(s, r, true);
  // Every pulse costs the device's write energy; the rest is main-memory traffic.
  EXPECT_GT(sim.programming.pulses, 0);
  EXPECT_GE(sim.programming.energy_j,
            static_cast<double>(sim.programming.pulses) * s.arch.reram.write_energy_per_pulse_j);
  // Row fetches of 128 2-bit cells (32 bytes) pass through main memory.
  EXPECT_EQ(sim.programming.bytes % 32, 0);
  // Programming time is at least one worst-case crossbar: 128 rows of up to 3 level steps.
  EXPECT_GE(sim.programming.cycles, 128 * 30);
}

// Weights from an HDF5 file: all zero. A zero weight is the offset-binary code 2^15, whose only
// non-zero 2-bit cell is the top slice at level 2: 2 level steps x 10 pulses per weight and copy.
TEST(Programming, WeightsFromAnHdf5File) {
  const Bench s("lenet", LayerSelection::kAll, 100);
  const auto path = std::filesystem::temp_directory_path() / "xbarsim_weights_test.h5";
  std::int64_t expected = 0;
  const Allocation r = s.dp(true);
  {
    H5::H5File f(path.string(), H5F_ACC_TRUNC);
    for (std::size_t i = 0; i < s.problem.size(); ++i) {
      const hsize_t n = static_cast<hsize_t>(s.problem[i].fused.weights);
      std::vector<double> zeros(n, 0.0);
      f.createDataSet(s.problem[i].fused.name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n))
          .write(zeros.data(), H5::PredType::NATIVE_DOUBLE);
      expected += r[i] * static_cast<std::int64_t>(n) * 2 * 10;
    }
  }
  SimOptions o;
  o.weights_path = path.string();
  const SimResult sim = simulate(s.problem, makePlan(s.problem, r), o);
  EXPECT_EQ(sim.programming.pulses, expected);
  // A row's slowest cell moves 2 levels: 20 pulses of 100 ns = 20 cycles, 128 rows per crossbar.
  EXPECT_GE(sim.programming.cycles, 128 * 20);
  // A file that lacks a layer is an error naming it.
  { H5::H5File f(path.string(), H5F_ACC_TRUNC); }
  EXPECT_THROW(simulate(s.problem, makePlan(s.problem, r), o), ConfigError);
  std::filesystem::remove(path);
}

TEST(RunFile, IsWrittenCompleteAndReadable) {
  const Bench s("lenet", LayerSelection::kAll, 100);
  const Allocation r = s.dp(true);
  const Plan plan = makePlan(s.problem, r);
  SimOptions o;
  o.trace = true;
  const SimResult sim = simulate(s.problem, plan, o);
  const Estimate est = estimate(s.problem, r, {});
  const ExactResult lag1 = exactSteps(s.problem, r, kSimulatorLag);
  const auto path = std::filesystem::temp_directory_path() / "xbarsim_run_test.h5";
  RunRecord rec{&s.problem, &s.net, &plan, &est, &lag1, &sim, "dp", "test", "0", 1};
  writeRunFile(path.string(), rec);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  H5::H5File f(path.string(), H5F_ACC_RDONLY);
  std::int64_t groups = 0;
  const H5::DataSet ds = f.openDataSet("/sim/groups/start_cycle");
  groups = ds.getSpace().getSimpleExtentNpoints();
  EXPECT_EQ(groups, static_cast<std::int64_t>(sim.groups.size()));
  std::vector<std::int64_t> starts(static_cast<std::size_t>(groups));
  ds.read(starts.data(), H5::PredType::NATIVE_INT64);
  for (std::size_t g = 0; g < starts.size(); ++g) EXPECT_EQ(starts[g], sim.groups[g].start);
  EXPECT_TRUE(f.nameExists("/trace"));
  EXPECT_TRUE(f.nameExists("/estimate"));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace xbarsim::sim
