// End-to-end checks of the xbarsim executable: JSON output, --help, and one clear message with
// a non-zero exit for each kind of bad input (no stack dump, no abort).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct Result {
  int status;
  std::string out;  // stdout and stderr together
};

Result run(const std::string& args) {
  const std::string cmd = std::string(XBARSIM_EXE) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

std::string tempFile(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("xbarsim_cli_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(Cli, VersionAndHelpTeach) {
  const Result v = run("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("xbarsim "), std::string::npos);
  EXPECT_NE(v.out.find("SystemC 2.3"), std::string::npos);
  EXPECT_EQ(v.out.find("Copyright"), std::string::npos) << "no kernel banner: " << v.out;
  const Result h = run("describe --help");
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("Example:"), std::string::npos);
  EXPECT_NE(h.out.find("--workload"), std::string::npos);
}

TEST(Cli, DescribeJsonIsOneObjectWithTheFusedView) {
  const Result r = run("describe --workload vgg-a --arch isaac-like --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["workload"], "vgg-a");
  EXPECT_EQ(j["total_weights"], 132851392);
  EXPECT_EQ(j["fused_layers"].size(), 11u);
  EXPECT_EQ(j["fused_layers"][0]["Wo"], 224);
  EXPECT_EQ(j["fused_layers"][0]["pool"], "pool1");
  EXPECT_EQ(j["min_crossbars"], 8116);
  EXPECT_EQ(j["arch_crossbars"], 2304);
  const Result r256 = run("describe --workload vgg-a --xbar-size 256 --param tiles=64 --json");
  ASSERT_EQ(r256.status, 0) << r256.out;
  const auto k = nlohmann::json::parse(r256.out);
  EXPECT_EQ(k["xbar_rows"], 256);
  EXPECT_EQ(k["arch_crossbars"], 64 * 72);
}

void expectCleanError(const Result& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("xbarsim: error: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(needle), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("terminate"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line: " << r.out;
}

const char* kNet =
    "name: t\ninput: [3, 8, 8]\nlayers:\n"
    "  - {name: a, type: conv, out: 4, kernel: 3, pad: 1}\n";

TEST(CliErrors, EachBadInputGivesOneClearMessage) {
  expectCleanError(run("describe --workload /nonexistent/net.yaml"), "no such file");
  expectCleanError(run("describe --workload " + tempFile("malformed.yaml", "name: [t\n")),
                   "malformed YAML");
  expectCleanError(
      run("describe --workload " + tempFile("unknown.yaml", std::string(kNet) + "extra: 1\n")),
      "unknown key 'extra'");
  expectCleanError(run("describe --workload " +
                       tempFile("mismatch.yaml",
                                std::string(kNet) + "  - {name: b, type: conv, out: 8, kernel: 1}\n"
                                                    "  - {name: c, type: add, inputs: [a, b]}\n")),
                   "add needs equal input shapes");
  expectCleanError(run("describe --workload " +
                       tempFile("cycle.yaml",
                                "name: t\ninput: [3, 8, 8]\nlayers:\n"
                                "  - {name: a, type: conv, out: 3, kernel: 1, inputs: [b]}\n"
                                "  - {name: b, type: conv, out: 3, kernel: 1}\n")),
                   "cycle");
  expectCleanError(run("describe --workload " + tempFile("negative.yaml",
                                                         "name: t\ninput: [3, 8, -8]\nlayers:\n"
                                                         "  - {name: a, type: fc, out: 2}\n")),
                   "must be >= 1");
  std::string arch;
  {
    std::ifstream in(std::string(XBARSIM_CONFIG_DIR) + "/arch/isaac-like.yaml");
    arch.assign(std::istreambuf_iterator<char>(in), {});
  }
  arch.replace(arch.find("read_latency: 100ns"), 19, "read_latency: 100GB/s");
  expectCleanError(run("describe --workload lenet --arch " + tempFile("unit.yaml", arch)),
                   "not a time");
  expectCleanError(run("describe --workload lenet --param nosuch=3"), "nosuch");
  // Numbers on the command line: the range in words, not CLI11's 300-digit one.
  const Result zero = run("describe --workload lenet --xbar-size 0");
  expectCleanError(zero, "--xbar-size: must be a whole number from 2 to 4096, got '0'");
  EXPECT_LT(zero.out.size(), 160u) << zero.out;
  expectCleanError(run("allocate --workload lenet --allocator dp --crossbars 1e3"),
                   "--crossbars: must be a whole number from 1 to");
  expectCleanError(run("bogus"), "A subcommand is required");
  expectCleanError(run("describe --workload lenet --param tiles=4294967296"),
                   "'arch.chip.tiles' must be <= 1048576, got 4294967296");
}

// `validate` writes under the current directory unless told otherwise; the committed results
// change only with --update-repo.
TEST(Cli, ValidateWritesUnderTheCurrentDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "xbarsim_cli_validate";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string cmd = "cd '" + dir.string() + "' && " + XBARSIM_EXE + " validate " +
                          XBARSIM_TEST_DATA_DIR + "/experiments/small-accuracy.yaml " +
                          "--no-plot --jobs 1 --samples 2 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  ASSERT_EQ(WEXITSTATUS(pclose(pipe)), 0) << out;
  EXPECT_TRUE(std::filesystem::exists(dir / "validation-out/results/small-accuracy.h5")) << out;
  EXPECT_TRUE(std::filesystem::exists(dir / "validation-out/REPORT.md")) << out;
  const Result both = run("validate lenet --out x --update-repo");
  EXPECT_EQ(both.status, 2) << both.out;
  EXPECT_NE(both.out.find("excludes"), std::string::npos) << both.out;
}

}  // namespace

namespace {

// describe --resolved prints an arch that loads back to itself (a fixed point) for every preset
// and parameter variant, simulates exactly like the original, and prints a network (an ONNX
// one included) that describes like the original.
TEST(Cli, DescribeResolvedLoadsBackToTheSameSpec) {
  const std::string configs = std::string(XBARSIM_CONFIG_DIR) + "/arch";
  std::vector<std::string> archs;
  for (const auto& e : std::filesystem::directory_iterator(configs))
    archs.push_back(e.path().stem().string());
  ASSERT_GE(archs.size(), 5u);
  archs.push_back("isaac-like --param tiles=64 --param topology=mesh --xbar-size 64");
  for (const std::string& a : archs) {
    SCOPED_TRACE(a);
    const Result first = run("describe --resolved --arch " + a);
    ASSERT_EQ(first.status, 0) << first.out;
    EXPECT_EQ(first.out.find("params"), std::string::npos);
    EXPECT_EQ(first.out.find("${"), std::string::npos);
    const std::string file = tempFile("resolved.yaml", first.out);
    EXPECT_EQ(run("describe --resolved --arch " + file).out, first.out);
    if (a.rfind("isaac-like", 0) != 0) continue;
    const auto sim = [](const std::string& arch) {
      const Result r = run("simulate --workload lenet --allocator dp --json --arch " + arch);
      EXPECT_EQ(r.status, 0) << r.out;
      const auto j = nlohmann::json::parse(r.out);
      return std::make_pair(j["cycles"].get<std::int64_t>(), j["energy_j"].get<double>());
    };
    EXPECT_EQ(sim(file), sim(a));
  }
  const Result both = run("describe --resolved --workload resnet-18");
  ASSERT_EQ(both.status, 0) << both.out;
  const std::size_t split = both.out.find("\n---\n");
  ASSERT_NE(split, std::string::npos);
  const std::string net = tempFile("resolved-net.yaml", both.out.substr(split + 5));
  const auto a = nlohmann::json::parse(run("describe --json --workload " + net).out);
  const auto b = nlohmann::json::parse(run("describe --json --workload resnet-18").out);
  EXPECT_EQ(a["layers"], b["layers"]);
  EXPECT_EQ(a["fused_layers"], b["fused_layers"]);
  EXPECT_EQ(a["total_macs"], b["total_macs"]);
}

TEST(Cli, AllocateJsonCarriesTheAllocationAndBothModels) {
  const Result r =
      run("allocate --arch isaac-like --workload vgg-a --layers paper --allocator dp --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key :
       {"allocation", "crossbars_used", "crossbars_total", "steps", "step_cycles", "cycles",
        "seconds", "allocator", "objective", "runtime_s", "exact_steps", "alg1_steps", "layers"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["allocation"].size(), 8u);
  EXPECT_EQ(j["crossbars_total"], 2304);
  EXPECT_LE(j["crossbars_used"].get<int>(), 2304);
  EXPECT_EQ(j["allocator"], "dp");
  EXPECT_EQ(j["objective"], "alg1");
  EXPECT_EQ(j["cycles"], j["steps"].get<int>() * j["step_cycles"].get<int>());
}

TEST(Cli, ModelReportsAlgorithm1AndExactSteps) {
  const Result r = run(
      "model --arch isaac-like --workload vgg-a --layers paper --allocation 200,50,13,13,4,4,1,1 "
      "--no-bandwidth --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["steps"], 306);        // Algorithm 1
  EXPECT_EQ(j["exact_steps"], 320);  // exact step model, lag 0
  EXPECT_EQ(j["step_cycles"], 21);   // Table 3's computation stage
  EXPECT_EQ(j["crossbars_used"], 2304);
}

TEST(Cli, LayerSequentialRunsANetworkLargerThanTheChip) {
  // VGG-16's 138 M weights need 8,000+ of aras's 576 logical crossbars; resnet-18 is faster.
  const Result r =
      run("simulate --mode layer-sequential --arch aras --workload resnet-18 --scheduler overlap "
          "--json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mode"], "layer-sequential");
  EXPECT_EQ(j["sequential"]["scheduler"], "overlap");
  EXPECT_GT(j["sequential"]["inferences_per_s"].get<double>(), 0);
  EXPECT_GT(j["sequential"]["pulses"].get<double>(), 0);
  EXPECT_EQ(j["sequential"]["layers"].size(), 31u);  // every layer of ResNet-18 but the input
  // Pipelined mode still refuses it, with the numbers.
  expectCleanError(run("simulate --arch aras --workload resnet-18 --allocator dp"),
                   "need at least 727 crossbars");
  // The advice is what can help: a larger arch or this mode when the chip is too small, a
  // larger --crossbars when only the budget is.
  expectCleanError(run("simulate --arch aras --workload resnet-18 --allocator dp"),
                   "aras has only 576: use an arch with more");
  expectCleanError(run("simulate --workload resnet-18 --crossbars 600 --allocator dp"),
                   "give --crossbars 727 or more; isaac-like has 2304");
  expectCleanError(run("simulate --mode layer-sequential --arch aras --workload lenet "
                       "--scheduler greedy"),
                   "greedy");
  expectCleanError(run("simulate --mode layer-sequential --arch aras --workload lenet "
                       "--inferences 0"),
                   "inferences");
}

// The hybrid through the CLI: run on a network whose first layers pay input-stationary on a
// fast-write arch; the run's JSON sets the timeline model beside the simulation.
TEST(Cli, RunHybridSetsTheTimelineModelBesideTheSimulation) {
  const std::string net = std::string(XBARSIM_TEST_DATA_DIR) + "/workloads/small-co.yaml";
  const std::string out = ::testing::TempDir() + "xbarsim_hybrid_run.h5";
  const Result r = run("run --arch isaac-like-fast-write --workload " + net +
                       " --crossbars 8 --dataflow hybrid --no-plot --json --out " + out);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["allocator"], "hybrid");
  EXPECT_GT(j["timeline_cycles"].get<std::int64_t>(), 0);
  ASSERT_EQ(j["layers"].size(), 3u);
  EXPECT_EQ(j["layers"][0]["dataflow"], "is");
  EXPECT_EQ(j["layers"][2]["dataflow"], "ws");
  EXPECT_TRUE(std::filesystem::exists(out));
  expectCleanError(run("simulate --workload " + net +
                       " --crossbars 8 --dataflow hybrid "
                       "--allocation 3,1,1"),
                   "drop --allocation");
  // The hybrid's choice given by hand, a dataflow per layer: the same model and simulation.
  std::string rs, dfs;
  for (const auto& l : j["layers"]) {
    rs += (rs.empty() ? "" : ",") + std::to_string(l["r"].get<std::int64_t>());
    dfs += (dfs.empty() ? "" : ",") + l["dataflow"].get<std::string>();
  }
  const Result given =
      run("run --arch isaac-like-fast-write --workload " + net + " --crossbars 8 --allocation " +
          rs + " --dataflow " + dfs + " --no-plot --json --out " + out);
  ASSERT_EQ(given.status, 0) << given.out;
  const auto g = nlohmann::json::parse(given.out);
  EXPECT_EQ(g["allocator"], "given");
  EXPECT_EQ(g["timeline_cycles"], j["timeline_cycles"]);
  EXPECT_EQ(g["cycles"], j["cycles"]);
  expectCleanError(run("run --workload " + net + " --crossbars 8 --dataflow is,ws,ws --no-plot"),
                   "goes with --allocation");
  expectCleanError(run("run --workload " + net + " --crossbars 8 --allocation " + rs +
                       " --dataflow is,ws --no-plot"),
                   "lists 2 dataflows for 3 allocated layers");
  expectCleanError(
      run("run --workload " + net + " --allocation " + rs + " --dataflow is,hybrid,ws --no-plot"),
      "a list of dataflows names ws or is per layer");
}

// OU sharing from the command line: a summary of what it saved, the plan run with the shared
// sets; refused with input-stationary layers and in layer-sequential mode.
TEST(Cli, OuSharingSharesThenSimulates) {
  const std::string net = std::string(XBARSIM_TEST_DATA_DIR) + "/workloads/small-co.yaml";
  const std::string arch = ::testing::TempDir() + "xbarsim_ou_arch.yaml";
  std::ofstream(arch) << "base: isaac-like\nname: ou\nchip: {tile: {pe: {apu: {ou: {rows: 16, "
                         "cols: 16}}}}}\n";
  const Result r = run("simulate --arch " + arch + " --workload " + net +
                       " --allocator dp --ou-share --ou-prune 0.5");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("OU sharing (tolerance 0, prune 0.50)"), std::string::npos) << r.out;
  expectCleanError(run("simulate --arch " + arch + " --workload " + net +
                       " --allocator dp --ou-share --dataflow is"),
                   "goes with weight-stationary layers");
  expectCleanError(
      run("simulate --mode layer-sequential --arch aras --workload " + net + " --ou-share"),
      "OU sharing runs in pipelined mode");
}

TEST(CliErrors, BadAllocationsAndImpossibleBudgets) {
  expectCleanError(run("model --workload vgg-a --layers paper --allocation 1,2,3"),
                   "the allocation has 3 entries but 8 layers are allocated");
  expectCleanError(run("model --workload vgg-a --layers paper --allocation 300,50,13,13,4,4,1,1"),
                   "uses 2404 crossbars");
  expectCleanError(run("model --workload vgg-a --layers paper --allocation 1,2,x,1,1,1,1,1"),
                   "'x' is not");
  expectCleanError(run("model --workload vgg-a --layers paper --allocation 0,1,1,1,1,1,1,1"),
                   "R = 0 breaks 1 <= R <= 50176");
  expectCleanError(run("allocate --workload vgg-a --layers paper --crossbars 100"),
                   "need at least 564 crossbars");
  expectCleanError(run("allocate --workload vgg-a --layers paper --allocator wo-ho"),
                   "wo-ho (R proportional to Wo x Ho) cannot fit");
  expectCleanError(run("allocate --workload vgg-a --layers paper --allocator nope"),
                   "no allocator named");
}

}  // namespace

namespace {

TEST(Cli, SimulateJsonHasTheSimulationFields) {
  const Result r =
      run("simulate --workload lenet --layers all --crossbars 100 --allocator dp --no-bandwidth "
          "--json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key :
       {"steps", "cycles", "seconds", "energy_j", "energy_by_component", "programming_cycles",
        "programming_energy_j", "kernel", "wall_s", "layers", "all_layers"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["steps"], 18);  // the exact step model at lag 1
  EXPECT_EQ(j["layers"].size(), 5u);
  EXPECT_EQ(j["layers"][1]["stalls"], 1);
  EXPECT_GT(j["energy_by_component"]["adc"].get<double>(), 0);
  EXPECT_GT(j["programming_energy_j"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(j["programming_seconds"].get<double>(),
                   j["programming_cycles"].get<double>() * 100e-9);
}

TEST(CliErrors, SweepAndCompareSayWhatIsWrong) {
  const std::string out =
      (std::filesystem::temp_directory_path() / "xbarsim_cli_sweep_errors").string();
  expectCleanError(run("sweep --axis tiles"), "write KEY=VALUE[,VALUE...]");
  expectCleanError(run("sweep --set workload=lenet,vgg-a --axis param.tiles=4"),
                   "--set workload=lenet,vgg-a: one value (an axis is --axis)");
  expectCleanError(run("sweep --axis out=a.h5"), "the sweep sets --out itself");
  expectCleanError(run("sweep nonexistent-sweep"), "no sweeps preset named 'nonexistent-sweep'");
  // Every point failing is an error of the sweep, quoting the first point's own message.
  expectCleanError(
      run("sweep --set workload=lenet --axis allocator=nope,nada --no-plot --out " + out),
      "every point failed; the first: point 0: no allocator named 'nope'");
  expectCleanError(run("compare /nonexistent/a.h5 /nonexistent/b.h5"),
                   "/nonexistent/a.h5: no such file");
}

TEST(CliErrors, SimulateNeedsAnAllocationSource) {
  expectCleanError(run("simulate --workload lenet"), "give --allocation");
  expectCleanError(run("simulate --workload lenet --allocator dp --out /nonexistent/dir/r.h5"),
                   "does not exist");
  expectCleanError(run("simulate --workload lenet --allocator dp --weights /nonexistent.h5"),
                   "no such weights file");
}

}  // namespace
