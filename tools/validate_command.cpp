// `xbarsim validate`: run the validation experiments of configs/experiments.
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "io/config_path.h"
#include "tools/cli.h"
#include "validation/cluster.h"
#include "validation/experiment.h"

namespace xbarsim::cli {
namespace {

// The experiments in report order.
const std::vector<std::string>& allExperiments() {
  static const std::vector<std::string> k = {
      "model-accuracy", "optimality",   "heuristics", "isaac",     "bandwidth",
      "solver-runtime", "dp-objective", "aras",       "dataflows", "dataflows-fast-write"};
  return k;
}

}  // namespace

void registerValidate(CLI::App& app) {
  struct Options {
    std::string experiment;
    validation::RunOptions run;
    std::string out = "validation-out";
    bool update_repo = false;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  o->run.progress = isatty(STDERR_FILENO) != 0;  // a progress line on a terminal, not in logs
  o->run.jobs = validation::launchedByMpi()
                    ? 1
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string names;
  for (const std::string& n : allExperiments()) names += (names.empty() ? "" : ", ") + n;
  addCommand(
      app, "validate",
      "Run a validation experiment (YAML in configs/experiments) on every core: it writes "
      "DIR/results/NAME.h5 (resumed if interrupted and rerun), DIR/results/NAME.png and the "
      "experiment's section DIR/results/NAME.md, then rewrites DIR/REPORT.md from the sections "
      "there. DIR is --out (default ./validation-out); --update-repo makes it the source tree's "
      "validation/, whose results are committed. Experiments: " +
          names + ", or all.",
      "xbarsim validate model-accuracy --samples 1000 --jobs 2", [o](CLI::App& cmd) {
        cmd.add_option("experiment", o->experiment, "Experiment name, a path to its YAML, or all")
            ->required();
        cmd.add_option("--samples", o->run.samples,
                       "Override the experiment's size (random allocations or search samples)")
            ->check(wholeNumber(0, 100000000));
        cmd.add_option("--jobs,-j", o->run.jobs,
                       "Worker processes (per MPI rank under mpirun; default there 1)")
            ->capture_default_str()
            ->check(wholeNumber(1, 4096));
        auto* out = cmd.add_option("--out", o->out,
                                   "Directory for REPORT.md and results/ (HDF5 files, figures, "
                                   "sections)")
                        ->capture_default_str();
        cmd.add_flag("--update-repo", o->update_repo,
                     "Write into the source tree's validation/ (" +
                         std::string(XBARSIM_SOURCE_DIR) +
                         "/validation): regenerate the committed results and report on purpose")
            ->excludes(out);
        cmd.add_flag(
            "--no-plot", [o](std::int64_t) { o->run.plot = false; }, "Do not draw figures");
        cmd.add_flag("--json", o->json, "Print one JSON object on stdout");
        return [o] {
          const std::string dir =
              o->update_repo ? std::string(XBARSIM_SOURCE_DIR) + "/validation" : o->out;
          o->run.out_dir = dir + "/results";
          const std::string report = dir + "/REPORT.md";
          prepareOutput(report, true);
          const std::vector<std::string> todo =
              o->experiment == "all" ? allExperiments() : std::vector<std::string>{o->experiment};
          nlohmann::json results = nlohmann::json::array();
          for (const std::string& name : todo) {
            const validation::ExperimentConfig cfg = validation::loadExperiment(name);
            const validation::Outcome out = validation::runExperiment(cfg, o->run);
            if (!out.root) continue;  // an MPI rank other than 0: rank 0 writes and reports
            results.push_back({{"experiment", cfg.name},
                               {"h5", out.h5},
                               {"png", out.png},
                               {"tasks", out.tasks},
                               {"resumed", out.resumed},
                               {"wall_s", out.wall_s}});
            if (!o->json)
              std::printf("%s: %lld tasks (%lld from an earlier run), %.1f s; wrote %s, %s\n",
                          cfg.name.c_str(), static_cast<long long>(out.tasks),
                          static_cast<long long>(out.resumed), out.wall_s, out.h5.c_str(),
                          out.png.c_str());
          }
          if (!validation::cluster().root()) return;
          std::vector<std::string> order = allExperiments();
          if (o->experiment != "all" &&
              std::find(order.begin(), order.end(), o->experiment) == order.end())
            order.push_back(validation::loadExperiment(o->experiment).name);
          validation::writeReport(report, o->run.out_dir, order);
          if (o->json)
            printJson({{"experiments", results}, {"report", report}});
          else
            std::printf("report: %s\n", report.c_str());
        };
      });
}

}  // namespace xbarsim::cli
