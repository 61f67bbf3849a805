// `xbarsim compare A.h5 B.h5`: two run files side by side (validation/run_compare.h).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/config_path.h"
#include "io/process.h"
#include "tools/cli.h"
#include "validation/run_compare.h"

namespace xbarsim::cli {
namespace {

std::string number(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string ratio(double a, double b) {
  if (std::isnan(a) || std::isnan(b) || a == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", b / a);
  return buf;
}

nlohmann::json jsonNumber(double v) {
  return std::isnan(v) ? nlohmann::json() : nlohmann::json(v);
}

void printHeader(const char* tag, const validation::RunHeader& h) {
  std::printf("%s: %s  %s on %s, allocator %s, %s, interconnect %s\n", tag, h.path.c_str(),
              h.workload.c_str(), h.arch.c_str(), h.allocator.c_str(), h.mode.c_str(),
              h.topology.c_str());
}

void printFigures(const char* title, const std::vector<validation::PairedFigure>& figures) {
  std::printf("\n%-28s %14s %14s %9s  %s\n", title, "A", "B", "B/A", "unit");
  for (const validation::PairedFigure& f : figures)
    std::printf("%-28s %14s %14s %9s  %s\n", f.name.c_str(), number(f.a).c_str(),
                number(f.b).c_str(), ratio(f.a, f.b).c_str(), f.unit.c_str());
}

}  // namespace

void registerCompare(CLI::App& app) {
  struct Options {
    std::string a, b, plot = "out/compare.png";
    bool no_plot = false, json = false;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "compare",
      "Two run files side by side: totals (cycles, time, energy, programming, messages), energy "
      "by component and every layer's last cycle, input waits and energy, with B/A; layers are "
      "matched by name. Draws the comparison (tools/plot_compare.py) into --plot.",
      "xbarsim compare out/dp.h5 out/alg1.h5 --plot out/dp-vs-alg1.pdf", [o](CLI::App& cmd) {
        cmd.add_option("a", o->a, "Run file A (xbarsim simulate --out, xbarsim run)")->required();
        cmd.add_option("b", o->b, "Run file B")->required();
        cmd.add_option("--plot", o->plot, "Figure file (.png, .pdf or .svg)")
            ->capture_default_str();
        cmd.add_flag("--no-plot", o->no_plot, "Do not draw the figure");
        cmd.add_flag("--json", o->json, "Print one JSON object on stdout");
        return [o] {
          const validation::RunComparison c = validation::compareRuns(o->a, o->b);
          bool drawn = false;
          if (!o->no_plot) {
            prepareOutput(o->plot, true);
            drawn =
                runProgram({"/usr/bin/python3", std::string(XBARSIM_TOOLS_DIR) + "/plot_compare.py",
                            o->a, o->b, "-o", o->plot});
            if (!drawn)
              std::fprintf(stderr, "xbarsim: warning: could not draw %s\n", o->plot.c_str());
          }
          if (o->json) {
            const auto figures = [](const std::vector<validation::PairedFigure>& v) {
              nlohmann::json out = nlohmann::json::array();
              for (const validation::PairedFigure& f : v)
                out.push_back({{"name", f.name},
                               {"unit", f.unit},
                               {"a", jsonNumber(f.a)},
                               {"b", jsonNumber(f.b)}});
              return out;
            };
            nlohmann::json layers = nlohmann::json::array();
            for (const validation::PairedLayer& l : c.layers)
              layers.push_back({{"name", l.name},
                                {"a_last_cycle", jsonNumber(l.a_end)},
                                {"b_last_cycle", jsonNumber(l.b_end)},
                                {"a_input_wait_cycles", jsonNumber(l.a_wait)},
                                {"b_input_wait_cycles", jsonNumber(l.b_wait)},
                                {"a_energy_j", jsonNumber(l.a_energy)},
                                {"b_energy_j", jsonNumber(l.b_energy)}});
            printJson({{"a", c.a.path},
                       {"b", c.b.path},
                       {"totals", figures(c.totals)},
                       {"energy_by_component", figures(c.energy)},
                       {"layers", layers},
                       {"plot", drawn ? o->plot : ""}});
            return;
          }
          printHeader("A", c.a);
          printHeader("B", c.b);
          printFigures("totals", c.totals);
          printFigures("energy by component", c.energy);
          int width = 5;
          for (const validation::PairedLayer& l : c.layers)
            width = std::max(width, static_cast<int>(l.name.size()));
          std::printf("\n%-*s %12s %12s %9s %12s %12s %12s %12s\n", width, "layer", "A end",
                      "B end", "B/A", "A waits", "B waits", "A energy J", "B energy J");
          for (const validation::PairedLayer& l : c.layers)
            std::printf("%-*s %12s %12s %9s %12s %12s %12s %12s\n", width, l.name.c_str(),
                        number(l.a_end).c_str(), number(l.b_end).c_str(),
                        ratio(l.a_end, l.b_end).c_str(), number(l.a_wait).c_str(),
                        number(l.b_wait).c_str(), number(l.a_energy).c_str(),
                        number(l.b_energy).c_str());
          std::printf(
              "(end: a layer's last cycle; waits: cycles it waited for its inputs; '-': "
              "the run has no such layer or figure)\n");
          if (drawn) std::printf("wrote %s\n", o->plot.c_str());
        };
      });
}

}  // namespace xbarsim::cli
