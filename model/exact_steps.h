// The exact step model, beyond the paper: the step at which each allocated layer computes each
// group of R output positions, without SystemC. Semantics:
// - a layer with R crossbar sets computes R output positions per step, in raster order, all R
//   in the same step (a group);
// - it may compute a group at step t only when every input the group needs (through the
//   producer's fused pool and any glue, with padding always available) has been produced by
//   the end of step t - lag; adds and concats wait for all their producers;
// - one group per step at most; a step with nothing to compute is a stall.
// lag = 0 is the paper's convention (a consumer may use what its producer completes in the same
// step, Figure 5). The model is exact for these semantics: Algorithm 1 differs from it only
// where it approximates stalls.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "model/problem.h"

namespace xbarsim {

// When each group of one layer computes, stored as runs of consecutive steps.
class Timeline {
 public:
  Timeline() = default;
  std::int64_t groups() const { return groups_; }
  std::int64_t first() const { return runs_.empty() ? 0 : runs_.front().second; }
  std::int64_t last() const { return last_; }
  // Step of group g (0-based); steps are 1-based.
  std::int64_t stepOf(std::int64_t g) const;
  // Steps between the first and the last in which the layer computed nothing.
  std::int64_t stalls() const { return last_ - first() + 1 - groups_; }
  void append(std::int64_t step);  // the next group computes at `step`

 private:
  std::vector<std::pair<std::int64_t, std::int64_t>> runs_;  // (first group, its step)
  std::int64_t groups_ = 0;
  std::int64_t last_ = 0;
};

struct ExactLayer {
  std::int64_t first_step = 0, last_step = 0, stalls = 0;
};

struct ExactResult {
  std::int64_t steps = 0;  // the last step of any layer
  std::vector<ExactLayer> layers;
};

// Producer output count layer i's group g needs along `in` (0: nothing, only padding).
std::int64_t neededOutputs(const Problem& p, std::size_t i, std::int64_t r_i, std::int64_t g,
                           const InputPath& in);

// Layer i's timeline given R of layers 0..i and the timelines of its producers. Stops early
// and returns false once the layer cannot finish before step `give_up` (0: never give up).
bool exactLayer(const Problem& p, std::size_t i, const std::int64_t* r,
                const Timeline* const* producer_timelines, std::int64_t lag, Timeline& out,
                std::int64_t give_up = 0);

ExactResult exactSteps(const Problem& p, const Allocation& r, std::int64_t lag = 0);

}  // namespace xbarsim
