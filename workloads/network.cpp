#include "workloads/network.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>

namespace xbarsim {
namespace {

std::string label(const LayerSpec& s) {
  return (s.where.empty() ? "" : s.where + ": ") + "layer '" + s.name + "'";
}

// Output size of a sliding window along one axis (floor mode, as PyTorch).
std::int64_t windowOut(const LayerSpec& s, std::int64_t in, const char* axis) {
  const std::int64_t span = in + 2 * s.pad - s.kernel;
  if (span < 0)
    throw WorkloadError(label(s) + ": kernel " + std::to_string(s.kernel) + " with padding " +
                        std::to_string(s.pad) + " does not fit its input " + axis + " of " +
                        std::to_string(in));
  return span / s.stride + 1;
}

// The most values, weights or MACs one layer may have (1.8e13): products of a layer's counts
// with bits, bytes or layer counts then fit 64 bits.
constexpr std::int64_t kMaxLayerCount = std::int64_t{1} << 44;

// The product of a layer's counts, checked: an overflow names the layer and the count.
std::int64_t product(const LayerSpec& s, const char* what,
                     std::initializer_list<std::int64_t> factors) {
  std::int64_t p = 1;
  for (const std::int64_t f : factors)
    if (__builtin_mul_overflow(p, f, &p) || p > kMaxLayerCount)
      throw WorkloadError(label(s) + ": its " + what + " exceed 2^44 (" +
                          std::to_string(kMaxLayerCount) + ")");
  return p;
}

}  // namespace

const char* layerTypeName(LayerType type) {
  switch (type) {
    case LayerType::kInput:
      return "input";
    case LayerType::kConv:
      return "conv";
    case LayerType::kDwConv:
      return "dwconv";
    case LayerType::kFc:
      return "fc";
    case LayerType::kMaxPool:
      return "maxpool";
    case LayerType::kAvgPool:
      return "avgpool";
    case LayerType::kAdd:
      return "add";
    case LayerType::kConcat:
      return "concat";
    case LayerType::kMatmul:
      return "matmul";
  }
  return "?";
}

std::string toString(const Shape& s) {
  return "[" + std::to_string(s.c) + ", " + std::to_string(s.h) + ", " + std::to_string(s.w) + "]";
}

Network::Network(std::string name, Shape input, const std::vector<LayerSpec>& layers)
    : name_(std::move(name)) {
  if (layers.empty()) throw WorkloadError("network '" + name_ + "' has no layers");
  Layer in;
  in.spec.name = "input";
  in.out = input;
  product(in.spec, "values", {input.c, input.h, input.w});
  boost::add_vertex(in, graph_);
  std::map<std::string, Vertex> by_name{{"input", 0}};
  for (const LayerSpec& s : layers) {
    Layer l;
    l.spec = s;
    const Vertex v = boost::add_vertex(l, graph_);
    if (!by_name.emplace(s.name, v).second)
      throw WorkloadError(label(s) + ": the name is used twice");
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& s = layers[i];
    const Vertex v = i + 1;
    std::vector<std::string> inputs = s.inputs;
    if (inputs.empty()) inputs.push_back(i == 0 ? "input" : layers[i - 1].name);
    graph_[v].spec.inputs = inputs;
    int port = 0;
    for (const std::string& p : inputs) {
      const auto it = by_name.find(p);
      if (it == by_name.end())
        throw WorkloadError(label(s) + ": input '" + p + "' is not a layer of this network");
      if (it->second == v) throw WorkloadError(label(s) + ": a layer cannot consume itself");
      Edge e;
      e.port = port++;
      boost::add_edge(it->second, v, e, graph_);
    }
  }
  // Kahn's algorithm with the smallest ready vertex first: file order whenever the file is
  // already topologically sorted. Vertices left over lie on (or behind) a cycle.
  std::vector<int> indeg(boost::num_vertices(graph_), 0);
  for (auto [e, end] = boost::edges(graph_); e != end; ++e) ++indeg[boost::target(*e, graph_)];
  std::priority_queue<Vertex, std::vector<Vertex>, std::greater<>> ready;
  ready.push(0);
  while (!ready.empty()) {
    const Vertex v = ready.top();
    ready.pop();
    order_.push_back(v);
    for (const Vertex c : consumers(v))
      if (--indeg[c] == 0) ready.push(c);
  }
  if (order_.size() != boost::num_vertices(graph_)) {
    std::string stuck;
    for (Vertex v = 0; v < indeg.size(); ++v)
      if (indeg[v] > 0) stuck += (stuck.empty() ? "" : ", ") + graph_[v].spec.name;
    throw WorkloadError("network '" + name_ + "' has a cycle through layers: " + stuck);
  }
  order_.erase(std::remove(order_.begin(), order_.end(), Vertex{0}), order_.end());
  inferShapes();
}

std::vector<Vertex> Network::producers(Vertex v) const {
  std::vector<std::pair<int, Vertex>> ports;
  for (auto [e, end] = boost::in_edges(v, graph_); e != end; ++e)
    ports.emplace_back(graph_[*e].port, boost::source(*e, graph_));
  std::sort(ports.begin(), ports.end());
  std::vector<Vertex> out;
  for (const auto& p : ports) out.push_back(p.second);
  return out;
}

std::vector<Vertex> Network::consumers(Vertex v) const {
  std::vector<Vertex> out;
  for (auto [e, end] = boost::out_edges(v, graph_); e != end; ++e)
    out.push_back(boost::target(*e, graph_));
  std::sort(out.begin(), out.end());
  return out;
}

Vertex Network::find(const std::string& layer_name) const {
  for (Vertex v = 0; v < boost::num_vertices(graph_); ++v)
    if (graph_[v].spec.name == layer_name) return v;
  throw WorkloadError("network '" + name_ + "' has no layer named '" + layer_name + "'");
}

Layer inferLayer(const LayerSpec& s, const std::vector<Shape>& in) {
  Layer l;
  l.spec = s;
  const auto arity = [&](std::size_t lo, std::size_t hi) {
    if (in.size() < lo || in.size() > hi)
      throw WorkloadError(label(s) + ": a " + layerTypeName(s.type) + " layer takes " +
                          (lo == hi ? std::to_string(lo) : std::to_string(lo) + " or more") +
                          " input(s), got " + std::to_string(in.size()));
  };
  switch (s.type) {
    case LayerType::kConv: {
      arity(1, 1);
      l.out = {s.out, windowOut(s, in[0].h, "height"), windowOut(s, in[0].w, "width")};
      l.weights = product(s, "weights", {s.out, in[0].c, s.kernel, s.kernel});
      l.macs = product(s, "MACs", {l.weights, l.out.h, l.out.w});
      break;
    }
    case LayerType::kDwConv: {
      arity(1, 1);
      l.out = {in[0].c, windowOut(s, in[0].h, "height"), windowOut(s, in[0].w, "width")};
      l.weights = product(s, "weights", {in[0].c, s.kernel, s.kernel});
      l.macs = product(s, "MACs", {l.weights, l.out.h, l.out.w});
      break;
    }
    case LayerType::kFc: {
      arity(1, 1);
      l.out = {s.out, 1, 1};
      l.weights = product(s, "weights", {s.out, in[0].c, in[0].h, in[0].w});
      l.macs = l.weights;
      break;
    }
    case LayerType::kMaxPool:
    case LayerType::kAvgPool: {
      arity(1, 1);
      l.out = s.global
                  ? Shape{in[0].c, 1, 1}
                  : Shape{in[0].c, windowOut(s, in[0].h, "height"), windowOut(s, in[0].w, "width")};
      break;
    }
    case LayerType::kAdd: {
      arity(2, 64);
      for (const Shape& x : in)
        if (x != in[0])
          throw WorkloadError(label(s) + ": add needs equal input shapes, got " + toString(in[0]) +
                              " and " + toString(x));
      l.out = in[0];
      break;
    }
    case LayerType::kConcat: {
      arity(2, 1024);
      l.out = {0, in[0].h, in[0].w};
      for (const Shape& x : in) {
        if (x.h != in[0].h || x.w != in[0].w)
          throw WorkloadError(label(s) + ": concat needs equal height and width, got " +
                              toString(in[0]) + " and " + toString(x));
        l.out.c += x.c;
      }
      break;
    }
    case LayerType::kMatmul: {
      arity(2, 2);
      const Shape& a = in[0];
      const Shape& b = in[1];
      if (a.h != 1 || b.h != 1)
        throw WorkloadError(label(s) + ": matmul inputs must be [features, 1, tokens], got " +
                            toString(a) + " and " + toString(b));
      if (a.c % s.heads != 0 || b.c % s.heads != 0)
        throw WorkloadError(label(s) + ": features " + std::to_string(a.c) + " and " +
                            std::to_string(b.c) + " do not split into " + std::to_string(s.heads) +
                            " heads");
      const std::int64_t k = a.c / s.heads;
      std::int64_t n = 0;
      if (s.transpose_b) {
        if (b.c / s.heads != k)
          throw WorkloadError(label(s) + ": A*B^T contracts " + std::to_string(k) +
                              " features of A with " + std::to_string(b.c / s.heads) +
                              " of B per head");
        n = b.w;
      } else {
        if (b.w != k)
          throw WorkloadError(label(s) + ": A*B contracts " + std::to_string(k) +
                              " columns of A with " + std::to_string(b.w) + " rows of B");
        n = b.c / s.heads;
      }
      l.out = {product(s, "output features", {s.heads, n}), 1, a.w};
      l.macs = product(s, "MACs", {s.heads, a.w, k, n});
      break;
    }
    case LayerType::kInput:
      throw WorkloadError(label(s) + ": only the network input may have type input");
  }
  product(s, "output values", {l.out.c, l.out.h, l.out.w});
  return l;
}

void Network::inferShapes() {
  for (const Vertex v : order_) {
    std::vector<Shape> in;
    for (const Vertex p : producers(v)) in.push_back(graph_[p].out);
    for (auto [e, end] = boost::in_edges(v, graph_); e != end; ++e)
      graph_[*e].shape = graph_[boost::source(*e, graph_)].out;
    graph_[v] = inferLayer(graph_[v].spec, in);
  }
}

std::int64_t Network::totalWeights() const {
  std::int64_t total = 0;
  for (const Vertex v : order_) total += graph_[v].weights;
  return total;
}

std::int64_t Network::totalMacs() const {
  std::int64_t total = 0;
  for (const Vertex v : order_) total += graph_[v].macs;
  return total;
}

}  // namespace xbarsim
