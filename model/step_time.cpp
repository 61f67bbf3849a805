#include "model/step_time.h"

#include <algorithm>
#include <cmath>

namespace xbarsim {

StepTimeModel::StepTimeModel(const Problem& p, bool bandwidth)
    : p_(&p), bandwidth_(bandwidth), compute_(p.arch().computeStageCycles()) {
  const ArchSpec& a = p.arch();
  per_tile_ = static_cast<double>(a.logicalCrossbarsPerTile());
  intra_cycles_per_byte_ = 1.0 / (a.chip.tile.input_buffer.bandwidth_bps * a.clock_period_s);
  inter_cycles_per_byte_ = 1.0 / (a.chip.noc.bandwidth_bps * a.clock_period_s);
  bytes_per_value_ = a.data.input_bits / 8.0;
}

double StepTimeModel::tiles(std::size_t i, std::int64_t r) const {
  return std::ceil(static_cast<double>(r * (*p_)[i].fused.set) / per_tile_);
}

double StepTimeModel::accessCycles(std::size_t i, const std::int64_t* r) const {
  if (!bandwidth_) return 0.0;
  const FusedLayer& f = (*p_)[i].fused;
  const double t_i = tiles(i, r[i]);
  const double r_i = static_cast<double>(r[i]) / t_i;
  double cycles = r_i * static_cast<double>(f.kc * f.kc * f.ci) * bytes_per_value_ *
                  intra_cycles_per_byte_;
  for (const int q : (*p_)[i].producers) {
    const double t_q = tiles(static_cast<std::size_t>(q), r[q]);
    const double r_q = static_cast<double>(r[q]) / t_q;
    cycles += t_i * t_q * r_q * static_cast<double>((*p_)[q].fused.co) * bytes_per_value_ *
              inter_cycles_per_byte_;
  }
  return cycles;
}

std::int64_t StepTimeModel::layerStepCycles(std::size_t i, const std::int64_t* r) const {
  // A tiny tolerance keeps float noise from adding a cycle to exact multiples.
  const auto access = static_cast<std::int64_t>(std::ceil(accessCycles(i, r) - 1e-9));
  return std::max(compute_, access);
}

StepTime StepTimeModel::evaluate(const Allocation& r) const {
  StepTime t;
  t.compute_cycles = compute_;
  t.step_cycles = compute_;
  for (std::size_t i = 0; i < p_->size(); ++i) {
    t.access_cycles.push_back(accessCycles(i, r.data()));
    t.step_cycles = std::max(t.step_cycles, layerStepCycles(i, r.data()));
  }
  return t;
}

}  // namespace xbarsim
