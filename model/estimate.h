// The analytical estimate of one allocation: steps from Algorithm 1 and from the exact step
// model, the step time (with or without bandwidth), and inference time in cycles and seconds.
// Field names match the simulator's results so that validation can compare them generically.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/algorithm1.h"
#include "model/exact_steps.h"
#include "model/step_time.h"

namespace xbarsim {

enum class StepModel { kAlg1, kExact };

StepModel parseStepModel(const std::string& text);  // "alg1" | "exact"
const char* stepModelName(StepModel m);

// What an allocator minimises and an estimate reports as `steps`.
struct Objective {
  StepModel steps = StepModel::kAlg1;
  bool bandwidth = true;
  std::int64_t lag = 0;  // of the exact step model
};

struct LayerEstimate {
  std::int64_t r = 0, crossbars = 0;
  Alg1Layer alg1;
  ExactLayer exact;
  double access_cycles = 0;
};

struct Estimate {
  Objective objective;
  std::int64_t steps = 0;        // by the objective's step model
  std::int64_t alg1_steps = 0;   // Algorithm 1
  std::int64_t exact_steps = 0;  // exact step model
  std::int64_t step_cycles = 0;  // T_step
  std::int64_t compute_cycles = 0;
  std::int64_t cycles = 0;  // steps x step_cycles
  double seconds = 0;
  std::int64_t crossbars_used = 0;
  std::vector<LayerEstimate> layers;
};

Estimate estimate(const Problem& p, const Allocation& r, const Objective& objective);

}  // namespace xbarsim
