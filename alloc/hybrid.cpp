// The hybrid scheduler: chooses every layer's dataflow (weight- or input-stationary) and R
// together under the crossbar budget, minimising the inference time of the mixed-dataflow
// timeline model (model/dataflow.h, ideal data movement), or with `energy` its energy (the
// layers' dynamic energy, and the tiles' static power over the timeline's time); below, "cycles"
// reads "energy" then.
//   1. A dynamic program over the layers in topological order and the budget picks, per layer,
//      a dataflow and an R (only those R that change its chunk count) minimising the sum of
//      the layers' own cycles: exact when layers do not overlap (input-stationary rounds
//      hand on whole positions late), an upper bound when they pipeline. Run three times:
//      both dataflows, weight-stationary only, input-stationary where a layer can.
//   2. Those three, and the paper's DP (Algorithm 1) when every layer is weight-stationary, or
//      the best uniform schedules (this search restricted to each dataflow) when layers may
//      mix, are timed with the timeline model, which sees the pipelining; the fastest is kept.
//   3. Local search on the timeline model: one layer at a time, every option that fits the
//      budget left, kept when it shortens the inference; until a pass changes nothing.
// So by the model a mix is never slower than either uniform schedule; and a mix is kept only
// when the model finds it at least 10 % better than the best uniform one (kMixMargin).
// Where a layer may take either dataflow, it takes input-stationary only with rounds whose
// outputs (W positions x Co values, handed on at the round's end) fit a tile's input buffer:
// larger hand-offs spill through the global buffer, which the timeline model does not time,
// and the simulation finds them slower than the model says.
#include <algorithm>
#include <limits>

#include "alloc/hybrid.h"
#include "model/dataflow.h"

namespace xbarsim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// How much faster (or more frugal) than the best uniform schedule the model must find a mix for
// the hybrid to take it. The model ignores data movement: in the dataflows experiments it ranked
// close candidates wrongly (MobileNet-V1 at 650 crossbars on isaac-like: a mix 7 % faster by the
// model was 1.3 % slower in simulation), never ones 10 % apart.
constexpr double kMixMargin = 0.10;

struct Option {
  LayerChoice choice;
  std::int64_t crossbars = 0;
  double value = 0;  // the layer's own cycles, or its dynamic energy
};

bool canRunInputStationary(const Problem& p, std::size_t i) {
  const ArchSpec& a = p.arch();
  const LayerType t = p[i].fused.type;
  return (t == LayerType::kConv || t == LayerType::kFc) &&
         a.data.input_bits == a.data.weight_bits &&
         a.chip.tile.pe.apu.crossbars <= a.physicalPerLogical();
}

// Whether an input-stationary round of layer i at R hands on outputs (W positions x Co values,
// all at the round's end) that fit a tile's input buffer. Larger hand-offs spill through the
// global buffer, which the timeline model does not time.
bool roundFits(const Problem& p, std::size_t i, std::int64_t r) {
  const ArchSpec& a = p.arch();
  const FusedLayer& f = p[i].fused;
  const std::int64_t w = std::min(f.wo * f.ho, r * a.chip.tile.pe.apu.crossbar.cols);
  const double bytes = static_cast<double>(w * f.co) * std::max(1, a.data.input_bits / 8);
  return bytes <= a.chip.tile.input_buffer.size_bytes;
}

// Layer i's options in one dataflow: every R at which its chunk count changes (with `fitting`,
// input-stationary ones only where the round's outputs fit, roundFits).
void addOptions(const Problem& p, std::size_t i, const std::string& dataflow, bool energy,
                bool fitting, std::vector<Option>& out) {
  const FusedLayer& f = p[i].fused;
  const std::int64_t positions = f.wo * f.ho;
  const std::int64_t cols = p.arch().chip.tile.pe.apu.crossbar.cols;
  const std::int64_t unit = dataflow == "is" ? cols : 1;  // positions per unit of R
  const std::int64_t max_r =
      dataflow == "is" ? (positions + cols - 1) / cols : std::max<std::int64_t>(1, p[i].max_r);
  std::int64_t last_chunks = -1;
  for (std::int64_t r = 1; r <= max_r; ++r) {
    const std::int64_t chunks = (positions + r * unit - 1) / (r * unit);
    if (chunks == last_chunks) continue;
    // The smallest R for this chunk count: jump to the last R with it afterwards.
    last_chunks = chunks;
    const DataflowCounts c = dataflowCounts(f, p.arch(), dataflow, r);
    if (!fitting || dataflow == "ws" || roundFits(p, i, r))
      out.push_back(
          {{dataflow, r}, c.crossbars, energy ? c.energy_j : static_cast<double>(c.cycles)});
    if (chunks > 1)
      r = std::max(r, (positions + (chunks - 1) * unit - 1) / ((chunks - 1) * unit) - 1);
  }
}

// Knapsack over layers: the options (per layer) minimising the sum of their values within
// `budget`.
std::vector<LayerChoice> cheapestSum(const std::vector<std::vector<Option>>& options,
                                     std::int64_t budget) {
  const std::size_t n = options.size();
  const auto b = static_cast<std::size_t>(budget);
  std::vector<double> best(b + 1, kInf), next(b + 1);
  best[0] = 0;
  std::vector<std::vector<std::int32_t>> pick(n, std::vector<std::int32_t>(b + 1, -1));
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(next.begin(), next.end(), kInf);
    for (std::size_t used = 0; used <= b; ++used) {
      if (best[used] >= kInf) continue;
      for (std::size_t k = 0; k < options[i].size(); ++k) {
        const Option& o = options[i][k];
        const std::size_t to = used + static_cast<std::size_t>(o.crossbars);
        if (to > b || best[used] + o.value >= next[to]) continue;
        next[to] = best[used] + o.value;
        pick[i][to] = static_cast<std::int32_t>(k);
      }
    }
    best.swap(next);
  }
  const auto at = std::min_element(best.begin(), best.end());
  if (*at >= kInf) return {};
  std::vector<LayerChoice> out(n);
  std::size_t used = static_cast<std::size_t>(at - best.begin());
  for (std::size_t i = n; i-- > 0;) {
    const Option& o = options[i][static_cast<std::size_t>(pick[i][used])];
    out[i] = o.choice;
    used -= static_cast<std::size_t>(o.crossbars);
  }
  return out;
}

}  // namespace

AllocResult chooseDataflows(const Problem& p, const std::vector<std::vector<std::string>>& allowed,
                            const AllocOptions& options) {
  if (allowed.size() != p.size())
    throw ConfigError("dataflows allowed for " + std::to_string(allowed.size()) +
                      " layers, the problem has " + std::to_string(p.size()));
  // Every allowed option; and those of one dataflow where a layer allows it (else all).
  // Where a layer may take either dataflow, its input-stationary options are those whose
  // hand-off the model can time (roundFits).
  std::vector<std::vector<Option>> both(p.size()), ws(p.size()), is(p.size());
  bool all_ws = true, mixed = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto allows = [&](const char* d) {
      return std::find(allowed[i].begin(), allowed[i].end(), d) != allowed[i].end();
    };
    if (allows("ws")) addOptions(p, i, "ws", options.energy, false, ws[i]);
    if (allows("is") && canRunInputStationary(p, i))
      addOptions(p, i, "is", options.energy, allows("ws"), is[i]);
    if (ws[i].empty() && is[i].empty())
      addOptions(p, i, "ws", options.energy, false, ws[i]);  // is impossible here
    all_ws = all_ws && is[i].empty();
    mixed = mixed || (!ws[i].empty() && !is[i].empty());
    both[i] = ws[i];
    both[i].insert(both[i].end(), is[i].begin(), is[i].end());
    if (is[i].empty()) is[i] = ws[i];
    if (ws[i].empty()) ws[i] = is[i];
  }
  AllocResult out;
  std::vector<std::vector<LayerChoice>> starts;
  for (const auto* set : {&both, &ws, &is}) {
    std::vector<LayerChoice> c = cheapestSum(*set, p.total());
    if (!c.empty()) starts.push_back(std::move(c));
  }
  if (all_ws) {  // the paper's DP (Algorithm 1) is a start too
    try {
      const Allocation paper = makeAllocator("dp")->allocate(p, options).r;
      std::vector<LayerChoice> c;
      for (const std::int64_t r : paper) c.push_back({"ws", r});
      starts.push_back(std::move(c));
    } catch (const AllocationError&) {
    }
  }
  std::vector<std::vector<LayerChoice>> uniform;
  if (mixed) {  // the best uniform schedules are starts: the mix is never worse by the model
    for (const char* scheme : {"ws-ws", "is-is"}) {
      try {
        const AllocResult u = chooseDataflows(p, schemeDataflows(p, scheme), options);
        std::vector<LayerChoice> c;
        bool fits = true;
        for (std::size_t i = 0; i < p.size(); ++i) {
          c.push_back({u.dataflows[i], u.r[i]});
          fits = fits && (u.dataflows[i] == "ws" || roundFits(p, i, u.r[i]));
        }
        if (fits) {
          uniform.push_back(c);
          starts.push_back(std::move(c));
        }
      } catch (const AllocationError&) {
      }
    }
  }
  if (starts.empty())
    throw AllocationError("hybrid: no choice of dataflows fits " + std::to_string(p.total()) +
                          " crossbars");
  std::vector<LayerChoice> best;
  // What is minimised: the timeline's cycles, or its energy (dynamic, and static over them).
  const auto score = [&](const std::vector<LayerChoice>& c) {
    const std::int64_t cycles = dataflowTimeline(p, c).cycles;
    return options.energy ? dataflowEnergy(p, c, cycles) : static_cast<double>(cycles);
  };
  double best_score = kInf;
  for (const std::vector<LayerChoice>& c : starts) {
    const double value = score(c);
    ++out.evaluations;
    if (value < best_score) {
      best_score = value;
      best = c;
    }
  }
  // Local search: one layer at a time.
  const auto used = [&](const std::vector<LayerChoice>& c) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
      sum += dataflowCounts(p[i].fused, p.arch(), c[i].dataflow, c[i].r).crossbars;
    return sum;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const std::int64_t others =
          used(best) - dataflowCounts(p[i].fused, p.arch(), best[i].dataflow, best[i].r).crossbars;
      for (const Option& o : both[i]) {
        if (others + o.crossbars > p.total()) continue;
        std::vector<LayerChoice> trial = best;
        trial[i] = o.choice;
        const double value = score(trial);
        ++out.evaluations;
        if (value < best_score) {
          best_score = value;
          best = std::move(trial);
          changed = true;
        }
      }
    }
  }
  // A mix replaces the best uniform schedule only when the model finds it clearly better.
  const std::vector<LayerChoice>* best_uniform = nullptr;
  double uniform_score = kInf;
  for (const std::vector<LayerChoice>& u : uniform) {
    const double value = score(u);
    if (value < uniform_score) {
      uniform_score = value;
      best_uniform = &u;
    }
  }
  if (best_uniform != nullptr && best_score > (1 - kMixMargin) * uniform_score) {
    best_score = uniform_score;
    best = *best_uniform;
  }
  for (const LayerChoice& c : best) {
    out.r.push_back(c.r);
    out.dataflows.push_back(c.dataflow);
  }
  const std::int64_t cycles = dataflowTimeline(p, best).cycles;
  out.note = "timeline model: " + std::to_string(cycles) + " cycles, " +
             std::to_string(dataflowEnergy(p, best, cycles)) + " J (minimising " +
             (options.energy ? "energy" : "time") + ")";
  return out;
}

std::vector<std::vector<std::string>> schemeDataflows(const Problem& p, const std::string& scheme) {
  std::vector<std::vector<std::string>> out(p.size());
  std::size_t k = 0;  // layers that can take either dataflow so far
  for (std::size_t i = 0; i < p.size(); ++i) {
    const bool either = canRunInputStationary(p, i);
    if (scheme == "ws-ws")
      out[i] = {"ws"};
    else if (scheme == "is-is")
      out[i] = {"is"};
    else if (scheme == "ws-is" || scheme == "is-ws")
      // Alternating over the layers that can take either (the others stay ws).
      out[i] = {(k % 2 == 0) == (scheme == "ws-is") ? "ws" : "is"};
    else if (scheme == "hybrid")
      out[i] = {"ws", "is"};
    else
      throw ConfigError("no dataflow scheme '" + scheme + "' (ws-ws, is-is, ws-is, is-ws, hybrid)");
    k += either;
  }
  return out;
}

namespace {

class Hybrid : public Allocator {
 public:
  AllocResult allocate(const Problem& p, const AllocOptions& options) const override {
    return chooseDataflows(p, schemeDataflows(p, "hybrid"), options);
  }
};

}  // namespace

XBARSIM_REGISTER_ALLOCATOR("hybrid",
                           "per layer weight- or input-stationary and R together, minimising the "
                           "mixed-dataflow timeline model (a DP over layers, then local search)",
                           Hybrid);

}  // namespace xbarsim
