// The three heuristics the crossbar-allocation paper compares (its section 4.3), each the
// largest integer scaling of a fixed rule that fits the budget. Crossbars the rule cannot use
// are reported as left over (the paper's Table 5).
#include <algorithm>

#include "alloc/allocator.h"

namespace xbarsim {
namespace {

std::int64_t clampR(const ProblemLayer& l, std::int64_t r) {
  return std::clamp<std::int64_t>(r, 1, l.max_r);
}

// PipeLayer: R proportional to W_o x H_o; the layer with the fewest output positions gets k.
class WoHoAllocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions&) const override {
    std::int64_t smallest = INT64_MAX;
    for (const ProblemLayer& l : p.layers())
      if (!l.fused.isFc()) smallest = std::min(smallest, l.fused.outputPositions());
    const auto rule = [&](std::int64_t k) {
      Allocation r;
      for (const ProblemLayer& l : p.layers())
        r.push_back(clampR(l, k * l.fused.outputPositions() / smallest));
      return r;
    };
    return {largestFitting(p, "wo-ho (R proportional to Wo x Ho)", rule), 0, "", {}};
  }
};

// ISAAC: R^(i-1) = (S_c^i)^2 R^i, set from the last layer backwards (pool strides ignored, as
// the paper says). On a non-chain network a layer takes the largest demand of its consumers.
class Sc2Allocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions&) const override {
    const auto rule = [&](std::int64_t k) {
      std::vector<std::int64_t> want(p.size(), 0);
      Allocation r(p.size());
      for (std::size_t i = p.size(); i-- > 0;) {
        r[i] = clampR(p[i], want[i] > 0 ? want[i] : k);
        const std::int64_t sc = p[i].fused.sc;
        for (const int q : p[i].producers)
          want[q] = std::max(want[q], std::min(r[i] * sc * sc, p[q].max_r));
      }
      return r;
    };
    return {largestFitting(p, "sc2 (ISAAC, R^(i-1) = Sc^2 R^i)", rule), 0, "", {}};
  }
};

// PRIME-like identical duplication: every layer gets the same R (fc layers 1).
class IdenticalAllocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions&) const override {
    const auto rule = [&](std::int64_t k) {
      Allocation r;
      for (const ProblemLayer& l : p.layers()) r.push_back(clampR(l, k));
      return r;
    };
    return {largestFitting(p, "identical", rule), 0, "", {}};
  }
};

}  // namespace

XBARSIM_REGISTER_ALLOCATOR("wo-ho", "PipeLayer: R proportional to Wo x Ho", WoHoAllocator);
XBARSIM_REGISTER_ALLOCATOR("sc2", "ISAAC: R of a layer = Sc^2 x R of its consumer", Sc2Allocator);
XBARSIM_REGISTER_ALLOCATOR("identical", "PRIME-like: the same R for every layer",
                           IdenticalAllocator);

}  // namespace xbarsim
