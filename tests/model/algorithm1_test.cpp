// Algorithm 1 and the step-time model on hand-computed cases, covering the choices made where
// the paper is silent (non-chain layers, eq. 12's tile counting).
#include "model/algorithm1.h"

#include <gtest/gtest.h>

#include "model/estimate.h"

namespace xbarsim {
namespace {

// a: 1x1 conv; b: 3x3 conv (pad 1) on a; add(b, a); c: 1x1 conv on the add. 4x4 maps, R = 1.
TEST(Algorithm1, ResidualJoinTakesTheMaxOverProducerSweeps) {
  std::vector<LayerSpec> l(4);
  l[0] = LayerSpec{};
  l[0].name = "a";
  l[0].type = LayerType::kConv;
  l[0].out = 1;
  l[1] = l[0];
  l[1].name = "b";
  l[1].kernel = 3;
  l[1].pad = 1;
  l[2].name = "sum";
  l[2].type = LayerType::kAdd;
  l[2].inputs = {"b", "a"};
  l[3] = l[0];
  l[3].name = "c";
  const Network net("residual", Shape{1, 4, 4}, l);
  const ArchSpec arch = loadArchSpec("isaac-like");
  const FusedView view(net, 128, 128);
  const Problem p(net, view, arch, LayerSelection::kAll, 10);
  EXPECT_FALSE(p.isChain());
  EXPECT_EQ(p[2].producers, (std::vector<int>{0, 1}));
  EXPECT_EQ(p[2].primary, 1);  // port 0 of the add: the main path
  const Alg1Result a = algorithm1(p, {1, 1, 1});
  // b needs a's 2x2 corner, 6 outputs in raster order: PreOp 5; Tail ceil(4 x 1 / 1) = 4.
  EXPECT_EQ(a.layers[1].pre_op, 5);
  EXPECT_EQ(a.layers[1].op, 21);  // max(16 + 5, 16 + 4)
  // c: through b, PreOp_b + 0 = 5; through a, 0. Op = max(16 + 5, max(16, 21) + 0).
  EXPECT_EQ(a.layers[2].pre_op, 5);
  EXPECT_EQ(a.layers[2].op, 21);
  EXPECT_EQ(a.steps, 21);
  EXPECT_EQ(exactSteps(p, {1, 1, 1}).steps, 21);
}

// Eq. 12 on VGG-A (isaac-like: 72 crossbars per tile, 128 GB/s buffer, 12.8 GB/s bus, 16-bit
// values, 100 ns cycles), layer 2 with R = 50 (set 5: 250 crossbars on 4 tiles, 12.5 sets each)
// fed by layer 1 with R = 200 (set 1: 200 crossbars on 3 tiles):
//   intra 12.5 x 9 x 64 x 2 B / 128 GB/s = 112.5 ns = 1.125 cycles
//   inter 4 x 3 x (200 / 3) x 64 x 2 B / 12.8 GB/s = 8 us = 80 cycles
TEST(StepTime, Equation12WithTilesCountedPerLayer) {
  const Network net = loadNetwork("vgg-a");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const FusedView view(net, 128, 128);
  const Problem p(net, view, arch, LayerSelection::kPaper, 2304);
  const StepTimeModel bw(p, true);
  const Allocation r{200, 50, 13, 13, 4, 4, 1, 1};
  EXPECT_NEAR(bw.accessCycles(1, 50, bw.producerTraffic(1, r.data())), 81.125, 1e-9);
  EXPECT_EQ(bw.layerStepCycles(1, 50, bw.producerTraffic(1, r.data())), 82);
  EXPECT_EQ(bw.computeCycles(), 21);
  const StepTime t = bw.evaluate(r);
  EXPECT_GE(t.step_cycles, 82);
  EXPECT_EQ(StepTimeModel(p, false).evaluate(r).step_cycles, 21);
  const Estimate e = estimate(p, r, {StepModel::kAlg1, true, 0});
  EXPECT_EQ(e.cycles, e.steps * e.step_cycles);
  EXPECT_DOUBLE_EQ(e.seconds, static_cast<double>(e.cycles) * 100e-9);
}

}  // namespace
}  // namespace xbarsim
