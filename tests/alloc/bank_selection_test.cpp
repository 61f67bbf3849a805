// ARAS's bank selection (alloc/bank_selection.h) against an independent exhaustive search.
#include "alloc/bank_selection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <set>

#include "io/error.h"

namespace xbarsim {
namespace {

constexpr double kKiB = 1024;
constexpr double kMiB = 1024 * kKiB;

GlobalBufferSpec bufferOf(const std::vector<double>& sizes, const std::vector<double>& powers) {
  GlobalBufferSpec spec;
  for (std::size_t b = 0; b < sizes.size(); ++b) spec.banks.push_back({sizes[b], powers[b]});
  return spec;
}

// Static power proportional to size: 10 uW per KiB for every bank here.
GlobalBufferSpec proportional(const std::vector<double>& sizes) {
  std::vector<double> powers;
  for (const double s : sizes) powers.push_back(s / kKiB * 10e-6);
  return bufferOf(sizes, powers);
}

// The heterogeneous buffer of ARAS section VI: 2x1KiB, 2KiB, 4KiB, 64KiB ... 2MiB.
GlobalBufferSpec arasHeterogeneous() {
  return proportional({1 * kKiB, 1 * kKiB, 2 * kKiB, 4 * kKiB, 64 * kKiB, 128 * kKiB, 256 * kKiB,
                       512 * kKiB, 1 * kMiB, 2 * kMiB});
}

// ARAS's baseline: 15 banks of 256 KiB.
GlobalBufferSpec arasHomogeneous() {
  return proportional(std::vector<double>(15, 256 * kKiB));
}

struct Best {
  double power = 0;
  double capacity = 0;  // least selected capacity among the selections of least power
};

// Every one of the 3^n ways to give each bank no role, inputs or outputs; written without
// the library so the two cannot share a mistake.
std::optional<Best> exhaustive(const GlobalBufferSpec& spec, double need_in, double need_out) {
  const std::size_t n = spec.banks.size();
  std::size_t count = 1;
  for (std::size_t i = 0; i < n; ++i) count *= 3;
  std::optional<Best> best;
  std::vector<Best> feasible;
  for (std::size_t code = 0; code < count; ++code) {
    double in = 0, out = 0, power = 0, cap = 0;
    std::size_t c = code;
    for (std::size_t b = 0; b < n; ++b, c /= 3) {
      const BankSpec& bank = spec.banks[b];
      if (c % 3 == 0) continue;
      (c % 3 == 1 ? in : out) += bank.size_bytes;
      power += bank.static_power_w;
      cap += bank.size_bytes;
    }
    if (in >= need_in && out >= need_out) feasible.push_back({power, cap});
  }
  for (const Best& f : feasible)
    if (!best || f.power < best->power) best = Best{f.power, 0};
  if (!best) return best;
  best->capacity = -1;
  for (const Best& f : feasible)
    if (std::abs(f.power - best->power) <= 1e-12 * best->power &&
        (best->capacity < 0 || f.capacity < best->capacity))
      best->capacity = f.capacity;
  return best;
}

double sizeOf(const GlobalBufferSpec& spec, const std::vector<int>& banks) {
  double s = 0;
  for (const int b : banks) s += spec.banks[b].size_bytes;
  return s;
}

// Ascending, in range, inputs and outputs disjoint, each side holding its share.
void expectValid(const GlobalBufferSpec& spec, const BankChoice& c, double in, double out) {
  const int n = static_cast<int>(spec.banks.size());
  std::set<int> seen;
  double power = 0;
  for (const std::vector<int>* side : {&c.input_banks, &c.output_banks})
    for (std::size_t i = 0; i < side->size(); ++i) {
      const int b = (*side)[i];
      ASSERT_GE(b, 0);
      ASSERT_LT(b, n);
      if (i > 0) {
        EXPECT_LT((*side)[i - 1], b) << "not ascending";
      }
      EXPECT_TRUE(seen.insert(b).second) << "bank " << b << " holds inputs and outputs";
      power += spec.banks[b].static_power_w;
    }
  EXPECT_GE(sizeOf(spec, c.input_banks), std::ceil(in / c.parts));
  EXPECT_GE(sizeOf(spec, c.output_banks), std::ceil(out / c.parts));
  EXPECT_TRUE(in > 0 || c.input_banks.empty());
  EXPECT_TRUE(out > 0 || c.output_banks.empty());
  EXPECT_NEAR(c.static_power_w, power, 1e-12 * power);
}

TEST(BankSelection, RandomCasesMatchExhaustiveSearch) {
  std::mt19937_64 rng(20240611);
  int split = 0;
  for (int t = 0; t < 200; ++t) {
    SCOPED_TRACE("case " + std::to_string(t));
    const int n = std::uniform_int_distribution<int>(1, 8)(rng);
    // Sizes: powers of two in KiB (ARAS-like), small byte counts, or large byte counts (gcd 1,
    // millions of units: GLPK's tolerances at their tightest). Powers: a few microwatt levels,
    // zero included (equal powers, many ties), proportional to size (ARAS), or continuous.
    const int size_kind = static_cast<int>(rng() % 3);
    const int power_kind = static_cast<int>(rng() % 3);
    std::vector<double> sizes, powers;
    double total = 0;
    for (int b = 0; b < n; ++b) {
      if (size_kind == 0)
        sizes.push_back(kKiB * std::ldexp(1.0, std::uniform_int_distribution<int>(0, 8)(rng)));
      else
        sizes.push_back(
            std::uniform_int_distribution<int>(1, size_kind == 1 ? 5000 : 4000000)(rng));
      if (power_kind == 0)
        powers.push_back(std::uniform_int_distribution<int>(0, 4)(rng) * 1e-6);
      else if (power_kind == 1)
        powers.push_back(sizes.back() / kKiB * 10e-6);
      else
        powers.push_back(std::uniform_real_distribution<double>(1e-7, 1e-3)(rng));
      total += sizes.back();
    }
    const GlobalBufferSpec spec = bufferOf(sizes, powers);
    std::uniform_real_distribution<double> share(0.0, 0.8);
    // One side sometimes empty; some demands beyond the buffer, so that parts > 1 comes up.
    double in = rng() % 8 == 0 ? 0 : std::floor(share(rng) * total);
    double out = rng() % 8 == 0 ? 0 : std::floor(share(rng) * total);
    if (rng() % 4 == 0) in += 0.5;  // a fraction of a byte counts as a whole byte

    // With enough parts each side needs one byte; a lone bank cannot serve two sides.
    if (!exhaustive(spec, in > 0 ? 1 : 0, out > 0 ? 1 : 0)) {
      EXPECT_THROW(selectLayerBanks(spec, in, out), ConfigError);
      continue;
    }
    const BankChoice got = selectLayerBanks(spec, in, out);
    expectValid(spec, got, in, out);
    ASSERT_GE(got.parts, 1);
    // Least parts: no smaller count fits.
    for (int k = 1; k < got.parts; ++k)
      EXPECT_FALSE(exhaustive(spec, std::ceil(in / k), std::ceil(out / k))) << k << " parts fit";
    const std::optional<Best> want =
        exhaustive(spec, std::ceil(in / got.parts), std::ceil(out / got.parts));
    ASSERT_TRUE(want);
    EXPECT_NEAR(got.static_power_w, want->power, 1e-12 * want->power);
    EXPECT_EQ(sizeOf(spec, got.input_banks) + sizeOf(spec, got.output_banks), want->capacity)
        << "not the least capacity among the least-power selections";
    if (got.parts > 1) ++split;
  }
  EXPECT_GT(split, 0) << "no random case needed parts > 1";
}

TEST(BankSelection, ArasHeterogeneousBanks) {
  // in 100 KiB, out 50 KiB. Power is proportional to size, so least power = least capacity.
  // The banks below 128 KiB total 1+1+2+4+64 = 72 KiB < 100 KiB, so the inputs need a bank of
  // at least 128 KiB; the banks below 64 KiB total 8 KiB < 50 KiB, so the outputs need one of
  // at least 64 KiB, and a different one. Hence at least 128 + 64 = 192 KiB, reached by inputs
  // in the 128 KiB bank (index 5) and outputs in the 64 KiB bank (index 4): 1.92 mW.
  const GlobalBufferSpec spec = arasHeterogeneous();
  const BankChoice c = selectLayerBanks(spec, 100 * kKiB, 50 * kKiB);
  EXPECT_EQ(c.input_banks, std::vector<int>{5});
  EXPECT_EQ(c.output_banks, std::vector<int>{4});
  EXPECT_NEAR(c.static_power_w, 192 * 10e-6, 1e-15);
  EXPECT_EQ(c.parts, 1);
}

TEST(BankSelection, ArasHomogeneousBaseline) {
  // 600 KiB need ceil(600/256) = 3 banks, 300 KiB need 2; identical banks are reported lowest
  // index first, inputs before outputs.
  const GlobalBufferSpec spec = arasHomogeneous();
  const BankChoice c = selectLayerBanks(spec, 600 * kKiB, 300 * kKiB);
  EXPECT_EQ(c.input_banks, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(c.output_banks, (std::vector<int>{3, 4}));
  EXPECT_NEAR(c.static_power_w, 5 * 2.56e-3, 1e-15);
  EXPECT_EQ(c.parts, 1);
}

TEST(BankSelection, TooLargeALayerIsSplitIntoTheFewestParts) {
  {
    // 15 x 256 KiB: 3000 + 2000 KiB needs 12 + 8 = 20 banks (too many); in halves 1500 and
    // 1000 KiB need 6 + 4 banks.
    const GlobalBufferSpec spec = arasHomogeneous();
    const BankChoice c = selectLayerBanks(spec, 3000 * kKiB, 2000 * kKiB);
    EXPECT_EQ(c.parts, 2);
    EXPECT_EQ(c.input_banks.size(), 6u);
    EXPECT_EQ(c.output_banks.size(), 4u);
    expectValid(spec, c, 3000 * kKiB, 2000 * kKiB);
  }
  {
    // Two 1 KiB banks, 5 KiB each side: one bank per side, so each part is at most 1 KiB,
    // ceil(5 KiB / k) <= 1 KiB first at k = 5.
    const GlobalBufferSpec spec = proportional({kKiB, kKiB});
    const BankChoice c = selectLayerBanks(spec, 5 * kKiB, 5 * kKiB);
    EXPECT_EQ(c.parts, 5);
    EXPECT_EQ(c.input_banks, std::vector<int>{0});
    EXPECT_EQ(c.output_banks, std::vector<int>{1});
  }
  {
    // Heterogeneous, beyond the 4040 KiB total: the least k, and a fitting selection for it.
    const GlobalBufferSpec spec = arasHeterogeneous();
    const double in = 3000 * kKiB, out = 2000 * kKiB;
    const BankChoice c = selectLayerBanks(spec, in, out);
    ASSERT_GE(c.parts, 2);
    EXPECT_FALSE(exhaustive(spec, std::ceil(in / (c.parts - 1)), std::ceil(out / (c.parts - 1))));
    expectValid(spec, c, in, out);
    const std::optional<Best> want =
        exhaustive(spec, std::ceil(in / c.parts), std::ceil(out / c.parts));
    ASSERT_TRUE(want);
    EXPECT_NEAR(c.static_power_w, want->power, 1e-12 * want->power);
  }
}

TEST(BankSelection, ZeroBytesOnOneSideGetNoBanks) {
  const GlobalBufferSpec spec = arasHeterogeneous();
  BankChoice c = selectLayerBanks(spec, 0, 50 * kKiB);
  EXPECT_TRUE(c.input_banks.empty());
  EXPECT_EQ(c.output_banks, std::vector<int>{4});
  c = selectLayerBanks(spec, 100 * kKiB, 0);
  EXPECT_EQ(c.input_banks, std::vector<int>{5});
  EXPECT_TRUE(c.output_banks.empty());
  c = selectLayerBanks(spec, 0, 0);
  EXPECT_TRUE(c.input_banks.empty() && c.output_banks.empty());
  EXPECT_EQ(c.static_power_w, 0);
  EXPECT_EQ(c.parts, 1);
  // A bank that costs nothing is still not selected when nothing needs it.
  c = selectLayerBanks(bufferOf({kKiB, kKiB}, {0, 0}), 0, 100);
  EXPECT_TRUE(c.input_banks.empty());
  EXPECT_EQ(c.output_banks.size(), 1u);
}

TEST(BankSelection, HopelessBuffersAndBadInputsThrowConfigError) {
  // No capacity at all; one bank for two sides (which must be disjoint); no banks.
  EXPECT_THROW(selectLayerBanks(bufferOf({0, 0}, {1e-6, 1e-6}), 10, 0), ConfigError);
  EXPECT_THROW(selectLayerBanks(proportional({kMiB}), 10, 10), ConfigError);
  EXPECT_THROW(selectLayerBanks(GlobalBufferSpec{}, 1, 0), ConfigError);
  EXPECT_THROW(selectLayerBanks(arasHeterogeneous(), -1, 0), ConfigError);
  EXPECT_THROW(selectLayerBanks(arasHeterogeneous(), 0, std::nan("")), ConfigError);
  EXPECT_THROW(selectLayerBanks(bufferOf({kKiB}, {-1}), 1, 0), ConfigError);
  try {
    selectLayerBanks(bufferOf({0, 0}, {1e-6, 1e-6}), 10, 0);
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("10 B in"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace xbarsim
