#include "workloads/fused_view.h"

#include <algorithm>
#include <map>

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

bool isWeightLayer(LayerType t) {
  return t == LayerType::kConv || t == LayerType::kDwConv || t == LayerType::kFc ||
         t == LayerType::kMatmul;
}

bool isPool(LayerType t) {
  return t == LayerType::kMaxPool || t == LayerType::kAvgPool;
}

}  // namespace

std::int64_t crossbarSet(const FusedLayer& f, std::int64_t rows, std::int64_t cols) {
  switch (f.type) {
    case LayerType::kDwConv: {
      const std::int64_t window = f.kc * f.kc;
      if (window > rows) return f.co * ceilDiv(window, rows);
      return ceilDiv(f.co, std::min(rows / window, cols));
    }
    case LayerType::kMatmul:
      return f.groups * ceilDiv(f.ci / f.groups, rows) * ceilDiv(f.co / f.groups, cols);
    default:
      return ceilDiv(f.kc * f.kc * f.ci, rows) * ceilDiv(f.co, cols);
  }
}

FusedView::FusedView(const Network& net, std::int64_t xbar_rows, std::int64_t xbar_cols)
    : rows_(xbar_rows), cols_(xbar_cols) {
  if (rows_ <= 0 || cols_ <= 0)
    throw WorkloadError("crossbar size must be positive, got " + std::to_string(rows_) + "x" +
                        std::to_string(cols_));
  const Graph& g = net.graph();
  std::map<Vertex, int> owner;  // vertex -> fused layer whose output it is
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = g[v];
    if (!isWeightLayer(l.spec.type)) continue;
    FusedLayer f;
    f.name = l.spec.name;
    f.type = l.spec.type;
    f.vertex = v;
    f.weights = l.weights;
    f.macs = l.macs;
    const std::vector<Vertex> prods = net.producers(v);
    const Shape in = g[prods[0]].out;
    f.wo = l.out.w;
    f.ho = l.out.h;
    f.co = l.out.c;
    switch (l.spec.type) {
      case LayerType::kConv:
      case LayerType::kDwConv:
        f.ci = in.c;
        f.kc = l.spec.kernel;
        f.sc = l.spec.stride;
        f.pc = l.spec.pad;
        break;
      case LayerType::kFc:
        f.ci = in.elements();
        break;
      default:  // matmul
        f.ci = in.c;
        f.groups = l.spec.heads;
        break;
    }
    const std::vector<Vertex> cons = net.consumers(v);
    if (cons.size() == 1 && isPool(g[cons[0]].spec.type)) {
      const LayerSpec& p = g[cons[0]].spec;
      f.pool = p.name;
      f.kp = p.global ? f.wo : p.kernel;
      f.sp = p.global ? f.wo : p.stride;
      f.pp = p.global ? 0 : p.pad;
    }
    f.shortcut = l.spec.type == LayerType::kConv && l.spec.kernel == 1 && cons.size() == 1 &&
                 g[cons[0]].spec.type == LayerType::kAdd && net.consumers(prods[0]).size() > 1;
    f.set = crossbarSet(f, rows_, cols_);
    // Producers: walk back through glue layers to the fused layers (or the input) behind them.
    std::vector<Vertex> stack(prods.begin(), prods.end());
    std::vector<Vertex> seen;
    while (!stack.empty()) {
      const Vertex p = stack.back();
      stack.pop_back();
      if (std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
      seen.push_back(p);
      if (const auto it = owner.find(p); it != owner.end()) {
        f.producers.push_back(it->second);
      } else if (p != 0) {
        f.via.push_back(g[p].spec.name);
        for (const Vertex q : net.producers(p)) stack.push_back(q);
      }
    }
    std::sort(f.producers.begin(), f.producers.end());
    f.producers.erase(std::unique(f.producers.begin(), f.producers.end()), f.producers.end());
    owner[v] = static_cast<int>(layers_.size());
    if (!f.pool.empty()) owner[net.consumers(v)[0]] = static_cast<int>(layers_.size());
    layers_.push_back(f);
  }
  if (layers_.empty())
    throw WorkloadError("network '" + net.name() + "' has no layer that maps to crossbars");
}

std::int64_t FusedView::minCrossbars() const {
  std::int64_t total = 0;
  for (const FusedLayer& f : layers_)
    if (f.staticWeights()) total += f.set;
  return total;
}

std::int64_t FusedView::dynamicCrossbars() const {
  std::int64_t total = 0;
  for (const FusedLayer& f : layers_)
    if (!f.staticWeights()) total += f.set;
  return total;
}

std::vector<FusedLayer> FusedView::paperLayers() const {
  std::vector<FusedLayer> out;
  for (const FusedLayer& f : layers_)
    if ((f.type == LayerType::kConv || f.type == LayerType::kDwConv) && !f.shortcut)
      out.push_back(f);
  return out;
}

std::int64_t FusedView::paperMinCrossbars() const {
  std::int64_t total = 0;
  for (const FusedLayer& f : paperLayers()) total += f.set;
  return total;
}

}  // namespace xbarsim
