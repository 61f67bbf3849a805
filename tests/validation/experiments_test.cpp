// Reduced versions of every validation experiment, and their metrics on cases with known
// answers; the runner's resume and worker pool.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>

#include "alloc/scheduler.h"
#include "sim/simulator.h"
#include "validation/case_setup.h"
#include "validation/experiment.h"
#include "validation/run_file.h"
#include "validation/worker_pool.h"

namespace xbarsim::validation {
namespace {

std::string data(const std::string& name) {
  return std::string(XBARSIM_TEST_DATA_DIR) + "/experiments/" + name + ".yaml";
}

// Runs experiment `name` in a temporary folder of its own; `tag` tells apart the folders of two
// tests that run the same experiment (ctest runs tests in parallel).
struct ExperimentRun {
  explicit ExperimentRun(const std::string& name, int jobs = 2, bool fresh = true,
                         const std::string& tag = "")
      : dir((std::filesystem::temp_directory_path() /
             ("xbarsim_val_" + std::filesystem::path(name).stem().string() + tag))
                .string()),
        cfg(loadExperiment(name.find('/') == std::string::npos ? data(name) : name)) {
    if (fresh) std::filesystem::remove_all(dir);
    RunOptions o;
    o.jobs = jobs;
    o.out_dir = dir;
    o.progress = false;
    o.plot = false;
    outcome = runExperiment(cfg, o);
    const Kind& kind = findKind(cfg.kind);
    std::vector<Column> schema = {{"task", ColumnType::kInt}, {"case", ColumnType::kInt}};
    for (const Column& c : kind.pointColumns()) schema.push_back(c);
    points = Table::read(outcome.h5, "/points", schema);
    summary = Table::read(outcome.h5, "/summary", kind.summaryColumns());
  }
  // Rows of case c.
  std::vector<std::size_t> rowsOf(std::size_t c) const {
    return points.where("case", static_cast<std::int64_t>(c));
  }
  std::string dir;
  ExperimentConfig cfg;
  Outcome outcome;
  Table points, summary;
};

TEST(ModelAccuracy, SharesAndAccuracyFromKnownErrors) {
  ExperimentConfig cfg = loadExperiment(data("small-accuracy"));
  const Kind& kind = findKind("model-accuracy");
  std::vector<Column> schema = {{"task", ColumnType::kInt}, {"case", ColumnType::kInt}};
  for (const Column& c : kind.pointColumns()) schema.push_back(c);
  Table points(schema);
  // Errors 0.5 %, 3 %, 10 % and 0 on case 0; the simulator agreed on one of two.
  points.add({std::int64_t{0}, std::int64_t{0}, std::int64_t{0}, std::int64_t{1005},
              std::int64_t{1000}, std::int64_t{1008}, std::int64_t{1008}});
  points.add({std::int64_t{1}, std::int64_t{0}, std::int64_t{1}, std::int64_t{1030},
              std::int64_t{1000}, std::int64_t{1008}, std::int64_t{1009}});
  points.add({std::int64_t{2}, std::int64_t{0}, std::int64_t{2}, std::int64_t{900},
              std::int64_t{1000}, std::int64_t{1008}, std::int64_t{-1}});
  points.add({std::int64_t{3}, std::int64_t{0}, std::int64_t{3}, std::int64_t{1000},
              std::int64_t{1000}, std::int64_t{1008}, std::int64_t{-1}});
  const Table s = kind.summary(cfg, points);
  EXPECT_DOUBLE_EQ(s.real(0, "share_lt1"), 0.5);
  EXPECT_DOUBLE_EQ(s.real(0, "share_1_5"), 0.25);
  EXPECT_DOUBLE_EQ(s.real(0, "share_gt5"), 0.25);
  EXPECT_NEAR(s.real(0, "avg_accuracy"), 1 - (0.005 + 0.03 + 0.1) / 4, 1e-12);
  EXPECT_NEAR(s.real(0, "max_error"), 0.1, 1e-12);
  EXPECT_EQ(s.integer(0, "sim_confirmed"), 2);
  EXPECT_EQ(s.integer(0, "sim_agree"), 1);
  EXPECT_EQ(s.integer(1, "samples"), 0);
}

TEST(ModelAccuracy, ReducedRunSimulatorAgreesWithTheExactModel) {
  const ExperimentRun run("small-accuracy");
  EXPECT_EQ(run.points.size(), 24u);
  for (std::size_t c = 0; c < 2; ++c) {
    EXPECT_EQ(run.summary.integer(c, "samples"), 12);
    EXPECT_EQ(run.summary.integer(c, "sim_confirmed"), 3);
    EXPECT_EQ(run.summary.integer(c, "sim_agree"), 3);
    const double shares = run.summary.real(c, "share_lt1") + run.summary.real(c, "share_1_5") +
                          run.summary.real(c, "share_gt5");
    EXPECT_NEAR(shares, 1.0, 1e-12);
  }
  // Every point recomputes: Algorithm 1 and the exact model of its allocation.
  EXPECT_TRUE(std::filesystem::exists(run.outcome.markdown));
}

TEST(Optimality, TheDpMatchesExhaustiveSearchOnLenet) {
  const ExperimentRun run("small-optimality");
  ASSERT_EQ(run.points.size(), 2u);
  const std::size_t lenet = run.rowsOf(0)[0];
  EXPECT_EQ(run.points.text(lenet, "search_kind"), "exhaustive");
  EXPECT_EQ(run.points.integer(lenet, "dp_cycles"), run.points.integer(lenet, "search_cycles"));
  const std::size_t alex = run.rowsOf(1)[0];
  EXPECT_EQ(run.points.text(alex, "search_kind"), "random");
  EXPECT_EQ(run.points.integer(alex, "search_samples"), 300);
}

TEST(Heuristics, KnownAllocationsAndLeftovers) {
  const ExperimentRun run("small-heuristics");
  const CaseSetup s(run.cfg, 1);  // vgg-a, 4096 crossbars
  for (const std::size_t i : run.rowsOf(0))
    if (run.points.text(i, "allocator") == "wo-ho") {
      EXPECT_EQ(run.points.integer(i, "steps"), -1);  // 2592 > 2304: cannot fit
    }
  for (const std::size_t i : run.rowsOf(1)) {
    const std::string a = run.points.text(i, "allocator");
    if (a == "wo-ho") {
      EXPECT_EQ(run.points.integer(i, "leftover"), 4096 - 2592);
      EXPECT_EQ(run.points.integer(i, "steps"),
                algorithm1(*s.problem, {256, 64, 16, 16, 4, 4, 1, 1}).steps);
    }
    if (a == "dp") {
      for (const std::size_t j : run.rowsOf(1))
        if (run.points.integer(j, "steps") > 0) {
          EXPECT_LE(run.points.integer(i, "steps"), run.points.integer(j, "steps"));
        }
    }
  }
}

TEST(Isaac, EachVariantIsSimulated) {
  const ExperimentRun run("small-isaac");
  ASSERT_EQ(run.points.size(), 8u);  // two topologies x four variants
  for (std::size_t c = 0; c < 2; ++c) {
    const CaseSetup s(run.cfg, c);
    EXPECT_EQ(s.problem->total(), 144);
    EXPECT_EQ(s.arch.chip.noc.topology, c == 0 ? "bus" : "mesh");
    EXPECT_NE(s.label.find(s.arch.chip.noc.topology), std::string::npos) << s.label;
  }
  for (std::size_t i = 0; i < run.points.size(); ++i) {
    EXPECT_GT(run.points.integer(i, "sim_cycles"), 0) << run.points.text(i, "variant");
    EXPECT_GT(run.points.integer(i, "model_cycles"), 0);
  }
}

TEST(Bandwidth, RatiosAreWoHoOverTheDpsR) {
  const ExperimentRun run("small-bandwidth");
  ASSERT_EQ(run.points.size(), 16u);
  for (std::size_t c = 0; c < 2; ++c) {
    const CaseSetup s(run.cfg, c);
    const Allocation r = dpAllocation(*s.problem, StepModel::kAlg1, true);
    for (const std::size_t i : run.rowsOf(c)) {
      const auto layer = static_cast<std::size_t>(run.points.integer(i, "layer"));
      EXPECT_DOUBLE_EQ(run.points.real(i, "wo_ho_over_r"),
                       static_cast<double>((*s.problem)[layer].fused.outputPositions()) /
                           static_cast<double>(r[layer]));
    }
  }
  // Four times the bandwidth never makes the DP's answer slower.
  EXPECT_LE(run.points.integer(run.rowsOf(1)[0], "cycles"),
            run.points.integer(run.rowsOf(0)[0], "cycles"));
}

TEST(SolverRuntime, TimesEveryVariant) {
  const ExperimentRun run("small-runtime");
  EXPECT_EQ(run.rowsOf(0).size(), 3u);  // alexnet: alg1, alg1+bandwidth, exact
  EXPECT_EQ(run.rowsOf(1).size(), 2u);
  for (std::size_t i = 0; i < run.points.size(); ++i) EXPECT_GT(run.points.real(i, "seconds"), 0);
}

TEST(DpObjective, SimulatedStepsOfBothObjectives) {
  const ExperimentRun run("small-objective");
  ASSERT_EQ(run.points.size(), 2u);
  const CaseSetup s(run.cfg, 0);
  for (std::size_t i = 0; i < 2; ++i) {
    const StepModel m = parseStepModel(run.points.text(i, "objective"));
    const std::int64_t lag = m == StepModel::kExact ? validation::kSimulatorLag : 0;
    const Allocation r = dpAllocation(*s.problem, m, false, lag);
    if (m == StepModel::kExact) {
      // At the simulator's lag the exact objective predicts the simulation exactly.
      EXPECT_EQ(run.points.integer(i, "model_steps"), run.points.integer(i, "sim_steps"));
    }
    // The simulator follows the exact model at lag 1 without bandwidth limits.
    EXPECT_EQ(run.points.integer(i, "sim_steps"),
              exactSteps(*s.problem, r, validation::kSimulatorLag).steps);
  }
}

// The aras experiment on one PE (6 APU rows) and three convolutions (15 rows of weights, so
// every inference rewrites them), two inferences in a row. Its steady-state figures are the
// second inference's: two-inference runs less one-inference runs (the first inference's
// instructions, and so its pulses, are the same in both), simulated here directly.
TEST(Aras, SteadyStateFiguresAndTheirNormalisation) {
  const std::string dir = std::string(XBARSIM_TEST_DATA_DIR);
  const std::string path =
      (std::filesystem::temp_directory_path() / "xbarsim_small_aras.yaml").string();
  std::ofstream(path) << "name: small-aras\nkind: aras\narch: " << dir
                      << "/arch/aras-one-pe.yaml\nbaseline_arch: " << dir
                      << "/arch/aras-baseline-one-pe.yaml\nreference: tpu-like\nsamples: 2\n"
                         "cases:\n  - {workload: "
                      << dir << "/workloads/three-convs.yaml}\n";
  const ExperimentRun run(path);
  ASSERT_EQ(run.points.size(), 5u);
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < run.points.size(); ++i) at[run.points.text(i, "variant")] = i;
  ASSERT_EQ(at.size(), 5u);
  const Network net = loadNetwork(dir + "/workloads/three-convs.yaml");
  const auto simulated = [&](const std::string& arch_path, const std::string& scheduler,
                             std::int64_t n, bool reuse) {
    const ArchSpec arch = loadArchSpec(arch_path);
    const WeightSource w(1);
    return sim::simulate(net, arch, sequentialPlan(net, arch, scheduler, n, reuse ? &w : nullptr),
                         {});
  };
  const struct {
    const char* variant;
    const char* arch;
    const char* scheduler;
    bool reuse;
  } configs[] = {{"baseline", "/arch/aras-baseline-one-pe.yaml", "overlap", false},
                 {"bank-selection", "/arch/aras-one-pe.yaml", "overlap", false},
                 {"replication", "/arch/aras-one-pe.yaml", "aras", false},
                 {"reuse", "/arch/aras-one-pe.yaml", "aras", true}};
  for (const auto& c : configs) {
    SCOPED_TRACE(c.variant);
    const sim::SimResult one = simulated(dir + c.arch, c.scheduler, 1, c.reuse);
    const sim::SimResult two = simulated(dir + c.arch, c.scheduler, 2, c.reuse);
    const std::size_t i = at[c.variant];
    EXPECT_GT(two.sequential.pulses, one.sequential.pulses);
    EXPECT_DOUBLE_EQ(run.points.real(i, "pulses"),
                     static_cast<double>(two.sequential.pulses - one.sequential.pulses));
    EXPECT_NEAR(run.points.real(i, "energy_write_j"),
                two.sequential.energy_write_j - one.sequential.energy_write_j,
                1e-9 * two.sequential.energy_write_j);
    // Time: the second inference's end less the first's, at 1 ns a cycle.
    EXPECT_DOUBLE_EQ(
        run.points.real(i, "seconds_per_inference"),
        static_cast<double>(two.sequential.inference_end[1] - two.sequential.inference_end[0]) *
            1e-9);
    // The first inference's latency is measured in the same run; alone, it ends within a few
    // cycles (the second inference's writes share main memory with its last outputs).
    EXPECT_DOUBLE_EQ(run.points.real(i, "first_inference_s"),
                     static_cast<double>(two.sequential.inference_end[0]) * 1e-9);
    EXPECT_NEAR(static_cast<double>(two.sequential.inference_end[0]),
                static_cast<double>(one.sequential.inference_end[0]),
                1e-3 * static_cast<double>(one.sequential.inference_end[0]));
  }
  // The summary against the points: ratios to the baseline and to the TPU-like reference, the
  // energy parts adding up, and the break-even pulse energy giving 67 % of the reference's.
  ASSERT_EQ(run.summary.size(), 4u);
  const auto energy = [&](std::size_t i) {
    return run.points.real(i, "energy_compute_j") + run.points.real(i, "energy_write_j") +
           run.points.real(i, "energy_static_j") + run.points.real(i, "energy_main_memory_j");
  };
  const std::size_t b = at["baseline"], t = at["tpu"];
  for (std::size_t k = 0; k < run.summary.size(); ++k) {
    const std::size_t i = at[run.summary.text(k, "variant")];
    SCOPED_TRACE(run.summary.text(k, "variant"));
    EXPECT_DOUBLE_EQ(
        run.summary.real(k, "speedup"),
        run.points.real(b, "seconds_per_inference") / run.points.real(i, "seconds_per_inference"));
    EXPECT_NEAR(run.summary.real(k, "energy_norm"), energy(i) / energy(b), 1e-12);
    EXPECT_NEAR(run.summary.real(k, "compute_norm") + run.summary.real(k, "write_norm") +
                    run.summary.real(k, "static_norm") + run.summary.real(k, "main_memory_norm"),
                run.summary.real(k, "energy_norm"), 1e-12);
    EXPECT_NEAR(run.summary.real(k, "reference_energy"), energy(i) / energy(t), 1e-12);
    const double e = run.summary.real(k, "break_even_pulse_j");
    EXPECT_NEAR(energy(i) - run.points.real(i, "energy_write_j") + e * run.points.real(i, "pulses"),
                0.67 * energy(t), 1e-9 * energy(t));
    // Lifespan: 10^12 writes of the most rewritten crossbar at 30 inferences/s (a CNN).
    EXPECT_NEAR(run.summary.real(k, "lifespan_real_time_years"),
                1e12 / (run.points.real(i, "rewrites_per_inference") * 30) / (365.25 * 86400),
                1e-9 * run.summary.real(k, "lifespan_real_time_years"));
  }
  EXPECT_DOUBLE_EQ(run.summary.real(0, "pulses_norm"), 1.0);
  // The reference: the systolic model's cycles at 1 GHz.
  EXPECT_DOUBLE_EQ(run.points.real(t, "seconds_per_inference"),
                   static_cast<double>(run.points.integer(t, "cycles")) * 1e-9);
}

TEST(Runner, ResumesFromTheFileAndMatchesAFreshRun) {
  const ExperimentRun fresh("small-accuracy", 1);
  // Keep only the first half of the points, as an interrupted run would have left them.
  {
    const Kind& kind = findKind("model-accuracy");
    std::vector<Column> schema = {{"task", ColumnType::kInt}, {"case", ColumnType::kInt}};
    for (const Column& c : kind.pointColumns()) schema.push_back(c);
    Table half(schema);
    for (std::size_t i = 0; i < fresh.points.size() / 2; ++i) half.add(fresh.points.rows()[i]);
    H5Out out(fresh.outcome.h5);
    out.attr("/", "format", std::string("xbarsim-experiment"));
    out.attr("/", "complete", std::int64_t{0});
    out.attr("/", "wall_s", 1.0);
    H5::H5File probe(fresh.outcome.h5 + "", H5F_ACC_RDONLY);  // the original, for its identity
    std::string identity;
    probe.openDataSet("/identity").read(identity, H5::StrType(H5::PredType::C_S1, H5T_VARIABLE));
    out.text("/identity", identity);
    half.write(out, "/points");
    out.commit();
  }
  const ExperimentRun resumed("small-accuracy", 2, false);
  EXPECT_EQ(resumed.outcome.resumed, 12);
  EXPECT_EQ(resumed.points.size(), fresh.points.size());
  // The same points in the same order (by task), whichever worker computed which.
  EXPECT_EQ(resumed.points.rows(), fresh.points.rows());
}

// A worker that dies (here killed by a signal in the middle of its tasks) is an error of the
// run, naming the signal, not a silently shorter result; the others' results still arrive.
TEST(Runner, AWorkerKilledIsAnErrorOfTheRun) {
  const std::vector<Column> schema = {{"x", ColumnType::kInt}};
  std::vector<std::int64_t> tasks;
  for (std::int64_t t = 0; t < 8; ++t) tasks.push_back(t);
  std::vector<std::int64_t> got;
  try {
    runTasks(
        tasks, 2, schema,
        [](std::int64_t t) {
          if (t == 5) std::raise(SIGKILL);  // in the worker that has the odd tasks
          return std::vector<Row>{{t}};
        },
        [&](std::int64_t t, std::vector<Row>) { got.push_back(t); });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("killed by signal 9"), std::string::npos) << e.what();
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 6}));
}

// A table whose columns differ in length (not one xbarsim wrote whole) is refused, naming them.
TEST(Runner, AFileWithColumnsOfUnequalLengthsIsRefused) {
  const std::string path = ::testing::TempDir() + "xbarsim_ragged.h5";
  {
    H5Out out(path);
    out.column("/points/a", std::vector<std::int64_t>{1, 2, 3});
    out.column("/points/b", std::vector<double>{1.0});
    out.commit();
  }
  try {
    Table::read(path, "/points", {{"a", ColumnType::kInt}, {"b", ColumnType::kReal}});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/points/b has 1 rows, /points/a 3"), std::string::npos)
        << e.what();
  }
}

TEST(Runner, RefusesAFileOfAnotherConfiguration) {
  const ExperimentRun first("small-objective", 2, true, "_refused");
  ExperimentConfig other = loadExperiment(data("small-objective"));
  RunOptions o;
  o.out_dir = first.dir;
  o.progress = false;
  o.plot = false;
  o.samples = 99;  // a different size is a different configuration
  EXPECT_THROW(runExperiment(other, o), ConfigError);
}

}  // namespace
}  // namespace xbarsim::validation
