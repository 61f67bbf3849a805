// The per-layer dataflow counts (model/dataflow.h) against hand counts on the tiny arch of
// tests/data/arch/tiny-2bit.yaml (4 x 4 crossbars of 2-bit cells, 4-bit values: 2 physical
// crossbars a logical one, 4 reads a vector, a 16-cycle stage, a level step one 100 ns pulse).
#include "model/dataflow.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "model/exact_steps.h"
#include "tests/model/random_network.h"
#include "weights/activation_source.h"

namespace xbarsim {
namespace {

// A 2x2 conv, stride 2, over 2 channels of 8 x 4: P = 8 positions, K = 8, Co = 3; then a
// depthwise conv. As the fused view of 4 x 4 crossbars sees them.
FusedLayer fused(const Network& net, std::size_t i) {
  return FusedView(net, 4, 4).layers().at(i);
}
FusedLayer conv(const Network& net) {
  return fused(net, 0);
}

Network oneConv() {
  return parseNetwork(
      "name: t\ninput: [2, 8, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 3, kernel: 2, stride: 2}\n"
      "  - {name: d, type: dwconv, kernel: 3, pad: 1}\n",
      "t.yaml");
}

ArchSpec tiny() {
  return loadArchSpec(std::string(XBARSIM_TEST_DATA_DIR) + "/arch/tiny-2bit.yaml");
}

TEST(DataflowCounts, WeightStationaryByHand) {
  const Network net = oneConv();
  // R = 2: a set of ceil(8/4) x ceil(3/4) = 2 crossbars, 4 of them; ceil(8/2) = 4 groups;
  // conversions 4 groups x 4 crossbars x 2 slices x 4 columns x 4 reads.
  const DataflowCounts c = dataflowCounts(conv(net), tiny(), "ws", 2);
  EXPECT_EQ(c.crossbars, 4);
  EXPECT_EQ(c.rounds, 4);
  EXPECT_EQ(c.steps, 4);
  EXPECT_EQ(c.adc_conversions, 4 * 4 * 2 * 4 * 4);
  EXPECT_EQ(c.cells_written, 0);
  EXPECT_EQ(c.input_bytes, 8 * 8);  // 4-bit values take a byte each
  EXPECT_EQ(c.output_bytes, 8 * 3);
  EXPECT_EQ(c.cycles, 4 * 16);
}

TEST(DataflowCounts, InputStationaryByHand) {
  const Network net = oneConv();
  // R = 1: 2 crossbars (one column group of 2 block rows), 4 positions a round, 2 rounds of
  // 3 steps; every round writes 8 rows x 2 slices x 4 columns; a round's write is 4 rows of
  // its fullest crossbar x 2 phases x 3 levels; the weights (3 x 8) stream every round.
  DataflowCounts c = dataflowCounts(conv(net), tiny(), "is", 1);
  EXPECT_EQ(c.crossbars, 2);
  EXPECT_EQ(c.rounds, 2);
  EXPECT_EQ(c.steps, 6);
  EXPECT_EQ(c.adc_conversions, 6 * 2 * 2 * 4 * 4);
  EXPECT_EQ(c.cells_written, 2 * 8 * 2 * 4);
  EXPECT_EQ(c.weight_bytes, 2 * 3 * 8);
  EXPECT_EQ(c.write_cycles, 2 * 4 * 2 * 3);
  EXPECT_EQ(c.cycles, 48 + 6 * 16);
  // R = 2: one round of all 8 positions on 4 crossbars.
  c = dataflowCounts(conv(net), tiny(), "is", 2);
  EXPECT_EQ(c.crossbars, 4);
  EXPECT_EQ(c.rounds, 1);
  EXPECT_EQ(c.steps, 3);
  EXPECT_EQ(c.cells_written, 2 * 8 * 2 * 4);
  EXPECT_EQ(c.cycles, 24 + 3 * 16);
}

TEST(DataflowCounts, Refusals) {
  const Network net = oneConv();
  const FusedLayer dw = fused(net, 1);
  EXPECT_THROW(dataflowCounts(dw, tiny(), "is", 1), ConfigError);
  EXPECT_NO_THROW(dataflowCounts(dw, tiny(), "ws", 1));
  EXPECT_THROW(dataflowCounts(conv(net), tiny(), "os", 1), ConfigError);
  EXPECT_THROW(dataflowCounts(FusedLayer{}, tiny(), "ws", 1), ConfigError);  // no weights
}

// The timeline on the tiny arch, by hand. The input-stationary conv alone, R = 1: two rounds
// of (24 write + 3 x 16) = 72 cycles. Then a weight-stationary 1x1 conv (R = 1) behind it:
// its positions 0-3 need the first round (ends at 72): 72-136; positions 4-7 need the second
// (ends at 144): 144-208.
TEST(DataflowTimeline, RoundsHandTheirPositionsOnByHand) {
  const Network net = parseNetwork(
      "name: t\ninput: [2, 8, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 3, kernel: 2, stride: 2}\n"
      "  - {name: d, type: conv, out: 2, kernel: 1}\n",
      "t.yaml");
  const ArchSpec arch = tiny();
  const FusedView view(net, 4, 4);
  const Problem p(net, view, arch, LayerSelection::kAll, 100);
  ASSERT_EQ(p.size(), 2u);
  const DataflowTimeline t = dataflowTimeline(p, {{"is", 1}, {"ws", 1}});
  ASSERT_EQ(t.spans.size(), 2u);
  EXPECT_EQ(t.spans[0], std::make_pair(std::int64_t{0}, std::int64_t{144}));
  EXPECT_EQ(t.spans[1], std::make_pair(std::int64_t{72}, std::int64_t{208}));
  EXPECT_EQ(t.cycles, 208);
  // Both weight-stationary, R = 2 and 1: c's groups end at 16, 32, 48, 64; d's position q
  // needs c's group q / 2: 16-32, 32-48, 48-64, 64-80, then one a stage: 144.
  const DataflowTimeline w = dataflowTimeline(p, {{"ws", 2}, {"ws", 1}});
  EXPECT_EQ(w.spans[1], std::make_pair(std::int64_t{16}, std::int64_t{144}));
  EXPECT_THROW(dataflowTimeline(p, {{"ws", 1}}), ConfigError);
}

// With every layer weight-stationary the timeline is the exact step model at lag 1 (a consumer
// computes in the step after the one that produced its inputs) times the stage: two
// implementations, on random networks and allocations.
TEST(DataflowTimeline, WeightStationaryIsTheExactStepModelAtLagOne) {
  std::mt19937_64 rng(7);
  const ArchSpec arch = loadArchSpec("isaac-like");
  int cases = 0;
  for (int n = 0; n < 60; ++n) {
    const Network net = testing::randomNetwork(rng, 1 + n % 6);
    const FusedView view(net, 128, 128);
    std::unique_ptr<Problem> p;
    try {
      p = std::make_unique<Problem>(net, view, arch, LayerSelection::kAll, 1 << 20);
    } catch (const WorkloadError&) {
      continue;
    }
    Allocation r;
    std::vector<LayerChoice> choice;
    for (const ProblemLayer& l : p->layers()) {
      r.push_back(std::uniform_int_distribution<std::int64_t>(1, l.max_r)(rng));
      choice.push_back({"ws", r.back()});
    }
    EXPECT_EQ(dataflowTimeline(*p, choice).cycles,
              exactSteps(*p, r, 1).steps * arch.computeStageCycles());
    ++cases;
  }
  EXPECT_GT(cases, 30);
}

// The activation law's probabilities against the seeded source's samples, and the expected
// level steps between two codes' slices against pairs of samples.
TEST(DataflowEnergy, TheActivationLawMatchesItsSamples) {
  const std::vector<double> p = activationCodeProbabilities(8);
  ASSERT_EQ(p.size(), 256u);
  double total = 0, mean = 0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    total += p[k];
    mean += static_cast<double>(k) * p[k];
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(p[0], 0.5);
  const ActivationSource source(3);
  const int n = 200000;
  double zeros = 0, sampled_mean = 0, steps = 0;
  for (int i = 0; i < n; ++i) {
    const std::uint32_t a = source.code(1, i, 0, 0, 8), b = source.code(2, i, 0, 0, 8);
    zeros += a == 0;
    sampled_mean += a;
    for (int s = 0; s < 4; ++s)
      steps += std::abs(static_cast<int>(a >> (2 * s) & 3) - static_cast<int>(b >> (2 * s) & 3));
  }
  EXPECT_NEAR(zeros / n, 0.5, 0.005);
  EXPECT_NEAR(sampled_mean / n, mean, 0.02 * mean);
  EXPECT_NEAR(steps / (4.0 * n), expectedInputLevelSteps(8, 2, false), 0.01);
  double fresh = 0;  // from level 0: the mean level of a slice
  for (std::size_t k = 0; k < p.size(); ++k)
    for (int s = 0; s < 4; ++s) fresh += p[k] * static_cast<double>(k >> (2 * s) & 3) / 4;
  EXPECT_NEAR(expectedInputLevelSteps(8, 2, true), fresh, 1e-12);
}

}  // namespace
}  // namespace xbarsim
