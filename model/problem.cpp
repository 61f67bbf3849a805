#include "model/problem.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace xbarsim {
namespace {

Window identity(const Shape& in) {
  return {1, 1, 1, 1, 0, 0, in.h, in.w};
}
Window whole(const Shape& in) {
  return {in.h, in.w, 1, 1, 0, 0, in.h, in.w};
}
Window sliding(const LayerSpec& s, const Shape& in) {
  return {s.kernel, s.kernel, s.stride, s.stride, s.pad, s.pad, in.h, in.w};
}

// The window through which layer v's output at some position reads input `port`.
Window windowOf(const Network& net, Vertex v, int port) {
  const Layer& l = net.layer(v);
  const Shape in = net.layer(net.producers(v)[static_cast<std::size_t>(port)]).out;
  switch (l.spec.type) {
    case LayerType::kConv:
    case LayerType::kDwConv:
      return sliding(l.spec, in);
    case LayerType::kMaxPool:
    case LayerType::kAvgPool:
      return l.spec.global ? whole(in) : sliding(l.spec, in);
    case LayerType::kFc:
      return whole(in);
    case LayerType::kMatmul:
      return port == 0 ? identity(in) : whole(in);
    default:
      return identity(in);  // add, concat
  }
}

bool selected(const FusedLayer& f, LayerSelection s) {
  if (!f.staticWeights()) return false;
  if (s == LayerSelection::kAll) return true;
  return (f.type == LayerType::kConv || f.type == LayerType::kDwConv) && !f.shortcut;
}

}  // namespace

LayerSelection parseLayerSelection(const std::string& text) {
  if (text == "paper") return LayerSelection::kPaper;
  if (text == "all") return LayerSelection::kAll;
  throw ConfigError(
      "--layers must be 'paper' (main-path convolutions, as the paper) or 'all' "
      "(also fc and shortcut layers), got '" +
      text + "'");
}

const char* layerSelectionName(LayerSelection s) {
  return s == LayerSelection::kPaper ? "paper" : "all";
}

std::int64_t Window::lastRow(std::int64_t r) const {
  return std::min(r * sh - ph + kh - 1, in_h - 1);
}

std::int64_t Window::lastCol(std::int64_t c) const {
  return std::min(c * sw - pw + kw - 1, in_w - 1);
}

Problem::Problem(const Network& net, const FusedView& view, const ArchSpec& arch,
                 LayerSelection selection, std::int64_t total_crossbars)
    : total_(total_crossbars),
      selection_(selection),
      arch_(&arch),
      net_(&net),
      rows_(view.xbarRows()),
      input_elements_(net.inputShape().elements()) {
  // owner: vertex (weight layer or its fused pool) -> index of the allocated layer.
  std::map<Vertex, int> owner;
  std::map<Vertex, Vertex> pool_of;  // allocated weight vertex -> its fused pool vertex
  for (const FusedLayer& f : view.layers()) {
    if (!selected(f, selection)) continue;
    const int index = static_cast<int>(layers_.size());
    owner[f.vertex] = index;
    ProblemLayer pl;
    pl.fused = f;
    pl.wp = f.wo;
    if (!f.pool.empty()) {
      const Vertex pool = net.find(f.pool);
      owner[pool] = index;
      pool_of[f.vertex] = pool;
      pl.wp = net.layer(pool).out.w;
    }
    pl.max_r = f.isFc() ? 1 : f.outputPositions();
    layers_.push_back(pl);
  }
  if (layers_.empty())
    throw WorkloadError("network '" + net.name() + "' has no layer to allocate with --layers " +
                        layerSelectionName(selection));

  for (ProblemLayer& pl : layers_) {
    const Vertex v = pl.fused.vertex;
    // Depth-first over glue, carrying the windows met so far.
    struct Item {
      Vertex vertex;
      std::vector<Window> windows;
      bool primary;
    };
    std::vector<Item> stack;
    const std::vector<Vertex> prods = net.producers(v);
    for (std::size_t port = prods.size(); port-- > 0;)
      stack.push_back({prods[port], {windowOf(net, v, static_cast<int>(port))}, port == 0});
    while (!stack.empty()) {
      Item item = stack.back();
      stack.pop_back();
      if (item.vertex == 0) continue;  // the network input is always available
      if (const auto it = owner.find(item.vertex); it != owner.end()) {
        const ProblemLayer& producer = layers_[static_cast<std::size_t>(it->second)];
        if (const auto pool = pool_of.find(producer.fused.vertex);
            pool != pool_of.end() && pool->second == item.vertex)
          item.windows.push_back(windowOf(net, item.vertex, 0));
        pl.inputs.push_back({it->second, item.windows});
        if (item.primary && pl.primary < 0) pl.primary = it->second;
        continue;
      }
      const std::vector<Vertex> up = net.producers(item.vertex);
      for (std::size_t port = up.size(); port-- > 0;) {
        Item next{up[port], item.windows, item.primary && port == 0};
        next.windows.push_back(windowOf(net, item.vertex, static_cast<int>(port)));
        stack.push_back(next);
      }
    }
    for (const InputPath& in : pl.inputs) pl.producers.push_back(in.producer);
    std::sort(pl.producers.begin(), pl.producers.end());
    pl.producers.erase(std::unique(pl.producers.begin(), pl.producers.end()), pl.producers.end());
    if (pl.primary < 0 && !pl.producers.empty()) pl.primary = pl.producers.back();
    pl.kc_alg1 = pl.fused.kc;
    pl.pc_alg1 = pl.fused.pc;
    if (pl.fused.isFc() && pl.primary >= 0) {
      pl.kc_alg1 = layers_[static_cast<std::size_t>(pl.primary)].wp;  // fc reads everything
      pl.pc_alg1 = 0;
    }
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const std::vector<int>& p = layers_[i].producers;
    const bool chained = i == 0 ? p.empty() : (p.size() == 1 && p[0] == static_cast<int>(i) - 1);
    chain_ = chain_ && chained;
  }
  if (total_ < minCrossbars()) {
    // Advice that can help: a larger budget only if the chip has it.
    const std::int64_t chip = arch.logicalCrossbars();
    const std::string advice =
        minCrossbars() <= chip
            ? "give --crossbars " + std::to_string(minCrossbars()) + " or more; " + arch.name +
                  " has " + std::to_string(chip)
            : arch.name + " has only " + std::to_string(chip) +
                  ": use an arch with more (e.g. --param tiles=N on isaac-like and isaac), or "
                  "--mode layer-sequential, which rewrites the weights at run time";
    throw ConfigError("the " + std::to_string(layers_.size()) + " layers of '" + net.name() +
                      "' (--layers " + layerSelectionName(selection) + ") need at least " +
                      std::to_string(minCrossbars()) + " crossbars of " +
                      std::to_string(view.xbarRows()) + "x" + std::to_string(view.xbarCols()) +
                      " to hold their weights once, but only " + std::to_string(total_) +
                      " are available (" + advice + ")");
  }
}

std::int64_t Problem::minCrossbars() const {
  std::int64_t sum = 0;
  for (const ProblemLayer& l : layers_) sum += l.fused.set;
  return sum;
}

std::int64_t crossbarsUsed(const Problem& p, const Allocation& r) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += r[i] * p[i].fused.set;
  return sum;
}

void checkAllocation(const Problem& p, const Allocation& r) {
  if (r.size() != p.size())
    throw ConfigError("the allocation has " + std::to_string(r.size()) + " entries but " +
                      std::to_string(p.size()) + " layers are allocated (--layers " +
                      layerSelectionName(p.selection()) + ")");
  for (std::size_t i = 0; i < p.size(); ++i) {
    const ProblemLayer& l = p[i];
    if (r[i] < 1 || r[i] > l.max_r)
      throw ConfigError(
          "layer " + std::to_string(i + 1) + " (" + l.fused.name +
          "): R = " + std::to_string(r[i]) + " breaks 1 <= R <= " + std::to_string(l.max_r) +
          (l.fused.isFc() ? " (fc layers take R = 1, eq. 5)" : " (W_o x H_o, eq. 5)"));
  }
  const std::int64_t used = crossbarsUsed(p, r);
  if (used > p.total())
    throw ConfigError("the allocation uses " + std::to_string(used) +
                      " crossbars (sum of R x set, "
                      "eq. 3-4) but only " +
                      std::to_string(p.total()) + " are available");
}

Allocation parseAllocation(const Problem& p, const std::string& text) {
  Allocation r = parseRList(text);
  checkAllocation(p, r);
  return r;
}

Allocation parseRList(const std::string& text) {
  Allocation r;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size())
      throw ConfigError("--allocation: '" + item + "' is not an integer (write e.g. 200,50,13)");
    r.push_back(value);
  }
  return r;
}

}  // namespace xbarsim
