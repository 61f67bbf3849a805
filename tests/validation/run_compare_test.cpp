// `xbarsim compare`'s pairing of two run files, on files written here with known values.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/error.h"
#include "io/h5_file.h"
#include "validation/run_compare.h"

namespace xbarsim::validation {
namespace {

struct FakeLayer {
  std::string name;
  double end, wait, energy;
};

std::string fakeRun(const std::string& name, double cycles, const std::vector<FakeLayer>& layers,
                    bool sequential) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("xbarsim_compare_" + name + ".h5")).string();
  H5Out f(path);
  f.attr("/", "format", std::string("xbarsim-run"));
  f.attr("/meta", "workload", std::string("net"));
  f.attr("/meta", "arch", std::string("chip"));
  f.attr("/meta", "allocator", name);
  f.attr("/sim", "mode", std::string(sequential ? "layer-sequential" : "pipelined"));
  f.attr("/sim/noc", "topology", std::string("mesh"));
  f.attr("/sim", "cycles", static_cast<std::int64_t>(cycles));
  f.attr("/sim", "energy_j", cycles * 1e-6);
  if (sequential) f.attr("/sim/sequential", "inferences_per_s", 50.0);
  f.column("/sim/energy/component", std::vector<std::string>{"adc", sequential ? "write" : "dac"});
  f.column("/sim/energy/joules", std::vector<double>{1.0, 2.0});
  std::vector<std::string> names;
  std::vector<double> end, wait, energy;
  for (const FakeLayer& l : layers) {
    names.push_back(l.name);
    end.push_back(l.end);
    wait.push_back(l.wait);
    energy.push_back(l.energy);
  }
  f.column("/sim/layers/name", names);
  f.column("/sim/layers/last_cycle", end);
  f.column("/sim/layers/input_wait_cycles", wait);
  f.column("/sim/layers/energy_j", energy);
  f.commit();
  return path;
}

TEST(Compare, PairsTotalsComponentsAndLayersByName) {
  const std::string a =
      fakeRun("a", 100, {{"input", 0, 0, 1}, {"conv", 90, 5, 2}, {"fc", 100, 7, 3}}, false);
  const std::string b =
      fakeRun("b", 80, {{"input", 0, 0, 1}, {"fc", 80, 1, 4}, {"pool", 70, 2, 5}}, true);
  const RunComparison c = compareRuns(a, b);
  EXPECT_EQ(c.a.allocator, "a");
  EXPECT_EQ(c.b.mode, "layer-sequential");
  EXPECT_EQ(c.a.topology, "mesh");
  ASSERT_EQ(c.totals.size(), 3u);  // cycles, energy_j, and the one only B has
  EXPECT_EQ(c.totals[0].name, "cycles");
  EXPECT_EQ(c.totals[0].a, 100);
  EXPECT_EQ(c.totals[0].b, 80);
  EXPECT_EQ(c.totals[1].name, "energy_j");
  EXPECT_EQ(c.totals[2].name, "sequential_inferences_per_s");
  EXPECT_TRUE(std::isnan(c.totals[2].a));
  EXPECT_EQ(c.totals[2].b, 50);
  ASSERT_EQ(c.energy.size(), 3u);  // adc, dac (A only), write (B only)
  EXPECT_EQ(c.energy[1].name, "dac");
  EXPECT_TRUE(std::isnan(c.energy[1].b));
  EXPECT_EQ(c.energy[2].name, "write");
  EXPECT_TRUE(std::isnan(c.energy[2].a));
  // A's layers in order, then B's that A lacks.
  ASSERT_EQ(c.layers.size(), 4u);
  EXPECT_EQ(c.layers[1].name, "conv");
  EXPECT_TRUE(std::isnan(c.layers[1].b_end));
  EXPECT_EQ(c.layers[2].name, "fc");
  EXPECT_EQ(c.layers[2].a_end, 100);
  EXPECT_EQ(c.layers[2].b_end, 80);
  EXPECT_EQ(c.layers[2].a_wait, 7);
  EXPECT_EQ(c.layers[2].b_energy, 4);
  EXPECT_EQ(c.layers[3].name, "pool");
  EXPECT_TRUE(std::isnan(c.layers[3].a_end));
  EXPECT_EQ(c.layers[3].b_end, 70);
}

TEST(Compare, RefusesAFileThatIsNotARun) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "xbarsim_compare_other.h5").string();
  {
    H5Out f(path);
    f.attr("/", "format", std::string("xbarsim-sweep"));
    f.commit();
  }
  const std::string a = fakeRun("ok", 1, {{"input", 0, 0, 0}}, false);
  try {
    compareRuns(a, path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": not an xbarsim run file"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace xbarsim::validation
