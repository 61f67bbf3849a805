// Fidelity: the simulator against the exact step model, two independent implementations of
// the same timing rules. With data movement ideal (no bandwidth, unbounded buffers, instant
// vector units), every crossbar layer's first step, last step and stalls in the simulation
// must equal the exact step model's at the simulator's lag, for the DP's allocation and for
// random ones, with every layer of the network allocated (residual, concat, depthwise, fc).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/problem.h"

namespace xbarsim::validation {

// One allocated layer over all allocations checked.
struct FidelityLayer {
  std::string name, type;
  std::int64_t mismatches = 0;     // allocations where its first/last step or stalls differ
  std::int64_t max_step_diff = 0;  // largest |simulated - exact| last step
};

struct FidelityCase {
  std::string workload;
  std::string layers;              // "all" or "paper"
  std::int64_t crossbars = 0;      // budget (the arch gets enough tiles for it)
  std::int64_t allocations = 0;    // simulated (1 dp + random)
  std::int64_t mismatches = 0;     // allocations where some layer's steps differ
  std::int64_t max_step_diff = 0;  // largest |simulated - exact| total steps
  std::vector<FidelityLayer> per_layer;
  double wall_s = 0;
};

// Checks `workload` with `samples` random allocations (seeded) plus the DP's. The budget is
// twice the crossbars the allocated layers need (at least 2304, isaac-like's default).
// `progress` is called after every simulation with (done, total).
FidelityCase checkFidelity(const std::string& workload, LayerSelection layers, std::int64_t samples,
                           std::uint64_t seed,
                           const std::function<void(std::int64_t, std::int64_t)>& progress);

// The zoo's CNNs.
std::vector<std::string> zooCnns();

}  // namespace xbarsim::validation
