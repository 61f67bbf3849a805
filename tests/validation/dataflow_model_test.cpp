// The per-layer dataflow counts of the analytical model (model/dataflow.h) against the
// simulator's own, event by event, on ResNet-18 input-stationary on isaac-like: every layer's
// ADC conversions, computation steps, cells written and weight bytes streamed agree exactly;
// the model's write time (every row in two full phases) bounds the simulated one.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <string>

#include "model/dataflow.h"
#include "sim/simulator.h"
#include "workloads/fused_view.h"

namespace xbarsim {
namespace {

TEST(DataflowModel, InputStationaryCountsMatchTheSimulator) {
  const Network net = loadNetwork("resnet-18");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const FusedView view(net, 128, 128);
  std::vector<PlanLayer> layers;
  for (const FusedLayer& f : view.layers()) {
    if (!f.staticWeights()) continue;
    PlanLayer l;
    l.name = f.name;
    l.vertex = f.vertex;
    l.set = f.set;
    l.r = f.name == "conv1" ? 4 : 1;  // conv1: 12,544 positions in 25 rounds of 512
    layers.push_back(l);
  }
  const Plan plan = withDataflow(net, arch, placeLayers(arch, layers, "all"), "is");
  const sim::SimResult r = sim::simulate(net, arch, plan, {});
  // Per block: its counters by name.
  std::map<std::string, std::map<std::string, double>> stats;
  for (const sim::StatRow& s : r.stats) stats[s.block][s.name] += s.value;
  const std::int64_t apus = arch.chip.tile.pe.apus, pes = arch.chip.tile.pes;
  for (const PlanLayer& l : plan.layers) {
    SCOPED_TRACE(l.name);
    ASSERT_EQ(l.dataflow, "is");
    const DataflowCounts m = dataflowCounts(net.layer(l.vertex), arch, "is", l.r);
    EXPECT_EQ(m.crossbars, l.crossbars());
    double conversions = 0;
    for (const std::int64_t a : l.apus) {
      const std::string block = "chip.tile" + std::to_string(a / (apus * pes)) + ".pe" +
                                std::to_string(a / apus % pes) + ".apu" + std::to_string(a % apus);
      ASSERT_TRUE(stats.count(block)) << block;
      conversions += stats[block]["adc_conversions"];
      EXPECT_EQ(stats[block]["computes"], static_cast<double>(m.steps)) << block;
    }
    EXPECT_EQ(conversions, static_cast<double>(m.adc_conversions));
    std::string engine_name = "layer_" + l.name;  // SystemC names: '_' for the rest
    for (char& c : engine_name)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    const std::string block = "chip." + engine_name;
    ASSERT_TRUE(stats.count(block)) << block;
    std::map<std::string, double>& engine = stats[block];
    EXPECT_EQ(engine["input_cells_written"], static_cast<double>(m.cells_written));
    EXPECT_EQ(engine["weight_bytes"], static_cast<double>(m.weight_bytes));
    EXPECT_GT(engine["input_write_cycles"], 0);
    EXPECT_LE(engine["input_write_cycles"], static_cast<double>(m.write_cycles));
  }
}

}  // namespace
}  // namespace xbarsim
