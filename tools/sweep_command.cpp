// `xbarsim sweep`: one command at every point of a product of option values (validation/sweep.h).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "tools/cli.h"
#include "validation/cluster.h"
#include "validation/sweep.h"
#include "validation/task_run.h"

namespace xbarsim::cli {
namespace {

void printPoints(const validation::Table& t) {
  std::vector<std::size_t> widths;
  const auto& schema = t.schema();
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> shown;
  for (std::size_t c = 1; c < schema.size(); ++c)
    if (schema[c].name != "wall_s" && schema[c].name != "run_file" && schema[c].name != "error")
      shown.push_back(c);
  for (const validation::Row& row : t.rows()) {
    std::vector<std::string> line;
    for (const std::size_t c : shown) {
      if (const auto* s = std::get_if<std::string>(&row[c])) {
        line.push_back(*s);
      } else {
        const double v = std::get<double>(row[c]);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", v);
        line.push_back(std::isnan(v) ? "-" : buf);
      }
    }
    cells.push_back(line);
  }
  for (std::size_t i = 0; i < shown.size(); ++i) {
    std::size_t w = schema[shown[i]].name.size();
    for (const auto& line : cells) w = std::max(w, line[i].size());
    widths.push_back(w);
  }
  for (std::size_t i = 0; i < shown.size(); ++i)
    std::printf("%s%*s", i ? "  " : "", static_cast<int>(widths[i]), schema[shown[i]].name.c_str());
  std::printf("\n");
  for (std::size_t r = 0; r < cells.size(); ++r) {
    for (std::size_t i = 0; i < shown.size(); ++i)
      std::printf("%s%*s", i ? "  " : "", static_cast<int>(widths[i]), cells[r][i].c_str());
    const std::string& error = t.text(r, "error");
    std::printf("%s%s\n", error.empty() ? "" : "  failed: ", error.c_str());
  }
}

}  // namespace

void registerSweep(CLI::App& app) {
  struct Options {
    std::string spec, name, command, plot_x;
    std::vector<std::string> set, axes, figures;
    bool runs = false, log_x = false, json = false;
    validation::SweepOptions run;
  };
  auto o = std::make_shared<Options>();
  o->run.progress = isatty(STDERR_FILENO) != 0;
  o->run.jobs = validation::launchedByMpi()
                    ? 1
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  addCommand(
      app, "sweep",
      "Run one command (simulate by default) at every point of a product of option values and "
      "collect figures from its --json output: any option can be an axis (workload, arch, "
      "allocator, mode, xbar-size, param.NAME for --param NAME=..., so param.topology for "
      "interconnects). Points run as separate processes on every core (--jobs) and, under "
      "mpirun/srun, on every rank; a point that fails is recorded with its message. Writes "
      "OUT/NAME.h5 (table /points; rerun to resume an interrupted sweep), OUT/NAME.csv and "
      "OUT/NAME.png (one panel per figure, a line per combination of the other axes). The sweep "
      "is a YAML file (configs/sweeps) or flags, or both (flags win).",
      "xbarsim sweep --set workload=resnet-18 --axis param.tiles=32,64,128 --axis "
      "allocator=dp,wo-ho --figure cycles --figure energy_j --name tiles",
      [o](CLI::App& cmd) {
        cmd.add_option("spec", o->spec, "Sweep YAML: a name in configs/sweeps or a path");
        cmd.add_option("--name", o->name, "Names the output files (default: the spec's, or sweep)");
        cmd.add_option("--command", o->command,
                       "The command each point runs: simulate, run, model, allocate or systolic");
        cmd.add_option("--set", o->set, "KEY=VALUE: an option every point gets (repeatable)")
            ->allow_extra_args(false);
        cmd.add_option("--axis", o->axes,
                       "KEY=V1,V2,...: an axis (repeatable; the first varies slowest)")
            ->allow_extra_args(false);
        cmd.add_option("--figure", o->figures,
                       "A number in the command's --json output, as a dotted path "
                       "(simulation.cycles); repeatable. Default for simulate: cycles, energy_j")
            ->allow_extra_args(false);
        cmd.add_flag("--runs", o->runs, "Keep each point's run file in OUT/NAME-runs/");
        cmd.add_option("--plot-x", o->plot_x, "The axis on the plot's x (default: the first)");
        cmd.add_flag("--log-x", o->log_x, "A logarithmic x axis");
        cmd.add_option("--out", o->run.out_dir, "Directory of the results")->capture_default_str();
        cmd.add_option("--jobs,-j", o->run.jobs,
                       "Points run at once on this machine (per MPI rank under mpirun)")
            ->capture_default_str()
            ->check(wholeNumber(1, 4096));
        cmd.add_flag(
            "--no-plot", [o](std::int64_t) { o->run.plot = false; }, "Do not draw the plot");
        cmd.add_flag("--json", o->json, "Print one JSON object on stdout");
        return [o] {
          validation::SweepSpec spec;
          if (!o->spec.empty()) {
            spec = validation::loadSweep(o->spec);
          } else {
            spec.source = "the command line";
          }
          if (!o->name.empty()) spec.name = o->name;
          if (!o->command.empty()) spec.command = o->command;
          for (const std::string& s : o->set) {
            validation::SweepAxis a = validation::parseAxis(s);
            if (a.values.size() != 1)
              throw ConfigError("--set " + s + ": one value (an axis is --axis)");
            spec.put(a, false);
          }
          for (const std::string& s : o->axes) spec.put(validation::parseAxis(s), true);
          if (!o->figures.empty()) spec.figures = o->figures;
          if (o->runs) spec.runs = true;
          if (!o->plot_x.empty()) spec.plot_x = o->plot_x;
          if (o->log_x) spec.log_x = true;
          spec.check();
          o->run.program = std::filesystem::read_symlink("/proc/self/exe").string();
          const validation::SweepOutcome out = validation::runSweep(spec, o->run);
          if (!out.root) return;
          if (out.failed == out.total)
            throw Error("every point failed; the first: " + out.first_failure +
                        " (the table: " + out.csv + ")");
          if (o->json) {
            nlohmann::json points = nlohmann::json::array();
            const auto& schema = out.points.schema();
            for (const validation::Row& row : out.points.rows()) {
              nlohmann::json p;
              for (std::size_t c = 0; c < row.size(); ++c)
                std::visit(
                    [&](const auto& v) {
                      using T = std::decay_t<decltype(v)>;
                      if constexpr (std::is_same_v<T, double>) {
                        if (std::isnan(v))
                          p[schema[c].name] = nullptr;
                        else
                          p[schema[c].name] = v;
                      } else {
                        p[schema[c].name] = v;
                      }
                    },
                    row[c]);
              points.push_back(p);
            }
            printJson({{"name", spec.name},
                       {"points", points},
                       {"total", out.total},
                       {"resumed", out.resumed},
                       {"failed", out.failed},
                       {"wall_s", out.wall_s},
                       {"h5", out.h5},
                       {"csv", out.csv},
                       {"png", out.drawn ? out.png : ""}});
          } else {
            printPoints(out.points);
            std::printf(
                "%s: %lld points (%lld from an earlier run), %lld failed, %s; wrote %s, %s%s%s\n",
                spec.name.c_str(), static_cast<long long>(out.total),
                static_cast<long long>(out.resumed), static_cast<long long>(out.failed),
                validation::duration(out.wall_s).c_str(), out.h5.c_str(), out.csv.c_str(),
                out.drawn ? ", " : "", out.drawn ? out.png.c_str() : "");
          }
        };
      });
}

}  // namespace xbarsim::cli
