// dataflows (Zhao, Ma et al., IEEE TC 2025; only the abstract is public): per network, the
// paper's five schedules, each allocated by the same search (alloc/hybrid.h: a DP over layers
// and R under the budget, then local search, on the mixed-dataflow timeline model) and timed
// and metered by the simulator with bandwidth modelled:
//   ws-ws   every layer weight-stationary;
//   is-is   every layer that can input-stationary (depthwise convs stay weight-stationary);
//   ws-is   alternating along the layers, the first weight-stationary;
//   is-ws   alternating, the first input-stationary;
//   hybrid  each layer's dataflow chosen with its R.
#include <cmath>
#include <map>

#include "alloc/hybrid.h"
#include "model/dataflow.h"
#include "model/plan.h"
#include "sim/simulator.h"
#include "validation/case_setup.h"

namespace xbarsim::validation {
namespace {

const char* const kSchemes[] = {"ws-ws", "is-is", "ws-is", "is-ws", "hybrid"};
constexpr int kCount = 5;

// The abstract's ranges of the hybrid's speedup over each uniform scheme (ws-ws, is-is, ws-is,
// is-ws), and its power-efficiency gains over ws-ws and is-is.
const double kPaperSpeedup[4][2] = {{10.2, 130.7}, {1.9, 16.5}, {1.0, 153.1}, {7.0, 56.0}};
const double kPaperEfficiency[2] = {15, 26};

class Dataflows : public Kind {
 public:
  std::vector<Column> pointColumns() const override {
    return {{"scheme", ColumnType::kText},      {"sim_cycles", ColumnType::kInt},
            {"model_cycles", ColumnType::kInt}, {"energy_j", ColumnType::kReal},
            {"ops", ColumnType::kReal},         {"crossbars", ColumnType::kInt},
            {"is_layers", ColumnType::kInt},    {"choice", ColumnType::kText}};
  }
  std::int64_t tasksPerCase(const ExperimentConfig&, std::size_t) const override { return kCount; }
  std::vector<Row> compute(const ExperimentConfig& cfg, std::size_t c,
                           std::int64_t k) const override {
    const CaseSetup& s = cachedCase(cfg, c);
    const Problem& p = *s.problem;
    const AllocResult a = chooseDataflows(p, schemeDataflows(p, kSchemes[k]), {});
    const Plan plan = makePlan(p, a.r, a.dataflows);
    sim::SimOptions o;
    o.seed = cfg.seed;
    const sim::SimResult r = sim::simulate(s.net, s.arch, plan, o);
    std::vector<LayerChoice> choice;
    std::string text;
    std::int64_t is = 0;
    double ops = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      choice.push_back({a.dataflows[i], a.r[i]});
      text += (text.empty() ? "" : " ") + p[i].fused.name + ":" + a.dataflows[i] + "/" +
              std::to_string(a.r[i]);
      is += a.dataflows[i] == "is";
      ops += 2.0 * static_cast<double>(p[i].fused.macs);
    }
    std::int64_t crossbars = 0;
    for (const PlanLayer& l : plan.layers) crossbars += l.crossbars();
    return {{std::string(kSchemes[k]), r.cycles, dataflowTimeline(p, choice).cycles, r.energy_j,
             ops, crossbars, is, text}};
  }

  std::string report(const ExperimentConfig& cfg, const Table& points, const Table&,
                     const std::string& figure) const override {
    std::string md =
        "## " + cfg.name +
        ": weight- and input-stationary layers, their schemes and the hybrid (Zhao, Ma et al. "
        "2025)\n\n"
        "The paper is Y. Zhao, S. Ma et al., \"Intra- and Inter-Layer Scheduling Exploration and "
        "Optimization for ReRAM-Based DNN Accelerators\", IEEE TC 2025; only its abstract is "
        "public, so only its ranges are compared. Each schedule is allocated by the same search "
        "(the hybrid's, restricted to the scheme's dataflows: `alloc/hybrid.h`) and simulated "
        "with bandwidth modelled on `" +
        cfg.arch +
        "` (the README's \"Dataflows\" defines both dataflows). ws-is and is-ws alternate along "
        "the allocated layers. Power efficiency: 2 x MACs / simulated energy.\n\n"
        "![" +
        cfg.name + "](" + figure +
        ")\n\nSimulated inference cycles (in brackets the timeline model's, ideal data "
        "movement), and energy:\n\n| network | crossbars |";
    for (const char* s : kSchemes) md += std::string(" ") + s + " |";
    md += "\n|---|---|---|---|---|---|---|\n";
    struct Ratio {
      double lo = INFINITY, hi = 0;
      void add(double v) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    };
    Ratio speedup[4], efficiency[2];
    double model_error = 0;
    int model_n = 0;
    std::string choices;
    for (std::size_t c = 0; c < cfg.cases.size(); ++c) {
      std::map<std::string, std::size_t> at;
      for (const std::size_t i : points.where("case", static_cast<std::int64_t>(c)))
        at[points.text(i, "scheme")] = i;
      md += "| " + cfg.cases.text(c, "workload") + " | " +
            std::to_string(cfg.cases.integer(c, "crossbars"));
      for (const char* s : kSchemes) {
        if (!at.count(s)) {
          md += " | -";
          continue;
        }
        const std::size_t i = at[s];
        md += " | " + std::to_string(points.integer(i, "sim_cycles")) + " (" +
              std::to_string(points.integer(i, "model_cycles")) + "), " +
              fixed(points.real(i, "energy_j") * 1e3, 3) + " mJ";
        model_error += std::abs(static_cast<double>(points.integer(i, "model_cycles") -
                                                    points.integer(i, "sim_cycles"))) /
                       static_cast<double>(points.integer(i, "sim_cycles"));
        ++model_n;
      }
      md += " |\n";
      if (!at.count("hybrid")) continue;
      const std::size_t h = at["hybrid"];
      const auto cycles = [&](const char* s) {
        return static_cast<double>(points.integer(at[s], "sim_cycles"));
      };
      const auto joules = [&](const char* s) { return points.real(at[s], "energy_j"); };
      for (int k = 0; k < 4; ++k)
        if (at.count(kSchemes[k])) speedup[k].add(cycles(kSchemes[k]) / cycles("hybrid"));
      for (int k = 0; k < 2; ++k)
        if (at.count(kSchemes[k])) efficiency[k].add(joules(kSchemes[k]) / joules("hybrid"));
      choices += "- " + cfg.cases.text(c, "workload") + ", " +
                 std::to_string(cfg.cases.integer(c, "crossbars")) +
                 " crossbars: " + std::to_string(points.integer(h, "is_layers")) +
                 " of its layers " + "input-stationary; " + points.text(h, "choice") + "\n";
    }
    md +=
        "\nThe hybrid's speedup (simulated cycles of the scheme / the hybrid's) and power-"
        "efficiency gain (energy of the scheme / the hybrid's, the same work), over the "
        "networks:\n\n| against | ours | paper |\n|---|---|---|\n";
    const auto range = [](const Ratio& r) {
      return r.hi > 0 ? fixed(r.lo, 2) + "x - " + fixed(r.hi, 2) + "x" : std::string("-");
    };
    for (int k = 0; k < 4; ++k)
      md += std::string("| speed, ") + kSchemes[k] + " | " + range(speedup[k]) + " | " +
            fixed(kPaperSpeedup[k][0], 1) + "x - " + fixed(kPaperSpeedup[k][1], 1) + "x |\n";
    for (int k = 0; k < 2; ++k)
      md += std::string("| power efficiency, ") + kSchemes[k] + " | " + range(efficiency[k]) +
            " | " + fixed(kPaperEfficiency[k], 0) + "x |\n";
    // Why: what a round of input-stationary costs on this arch, against weight-stationary.
    const ArchSpec arch = loadArchSpec(cfg.arch);
    const std::int64_t stage = arch.computeStageCycles();
    const std::int64_t row = arch.worstRowWriteCycles();
    const std::int64_t rows = arch.chip.tile.pe.apu.crossbar.rows;
    const std::int64_t cols = arch.chip.tile.pe.apu.crossbar.cols;
    std::int64_t is_layers = 0;
    for (std::size_t i = 0; i < points.size(); ++i)
      if (points.text(i, "scheme") == "hybrid") is_layers += points.integer(i, "is_layers");
    md += "\n**Where and why ours differ.** The hybrid made " + std::to_string(is_layers) +
          " layer(s) input-stationary over all cases. On `" + cfg.arch +
          "` a computation stage is " + std::to_string(stage) +
          " cycles and writing a crossbar row takes up to " + std::to_string(row) +
          " (two full phases), so a round's write of " + std::to_string(rows) + " rows costs " +
          std::to_string(rows * row) +
          " cycles, paid every inference. Per output position an "
          "input-stationary layer computes Co stages for every " +
          std::to_string(cols) +
          " positions of a column group; for the same crossbars a weight-stationary layer has "
          "ceil(Co / " +
          std::to_string(cols) +
          ") times fewer copies but computes a position per stage: the two compute alike when "
          "Co is a multiple of the crossbar's columns, input-stationary gaining only on layers of "
          "fewer output channels, and then losing it again to the writes and to handing its "
          "outputs on a round at a time. The paper's gains over ws-ws (10.2x-130.7x) would need "
          "input-stationary to be far cheaper than that; its definitions and device are not in "
          "the abstract. The search times its candidates with the timeline model, which ignores "
          "data movement; where a layer may take either dataflow, the hybrid takes "
          "input-stationary only with rounds whose outputs fit a tile's input buffer (larger "
          "hand-offs spill through the global buffer, which the model does not time). ";
    const double slowest = std::min(speedup[0].lo, speedup[1].lo);
    md += slowest >= 1.0
              ? "In simulation the hybrid was never slower than the faster of ws-ws and is-is.\n"
              : "In simulation the hybrid was slower than a uniform schedule in at least one case "
                "(" +
                    fixed(slowest, 2) +
                    "x): there data movement the model does not see dominates (tight budgets, "
                    "layers sharing tiles and spilling through the global buffer).\n";
    md += "\nThe hybrid's choice per layer (layer:dataflow/R):\n\n" + choices +
          "\nThe timeline model's mean absolute error against the simulation: " +
          pct(model_n ? model_error / model_n : 0) +
          " (it ignores data movement, which the simulation models).\n";
    return md;
  }
};

}  // namespace

XBARSIM_REGISTER_KIND("dataflows", Dataflows);

}  // namespace xbarsim::validation
