// Search baselines the crossbar-allocation paper judges its DP against (section 4.2):
// exhaustive enumeration for small cases, and seeded random sampling with cosine-similarity
// pruning for large ones.
#include <cmath>
#include <random>

#include "alloc/allocator.h"

namespace xbarsim {
namespace {

// Every allocation with 1 <= R <= max R and sum R set <= Total (eq. 3-6).
class ExhaustiveAllocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions& options) const override {
    const std::int64_t count = countAllocations(p, options.exhaustive_limit + 1);
    if (count > options.exhaustive_limit)
      throw AllocationError("exhaustive search would enumerate more than " +
                            std::to_string(options.exhaustive_limit) +
                            " allocations; use --allocator random or fewer crossbars");
    const ObjectiveEvaluator eval(p, options.objective);
    AllocResult best;
    std::int64_t best_value = -1;
    Allocation r(p.size(), 1);
    std::vector<std::int64_t> min_after(p.size() + 1, 0);
    for (std::size_t i = p.size(); i-- > 0;) min_after[i] = min_after[i + 1] + p[i].fused.set;
    // Odometer over layers, innermost last.
    std::function<void(std::size_t, std::int64_t)> visit = [&](std::size_t i, std::int64_t left) {
      if (i == p.size()) {
        const std::int64_t v = eval(r);
        ++best.evaluations;
        if (best_value < 0 || v < best_value) {
          best_value = v;
          best.r = r;
        }
        return;
      }
      for (std::int64_t ri = 1; ri <= p[i].max_r && ri * p[i].fused.set + min_after[i + 1] <= left;
           ++ri) {
        r[i] = ri;
        visit(i + 1, left - ri * p[i].fused.set);
      }
    };
    visit(0, p.total());
    best.note = "enumerated " + std::to_string(count) + " allocations";
    return best;
  }

  // Allocations that fit, counted by DP over (layer, crossbars left), capped at `cap`.
  static std::int64_t countAllocations(const Problem& p, std::int64_t cap) {
    const std::int64_t total = p.total();
    std::vector<std::int64_t> ways(static_cast<std::size_t>(total) + 1, 1);  // after last layer
    for (std::size_t i = p.size(); i-- > 0;) {
      std::vector<std::int64_t> next(ways.size(), 0);
      for (std::int64_t left = 0; left <= total; ++left) {
        std::int64_t sum = 0;
        for (std::int64_t ri = 1; ri <= p[i].max_r && ri * p[i].fused.set <= left; ++ri)
          sum = std::min(cap, sum + ways[static_cast<std::size_t>(left - ri * p[i].fused.set)]);
        next[static_cast<std::size_t>(left)] = sum;
      }
      ways.swap(next);
    }
    return ways[static_cast<std::size_t>(total)];
  }
};

// Random allocations from sampleAllocation(); samples whose cosine similarity with Wo x Ho is
// below the threshold are pruned unevaluated, as in the paper; `samples` counts the evaluated
// ones.
class RandomAllocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions& options) const override {
    std::mt19937_64 rng(options.seed);
    const ObjectiveEvaluator eval(p, options.objective);
    AllocResult best;
    std::int64_t best_value = -1, pruned = 0;
    const std::int64_t max_attempts = 1000 * std::max<std::int64_t>(options.samples, 1);
    for (std::int64_t attempt = 0; best.evaluations < options.samples && attempt < max_attempts;
         ++attempt) {
      const Allocation r = sampleAllocation(p, rng);
      if (cosineWithWoHo(p, r) < options.min_cosine) {
        ++pruned;
        continue;
      }
      const std::int64_t v = eval(r);
      ++best.evaluations;
      if (best_value < 0 || v < best_value) {
        best_value = v;
        best.r = r;
      }
    }
    if (best.r.empty())
      throw AllocationError("random search kept no sample with cos(R, WoHo) >= " +
                            std::to_string(options.min_cosine) + " in " +
                            std::to_string(max_attempts) + " attempts; lower --min-cosine");
    best.note = "evaluated " + std::to_string(best.evaluations) + " samples, pruned " +
                std::to_string(pruned) + " with cos(R, WoHo) < " +
                std::to_string(options.min_cosine) + ", seed " + std::to_string(options.seed);
    return best;
  }

  static double cosineWithWoHo(const Problem& p, const Allocation& r) {
    double dot = 0, rr = 0, ww = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const double wo_ho = static_cast<double>(p[i].fused.outputPositions());
      dot += static_cast<double>(r[i]) * wo_ho;
      rr += static_cast<double>(r[i]) * static_cast<double>(r[i]);
      ww += wo_ho * wo_ho;
    }
    return dot / std::sqrt(rr * ww);
  }
};

}  // namespace

Allocation sampleAllocation(const Problem& p, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double sigma = 1.5 * uniform(rng);
  const double fill = 0.5 + 0.5 * uniform(rng);
  std::vector<double> w(p.size());
  double weighted = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    w[i] = static_cast<double>(p[i].max_r) * std::exp(sigma * normal(rng));
    weighted += w[i] * static_cast<double>(p[i].fused.set);
  }
  const double scale = fill * static_cast<double>(p.total()) / weighted;
  Allocation r(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    r[i] = std::clamp<std::int64_t>(static_cast<std::int64_t>(scale * w[i]), 1, p[i].max_r);
  // Over budget after rounding up to 1: take sets back from the largest layers.
  // (The Problem guarantees that R = 1 everywhere fits.)
  while (crossbarsUsed(p, r) > p.total()) {
    std::size_t largest = p.size();
    for (std::size_t i = 0; i < p.size(); ++i)
      if (r[i] > 1 &&
          (largest == p.size() || r[i] * p[i].fused.set > r[largest] * p[largest].fused.set))
        largest = i;
    r[largest] = std::max<std::int64_t>(1, r[largest] * 9 / 10);
  }
  return r;
}

XBARSIM_REGISTER_ALLOCATOR("exhaustive", "every allocation that fits (small cases only)",
                           ExhaustiveAllocator);
XBARSIM_REGISTER_ALLOCATOR("random", "seeded random samples with cosine-similarity pruning",
                           RandomAllocator);

}  // namespace xbarsim
