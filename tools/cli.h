// Pieces every xbarsim subcommand shares: the --arch/--workload/--param/--xbar-size/--json
// options, loading what they name, and number formatting for tables.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "model/estimate.h"
#include "sim/simulator.h"
#include "validation/run_file.h"
#include "workloads/network.h"

namespace xbarsim::cli {

// A whole number in [min, max], with a message that says so (CLI11's own number checks print
// a 300-digit range).
CLI::Validator wholeNumber(std::int64_t min, std::int64_t max);

// The inputs a command works on. Fill by add(), then call load().
struct Inputs {
  std::string arch = "isaac-like";
  std::string workload;
  std::vector<std::string> params;  // name=value, routed to whichever file declares `name`
  int xbar_size = 0;                // 0: the arch's crossbar rows x cols
  bool json = false;
  bool workload_optional = false;  // describe --resolved prints an arch alone

  void add(CLI::App& cmd);
  // The arch alone (every --param must be one it declares).
  ArchSpec loadArch() const;
  struct Loaded {
    ArchSpec arch;
    Network net;
    std::int64_t xbar_rows, xbar_cols;
  };
  Loaded load() const;
};

// The inputs of the commands that allocate and estimate: Inputs plus the budget, which layers
// get crossbars, the step model and whether bandwidth counts.
struct ProblemInputs {
  Inputs base;
  std::int64_t crossbars = 0;  // 0: every logical crossbar of the arch
  std::string layers = "all";
  std::string objective = "alg1";
  bool no_bandwidth = false;

  void add(CLI::App& cmd);
  // Everything a Problem refers to, kept alive together.
  struct Loaded {
    Inputs::Loaded in;
    std::unique_ptr<FusedView> view;
    std::unique_ptr<Problem> problem;
    Objective objective;
  };
  // `with_problem` false: no Problem (layer-sequential runs need none, and the network may be
  // larger than the chip).
  std::unique_ptr<Loaded> load(bool with_problem = true) const;
};

// Where an allocation comes from: --allocation R1,R2,... or --allocator NAME (and its options).
struct AllocationInputs {
  std::string allocation;
  std::string allocator;
  std::int64_t beam = 1;
  std::uint64_t seed = 1;
  std::string placement = "snake";
  std::string mode = "pipelined";
  std::string dataflow = "ws";     // pipelined: ws, is (every layer's) or hybrid (plan/plan.h)
  std::string minimise = "time";   // hybrid: time or energy
  OuSharingOptions ou_sharing;     // pipelined: OU sharing and pruning (weights/ou_sharing.h)
  std::string scheduler = "aras";  // layer-sequential
  std::int64_t inferences = 1;     // layer-sequential
  bool weight_reuse = false;       // layer-sequential: ARAS's partial weight reuse

  // `default_allocator` empty: one of the two flags is required (in pipelined mode).
  void add(CLI::App& cmd, const std::string& default_allocator);
  struct Resolved {
    Allocation r;
    std::string allocator;               // "given" for --allocation
    std::vector<std::string> dataflows;  // per layer, when the allocator chose them
  };
  // With --ou-share, --ou-tolerance or --ou-prune: shares every layer's OUs, with the weights
  // from `weights_path` (or --seed's synthetic ones), setting the problem's sets; prints what
  // it saved unless `quiet`.
  void shareOus(Problem& p, const std::string& weights_path, bool quiet) const;
  // The allocation (--dataflow hybrid: the hybrid allocator's).
  Resolved resolve(const Problem& p, const Objective& objective) const;
  // The allocation's Plan in its dataflows, placed by --placement.
  Plan plan(const Problem& p, const Resolved& a) const;
  bool sequential() const { return mode == "layer-sequential"; }
  // Layer-sequential: the --scheduler's Plan over --inferences inferences, with
  // --weight-reuse chosen from `weights` (the weights the simulation will write).
  Plan sequentialPlan(const Inputs::Loaded& in, const WeightSource& weights) const;
};

// --trace and --trace-format of `simulate` and `run`: the event trace goes into the run file;
// `perfetto` also writes it as Chrome/Perfetto trace-event JSON beside it (RUN.perfetto.json).
struct TraceInputs {
  bool on = false;
  std::string format = "hdf5";
  std::int64_t limit = sim::Tracer::kDefaultHardwareLimit;  // SimOptions::trace_hardware_limit

  void add(CLI::App& cmd);
  // Checks the flags against the run file path `out`; returns whether to record the trace.
  bool check(const std::string& out) const;
  // Writes the JSON when asked and says so (unless `quiet`); warns on stderr when the trace
  // dropped hardware events past its limit.
  void write(const std::string& out, const validation::RunRecord& run, bool quiet) const;
};

// Layer-sequential `simulate` and `run`: schedules, simulates, writes the run file (and, with
// `plot_png`, the plot), prints the summary or JSON.
void simulateSequential(const ProblemInputs::Loaded& loaded, const AllocationInputs& allocation,
                        sim::SimOptions options, const std::string& out, bool json,
                        const std::string& plot_png, const TraceInputs& trace);
// Draws `png` from run file `h5` with tools/plot_run.py; returns whether the PNG was drawn (a
// missing matplotlib only warns).
bool plotRun(const std::string& h5, const std::string& png);

// Simulates `plan` with the loaded network and arch; warns on stderr (unless `quiet`) when
// layers were left without crossbars and so were not simulated.
sim::SimResult simulatePlan(const ProblemInputs::Loaded& loaded, const Plan& plan,
                            const sim::SimOptions& options, bool quiet);

// The run-file record of a simulation of `plan` (estimate fields left empty).
validation::RunRecord runRecord(const ProblemInputs::Loaded& loaded, const Plan& plan,
                                const sim::SimResult& res, const std::string& allocator,
                                std::uint64_t seed);

// JSON of a simulation result, the fields `simulate` and `run` share.
nlohmann::json simJson(const sim::SimResult& r);
// The per-layer table and summary lines of a simulation, as `simulate` and `run` print them.
void printSimulation(const sim::SimResult& r);

// JSON of an estimate, the fields every command that reports one shares.
nlohmann::json estimateJson(const Problem& p, const Estimate& e);
// A per-layer table of an estimate, with a summary line.
void printEstimate(const Problem& p, const Estimate& e);

// Registers a subcommand; `run` executes after parsing.
using Runner = std::function<void()>;
void addCommand(CLI::App& app, const std::string& name, const std::string& summary,
                const std::string& example, const std::function<Runner(CLI::App&)>& setup);

// 1234567 -> "1,234,567".
std::string grouped(std::int64_t n);
// 7.6e9 -> "7.61 G".
std::string engineering(double x);

void printJson(const nlohmann::json& j);

// The command line this process was started with (for result files).
std::string commandLine();
void setCommandLine(int argc, char** argv);

}  // namespace xbarsim::cli
