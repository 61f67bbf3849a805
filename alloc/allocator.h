// Crossbar allocators: each picks R (crossbar sets per allocated layer) under the
// crossbar-allocation paper's eq. 3-6. Each is one file that registers itself by name with
// XBARSIM_REGISTER_ALLOCATOR; `xbarsim allocate --allocator NAME` picks it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "model/estimate.h"

namespace xbarsim {

struct AllocOptions {
  Objective objective;
  std::uint64_t seed = 1;                     // random
  std::int64_t samples = 10000;               // random: evaluated (kept) samples
  double min_cosine = 0.9;                    // random: pruning threshold on cos(R, WoHo)
  std::int64_t exhaustive_limit = 100000000;  // exhaustive: most allocations it will enumerate
  std::int64_t beam = 1;                      // dp: prefixes kept per state (1: Algorithm 2)
  bool energy = false;                        // hybrid: minimise energy instead of time
};

struct AllocResult {
  Allocation r;
  std::int64_t evaluations = 0;  // objective evaluations made
  std::string note;              // what the allocator wants the user to know
  // Per layer "ws" or "is" (then r is its column groups); empty: every layer weight-stationary.
  std::vector<std::string> dataflows;
};

class Allocator {
 public:
  virtual ~Allocator() = default;
  virtual AllocResult allocate(const Problem& p, const AllocOptions& options) const = 0;
};

// Thrown when an allocator's rule cannot fit the budget; the message carries the numbers.
class AllocationError : public Error {
 public:
  using Error::Error;
};

using AllocatorFactory = std::function<std::unique_ptr<Allocator>()>;

struct AllocatorInfo {
  std::string description;
  AllocatorFactory make;
};

std::map<std::string, AllocatorInfo>& allocatorRegistry();
bool registerAllocator(const std::string& name, const std::string& description,
                       AllocatorFactory make);
// Throws ConfigError listing the registered names when `name` is not one of them.
std::unique_ptr<Allocator> makeAllocator(const std::string& name);
std::vector<std::string> allocatorNames();

// The value allocators minimise: steps x step cycles under an objective.
class ObjectiveEvaluator {
 public:
  ObjectiveEvaluator(const Problem& p, const Objective& objective);
  std::int64_t operator()(const Allocation& r) const;

 private:
  const Problem* p_;
  Objective objective_;
  StepTimeModel time_;
};

// Heuristics that scale one integer k: the largest k whose rule(k) fits the budget (rule must
// grow with k and saturate). Throws AllocationError with the numbers when rule(1) does not fit.
Allocation largestFitting(const Problem& p, const std::string& heuristic,
                          const std::function<Allocation(std::int64_t)>& rule);

// One random allocation that fits: log-normal perturbations (of random strength) of the
// Wo x Ho-proportional direction, scaled to a random share (50-100 %) of the budget, rounded
// into eq. 3-6. The random allocator's sampler; also used to draw allocations for validation.
Allocation sampleAllocation(const Problem& p, std::mt19937_64& rng);

#define XBARSIM_REGISTER_ALLOCATOR(NAME, DESCRIPTION, CLASS)            \
  static const bool kRegistered_##CLASS = ::xbarsim::registerAllocator( \
      NAME, DESCRIPTION, [] { return std::unique_ptr<::xbarsim::Allocator>(new CLASS); })

}  // namespace xbarsim
