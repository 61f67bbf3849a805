// The HDF5 run file: one file per run holding the inputs (arch and workload YAML, seed,
// command), the Plan, the analytical Estimate and the SimResult side by side, time series and,
// with --trace, the event trace. The layout is documented in the README ("Run files"); the
// plotting scripts read only that layout.
#pragma once

#include <string>

#include "model/estimate.h"
#include "model/plan.h"
#include "sim/sim_result.h"
#include "workloads/network.h"

namespace xbarsim::sim {

constexpr std::int64_t kRunFormatVersion = 1;

struct RunRecord {
  const Problem* problem = nullptr;
  const Network* network = nullptr;
  const Plan* plan = nullptr;
  const Estimate* estimate = nullptr;          // Algorithm 1 and the exact model at lag 0
  const ExactResult* exact_sim_lag = nullptr;  // the exact model at the simulator's lag
  const SimResult* sim = nullptr;
  std::string allocator;
  std::string command;
  std::string version;
  std::uint64_t seed = 0;
};

// Writes the run to `path` (via a temporary name, renamed when complete).
void writeRunFile(const std::string& path, const RunRecord& run);

// The lag of the exact step model that the simulator's timing corresponds to.
constexpr std::int64_t kSimulatorLag = 1;

}  // namespace xbarsim::sim
