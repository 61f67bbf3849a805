// Sweeps: the product of the axes, the command line of each point, the checks of a spec, and a
// whole sweep run against a stand-in program whose output is known by construction. The
// figures the real simulator gives are checked against separate `simulate` runs in cli_test.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/config_path.h"
#include "io/error.h"
#include "io/h5_file.h"
#include "validation/sweep.h"

namespace xbarsim::validation {
namespace {

namespace fs = std::filesystem;

SweepSpec spec() {
  SweepSpec s;
  s.name = "unit";
  s.source = "test";
  s.set = {{"workload", {"lenet"}}, {"no-bandwidth", {"true"}}, {"quiet", {"false"}}};
  s.axes = {{"param.tiles", {"4", "8"}}, {"allocator", {"dp", "wo-ho", "sc2"}}};
  return s;
}

TEST(Sweep, PointsAreTheProductWithTheFirstAxisSlowest) {
  SweepSpec s = spec();
  s.check();
  EXPECT_EQ(s.points(), 6u);
  EXPECT_EQ(s.pointValues(0), (std::vector<std::string>{"4", "dp"}));
  EXPECT_EQ(s.pointValues(2), (std::vector<std::string>{"4", "sc2"}));
  EXPECT_EQ(s.pointValues(4), (std::vector<std::string>{"8", "wo-ho"}));
  // "true" passes the flag alone, "false" leaves it out, param.NAME becomes --param NAME=V.
  EXPECT_EQ(s.pointArgs(4),
            (std::vector<std::string>{"simulate", "--workload", "lenet", "--no-bandwidth",
                                      "--param", "tiles=8", "--allocator", "wo-ho", "--json"}));
  EXPECT_EQ(s.figures, (std::vector<std::string>{"cycles", "energy_j"}));  // simulate's
  EXPECT_EQ(s.plot_x, "param.tiles");
}

TEST(Sweep, AFlagReplacesWhatTheFileSaidOfTheSameOption) {
  SweepSpec s = spec();
  s.put({"workload", {"lenet", "vgg-a"}}, true);  // a fixed option becomes an axis
  s.put({"allocator", {"dp"}}, false);            // an axis becomes fixed
  s.check();
  ASSERT_EQ(s.axes.size(), 2u);
  EXPECT_EQ(s.axes[0].key, "param.tiles");
  EXPECT_EQ(s.axes[1].key, "workload");
  EXPECT_EQ(s.points(), 4u);
  EXPECT_EQ(s.pointArgs(1),
            (std::vector<std::string>{"simulate", "--no-bandwidth", "--allocator", "dp", "--param",
                                      "tiles=4", "--workload", "vgg-a", "--json"}));
}

TEST(Sweep, TheIdentityFollowsWhatIsComputedNotHowItIsDrawn) {
  SweepSpec a = spec(), b = spec();
  a.check();
  b.plot_x = "allocator";
  b.log_x = true;
  b.check();
  EXPECT_EQ(a.identity(), b.identity());
  SweepSpec c = spec();
  c.axes[0].values.push_back("16");
  c.check();
  EXPECT_NE(a.identity(), c.identity());
  SweepSpec d = spec();
  d.figures = {"cycles"};
  d.check();
  EXPECT_NE(a.identity(), d.identity());
}

void expectRefused(SweepSpec s, const std::string& part) {
  try {
    s.check();
    FAIL() << "no error for " << part;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(Sweep, ChecksRefuseWhatCannotRun) {
  SweepSpec s = spec();
  s.command = "describe";
  expectRefused(s, "a sweep runs one of allocate, model, run, simulate, systolic, not 'describe'");
  s = spec();
  s.set.push_back({"out", {"x.h5"}});
  expectRefused(s, "the sweep sets --out itself");
  s = spec();
  s.axes.push_back({"json", {"true"}});
  expectRefused(s, "the sweep sets --json itself");
  s = spec();
  s.set.push_back({"allocator", {"dp"}});
  expectRefused(s, "'allocator' is given twice");
  s = spec();
  s.axes.clear();
  expectRefused(s, "needs at least one axis");
  s = spec();
  s.command = "model";
  expectRefused(s, "name the figures to collect from model --json");
  s.figures = {"cycles"};
  s.runs = true;
  expectRefused(s, "model writes no run file to keep");
  s = spec();
  s.plot_x = "workload";
  expectRefused(s, "the plot's x 'workload' is not one of the axes");
  s = spec();
  s.name = "../up";
  expectRefused(s, "must be a plain file name");
  s = spec();
  s.axes.push_back({"--mode", {"pipelined"}});
  expectRefused(s, "'--mode' is not an option name");
}

TEST(Sweep, AxesFromTheCommandLine) {
  const SweepAxis a = parseAxis("param.tiles=32,64,,128");
  EXPECT_EQ(a.key, "param.tiles");
  EXPECT_EQ(a.values, (std::vector<std::string>{"32", "64", "128"}));
  for (const char* bad : {"tiles", "=32", "tiles="}) {
    try {
      parseAxis(bad);
      FAIL() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("write KEY=VALUE[,VALUE...]"), std::string::npos);
    }
  }
}

TEST(Sweep, PresetsLoad) {
  const SweepSpec t = loadSweep("tiles-allocators");
  EXPECT_EQ(t.name, "tiles-allocators");
  EXPECT_EQ(t.points(), 12u);
  EXPECT_EQ(t.figures.size(), 3u);
  EXPECT_TRUE(t.log_x);
  const SweepSpec i = loadSweep("interconnects");
  EXPECT_EQ(i.points(), 8u);
  EXPECT_EQ(i.pointArgs(3).back(), "--json");
}

std::string write(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("xbarsim_sweep_" + name);
  std::ofstream(p) << text;
  return p.string();
}

TEST(Sweep, FilesLocateTheirErrors) {
  const std::string one_value =
      write("one.yaml", "axes: {param.tiles: [4]}\nset:\n  allocator: [dp, sc2]\n");
  try {
    loadSweep(one_value);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(one_value + ":3:14: 'set.allocator' takes one value"),
              std::string::npos)
        << e.what();
  }
  const std::string unknown = write("unknown.yaml", "axes: {param.tiles: [4]}\nfigure: [x]\n");
  try {
    loadSweep(unknown);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("figure"), std::string::npos) << e.what();
  }
  // The file's name names the sweep when the file does not.
  const SweepSpec named = loadSweep(write("named.yaml", "axes: {param.tiles: [4, 8]}\n"));
  EXPECT_EQ(named.name, "xbarsim_sweep_named");
}

// A stand-in for xbarsim: cycles = 10 x tiles, a nested list, a flag, a failure at tiles=1,
// and an --out file it writes when given one.
std::string standIn() {
  const std::string path = write("stand_in.sh", R"(#!/bin/sh
tiles=0; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --param) tiles="${2#tiles=}"; shift;;
    --out) out="$2"; shift;;
  esac
  shift
done
if [ "$tiles" = 1 ]; then echo "xbarsim: error: one tile is too few" >&2; exit 2; fi
if [ -n "$out" ]; then echo run > "$out"; fi
echo "{\"cycles\": $((tiles * 10)), \"nested\": {\"list\": [7, $tiles]}, \"ok\": true}"
)");
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

SweepOptions options(const std::string& dir, int jobs) {
  SweepOptions o;
  o.program = standIn();
  o.out_dir = dir;
  o.jobs = jobs;
  o.progress = false;
  o.plot = false;
  return o;
}

TEST(Sweep, RunsEveryPointRecordsFailuresAndResumes) {
  const std::string dir = (fs::temp_directory_path() / "xbarsim_sweep_run").string();
  fs::remove_all(dir);
  SweepSpec s;
  s.name = "standin";
  s.source = "test";
  s.axes = {{"param.tiles", {"1", "2", "3"}}, {"mode", {"a", "b"}}};
  s.figures = {"cycles", "nested.list.1", "ok"};
  s.runs = true;
  s.check();
  const SweepOutcome out = runSweep(s, options(dir, 2));
  ASSERT_EQ(out.points.size(), 6u);
  EXPECT_EQ(out.failed, 2);
  EXPECT_EQ(out.first_failure, "point 0: one tile is too few");
  for (std::size_t r = 0; r < 6; ++r) {
    const double tiles = static_cast<double>(1 + r / 2);
    EXPECT_EQ(out.points.integer(r, "task"), static_cast<std::int64_t>(r));  // by task
    EXPECT_EQ(out.points.text(r, "param.tiles"), std::to_string(1 + r / 2));
    EXPECT_EQ(out.points.text(r, "mode"), r % 2 ? "b" : "a");
    if (r < 2) {
      EXPECT_TRUE(std::isnan(out.points.real(r, "cycles")));
      EXPECT_EQ(out.points.text(r, "error"), "one tile is too few");
      EXPECT_EQ(out.points.text(r, "run_file"), "");
      continue;
    }
    EXPECT_EQ(out.points.real(r, "cycles"), 10 * tiles);
    EXPECT_EQ(out.points.real(r, "nested.list.1"), tiles);
    EXPECT_EQ(out.points.real(r, "ok"), 1.0);
    EXPECT_TRUE(fs::exists(out.points.text(r, "run_file")));
  }
  // The CSV: a header and one line per point, a failed point's figures empty.
  std::ifstream csv(out.csv);
  std::string header, first, third;
  std::getline(csv, header);
  std::getline(csv, first);
  std::getline(csv, third);
  std::getline(csv, third);
  EXPECT_EQ(header, "task,param.tiles,mode,cycles,nested.list.1,ok,error,wall_s,run_file");
  EXPECT_EQ(first.substr(0, first.find(",one tile")), "0,1,a,,,");
  EXPECT_EQ(third.substr(0, 14), "2,2,a,20,2,1,,");
  // The HDF5 file is complete and holds the axes.
  const H5In h5(out.h5);
  EXPECT_EQ(h5.attrText("/", "format"), "xbarsim-sweep");
  EXPECT_EQ(h5.attrInt("/", "complete"), 1);
  EXPECT_EQ(h5.texts("/axes/key"), (std::vector<std::string>{"param.tiles", "mode"}));
  // A rerun finds every point done and writes the same table; another sweep under the same
  // name is refused.
  const auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string table = slurp(out.csv);
  const SweepOutcome again = runSweep(s, options(dir, 1));
  EXPECT_EQ(again.resumed, 6);
  EXPECT_EQ(slurp(again.csv), table);
  s.axes[0].values.push_back("4");
  EXPECT_THROW(runSweep(s, options(dir, 1)), ConfigError);
}

TEST(Sweep, AFigureTheOutputLacksStopsTheSweepNamingWhatItHas) {
  const std::string dir = (fs::temp_directory_path() / "xbarsim_sweep_figure").string();
  fs::remove_all(dir);
  SweepSpec s;
  s.source = "test";
  s.axes = {{"param.tiles", {"2"}}};
  s.figures = {"nested.cycles"};
  s.check();
  try {
    runSweep(s, options(dir, 1));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "figure 'nested.cycles': simulate's output has no 'cycles' in 'nested' (it "
                  "has: list.)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace xbarsim::validation
