// Partial weight reuse (ARAS section V-C): the compensation identity, histogram shifts and
// clipping, eq. 3's skipping ratio and the choice of the centre, each against hand counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "alloc/weight_reuse.h"

namespace xbarsim {
namespace {

// A 256-input, 16-output fc on aras: two crossbar blocks of 128 rows, one of 128 columns.
struct FcLayer {
  ArchSpec arch = loadArchSpec("aras");
  Network net = parseNetwork(
      "name: t\ninput: [256, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 16}\n", "t.yaml");
  PlanLayer layer{"fc", 1, 1, 2, {}, {}, {}};

  // The layer's codes, [input][output], with `shift`.
  std::vector<std::vector<std::int64_t>> codes(const WeightSource& source, std::int64_t shift) {
    PlanLayer l = layer;
    l.weight_shift = shift;
    std::vector<std::vector<std::int64_t>> out(256, std::vector<std::int64_t>(16));
    for (std::int64_t br = 0; br < 2; ++br) {
      const std::vector<std::uint32_t> block = source.block(net, arch, l, br, 0);
      for (std::int64_t r = 0; r < 128; ++r)
        for (std::int64_t c = 0; c < 16; ++c)
          out[static_cast<std::size_t>(br * 128 + r)][static_cast<std::size_t>(c)] =
              block[static_cast<std::size_t>(r * 128 + c)];
    }
    return out;
  }
};

// Dot products with the shifted codes and the zero point moved by the shift (the
// de-quantisation compensation, eq. 6-7) equal the unshifted ones in every output whose
// weights none was clipped, and differ where one was.
TEST(WeightReuse, CompensationKeepsEveryDotProductButWhereWeightsWereClipped) {
  FcLayer fc;
  const WeightSource source(3);
  const auto plain = fc.codes(source, 0);
  // A shift that pushes the top code of about half the outputs past 255.
  std::vector<std::int64_t> top(16, 0);
  for (const auto& row : plain)
    for (std::size_t o = 0; o < 16; ++o) top[o] = std::max(top[o], row[o]);
  std::sort(top.begin(), top.end());
  const std::int64_t shift = 256 - top[8];
  const auto moved = fc.codes(source, shift);
  PlanLayer shifted = fc.layer;
  shifted.weight_shift = shift;
  const Quantisation q0 = source.quantisation(fc.net, fc.arch, fc.layer);
  const Quantisation q1 = source.quantisation(fc.net, fc.arch, shifted);
  EXPECT_EQ(q1.zero_point, q0.zero_point + shift);
  EXPECT_DOUBLE_EQ(q1.scale, q0.scale);

  std::mt19937_64 rng(9);
  std::uniform_int_distribution<int> activation(0, 255);
  std::vector<double> x(256);
  for (double& v : x) v = activation(rng);
  int kept = 0, changed = 0;
  for (std::size_t o = 0; o < 16; ++o) {
    double y = 0, y_shifted = 0;
    bool clipped = false;
    for (std::size_t k = 0; k < 256; ++k) {
      EXPECT_EQ(moved[k][o], std::min<std::int64_t>(plain[k][o] + shift, 255));
      clipped = clipped || plain[k][o] + shift > 255;
      y += q0.scale * static_cast<double>(plain[k][o] - q0.zero_point) * x[k];
      y_shifted += q1.scale * static_cast<double>(moved[k][o] - q1.zero_point) * x[k];
    }
    if (clipped) {
      EXPECT_LT(y_shifted, y) << "output " << o;  // a clipped weight lost value
      ++changed;
    } else {
      EXPECT_NEAR(y_shifted, y, 1e-9 * std::max(1.0, std::fabs(y))) << "output " << o;
      ++kept;
    }
  }
  EXPECT_GT(kept, 0);  // the case has both kinds
  EXPECT_GT(changed, 0);
}

TEST(WeightReuse, ShiftedHistogramsClipAtBothEnds) {
  // Codes 0..7 (3 bits), counts 1..8.
  const std::vector<double> h = {1, 2, 3, 4, 5, 6, 7, 8};
  double clipped = -1;
  EXPECT_EQ(shiftedHistogram(h, 2, &clipped), (std::vector<double>{0, 0, 1, 2, 3, 4, 5, 21}));
  EXPECT_EQ(clipped, 7 + 8);  // codes 6 and 7 went beyond 7
  EXPECT_EQ(shiftedHistogram(h, -3, &clipped), (std::vector<double>{10, 5, 6, 7, 8, 0, 0, 0}));
  EXPECT_EQ(clipped, 1 + 2 + 3);
  EXPECT_EQ(shiftedHistogram(h, 0, &clipped), h);
  EXPECT_EQ(clipped, 0);
}

// 4-bit codes in 2-bit cells. Before: every weight 5 = 01|01. After: half 5, half 6 = 01|10.
// Cell 0 (low): before always 1, after 1 or 2 half the time: S = 1 x 0.5 = 0.5; cell 1: both
// always 1: S = 1.
TEST(WeightReuse, SkippingRatioFollowsEq3) {
  std::vector<double> before(16, 0), after(16, 0);
  before[5] = 10;
  after[5] = 3;
  after[6] = 3;
  const std::vector<double> s = skippingRatios(before, after, 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[0], 0.5);
  EXPECT_DOUBLE_EQ(s[1], 1.0);
  // Uniform codes give 1/4 per 2-bit cell.
  const std::vector<double> flat(256, 1);
  for (const double v : skippingRatios(flat, flat, 2)) EXPECT_DOUBLE_EQ(v, 0.25);
}

// Layer 0 all at code 128 = 10|00|0000, layer 1 all at 100. Layer 1 moves to each centre:
// top cell (bits 7-6) of 88, 104, 96 is 01 (S4 = 0), of 160, 152, 168 is 10 (S4 = 1); cell 3
// (bits 5-4) of layer 0 is 00, of the centres 01, 10, 10, 10, 01, 10 (S3 = 0). Scores 0, 0, 0,
// 0.5, 0.5, 0.5, nothing clipped: the first of the best in the paper's order, 160, shift +60.
TEST(WeightReuse, ChoosesTheCentreWithTheHighestSkippingAndTheLeastClipping) {
  std::vector<double> a(256, 0), b(256, 0);
  a[128] = 1000;
  b[100] = 1000;
  const WeightReuse r = chooseWeightReuse({a, b}, 8, 2);
  EXPECT_EQ(r.center, 160);
  EXPECT_EQ(r.shift, (std::vector<std::int64_t>{0, 60}));
  EXPECT_EQ(r.clipping, (std::vector<double>{0, 0}));
  EXPECT_DOUBLE_EQ(r.score, 0.5);
  ASSERT_EQ(r.skip.size(), 2u);
  EXPECT_TRUE(r.skip[0].empty());                           // the first layer overwrites nothing
  EXPECT_EQ(r.skip[1], (std::vector<double>{1, 1, 0, 1}));  // 128 vs 160 = 10|10|0000
  // Layer 1 near the bottom (code 2, a tail at 0; mean 1.98): every shift is up, nothing
  // clips, and the choice is again the best score.
  std::vector<double> low(256, 0);
  low[0] = 10;
  low[2] = 990;
  const WeightReuse up = chooseWeightReuse({a, low}, 8, 2);
  for (const double c : up.clipping) EXPECT_EQ(c, 0);
  EXPECT_EQ(up.center, 160);
}

// Clipping decides first: a layer spread evenly over codes 0..255 (mean 127.5, rounded to 128)
// moves by -40 to 88 and +40 to 168 (40 of 256 codes clipped), -32 / +32 to 96 / 160, -24 / +24
// to 104 / 152: the least clipping is 104's and 152's (24 / 256 = 9.4 %); the better score of
// the two wins.
TEST(WeightReuse, TheLeastClippingCentresComeFirst) {
  std::vector<double> a(256, 0), flat(256, 1);
  a[128] = 256;
  const WeightReuse r = chooseWeightReuse({a, flat}, 8, 2);
  EXPECT_TRUE(r.center == 104 || r.center == 152) << r.center;
  EXPECT_NEAR(r.clipping[1], 24.0 / 256, 1e-12);
}

}  // namespace
}  // namespace xbarsim
