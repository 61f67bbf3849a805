// optimality (the paper's Figure 6): the DP's allocation against the best one found by search,
// both judged by Algorithm 1 (the DP's own objective), with and without bandwidth. Search is
// exhaustive where the allocations number at most 10^7, else `samples` pruned random samples.
#include "validation/case_setup.h"

namespace xbarsim::validation {
namespace {

constexpr std::int64_t kExhaustiveLimit = 10000000;

class Optimality : public Kind {
 public:
  std::vector<Column> pointColumns() const override {
    return {{"dp_cycles", ColumnType::kInt},
            {"search_cycles", ColumnType::kInt},
            {"search_kind", ColumnType::kText},
            {"search_samples", ColumnType::kInt}};
  }
  std::int64_t tasksPerCase(const ExperimentConfig&, std::size_t) const override { return 1; }
  std::vector<Row> compute(const ExperimentConfig& cfg, std::size_t c,
                           std::int64_t) const override {
    const CaseSetup& s = cachedCase(cfg, c);
    const Problem& p = *s.problem;
    AllocOptions o;
    o.objective = {StepModel::kAlg1, cfg.cases.integer(c, "bandwidth") != 0, 0};
    o.seed = cfg.seed + c;
    o.samples = cfg.samples;
    o.exhaustive_limit = kExhaustiveLimit;
    const ObjectiveEvaluator eval(p, o.objective);
    const std::int64_t dp = eval(makeAllocator("dp")->allocate(p, o).r);
    std::string kind = "exhaustive";
    AllocResult found;
    try {
      found = makeAllocator("exhaustive")->allocate(p, o);
    } catch (const AllocationError&) {
      kind = "random";
      found = makeAllocator("random")->allocate(p, o);
    }
    return {{dp, eval(found.r), kind, found.evaluations}};
  }
  std::string report(const ExperimentConfig& cfg, const Table& points, const Table&,
                     const std::string& figure) const override {
    std::string md =
        "## optimality: the DP against search (Figure 6)\n\n"
        "Inference time (steps x step cycles, Algorithm 1) of the DP's allocation against the "
        "best allocation search finds: exhaustive where there are at most 10^7 allocations, else " +
        std::to_string(cfg.samples) +
        " random samples pruned by cos(R, WoHo) >= 0.9. DP / search = 1 means the DP found the "
        "optimum; below 1, the DP beat the sampled search.\n\n"
        "| case | bandwidth | DP cycles | search cycles | search | DP / search |\n"
        "|---|---|---|---|---|---|\n";
    double worse_sum = 0, bw_sum = 0;
    int worse = 0, bw_n = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::size_t c = static_cast<std::size_t>(points.integer(i, "case"));
      const double ratio = points.real(i, "dp_cycles") / points.real(i, "search_cycles");
      const bool bw = cfg.cases.integer(c, "bandwidth") != 0;
      md += "| " + cachedCase(cfg, c).label + " | " + (bw ? "yes" : "no") + " | " +
            std::to_string(points.integer(i, "dp_cycles")) + " | " +
            std::to_string(points.integer(i, "search_cycles")) + " | " +
            points.text(i, "search_kind") + " (" +
            std::to_string(points.integer(i, "search_samples")) + ") | " + fixed(ratio, 4) + " |\n";
      if (!bw && ratio > 1) {
        worse_sum += ratio - 1;
        ++worse;
      }
      if (bw) {
        bw_sum += std::min(1.0, 1.0 / ratio);
        ++bw_n;
      }
    }
    md += "\n![optimality](" + figure +
          ")\n\n**Paper**: without bandwidth, the DP is worse than "
          "search in three cases (AlexNet (1024, 128), VGG-A (1024, 128), VGG-E (2048, 128)) by "
          "0.43 % more steps on average; with bandwidth it reaches 94 % of the optimum on "
          "average. **Ours**: without bandwidth the DP is worse in " +
          std::to_string(worse) + " case(s)" +
          (worse ? ", by " + pct(worse_sum / worse, 2) + " on average" : std::string()) +
          "; with bandwidth it reaches " + pct(bw_n ? bw_sum / bw_n : 1.0) +
          " of the best found on average. Where the DP loses, it is Algorithm 2's missing optimal "
          "substructure (see the README) rather than the model: `--beam` closes the gap.\n";
    return md;
  }
};

}  // namespace

XBARSIM_REGISTER_KIND("optimality", Optimality);

}  // namespace xbarsim::validation
