// The HDF5 run file: one file per run holding the inputs (the resolved arch and workload YAML,
// seed, command), the Plan, the analytical Estimate and the SimResult side by side, per-layer
// energy, every block's counters, time series and, with --trace, the event trace. Numeric
// datasets carry a `units` attribute. The layout is documented in the README ("Run files");
// the plotting scripts read only that layout.
#pragma once

#include <string>

#include "model/estimate.h"
#include "model/plan.h"
#include "sim/sim_result.h"
#include "sim/simulator.h"
#include "workloads/network.h"

namespace xbarsim::validation {

constexpr std::int64_t kRunFormatVersion = 5;

// The lag of the exact step model that the simulator's timing corresponds to (README, "Which
// lag"): outputs exist when a group ends, one step before a consumer can use them.
constexpr std::int64_t kSimulatorLag = 1;

struct RunRecord {
  const Problem* problem = nullptr;  // none for a layer-sequential run
  const Network* network = nullptr;
  const Plan* plan = nullptr;
  const Estimate* estimate = nullptr;          // Algorithm 1 and the exact model at lag 0
  const ExactResult* exact_sim_lag = nullptr;  // the exact model at the simulator's lag
  const sim::SimResult* sim = nullptr;
  std::string allocator;
  std::string command;
  std::string version;
  std::uint64_t seed = 0;
  const ArchSpec* arch = nullptr;  // the problem's arch when there is a problem
};

// Simulates allocation `r` of `p` (its network, arch and Plan).
sim::SimResult simulateAllocation(const Problem& p, const Allocation& r, const sim::SimOptions& o);

// Writes the run to `path` (via a temporary name, renamed when complete).
void writeRunFile(const std::string& path, const RunRecord& run);

}  // namespace xbarsim::validation
