// Algorithm 2 of the crossbar-allocation paper (section 3.3): dynamic programming over layers
// (in topological order) and crossbar budgets G. R_opt[i][G] is the best allocation of exactly
// G crossbars to layers 0..i, extended from R_opt[i-1][G - R set^i]. The objective is a
// parameter: Algorithm 1 or the exact step model, with or without bandwidth.
//
// Algorithm 2 keeps one prefix per (i, G). That assumes optimal substructure, which neither
// model has: the best prefix for (i, G) by its own inference time is not always the best base
// for later layers (a counterexample is in tests/alloc/allocators_test.cpp). `beam` keeps the
// K best prefixes per state instead; K = 1 is Algorithm 2 as printed.
//
// Differences from the printed algorithm that do not change its result:
// - it runs "push" style (from each state of layer i-1 to the states it reaches), visiting
//   predecessors from the largest budget down so that ties resolve as the printed loop does
//   (the smallest j = R set^i wins);
// - each state keeps only what the next layer needs (its R, model terms and a link to its
//   predecessor) and evaluates only the new layer, not the whole prefix;
// - a candidate whose lower bound (ceil(WoHo / R) steps of at least T_C) cannot beat the state
//   it would replace is skipped unevaluated;
// - the answer is the best over every budget G <= Total, not only G = Total: using every
//   crossbar is not always possible (R <= Wo Ho) nor best.
#include <algorithm>

#include "alloc/allocator.h"

namespace xbarsim {
namespace {

struct State {
  std::int64_t r = 0;
  std::int64_t parent = -1;      // budget G of the predecessor state (layer i-1)
  std::int64_t parent_rank = 0;  // which of its prefixes
  std::int64_t steps = 0;        // prefix steps (max over its layers)
  std::int64_t step_cycles = 0;  // prefix T_step
  Alg1Layer alg1;
  Timeline timeline;
  std::int64_t objective() const { return steps * step_cycles; }
};

// The K best prefixes of one (layer, budget), best first.
class Beam {
 public:
  bool empty() const { return states_.empty(); }
  std::size_t size() const { return states_.size(); }
  const State& operator[](std::size_t k) const { return states_[k]; }
  // The objective a candidate must beat to enter (no bound while there is room).
  bool full(std::size_t k) const { return states_.size() >= k; }
  std::int64_t worst() const { return states_.back().objective(); }
  void offer(State&& s, std::size_t k) {
    if (full(k) && s.objective() >= worst()) return;
    auto at = std::upper_bound(states_.begin(), states_.end(), s.objective(),
                               [](std::int64_t v, const State& x) { return v < x.objective(); });
    states_.insert(at, std::move(s));
    if (states_.size() > k) states_.pop_back();
  }

 private:
  std::vector<State> states_;
};

class DpAllocator : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions& options) const override {
    const std::size_t n = p.size();
    const std::size_t k_best = static_cast<std::size_t>(std::max<std::int64_t>(options.beam, 1));
    const Objective& obj = options.objective;
    const bool exact = obj.steps == StepModel::kExact;
    const StepTimeModel time(p, obj.bandwidth);
    // Budgets beyond what every layer at its largest R uses change nothing (the answer is the
    // best over every budget up to the total): the table stops there, so a chip far larger than
    // the network costs no more memory than one that just fits its largest allocation.
    std::int64_t usable = 0;
    for (std::size_t i = 0; i < n && usable < p.total(); ++i)
      usable += std::min(p[i].max_r, p.total() / p[i].fused.set + 1) * p[i].fused.set;
    const std::int64_t total = std::min(p.total(), usable);
    std::vector<std::int64_t> min_after(n + 1, 0);  // crossbars layers i.. need at R = 1
    for (std::size_t i = n; i-- > 0;) min_after[i] = min_after[i + 1] + p[i].fused.set;
    std::vector<std::vector<Beam>> table(n, std::vector<Beam>(static_cast<std::size_t>(total) + 1));
    const auto at = [&](std::size_t i, std::int64_t g) -> Beam& {
      return table[i][static_cast<std::size_t>(g)];
    };
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
        const std::size_t ranks = i == 0 ? 1 : at(i - 1, g_prev).size();
        for (std::size_t rank = 0; rank < ranks; ++rank) {
          const State* prev = i == 0 ? nullptr : &at(i - 1, g_prev)[rank];
          // Gather the prefix this predecessor stands for.
          std::int64_t g = g_prev;
          std::size_t k_rank = rank;
          for (std::size_t k = i; k-- > 0;) {
            const State& s = at(k, g)[k_rank];
            r[k] = s.r;
            terms[k] = s.alg1;
            timelines[k] = &s.timeline;
            g = s.parent;
            k_rank = static_cast<std::size_t>(s.parent_rank);
          }
          inputs.clear();
          for (const InputPath& in : p[i].inputs) inputs.push_back(timelines[in.producer]);
          const std::int64_t prefix_steps = prev ? prev->steps : 0;
          const std::int64_t prefix_cycles = prev ? prev->step_cycles : 0;
          const std::int64_t floor_cycles = std::max(prefix_cycles, time.computeCycles());
          Alg1LayerEvaluator alg1(p, i, r.data(), terms.data());
          const double traffic = time.producerTraffic(i, r.data());
          for (std::int64_t ri = 1; ri <= p[i].max_r && g_prev + ri * set <= hi; ++ri) {
            Beam& target = at(i, g_prev + ri * set);
            const bool bounded = target.full(k_best);
            // Both models give the layer at least ceil(WoHo / R) steps of at least T_C.
            const std::int64_t floor_steps = std::max(prefix_steps, (positions + ri - 1) / ri);
            if (bounded && floor_steps * floor_cycles >= target.worst()) continue;
            r[i] = ri;
            State cand;
            cand.r = ri;
            cand.parent = g_prev;
            cand.parent_rank = static_cast<std::int64_t>(rank);
            cand.step_cycles = std::max(prefix_cycles, time.layerStepCycles(i, ri, traffic));
            if (bounded && floor_steps * cand.step_cycles >= target.worst()) continue;
            ++result.evaluations;
            if (exact) {
              std::int64_t give_up = 0;
              if (bounded) give_up = (target.worst() + cand.step_cycles - 1) / cand.step_cycles;
              if (!exactLayer(p, i, r.data(), inputs.data(), obj.lag, cand.timeline, give_up))
                continue;
              cand.steps = std::max(prefix_steps, cand.timeline.last());
            } else {
              cand.alg1 = alg1(ri);
              cand.steps = std::max(prefix_steps, cand.alg1.op);
            }
            target.offer(std::move(cand), k_best);
          }
        }
      }
    }
    // The best budget for the whole network.
    std::int64_t best = -1;
    for (std::int64_t g = min_after[0]; g <= total; ++g) {
      const Beam& b = at(n - 1, g);
      if (!b.empty() && (best < 0 || b[0].objective() < at(n - 1, best)[0].objective())) best = g;
    }
    result.r.assign(n, 0);
    std::size_t rank = 0;
    for (std::size_t k = n; k-- > 0;) {
      const State& s = at(k, best)[rank];
      result.r[k] = s.r;
      best = s.parent;
      rank = static_cast<std::size_t>(s.parent_rank);
    }
    if (k_best > 1) result.note = "beam of " + std::to_string(k_best) + " prefixes per state";
    return result;
  }
};

}  // namespace

XBARSIM_REGISTER_ALLOCATOR("dp", "Algorithm 2: dynamic programming over layers and budgets",
                           DpAllocator);

}  // namespace xbarsim
