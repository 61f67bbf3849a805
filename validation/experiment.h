// Validation experiments: a YAML file in configs/experiments names a kind (what to compute), the
// cases (networks, budgets, tile counts, bandwidth scales) and the sizes. The runner splits the
// work into tasks, runs them on every core, checkpoints the results to the experiment's HDF5
// file (complete or not, always a whole file), resumes from it when rerun, and finally writes
// the summary, the figure (tools/plot_validation.py) and a markdown section of the report.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "validation/table.h"

namespace xbarsim::validation {

struct ExperimentConfig {
  std::string name, kind, paper, description, arch = "isaac-like";
  std::uint64_t seed = 1;
  std::int64_t samples = 0;      // kind-specific size (random allocations, search samples, ...)
  std::int64_t sim_samples = 0;  // model-accuracy: samples the simulator confirms per network
  std::string baseline_arch;     // aras: the baseline configuration's arch (default: arch)
  std::string reference;         // aras: the systolic-array preset compared against
  Table cases;                   // one row per expanded case (schema: caseSchema())
  std::string yaml_text;
  std::string path;
};

// Columns every experiment's cases have (unused ones hold 0 / "").
std::vector<Column> caseSchema();

ExperimentConfig loadExperiment(const std::string& name_or_path);

// What one kind of experiment computes and reports.
class Kind {
 public:
  virtual ~Kind() = default;
  // Columns of a point row after the fixed "task" and "case" columns.
  virtual std::vector<Column> pointColumns() const = 0;
  // Tasks of case c (each computes some point rows).
  virtual std::int64_t tasksPerCase(const ExperimentConfig& cfg, std::size_t c) const = 0;
  virtual std::vector<Row> compute(const ExperimentConfig& cfg, std::size_t c,
                                   std::int64_t index) const = 0;
  virtual std::vector<Column> summaryColumns() const { return {}; }
  virtual Table summary(const ExperimentConfig&, const Table& /*points*/) const {
    return Table(summaryColumns());
  }
  // The report section (markdown), figure at `figure` (relative to the report).
  virtual std::string report(const ExperimentConfig& cfg, const Table& points, const Table& summary,
                             const std::string& figure) const = 0;
};

std::map<std::string, std::unique_ptr<Kind>>& kindRegistry();
bool registerKind(const std::string& name, std::unique_ptr<Kind> kind);
const Kind& findKind(const std::string& name);

struct RunOptions {
  int jobs = 2;
  std::string out_dir = "validation-out/results";
  std::int64_t samples = -1;  // overrides the config's when >= 0
  bool progress = true;
  bool plot = true;
};

struct Outcome {
  std::string h5, png, markdown;
  std::int64_t tasks = 0, resumed = 0;  // resumed: tasks found done in the file
  double wall_s = 0;                    // total over all sessions of this experiment
  bool root = true;  // false on MPI ranks other than 0: they computed, rank 0 wrote
};

Outcome runExperiment(ExperimentConfig cfg, const RunOptions& options);

// Rewrites `report_path` from the markdown sections in `out_dir`, in the order of `names`.
void writeReport(const std::string& report_path, const std::string& out_dir,
                 const std::vector<std::string>& names);

#define XBARSIM_REGISTER_KIND(NAME, CLASS) \
  static const bool kKind_##CLASS =        \
      ::xbarsim::validation::registerKind(NAME, std::make_unique<CLASS>())

}  // namespace xbarsim::validation
