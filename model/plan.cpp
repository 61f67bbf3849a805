#include "model/plan.h"

#include "model/dataflow.h"

namespace xbarsim {

Plan makePlan(const Problem& p, const Allocation& r, const std::string& placement) {
  checkAllocation(p, r);
  std::vector<PlanLayer> layers;
  for (std::size_t i = 0; i < p.size(); ++i) {
    PlanLayer l;
    l.name = p[i].fused.name;
    l.vertex = p[i].fused.vertex;
    l.r = r[i];
    l.set = p[i].fused.set;
    layers.push_back(l);
  }
  return placeLayers(p.arch(), std::move(layers), layerSelectionName(p.selection()), placement);
}

Plan makePlan(const Problem& p, const Allocation& r, const std::vector<std::string>& dataflows,
              const std::string& placement) {
  if (r.size() != p.size() || dataflows.size() != p.size())
    throw ConfigError("an allocation of " + std::to_string(r.size()) + " layers with " +
                      std::to_string(dataflows.size()) + " dataflows for " +
                      std::to_string(p.size()) + " layers");
  std::vector<PlanLayer> layers;
  std::int64_t used = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const FusedLayer& f = p[i].fused;
    const DataflowCounts c = dataflowCounts(f, p.arch(), dataflows[i], 1);
    const std::int64_t cols = p.arch().chip.tile.pe.apu.crossbar.cols;
    const std::int64_t max_r = dataflows[i] == "is" ? (f.wo * f.ho + cols - 1) / cols : p[i].max_r;
    if (r[i] < 1 || r[i] > max_r)
      throw ConfigError("layer '" + f.name + "' (" + dataflows[i] + "): R = " +
                        std::to_string(r[i]) + " breaks 1 <= R <= " + std::to_string(max_r));
    PlanLayer l;
    l.name = f.name;
    l.vertex = f.vertex;
    l.r = r[i];
    l.set = dataflows[i] == "ws" ? f.set : c.crossbars;  // a copy, or a column group
    l.dataflow = dataflows[i];
    used += l.crossbars();
    layers.push_back(l);
  }
  if (used > p.total())
    throw ConfigError("the allocation uses " + std::to_string(used) + " crossbars, the budget is " +
                      std::to_string(p.total()));
  return placeLayers(p.arch(), std::move(layers), layerSelectionName(p.selection()), placement);
}

std::vector<SharedLayer> shareProblemOus(Problem& p, const WeightSource& weights,
                                         const OuSharingOptions& options) {
  std::vector<SharedLayer> out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    PlanLayer l;
    l.name = p[i].fused.name;
    l.vertex = p[i].fused.vertex;
    l.set = p[i].fused.set;
    out.push_back(shareOus(weights, p.network(), p.arch(), l, options));
    p.setSet(i, out.back().crossbars);
  }
  return out;
}

}  // namespace xbarsim
