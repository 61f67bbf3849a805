// Fidelity of the exact step model against the simulator: with data movement free, the
// simulated steps of every layer must equal the exact step model's at the simulator's lag, for
// the DP's allocation and for random ones.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace xbarsim::validation {

struct FidelityCase {
  std::string workload;
  std::int64_t crossbars = 0;      // budget (the arch gets enough tiles for it)
  std::int64_t allocations = 0;    // simulated (1 dp + random)
  std::int64_t mismatches = 0;     // allocations where some layer's steps differ
  std::int64_t max_step_diff = 0;  // largest |simulated - exact| total steps
  double wall_s = 0;
};

// Checks `workload` with `samples` random allocations (seeded) plus the DP's. The budget is
// twice the crossbars the main-path convolutions need (at least 2304, isaac-like's default).
// `progress` is called after every simulation with (done, total).
FidelityCase checkFidelity(const std::string& workload, std::int64_t samples, std::uint64_t seed,
                           const std::function<void(std::int64_t, std::int64_t)>& progress);

// The zoo's CNNs.
std::vector<std::string> zooCnns();

}  // namespace xbarsim::validation
