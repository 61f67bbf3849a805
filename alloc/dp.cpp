// Algorithm 2 of the crossbar-allocation paper (section 3.3): dynamic programming over layers
// (in topological order) and crossbar budgets G. R_opt[i][G] is the best allocation of exactly
// G crossbars to layers 0..i, extended from R_opt[i-1][G - R set^i]. The objective is a
// parameter: Algorithm 1 or the exact step model, with or without bandwidth.
//
// Differences from the printed algorithm, none of which changes its search:
// - it runs "push" style (from each state of layer i-1 to the states it reaches), visiting
//   predecessors from the largest budget down so that ties resolve as the printed loop does
//   (the smallest j = R set^i wins);
// - each state keeps only what the next layer needs (its R, model terms and a link to its
//   predecessor state) and evaluates only the new layer, not the whole prefix;
// - the answer is the best over every budget G <= Total, not only G = Total: using every
//   crossbar is not always possible (R <= Wo Ho) nor best.
#include <algorithm>

#include "alloc/allocator.h"

namespace xbarsim {
namespace {

struct State {
  bool valid = false;
  std::int64_t r = 0;
  std::int64_t parent = -1;     // budget G of the predecessor state (layer i-1)
  std::int64_t steps = 0;       // prefix steps (max over its layers)
  std::int64_t step_cycles = 0; // prefix T_step
  Alg1Layer alg1;
  Timeline timeline;
  std::int64_t objective() const { return steps * step_cycles; }
};

class DpAllocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions& options) const override {
    const std::size_t n = p.size();
    const Objective& obj = options.objective;
    const bool exact = obj.steps == StepModel::kExact;
    const StepTimeModel time(p, obj.bandwidth);
    const std::int64_t total = p.total();
    std::vector<std::int64_t> min_after(n + 1, 0);  // crossbars layers i.. need at R = 1
    for (std::size_t i = n; i-- > 0;) min_after[i] = min_after[i + 1] + p[i].fused.set;
    std::vector<std::vector<State>> table(n, std::vector<State>(static_cast<std::size_t>(total) + 1));
    AllocResult result;

    // Scratch for one predecessor's prefix.
    Allocation r(n, 0);
    std::vector<Alg1Layer> terms(n);
    std::vector<const Timeline*> timelines(n, nullptr);
    std::vector<const Timeline*> inputs;

    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t set = p[i].fused.set;
      const std::int64_t positions = p[i].fused.outputPositions();
      const std::int64_t hi = total - min_after[i + 1];
      const std::int64_t lo_prev = i == 0 ? 0 : min_after[0] - min_after[i];
      const std::int64_t hi_prev = i == 0 ? 0 : total - min_after[i];
      for (std::int64_t g_prev = hi_prev; g_prev >= lo_prev; --g_prev) {
        if (i > 0 && !table[i - 1][static_cast<std::size_t>(g_prev)].valid) continue;
        const State* prev = i == 0 ? nullptr : &table[i - 1][static_cast<std::size_t>(g_prev)];
        // Gather the prefix this predecessor stands for.
        std::int64_t g = g_prev;
        for (std::size_t k = i; k-- > 0;) {
          const State& s = table[k][static_cast<std::size_t>(g)];
          r[k] = s.r;
          terms[k] = s.alg1;
          timelines[k] = &s.timeline;
          g = s.parent;
        }
        inputs.clear();
        for (const InputPath& in : p[i].inputs) inputs.push_back(timelines[in.producer]);
        const std::int64_t prefix_steps = prev ? prev->steps : 0;
        const std::int64_t prefix_cycles = prev ? prev->step_cycles : 0;
        const std::int64_t floor_cycles = std::max(prefix_cycles, time.computeCycles());
        Alg1LayerEvaluator alg1(p, i, r.data(), terms.data());
        const double traffic = time.producerTraffic(i, r.data());
        for (std::int64_t ri = 1; ri <= p[i].max_r && g_prev + ri * set <= hi; ++ri) {
          State& target = table[i][static_cast<std::size_t>(g_prev + ri * set)];
          // Both models give the layer at least ceil(WoHo / R) steps, and a step takes at least
          // T_C: skip a candidate that cannot beat the target even so (ties never replace, so
          // the result is unchanged).
          const std::int64_t floor_steps = std::max(prefix_steps, (positions + ri - 1) / ri);
          if (target.valid && floor_steps * floor_cycles >= target.objective()) continue;
          r[i] = ri;
          const std::int64_t step_cycles =
              std::max(prefix_cycles, time.layerStepCycles(i, ri, traffic));
          if (target.valid && floor_steps * step_cycles >= target.objective()) continue;
          State cand;
          cand.valid = true;
          cand.r = ri;
          cand.parent = g_prev;
          cand.step_cycles = step_cycles;
          ++result.evaluations;
          if (exact) {
            std::int64_t give_up = 0;
            if (target.valid) {
              if (prefix_steps * cand.step_cycles >= target.objective()) continue;
              give_up = (target.objective() + cand.step_cycles - 1) / cand.step_cycles;
            }
            if (!exactLayer(p, i, r.data(), inputs.data(), obj.lag, cand.timeline, give_up))
              continue;
            cand.steps = std::max(prefix_steps, cand.timeline.last());
          } else {
            cand.alg1 = alg1(ri);
            cand.steps = std::max(prefix_steps, cand.alg1.op);
          }
          if (!target.valid || cand.objective() < target.objective()) target = std::move(cand);
        }
      }
    }
    // The best budget for the whole network.
    std::int64_t best = -1;
    for (std::int64_t g = min_after[0]; g <= total; ++g) {
      const State& s = table[n - 1][static_cast<std::size_t>(g)];
      if (s.valid && (best < 0 || s.objective() < table[n - 1][static_cast<std::size_t>(best)].objective()))
        best = g;
    }
    result.r.assign(n, 0);
    for (std::size_t k = n; k-- > 0;) {
      const State& s = table[k][static_cast<std::size_t>(best)];
      result.r[k] = s.r;
      best = s.parent;
    }
    return result;
  }
};

}  // namespace

XBARSIM_REGISTER_ALLOCATOR("dp", "Algorithm 2: dynamic programming over layers and budgets",
                           DpAllocator);

}  // namespace xbarsim
