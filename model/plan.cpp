#include "model/plan.h"

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

}  // namespace xbarsim
