// What a simulation reports. Field names match the analytical Estimate where they mean the
// same (steps, cycles, seconds, per-layer first/last step and stalls) so that validation can
// compare them generically.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/tracer.h"
#include "sim/write_driver.h"

namespace xbarsim::sim {

struct SimOptions {
  bool bandwidth = true;  // false: data movement takes no time (the models' --no-bandwidth)
  bool trace = false;
  std::uint64_t seed = 1;    // synthetic weights
  std::string weights_path;  // HDF5 weights; empty: synthetic
};

struct SimLayer {
  std::int64_t groups = 0;
  std::int64_t first_step = 0, last_step = 0, stalls = 0;  // steps of step_cycles
  std::int64_t first_cycle = 0, last_cycle = 0;            // first start, last end
  std::int64_t wait_cycles = 0;  // cycles between groups beyond one computation stage
};

struct GroupRecord {
  std::int32_t layer;
  std::int64_t start, end;
};

struct ResourceStats {
  std::string name;
  std::int64_t busy_cycles = 0, wait_cycles = 0, requests = 0;
};

struct SimResult {
  std::int64_t cycles = 0;       // inference: first input load to last output stored
  std::int64_t step_cycles = 0;  // one computation stage, as it emerged from the APU
  std::int64_t steps = 0;        // cycles / step_cycles, rounded up
  double seconds = 0;
  double energy_j = 0;
  std::map<std::string, double> energy_by_component;
  ProgrammingStats programming;
  std::int64_t events = 0;
  double wall_s = 0;
  std::vector<SimLayer> layers;
  std::vector<GroupRecord> groups;
  std::vector<ResourceStats> resources;
  std::vector<int> powered_banks;
  std::int64_t bin_cycles = 0;
  std::vector<std::vector<double>> tile_utilisation;  // [tile][bin], 0..1
  std::vector<double> noc_bytes;                      // [bin]
  std::vector<TraceEvent> trace;
  std::vector<std::string> trace_components;
};

}  // namespace xbarsim::sim
