// The TPU-like systolic array model against hand counts.
#include <gtest/gtest.h>

#include "model/systolic.h"

namespace xbarsim {
namespace {

// tpu-like: 64 x 64, 1 GHz, 19.2 GB/s = 19.2 bytes a cycle, 8-bit data.
TEST(Systolic, FoldsAndCyclesFollowTheArray) {
  const SystolicSpec spec = loadSystolicSpec("tpu-like");
  ASSERT_EQ(spec.rows, 64);
  ASSERT_EQ(spec.cols, 64);
  // M = 1, K = 128, N = 64: 2 x 1 folds of 64 + 1 + 64 + 64 - 2 = 191 cycles.
  EXPECT_EQ(systolicGemmCycles(spec, 1, 128, 64), 382);
  // M = 3136, K = 576, N = 128: 9 x 2 folds of 64 + 3136 + 126 = 3326: 59,868.
  EXPECT_EQ(systolicGemmCycles(spec, 3136, 576, 128), 59868);
}

TEST(Systolic, ALayerTakesTheLongerOfComputeAndMemory) {
  const SystolicSpec spec = loadSystolicSpec("tpu-like");
  // fc 128 -> 64 on one vector: 382 compute cycles; its 8,192 weight bytes take
  // ceil(8192 / 19.2) = 427 cycles from main memory.
  const Network fc = parseNetwork(
      "name: t\ninput: [128, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 64}\n", "t.yaml");
  const SystolicResult r = runSystolic(fc, spec);
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].folds, 2);
  EXPECT_EQ(r.layers[0].compute_cycles, 382);
  EXPECT_EQ(r.layers[0].memory_bytes, 8192);
  EXPECT_EQ(r.layers[0].cycles, 427);
  EXPECT_DOUBLE_EQ(r.layers[0].macs, 8192);
  // A conv over a large map is compute-bound: 64 -> 128, 3x3, 56 x 56 (pad 1): M = 3136,
  // K = 576, N = 128: 59,868 cycles; 73,728 weight bytes = 3,840 cycles; the maps (200,704 +
  // 401,408 bytes) fit the 4.5 MB buffer.
  const Network conv = parseNetwork(
      "name: t\ninput: [64, 56, 56]\nlayers:\n  - {name: c, type: conv, out: 128, kernel: 3, pad: "
      "1}\n",
      "t.yaml");
  const SystolicResult c = runSystolic(conv, spec);
  EXPECT_EQ(c.layers[0].cycles, 59868);
  EXPECT_EQ(c.layers[0].memory_bytes, 73728);
  // Energy: MACs at 0.23 pJ; buffer: 18 folds x (4096 + 3136 x 64 + 3136 x 64 x 2) bytes
  // at 8.7 pJ; memory 73,728 bytes at 20 pJ; static 1.44 W over 59,868 ns.
  const double macs = 3136.0 * 576 * 128;
  const double buffer = 18 * (4096 + 3136.0 * 64 + 3136.0 * 64 * 2);
  EXPECT_NEAR(c.energy_mac_j, macs * 0.23e-12, 1e-15);
  EXPECT_NEAR(c.energy_buffer_j, buffer * 8.7e-12, 1e-14);
  EXPECT_NEAR(c.energy_memory_j, 73728 * 20e-12, 1e-15);
  EXPECT_NEAR(c.energy_static_j, 1.44 * 59868e-9, 1e-15);
}

// A depthwise conv is one product per channel; a max pool runs on the vector lanes.
TEST(Systolic, DepthwiseAndPools) {
  const SystolicSpec spec = loadSystolicSpec("tpu-like");
  const Network net = parseNetwork(
      "name: t\ninput: [32, 8, 8]\nlayers:\n"
      "  - {name: dw, type: dwconv, kernel: 3, pad: 1}\n"
      "  - {name: p, type: maxpool, kernel: 2}\n",
      "t.yaml");
  const SystolicResult r = runSystolic(net, spec);
  // dw: 32 products of M = 64, K = 9, N = 1: one fold each of 64 + 64 + 64 + 64 - 2 = 254.
  EXPECT_EQ(r.layers[0].products, 32);
  EXPECT_EQ(r.layers[0].folds, 32);
  EXPECT_EQ(r.layers[0].compute_cycles, 32 * 254);
  // pool: 32 x 4 x 4 outputs x 4 window elements / 64 lanes = 32 cycles.
  EXPECT_EQ(r.layers[1].unit, "vector");
  EXPECT_EQ(r.layers[1].cycles, 32);
}

}  // namespace
}  // namespace xbarsim
