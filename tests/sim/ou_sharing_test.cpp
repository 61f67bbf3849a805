// OU-level weight sharing and OU pruning (weights/ou_sharing.h): the index table on a matrix with
// known duplicates, and the shared blocks rebuilding every layer exactly or within tolerance.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "plan/plan.h"
#include "plan/schedule.h"
#include "tests/sim/weights_file.h"
#include "weights/ou_sharing.h"
#include "workloads/network.h"

namespace xbarsim::sim {
namespace {

ArchSpec withOu(const std::string& base, int rows, int cols) {
  return parseArchSpec("base: " + base + "\nname: ou\nchip: {tile: {pe: {apu: {ou: {rows: " +
                           std::to_string(rows) + ", cols: " + std::to_string(cols) + "}}}}}\n",
                       "ou");
}

PlanLayer planned(const Network& net, const ArchSpec& arch, const std::string& name) {
  PlanLayer p;
  p.name = name;
  p.vertex = net.find(name);
  const CrossbarGrid g = crossbarGrid(arch, net.layer(p.vertex));
  p.set = g.block_rows * g.block_cols;
  return p;
}

// A 4 x 4 fc on tiny-2bit (4-bit weights in two 2-bit slices) with 2 x 2 OUs. Its crossbar's
// quadrants (rows = inputs, columns = outputs) hold A, A / B, A: codes (scale 0.1, zero point 8)
// A = 9 10 / 11 4 and B = 15 1 / 13 14.
TEST(OuSharing, TheIndexTableOfAMatrixWithKnownDuplicates) {
  const Network net =
      parseNetwork("name: t\ninput: [4, 1, 1]\nlayers:\n  - {name: f, type: fc, out: 4}\n", "t");
  const ArchSpec arch = withOu(std::string(XBARSIM_TEST_DATA_DIR) + "/arch/tiny-2bit.yaml", 2, 2);
  const double a[2][2] = {{0.1, 0.2}, {0.3, -0.4}}, b[2][2] = {{0.7, -0.7}, {0.5, 0.6}};
  std::vector<double> w(16);
  for (int i = 0; i < 4; ++i)    // crossbar row: input
    for (int o = 0; o < 4; ++o)  // crossbar column: output
      w[static_cast<std::size_t>(o * 4 + i)] =
          (i >= 2 && o < 2) ? b[i % 2][o % 2] : a[i % 2][o % 2];
  const WeightsFile file("xbarsim_ou_sharing", {{"f", w}});
  const WeightSource weights(file.path(), 1);
  const PlanLayer f = planned(net, arch, "f");
  OuSharingOptions on;
  on.share = true;
  const SharedLayer s = shareOus(weights, net, arch, f, on);
  // A's and B's slices differ, so each slice keeps two OUs: four physical OUs.
  EXPECT_EQ(s.physical.size(), 4u);
  EXPECT_EQ(s.logicalBlocks(), 4 * 2);
  // 8 entries of 2 bits (4 physical OUs) + 1 bit (2 output groups).
  EXPECT_EQ(s.indexBits(), 8 * 3);
  // Row group 0 (A, A) activates one OU, row group 1 (B, A) two; in row group 0 the adders add
  // the shared OU's 2 column results of each slice into the second output group.
  EXPECT_EQ(s.activations, 3);
  EXPECT_EQ(s.scatter_adds, 2 * 2);
  EXPECT_EQ(s.crossbars, 1);
  // 16 weights x 2 cells x 2 bits over 4 OUs x 4 cells x 2 bits + 24.
  EXPECT_DOUBLE_EQ(s.compression(2), 64.0 / 56.0);
  // Without sharing: every block its own, no index table, the set as it was.
  const SharedLayer plain = shareOus(weights, net, arch, f, {});
  EXPECT_EQ(plain.physical.size(), 8u);
  EXPECT_EQ(plain.indexBits(), 0);
  EXPECT_EQ(plain.activations, 4);
  EXPECT_EQ(plain.scatter_adds, 0);
  EXPECT_EQ(plain.crossbars, 1);
  EXPECT_DOUBLE_EQ(plain.compression(2), 1.0);
  // The rebuilt levels are the codes' slices.
  const int codes[4][4] = {{9, 10, 9, 10}, {11, 4, 11, 4}, {15, 1, 9, 10}, {13, 14, 11, 4}};
  for (int slice = 0; slice < 2; ++slice) {
    const std::vector<std::uint8_t> levels = rebuildLevels(s, arch, 0, slice);
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c)
        EXPECT_EQ(levels[static_cast<std::size_t>(r * 4 + c)], (codes[r][c] >> (2 * slice)) & 3)
            << r << "," << c;
  }
}

// Synthetic weights of three convolutions on aras (8-bit weights in four 2-bit slices, 128 x 128
// crossbars) with 16 x 16 OUs: identical sharing rebuilds every cell of every active OU exactly,
// similar sharing within its tolerance; pruning drops the weakest OUs.
TEST(OuSharing, SharedBlocksRebuildEveryLayer) {
  const Network net =
      loadNetwork(std::string(XBARSIM_TEST_DATA_DIR) + "/workloads/three-convs.yaml");
  const ArchSpec arch = withOu("aras", 16, 16);
  const WeightSource weights(7);
  const std::int64_t ous = 8 * 8;
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    if (l.weights == 0) continue;
    SCOPED_TRACE(l.spec.name);
    const PlanLayer p = planned(net, arch, l.spec.name);
    const LayerShape shape = weights.shape(net, arch, p);
    const auto zero = static_cast<std::uint32_t>(weights.quantisation(net, arch, p).zero_point);
    for (const int tolerance : {0, 1}) {
      OuSharingOptions o;
      o.share = true;
      o.tolerance = tolerance;
      const SharedLayer s = shareOus(weights, net, arch, p, o);
      EXPECT_LE(s.physical.size(), static_cast<std::size_t>(s.logicalBlocks()));
      for (std::int64_t br = 0; br < shape.block_rows; ++br)
        for (std::int64_t bc = 0; bc < shape.block_cols; ++bc) {
          const std::int64_t b = br * shape.block_cols + bc;
          const std::vector<std::uint32_t> codes = weights.block(net, arch, p, br, bc);
          // Which OUs hold a nonzero weight, from the codes.
          std::vector<bool> active(static_cast<std::size_t>(ous), false);
          for (std::int64_t k = 0; k < 128 * 128; ++k) {
            const std::uint32_t q = codes[static_cast<std::size_t>(k)];
            if (q != 0 && q != zero)
              active[static_cast<std::size_t>(k / 128 / 16 * 8 + k % 128 / 16)] = true;
          }
          for (int slice = 0; slice < 4; ++slice) {
            const std::vector<std::uint8_t> levels = rebuildLevels(s, arch, b, slice);
            int worst = 0;
            for (std::int64_t k = 0; k < 128 * 128; ++k) {
              if (!active[static_cast<std::size_t>(k / 128 / 16 * 8 + k % 128 / 16)]) continue;
              const int want =
                  static_cast<int>((codes[static_cast<std::size_t>(k)] >> (2 * slice)) & 3);
              worst = std::max(worst, std::abs(want - levels[static_cast<std::size_t>(k)]));
            }
            EXPECT_LE(worst, tolerance);
          }
        }
    }
    // Pruning half the OUs leaves the stronger half, and never more activations.
    OuSharingOptions half, share;
    half.share = share.share = true;
    half.prune = 0.5;
    const SharedLayer pruned = shareOus(weights, net, arch, p, half);
    const SharedLayer whole = shareOus(weights, net, arch, p, share);
    EXPECT_EQ(pruned.active, whole.active - pruned.pruned);
    EXPECT_EQ(pruned.pruned, std::llround(0.5 * static_cast<double>(whole.active)));
    EXPECT_LE(pruned.activations, whole.activations);
    EXPECT_GT(pruned.compression(2), whole.compression(2));
  }
}

}  // namespace
}  // namespace xbarsim::sim
