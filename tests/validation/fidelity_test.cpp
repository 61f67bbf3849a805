// The two independent implementations of the pipeline's timing agree: the simulator with ideal
// data movement against the exact step model at lag 1, layer by layer, with every layer
// allocated (pools, residual joins, concats, depthwise and fc layers); and the run file that
// holds both side by side.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <filesystem>
#include <memory>

#include "alloc/allocator.h"
#include "model/exact_steps.h"
#include "validation/fidelity.h"
#include "validation/run_file.h"

namespace xbarsim::validation {
namespace {

TEST(Fidelity, SimulatedStepsEqualTheExactModelAtLagOne) {
  for (const char* workload : {"lenet", "vgg-8", "resnet-18", "mobilenet-v1"}) {
    const FidelityCase c = checkFidelity(workload, LayerSelection::kAll, 2, 11, nullptr);
    EXPECT_EQ(c.allocations, 3);
    EXPECT_EQ(c.mismatches, 0) << workload;
    for (const FidelityLayer& l : c.per_layer)
      EXPECT_EQ(l.mismatches, 0) << workload << " " << l.name;
  }
}

// Giving the DP (Algorithm 1 with eq. 12) more tiles never makes its simulated inference slower
// on the per-layer channels or the mesh: small networks, every layer allocated, 1 to 32 tiles.
TEST(MoreTiles, NeverSlowTheDpDownOnChannelsOrAMesh) {
  for (const char* topology : {"per-layer", "mesh"})
    for (const char* workload : {"lenet", "vgg-8"}) {
      const Network net = loadNetwork(workload);
      std::int64_t previous = -1;
      for (const std::int64_t tiles : {1, 2, 4, 8, 16, 24, 32}) {
        ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", tiles}});
        arch.chip.noc.topology = topology;
        const FusedView view(net, 128, 128);
        std::unique_ptr<Problem> p;
        try {
          p = std::make_unique<Problem>(net, view, arch, LayerSelection::kAll,
                                        arch.logicalCrossbars());
        } catch (const ConfigError&) {
          continue;  // the network does not fit yet
        }
        const Allocation r = makeAllocator("dp")->allocate(*p, {}).r;
        const std::int64_t cycles = simulateAllocation(*p, r, {}).cycles;
        if (previous > 0) {
          EXPECT_LE(cycles, previous)
              << workload << " on " << topology << ", " << tiles << " tiles";
        }
        previous = cycles;
      }
      EXPECT_GT(previous, 0) << workload << " never fit";
    }
}

TEST(RunFile, IsWrittenCompleteWithUnitsAndTheResolvedArch) {
  const Network net = loadNetwork("lenet");
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", 3}});
  const FusedView view(net, 128, 128);
  const Problem p(net, view, arch, LayerSelection::kAll, arch.logicalCrossbars());
  const Allocation r = makeAllocator("dp")->allocate(p, {}).r;
  const Plan plan = makePlan(p, r);
  sim::SimOptions o;
  o.trace = true;
  const sim::SimResult s = simulateAllocation(p, r, o);
  const Estimate est = estimate(p, r, {});
  const ExactResult lag1 = exactSteps(p, r, kSimulatorLag);
  const auto path = std::filesystem::temp_directory_path() / "xbarsim_run_test.h5";
  RunRecord rec{&p, &net, &plan, &est, &lag1, &s, "dp", "test", "0", 1};
  writeRunFile(path.string(), rec);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  H5::H5File f(path.string(), H5F_ACC_RDONLY);
  const H5::DataSet ds = f.openDataSet("/sim/groups/start_cycle");
  const auto groups = ds.getSpace().getSimpleExtentNpoints();
  EXPECT_EQ(groups, static_cast<hssize_t>(s.groups.size()));
  std::vector<std::int64_t> starts(static_cast<std::size_t>(groups));
  ds.read(starts.data(), H5::PredType::NATIVE_INT64);
  for (std::size_t g = 0; g < starts.size(); ++g) EXPECT_EQ(starts[g], s.groups[g].start);
  std::string units;
  const H5::Attribute a = ds.openAttribute("units");
  a.read(a.getStrType(), units);
  EXPECT_EQ(units, "cycles");
  // The arch as it was used: --param tiles=3 substituted.
  std::string yaml;
  const H5::DataSet arch_yaml = f.openDataSet("/meta/arch_yaml");
  arch_yaml.read(yaml, arch_yaml.getStrType());
  EXPECT_NE(yaml.find("tiles: 3"), std::string::npos);
  EXPECT_EQ(yaml.find("${tiles}"), std::string::npos);
  EXPECT_EQ(parseArchSpec(yaml, "embedded").chip.tiles, 3);
  // Fully resolved: no params block left, and it loads back to the same spec and network.
  const H5::DataSet arch_resolved = f.openDataSet("/meta/arch_resolved_yaml");
  arch_resolved.read(yaml, arch_resolved.getStrType());
  EXPECT_EQ(yaml.find("params"), std::string::npos);
  EXPECT_EQ(parseArchSpec(yaml, "embedded").resolved_yaml, yaml);
  const H5::DataSet net_resolved = f.openDataSet("/meta/workload_resolved_yaml");
  net_resolved.read(yaml, net_resolved.getStrType());
  EXPECT_EQ(parseNetwork(yaml, "embedded").totalMacs(), loadNetwork("lenet").totalMacs());
  EXPECT_TRUE(f.nameExists("/trace"));
  EXPECT_TRUE(f.nameExists("/estimate"));
  EXPECT_TRUE(f.nameExists("/sim/layers/energy_j"));
  EXPECT_TRUE(f.nameExists("/sim/stats/unit"));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace xbarsim::validation
