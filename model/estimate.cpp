#include "model/estimate.h"

namespace xbarsim {

StepModel parseStepModel(const std::string& text) {
  if (text == "alg1") return StepModel::kAlg1;
  if (text == "exact") return StepModel::kExact;
  throw ConfigError(
      "--objective must be 'alg1' (the paper's Algorithm 1) or 'exact' (the exact "
      "step model), got '" +
      text + "'");
}

const char* stepModelName(StepModel m) {
  return m == StepModel::kAlg1 ? "alg1" : "exact";
}

Estimate estimate(const Problem& p, const Allocation& r, const Objective& objective) {
  checkAllocation(p, r);
  const Alg1Result a = algorithm1(p, r);
  const ExactResult x = exactSteps(p, r, objective.lag);
  const StepTime t = StepTimeModel(p, objective.bandwidth).evaluate(r);
  Estimate e;
  e.objective = objective;
  e.alg1_steps = a.steps;
  e.exact_steps = x.steps;
  e.steps = objective.steps == StepModel::kAlg1 ? a.steps : x.steps;
  e.step_cycles = t.step_cycles;
  e.compute_cycles = t.compute_cycles;
  e.cycles = e.steps * e.step_cycles;
  e.seconds = static_cast<double>(e.cycles) * p.arch().clock_period_s;
  e.crossbars_used = crossbarsUsed(p, r);
  for (std::size_t i = 0; i < p.size(); ++i)
    e.layers.push_back({r[i], r[i] * p[i].fused.set, a.layers[i], x.layers[i], t.access_cycles[i]});
  return e;
}

}  // namespace xbarsim
