#include "model/exact_steps.h"

#include <algorithm>

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// The producer output count needed for the single output position q.
std::int64_t neededFor(const Problem& p, std::int64_t q, std::int64_t wo, const InputPath& in) {
  std::int64_t row = q / wo;
  std::int64_t col = q % wo;
  for (const Window& w : in.windows) {
    row = w.lastRow(row);
    col = w.lastCol(col);
    if (row < 0 || col < 0) return 0;
  }
  return row * p[static_cast<std::size_t>(in.producer)].fused.wo + col + 1;
}

}  // namespace

std::int64_t Timeline::stepOf(std::int64_t g) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), std::make_pair(g, INT64_MAX));
  --it;
  return it->second + (g - it->first);
}

void Timeline::append(std::int64_t step) {
  if (runs_.empty() || step != last_ + 1) runs_.emplace_back(groups_, step);
  ++groups_;
  last_ = step;
}

std::int64_t neededOutputs(const Problem& p, std::size_t i, std::int64_t r_i, std::int64_t g,
                           const InputPath& in) {
  const FusedLayer& f = p[i].fused;
  const std::int64_t positions = f.wo * f.ho;
  const std::int64_t first = g * r_i;
  const std::int64_t last = std::min(first + r_i, positions) - 1;
  // Requirements grow along raster order except where clipping at the bottom edge makes two
  // rows read the same input rows: then the end of the previous row can need more columns.
  std::int64_t need = neededFor(p, last, f.wo, in);
  const std::int64_t row_end = (last / f.wo) * f.wo - 1;
  if (row_end >= first) need = std::max(need, neededFor(p, row_end, f.wo, in));
  return need;
}

bool exactLayer(const Problem& p, std::size_t i, const std::int64_t* r,
                const Timeline* const* producer_timelines, std::int64_t lag, Timeline& out,
                std::int64_t give_up) {
  const ProblemLayer& l = p[i];
  const std::int64_t groups = ceilDiv(l.fused.wo * l.fused.ho, r[i]);
  out = Timeline();
  std::int64_t step = 0;
  for (std::int64_t g = 0; g < groups; ++g) {
    std::int64_t ready = step + 1;
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
      const InputPath& in = l.inputs[k];
      const std::int64_t need = neededOutputs(p, i, r[i], g, in);
      if (need == 0) continue;
      const std::int64_t rp = r[in.producer];
      ready = std::max(ready, producer_timelines[k]->stepOf(ceilDiv(need, rp) - 1) + lag);
    }
    step = ready;
    out.append(step);
    if (give_up > 0 && step + (groups - g - 1) >= give_up) return false;
  }
  return true;
}

ExactResult exactSteps(const Problem& p, const Allocation& r, std::int64_t lag) {
  std::vector<Timeline> timelines(p.size());
  ExactResult res;
  res.layers.resize(p.size());
  std::vector<const Timeline*> inputs;
  for (std::size_t i = 0; i < p.size(); ++i) {
    inputs.clear();
    for (const InputPath& in : p[i].inputs) inputs.push_back(&timelines[in.producer]);
    exactLayer(p, i, r.data(), inputs.data(), lag, timelines[i]);
    res.layers[i] = {timelines[i].first(), timelines[i].last(), timelines[i].stalls()};
    res.steps = std::max(res.steps, timelines[i].last());
  }
  return res;
}

}  // namespace xbarsim
