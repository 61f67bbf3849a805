#include "alloc/allocator.h"

namespace xbarsim {

std::map<std::string, AllocatorInfo>& allocatorRegistry() {
  static std::map<std::string, AllocatorInfo> registry;
  return registry;
}

bool registerAllocator(const std::string& name, const std::string& description,
                       AllocatorFactory make) {
  allocatorRegistry()[name] = {description, std::move(make)};
  return true;
}

std::vector<std::string> allocatorNames() {
  std::vector<std::string> names;
  for (const auto& entry : allocatorRegistry()) names.push_back(entry.first);
  return names;
}

std::unique_ptr<Allocator> makeAllocator(const std::string& name) {
  const auto it = allocatorRegistry().find(name);
  if (it == allocatorRegistry().end()) {
    std::string known;
    for (const std::string& n : allocatorNames()) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("no allocator named '" + name + "' (allocators: " + known + ")");
  }
  return it->second.make();
}

ObjectiveEvaluator::ObjectiveEvaluator(const Problem& p, const Objective& objective)
    : p_(&p), objective_(objective), time_(p, objective.bandwidth) {}

std::int64_t ObjectiveEvaluator::operator()(const Allocation& r) const {
  const std::int64_t steps = objective_.steps == StepModel::kAlg1
                                 ? algorithm1(*p_, r).steps
                                 : exactSteps(*p_, r, objective_.lag).steps;
  return steps * time_.evaluate(r).step_cycles;
}

Allocation largestFitting(const Problem& p, const std::string& heuristic,
                          const std::function<Allocation(std::int64_t)>& rule) {
  const Allocation smallest = rule(1);
  if (crossbarsUsed(p, smallest) > p.total()) {
    std::string rs;
    for (const std::int64_t x : smallest) rs += (rs.empty() ? "" : ",") + std::to_string(x);
    throw AllocationError(heuristic + " cannot fit in the budget: its smallest allocation R = " +
                          rs + " needs " + std::to_string(crossbarsUsed(p, smallest)) +
                          " crossbars but only " + std::to_string(p.total()) + " are available");
  }
  std::int64_t lo = 1, hi = 2;  // rule(lo) fits; find hi that does not (or saturates)
  while (crossbarsUsed(p, rule(hi)) <= p.total() && rule(hi) != rule(lo)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (crossbarsUsed(p, rule(mid)) <= p.total() ? lo : hi) = mid;
  }
  return rule(lo);
}

}  // namespace xbarsim
