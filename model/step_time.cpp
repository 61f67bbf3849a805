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

double StepTimeModel::producerTraffic(std::size_t i, const std::int64_t* r) const {
  if (!bandwidth_) return 0.0;
  double traffic = 0;
  for (const int q : (*p_)[i].producers) {
    const double t_q = tiles(static_cast<std::size_t>(q), r[q]);
    const double r_q = static_cast<double>(r[q]) / t_q;
    traffic += t_q * r_q * static_cast<double>((*p_)[q].fused.co) * bytes_per_value_ *
               inter_cycles_per_byte_;
  }
  return traffic;
}

double StepTimeModel::accessCycles(std::size_t i, std::int64_t r_i, double producer_traffic) const {
  if (!bandwidth_) return 0.0;
  const FusedLayer& f = (*p_)[i].fused;
  const double t_i = tiles(i, r_i);
  const double sets_per_tile = static_cast<double>(r_i) / t_i;
  return sets_per_tile * static_cast<double>(f.kc * f.kc * f.ci) * bytes_per_value_ *
             intra_cycles_per_byte_ +
         t_i * producer_traffic;
}

std::int64_t StepTimeModel::layerStepCycles(std::size_t i, std::int64_t r_i,
                                            double producer_traffic) const {
  // A tiny tolerance keeps float noise from adding a cycle to exact multiples.
  const double access = accessCycles(i, r_i, producer_traffic);
  return std::max(compute_, static_cast<std::int64_t>(std::ceil(access - 1e-9)));
}

StepTime StepTimeModel::evaluate(const Allocation& r) const {
  StepTime t;
  t.compute_cycles = compute_;
  t.step_cycles = compute_;
  for (std::size_t i = 0; i < p_->size(); ++i) {
    const double traffic = producerTraffic(i, r.data());
    t.access_cycles.push_back(accessCycles(i, r[i], traffic));
    t.step_cycles = std::max(t.step_cycles, layerStepCycles(i, r[i], traffic));
  }
  return t;
}

}  // namespace xbarsim
