// Sweeps: one xbarsim command (simulate by default) run at every point of a cartesian product
// of option values, the figures picked from its --json output. Each point is the command run
// as its own process, so a sweep can vary anything the command line can (--param values,
// workloads, archs, allocators, modes, topologies through --param topology=...), and one point
// that fails (a network too large for the tiles) is recorded as a failed row, not a lost sweep.
// The points run on the checkpointed, resumable task engine (validation/task_run.h), on every
// core and every MPI rank, into NAME.h5 (table /points), NAME.csv and the overlay plot NAME.png.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "validation/table.h"

namespace xbarsim::validation {

// An option and its value(s). `key` is an option's long name (workload, allocator, mode,
// xbar-size, ...) or param.NAME for --param NAME=value; the value "true" passes a flag alone.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

struct SweepSpec {
  std::string name = "sweep";
  std::string description;
  std::string command = "simulate";
  std::vector<SweepAxis> set;        // one value each: every point gets them
  std::vector<SweepAxis> axes;       // the product, the first axis varying slowest
  std::vector<std::string> figures;  // dotted paths into the command's JSON ("simulation.cycles")
  bool runs = false;                 // keep each point's run file (simulate and run)
  std::string plot_x;                // the plot's x axis (default: the first numeric axis)
  bool log_x = false;
  std::string source;  // the YAML file, or "command line"

  std::size_t points() const;
  // The command line of point `p` (after the program name): the command, its options, --json.
  std::vector<std::string> pointArgs(std::size_t p) const;
  // Axis values of point `p`, in axis order.
  std::vector<std::string> pointValues(std::size_t p) const;
  // What a results file must have been computed from to be resumed.
  std::string identity() const;
  // Sets option `a.key` to `a`'s values for every point (`axis` false) or as an axis, in place
  // of whatever the spec said of that option (a command line over a file).
  void put(SweepAxis a, bool axis);
  // Checks the spec (known command, unique keys, no --json/--out, figures), filling defaults.
  void check();
};

// Reads a sweep YAML (a name in configs/sweeps or a path).
SweepSpec loadSweep(const std::string& name_or_path);
// "KEY=V1,V2,..." from the command line.
SweepAxis parseAxis(const std::string& text);

struct SweepOptions {
  std::string program;  // the xbarsim executable that runs each point
  std::string out_dir = "out";
  int jobs = 1;
  bool progress = true;
  bool plot = true;
};

struct SweepOutcome {
  bool root = true;  // false on MPI ranks other than 0
  std::string h5, csv, png;
  Table points;
  std::int64_t total = 0, resumed = 0, failed = 0;
  std::string first_failure;  // the first failed point's message
  double wall_s = 0;
  bool drawn = false;
};

SweepOutcome runSweep(const SweepSpec& spec, const SweepOptions& options);

}  // namespace xbarsim::validation
