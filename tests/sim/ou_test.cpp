// Operation units in whole simulations (README, "Operation units"): an OU of the whole
// crossbar changes nothing, and OUs without a nonzero weight are never activated.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "plan/plan.h"
#include "sim/simulator.h"
#include "tests/sim/weights_file.h"
#include "workloads/network.h"

namespace xbarsim::sim {
namespace {

double statSum(const SimResult& r, const std::string& name) {
  double sum = 0;
  for (const StatRow& s : r.stats)
    if (s.name == name) sum += s.value;
  return sum;
}

std::string withOu(const std::string& base, int rows, int cols) {
  return "base: " + base +
         "\nname: ou\nchip: {tile: {pe: {apu: {ou: {rows: " + std::to_string(rows) +
         ", cols: " + std::to_string(cols) + "}}}}}\n";
}

// The same plan on isaac-like and on isaac-like with an explicit 128 x 128 OU: the same cycles,
// energy and conversions, with bandwidth modelled.
TEST(OperationUnits, AnOuOfTheWholeCrossbarChangesNothing) {
  const Network net = loadNetwork(std::string(XBARSIM_TEST_DATA_DIR) + "/workloads/small-co.yaml");
  const ArchSpec plain = loadArchSpec("isaac-like");
  const ArchSpec same = parseArchSpec(withOu("isaac-like", 128, 128), "same");
  std::vector<PlanLayer> layers;
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    if (l.weights == 0) continue;
    PlanLayer p;
    p.name = l.spec.name;
    p.vertex = v;
    p.r = 2;
    p.set = crossbarGrid(plain, l).block_rows * crossbarGrid(plain, l).block_cols;
    layers.push_back(p);
  }
  const SimResult a = simulate(net, plain, placeLayers(plain, layers, "all"), {});
  const SimResult b = simulate(net, same, placeLayers(same, layers, "all"), {});
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_NEAR(a.energy_j, b.energy_j, 1e-12 * a.energy_j);
  EXPECT_EQ(statSum(a, "adc_conversions"), statSum(b, "adc_conversions"));
  EXPECT_EQ(statSum(b, "ou_activations"), statSum(b, "reads"));
}

// An fc layer of 4 inputs and 4 outputs on tiny-2bit (one 4 x 4 logical crossbar of two
// 2-bit slices, 8 ADCs, 1-cycle stages, 4 reads not pipelined) with 2 x 2 OUs. Weights only in
// the top-left and bottom-right quadrants of the crossbar (rows are inputs, columns outputs):
// 2 of the 4 OUs are activated, 8 activations instead of 16, each 4 cycles.
TEST(OperationUnits, OusWithoutANonzeroWeightAreSkipped) {
  const Network net =
      parseNetwork("name: t\ninput: [4, 1, 1]\nlayers:\n  - {name: f, type: fc, out: 4}\n", "t");
  const ArchSpec arch = parseArchSpec(
      withOu(std::string(XBARSIM_TEST_DATA_DIR) + "/arch/tiny-2bit.yaml", 2, 2), "tiny-ou");
  PlanLayer f;
  f.name = "f";
  f.vertex = net.topoOrder()[0];
  const Plan plan = placeLayers(arch, {f}, "all");
  // PyTorch order [out][in]: w[o][i] sits in crossbar row i, column o.
  std::vector<double> quadrants(16, 0.0), dense(16, 0.0);
  for (int o = 0; o < 4; ++o)
    for (int i = 0; i < 4; ++i) {
      dense[static_cast<std::size_t>(o * 4 + i)] = 0.25 + 0.1 * (o + i);
      if ((o < 2) == (i < 2)) quadrants[static_cast<std::size_t>(o * 4 + i)] = 0.5;
    }
  const WeightsFile sparse_file("xbarsim_ou_sparse", {{"f", quadrants}});
  const WeightsFile dense_file("xbarsim_ou_dense", {{"f", dense}});
  SimOptions o;
  o.bandwidth = false;
  o.weights_path = sparse_file.path();
  const SimResult sparse = simulate(net, arch, plan, o);
  o.weights_path = dense_file.path();
  const SimResult full = simulate(net, arch, plan, o);
  EXPECT_EQ(statSum(sparse, "ou_activations"), 4 * 2);
  EXPECT_EQ(statSum(full, "ou_activations"), 4 * 4);
  // Each activation converts 2 columns of both slices.
  EXPECT_EQ(statSum(sparse, "adc_conversions"), 4 * 2 * 2 * 2);
  EXPECT_EQ(full.cycles - sparse.cycles, (16 - 8) * 4);
}

}  // namespace
}  // namespace xbarsim::sim
