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
// - a candidate whose lower bound (ceil(WoHo / R) steps of at least T_C) cannot beat the state
//   it would replace is skipped unevaluated;
// - the answer is the best over every budget G <= Total, not only G = Total: using every
//   crossbar is not always possible (R <= Wo Ho) nor best.
//
// Memory and time:
// - layer i has states only for the budgets its predecessors' states reach with 1 <= R <= Wo Ho
//   (eq. 5), so a chip larger than the network can use costs no more than one that just fits;
// - it runs in passes over growing budget caps (twice what every layer needs at R = 1, then
//   four times more each pass, up to Total), each keeping only the states faster than the
//   answer of the pass before. Over a larger cap the DP takes the best over more final states,
//   every state within the smaller cap being the same, so the answer only changes if a faster
//   one exists; extending a prefix never makes it faster (its steps and step cycles are maxima
//   over its layers), so the dropped states cannot lead to one, and the answer is the one a
//   single pass over Total gives (among equals, the smaller budget: the earlier pass's). With
//   bandwidth a large R makes a layer's steps long (T_A grows with R), so large budgets fall
//   to the bound and their memory with them;
// - a state keeps for the layers after it only what they read: its R (its predecessor's budget
//   follows from it), its rank in the predecessor's beam, and its Algorithm 1 terms (or its
//   exact timeline); the prefix's steps and step cycles are kept for the layer being built and
//   the one before it only.
#include <algorithm>
#include <limits>
#include <memory>

#include "alloc/allocator.h"

namespace xbarsim {
namespace {

// A prefix ending at the layer being built (or the one before it).
struct State {
  std::int64_t r = 0;            // 0: no state
  std::int64_t parent_rank = 0;  // which prefix of the predecessor's budget
  std::int64_t steps = 0;        // prefix steps (max over its layers)
  std::int64_t step_cycles = 0;  // prefix T_step
  Alg1Layer alg1;
  Timeline timeline;
  std::int64_t objective() const { return steps * step_cycles; }
};

// The states of one layer over its budgets [lo, hi], K slots per budget, best first.
class LayerStates {
 public:
  LayerStates(std::int64_t lo, std::int64_t hi, std::size_t k) : lo_(lo), hi_(hi), k_(k) {}
  std::int64_t lo() const { return lo_; }
  std::int64_t hi() const { return hi_; }
  std::size_t k() const { return k_; }
  std::size_t slot(std::int64_t g, std::size_t rank) const {
    return static_cast<std::size_t>(g - lo_) * k_ + rank;
  }
  std::size_t slots() const { return static_cast<std::size_t>(hi_ - lo_ + 1) * k_; }

 private:
  std::int64_t lo_, hi_;
  std::size_t k_;
};

// What the layers after a finished layer read of its states.
struct KeptStates : LayerStates {
  KeptStates(const LayerStates& s, bool exact) : LayerStates(s) {
    r.resize(s.slots());
    if (s.k() > 1) parent_rank.resize(s.slots());
    if (exact)
      timeline.resize(s.slots());
    else
      terms.resize(s.slots());
  }
  std::vector<std::int32_t> r;
  std::vector<std::int32_t> parent_rank;  // beam > 1 only
  struct Terms {
    std::int64_t op = 0, pre_op = 0;  // what Alg1LayerEvaluator reads of an earlier layer
  };
  std::vector<Terms> terms;        // Algorithm 1
  std::vector<Timeline> timeline;  // exact model
};

// The layer being built: K best prefixes per budget.
struct Frontier : LayerStates {
  Frontier(const LayerStates& s) : LayerStates(s), states(s.slots()), count(s.slots() / s.k()) {}
  std::vector<State> states;
  std::vector<std::uint32_t> count;  // per budget
  std::size_t size(std::int64_t g) const { return count[static_cast<std::size_t>(g - lo())]; }
  const State& at(std::int64_t g, std::size_t rank) const { return states[slot(g, rank)]; }
  bool full(std::int64_t g) const { return size(g) >= k(); }
  std::int64_t worst(std::int64_t g) const { return at(g, size(g) - 1).objective(); }
  // Keeps budgets [first, last] only.
  void trim(std::int64_t first, std::int64_t last) {
    const LayerStates kept(first, last, k());
    states.erase(states.begin() + static_cast<std::ptrdiff_t>(slot(last, k() - 1) + 1),
                 states.end());
    states.erase(states.begin(), states.begin() + static_cast<std::ptrdiff_t>(slot(first, 0)));
    count.erase(count.begin() + (last - lo() + 1), count.end());
    count.erase(count.begin(), count.begin() + (first - lo()));
    static_cast<LayerStates&>(*this) = kept;
  }
  void offer(std::int64_t g, State&& s) {
    std::uint32_t& n = count[static_cast<std::size_t>(g - lo())];
    if (n >= k() && s.objective() >= worst(g)) return;
    State* begin = &states[slot(g, 0)];
    State* end = begin + n;
    State* at = std::upper_bound(begin, end, s.objective(),
                                 [](std::int64_t v, const State& x) { return v < x.objective(); });
    if (n < k()) ++n;
    std::move_backward(at, begin + n - 1, begin + n);
    *at = std::move(s);
  }
};

// One run of the DP over budgets up to `cap`, keeping only states faster than `bound` (the
// objective, steps x step cycles): every extension of a prefix is at least as slow as the
// prefix (steps and step cycles are maxima over its layers), so a dropped state cannot lead to
// a faster answer. No state within the bound: r is empty.
constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

struct Pass {
  Allocation r;
  std::int64_t objective = 0;
  std::int64_t evaluations = 0;
};

Pass run(const Problem& p, const AllocOptions& options, std::int64_t cap, std::int64_t bound) {
  const std::size_t n = p.size();
  const std::size_t k_best = static_cast<std::size_t>(std::max<std::int64_t>(options.beam, 1));
  const Objective& obj = options.objective;
  const bool exact = obj.steps == StepModel::kExact;
  const StepTimeModel time(p, obj.bandwidth);
  std::vector<std::int64_t> min_after(n + 1, 0);  // crossbars layers i.. need at R = 1
  for (std::size_t i = n; i-- > 0;) min_after[i] = min_after[i + 1] + p[i].fused.set;
  std::vector<KeptStates> kept;
  kept.reserve(n);
  Pass pass;

  // Scratch for one predecessor's prefix.
  Allocation r(n, 0);
  std::vector<Alg1Layer> terms(n);
  std::vector<const Timeline*> timelines(n, nullptr);
  std::vector<const Timeline*> inputs;

  std::unique_ptr<Frontier> prev;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t set = p[i].fused.set;
    const std::int64_t positions = p[i].fused.outputPositions();
    const std::int64_t lo_prev = i == 0 ? 0 : prev->lo();
    const std::int64_t hi_prev = i == 0 ? 0 : prev->hi();
    // Layer i's budgets: from its predecessors' plus one set to the least of what leaves the
    // later layers R = 1 and the predecessors' plus its largest R.
    const std::int64_t lo = lo_prev + set;
    const std::int64_t hi =
        std::min(cap - min_after[i + 1], hi_prev + std::min(p[i].max_r, cap / set + 1) * set);
    if (hi < lo) break;  // nothing fits the cap
    if (hi - lo >= std::numeric_limits<std::int32_t>::max())
      throw AllocationError("dp: layer " + std::to_string(i) + " would have " +
                            std::to_string(hi - lo + 1) + " budgets, more than the table holds");
    auto cur = std::make_unique<Frontier>(LayerStates(lo, hi, k_best));
    for (std::int64_t g_prev = hi_prev; g_prev >= lo_prev; --g_prev) {
      const std::size_t ranks = i == 0 ? 1 : prev->size(g_prev);
      for (std::size_t rank = 0; rank < ranks; ++rank) {
        const State* before = i == 0 ? nullptr : &prev->at(g_prev, rank);
        // Gather the prefix this predecessor stands for.
        std::int64_t g = g_prev;
        std::size_t k_rank = rank;
        for (std::size_t k = i; k-- > 0;) {
          const KeptStates& s = kept[k];
          const std::size_t at = s.slot(g, k_rank);
          r[k] = s.r[at];
          if (exact) {
            timelines[k] = &s.timeline[at];
          } else {
            terms[k].op = s.terms[at].op;
            terms[k].pre_op = s.terms[at].pre_op;
          }
          g -= r[k] * p[k].fused.set;
          k_rank = s.parent_rank.empty() ? 0 : static_cast<std::size_t>(s.parent_rank[at]);
        }
        inputs.clear();
        for (const InputPath& in : p[i].inputs) inputs.push_back(timelines[in.producer]);
        const std::int64_t prefix_steps = before ? before->steps : 0;
        const std::int64_t prefix_cycles = before ? before->step_cycles : 0;
        const std::int64_t floor_cycles = std::max(prefix_cycles, time.computeCycles());
        Alg1LayerEvaluator alg1(p, i, r.data(), terms.data());
        const double traffic = time.producerTraffic(i, r.data());
        for (std::int64_t ri = 1; ri <= p[i].max_r && g_prev + ri * set <= hi; ++ri) {
          const std::int64_t target = g_prev + ri * set;
          // The candidate must be faster than the bound and, when the target's beam is full,
          // than its worst.
          const std::int64_t limit =
              cur->full(target) ? std::min(bound, cur->worst(target)) : bound;
          // Both models give the layer at least ceil(WoHo / R) steps of at least T_C.
          const std::int64_t floor_steps = std::max(prefix_steps, (positions + ri - 1) / ri);
          if (floor_steps * floor_cycles >= limit) continue;
          r[i] = ri;
          State cand;
          cand.r = ri;
          cand.parent_rank = static_cast<std::int64_t>(rank);
          cand.step_cycles = std::max(prefix_cycles, time.layerStepCycles(i, ri, traffic));
          if (floor_steps * cand.step_cycles >= limit) continue;
          ++pass.evaluations;
          if (exact) {
            const std::int64_t give_up =
                limit == kNoBound ? 0 : (limit + cand.step_cycles - 1) / cand.step_cycles;
            if (!exactLayer(p, i, r.data(), inputs.data(), obj.lag, cand.timeline, give_up))
              continue;
            cand.steps = std::max(prefix_steps, cand.timeline.last());
          } else {
            cand.alg1 = alg1(ri);
            cand.steps = std::max(prefix_steps, cand.alg1.op);
          }
          if (cand.objective() >= limit) continue;
          cur->offer(target, std::move(cand));
        }
      }
    }
    // Keep the budgets that hold a state.
    std::int64_t first = hi + 1, last = lo - 1;
    for (std::int64_t g = lo; g <= hi; ++g)
      if (cur->size(g) > 0) {
        first = std::min(first, g);
        last = g;
      }
    if (first > last) break;  // nothing within the bound
    cur->trim(first, last);
    kept.emplace_back(*cur, exact);
    KeptStates& k = kept.back();
    for (std::int64_t g = first; g <= last; ++g)
      for (std::size_t rank = 0; rank < cur->size(g); ++rank) {
        const std::size_t at = cur->slot(g, rank);
        State& s = cur->states[at];
        k.r[at] = static_cast<std::int32_t>(s.r);
        if (!k.parent_rank.empty()) k.parent_rank[at] = static_cast<std::int32_t>(s.parent_rank);
        if (exact)
          k.timeline[at] = std::move(s.timeline);
        else
          k.terms[at] = {s.alg1.op, s.alg1.pre_op};
      }
    prev = std::move(cur);
  }
  if (kept.size() < n) return pass;  // no allocation within the bound
  // The best budget for the whole network.
  std::int64_t best = -1;
  for (std::int64_t g = prev->lo(); g <= prev->hi(); ++g)
    if (prev->size(g) > 0 &&
        (best < 0 || prev->at(g, 0).objective() < prev->at(best, 0).objective()))
      best = g;
  pass.objective = prev->at(best, 0).objective();
  pass.r.assign(n, 0);
  std::size_t rank = 0;
  for (std::size_t k = n; k-- > 0;) {
    const KeptStates& s = kept[k];
    const std::size_t at = s.slot(best, rank);
    pass.r[k] = s.r[at];
    best -= pass.r[k] * p[k].fused.set;
    rank = s.parent_rank.empty() ? 0 : static_cast<std::size_t>(s.parent_rank[at]);
  }
  return pass;
}

class DpAllocator : public Allocator {
 public:
  // Passes over caps growing fourfold from twice what every layer needs at R = 1 (see the top).
  AllocResult allocate(const Problem& p, const AllocOptions& options) const override {
    AllocResult result;
    std::int64_t bound = kNoBound;
    std::int64_t cap = 2 * p.minCrossbars();
    for (;;) {
      cap = std::min(cap, p.total());
      const Pass pass = run(p, options, cap, bound);
      result.evaluations += pass.evaluations;
      if (!pass.r.empty()) {
        result.r = pass.r;
        bound = pass.objective;
      }
      if (cap == p.total()) break;
      cap = cap > p.total() / 4 ? p.total() : cap * 4;
    }
    if (options.beam > 1)
      result.note = "beam of " + std::to_string(options.beam) + " prefixes per state";
    return result;
  }
};

}  // namespace

XBARSIM_REGISTER_ALLOCATOR("dp", "Algorithm 2: dynamic programming over layers and budgets",
                           DpAllocator);

}  // namespace xbarsim
