// Two run files side by side (`xbarsim compare`): their totals, energy by component and
// per-layer timing and energy, layers matched by name.
#pragma once

#include <string>
#include <vector>

namespace xbarsim::validation {

struct RunHeader {
  std::string path, workload, arch, allocator, mode, topology;
};

// One figure of both runs; NaN where a run has none.
struct PairedFigure {
  std::string name, unit;
  double a, b;
};

struct PairedLayer {
  std::string name;
  double a_end, b_end;        // the layer's last cycle
  double a_wait, b_wait;      // cycles it waited for inputs
  double a_energy, b_energy;  // J
};

struct RunComparison {
  RunHeader a, b;
  std::vector<PairedFigure> totals;
  std::vector<PairedFigure> energy;  // by component
  std::vector<PairedLayer> layers;   // A's order, then layers only B has
};

// Throws Error naming the file when one is not an xbarsim run file.
RunComparison compareRuns(const std::string& a, const std::string& b);

}  // namespace xbarsim::validation
