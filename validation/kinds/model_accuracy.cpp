// model-accuracy (the paper's Table 4): Algorithm 1 against the ground truth on N random
// allocations per network. Ground truth is the simulator; it is too slow for every sample, so
// the exact step model stands in (lag 0, the paper's convention), and the simulator itself
// confirms it on the first `sim_samples` samples of each network (where it must equal the
// exact model at its own lag 1).
#include <cmath>
#include <random>

#include "sim/simulator.h"
#include "validation/case_setup.h"
#include "validation/run_file.h"

namespace xbarsim::validation {
namespace {

class ModelAccuracy : public Kind {
 public:
  std::vector<Column> pointColumns() const override {
    return {{"sample", ColumnType::kInt},
            {"alg1_steps", ColumnType::kInt},
            {"exact_lag0_steps", ColumnType::kInt},
            {"exact_lag1_steps", ColumnType::kInt},
            {"sim_steps", ColumnType::kInt}};
  }
  std::int64_t tasksPerCase(const ExperimentConfig& cfg, std::size_t) const override {
    return cfg.samples;
  }
  std::vector<Row> compute(const ExperimentConfig& cfg, std::size_t c,
                           std::int64_t k) const override {
    const CaseSetup& s = cachedCase(cfg, c);
    std::mt19937_64 rng(cfg.seed * 1000003 + c * 7919 + static_cast<std::uint64_t>(k));
    const Allocation r = sampleAllocation(*s.problem, rng);
    std::int64_t sim_steps = -1;
    if (k < cfg.sim_samples) {
      sim::SimOptions o;
      o.bandwidth = false;
      sim_steps = simulateAllocation(*s.problem, r, o).steps;
    }
    return {{k, algorithm1(*s.problem, r).steps, exactSteps(*s.problem, r, 0).steps,
             exactSteps(*s.problem, r, validation::kSimulatorLag).steps, sim_steps}};
  }
  std::vector<Column> summaryColumns() const override {
    return {{"share_lt1", ColumnType::kReal},    {"share_1_5", ColumnType::kReal},
            {"share_gt5", ColumnType::kReal},    {"avg_accuracy", ColumnType::kReal},
            {"max_error", ColumnType::kReal},    {"samples", ColumnType::kInt},
            {"sim_confirmed", ColumnType::kInt}, {"sim_agree", ColumnType::kInt}};
  }
  Table summary(const ExperimentConfig& cfg, const Table& points) const override {
    Table out(summaryColumns());
    for (std::size_t c = 0; c < cfg.cases.size(); ++c) {
      double lt1 = 0, mid = 0, gt5 = 0, sum = 0, max = 0;
      std::int64_t n = 0, confirmed = 0, agree = 0;
      for (const std::size_t i : points.where("case", static_cast<std::int64_t>(c))) {
        const double truth = points.real(i, "exact_lag0_steps");
        const double err = std::fabs(points.real(i, "alg1_steps") - truth) / truth;
        lt1 += err < 0.01;
        mid += err >= 0.01 && err <= 0.05;
        gt5 += err > 0.05;
        sum += err;
        max = std::max(max, err);
        ++n;
        if (points.integer(i, "sim_steps") >= 0) {
          ++confirmed;
          agree += points.integer(i, "sim_steps") == points.integer(i, "exact_lag1_steps");
        }
      }
      const double d = std::max<std::int64_t>(n, 1);
      out.add({lt1 / d, mid / d, gt5 / d, 1.0 - sum / d, max, n, confirmed, agree});
    }
    return out;
  }
  std::string report(const ExperimentConfig& cfg, const Table&, const Table& summary,
                     const std::string& figure) const override {
    std::string md =
        "## model-accuracy: Algorithm 1 against the ground truth (Table 4)\n\n"
        "For each network, " +
        std::to_string(cfg.samples) +
        " random allocations (`sampleAllocation`, seeded) of its main-path convolutions, no "
        "bandwidth limits. Error = |Algorithm 1 - truth| / truth in steps, truth = the exact "
        "step model at lag 0 (the paper's convention). The simulator itself ran the first " +
        std::to_string(cfg.sim_samples) +
        " samples of each network; it must agree with the exact model at its own lag 1 "
        "(column *sim agrees*).\n\n"
        "| network | samples | ER < 1 % | ER 1-5 % | ER > 5 % | average accuracy | max error | "
        "sim agrees |\n|---|---|---|---|---|---|---|---|\n";
    for (std::size_t c = 0; c < cfg.cases.size(); ++c)
      md += "| " + cachedCase(cfg, c).label + " | " +
            std::to_string(summary.integer(c, "samples")) + " | " +
            pct(summary.real(c, "share_lt1")) + " | " + pct(summary.real(c, "share_1_5")) + " | " +
            pct(summary.real(c, "share_gt5")) + " | " + pct(summary.real(c, "avg_accuracy"), 2) +
            " | " + pct(summary.real(c, "max_error")) + " | " +
            std::to_string(summary.integer(c, "sim_agree")) + " / " +
            std::to_string(summary.integer(c, "sim_confirmed")) + " |\n";
    md += "\n![model accuracy](" + figure +
          ")\n\n"
          "**Paper**: \"for most cases, the error rate is below 5 %. The maximum value of ER is 15 "
          "%. The average modeling accuracy is higher than 98 %\". Its Table 4 figures are not in "
          "our copy of the paper, and its text gives no share below 1 %, so we compare with those "
          "three sentences only. **Ours**: \"most below 5 %\" holds on all five networks; \"mean "
          "above 98 %\" on AlexNet, VGG-A and VGG-E (largest error near 15 %) but not on ResNet-18 "
          "and MobileNet-v1 (about 96 %). The truth is the exact step model at lag 0, the paper's "
          "convention, as Algorithm 1 (the simulator agrees with the exact model at its own lag 1 "
          "on every sample it ran). Why the shares are what they are, with the evidence, is in "
          "[TABLE4_STUDY.md](TABLE4_STUDY.md): the crossbar budget is the largest factor (Algorithm"
          " 1 misses a roughly fixed number of steps per network while the step count falls with "
          "the budget; at 1.1-1.25x the minimum crossbars every network reaches at least 98 % mean "
          "accuracy), the sampler second; a consistent lag, the error definition and the residual "
          "joins are not the cause (removing ResNet-18's shortcuts changes neither side).\n";
    return md;
  }
};

}  // namespace

XBARSIM_REGISTER_KIND("model-accuracy", ModelAccuracy);

}  // namespace xbarsim::validation
