#include "sim/layer_graph.h"

#include <map>

#include "io/error.h"

namespace xbarsim::sim {
namespace {

PortWindow windowOf(const Layer& l, const Shape& in, int port) {
  PortWindow w;
  w.in_h = in.h;
  w.in_w = in.w;
  w.out_h = l.out.h;
  w.out_w = l.out.w;
  const LayerSpec& s = l.spec;
  switch (s.type) {
    case LayerType::kConv:
    case LayerType::kDwConv:
      w.kind = PortWindow::Kind::kSliding;
      break;
    case LayerType::kMaxPool:
    case LayerType::kAvgPool:
      w.kind = s.global ? PortWindow::Kind::kAccumulate : PortWindow::Kind::kSliding;
      break;
    case LayerType::kFc:
      w.kind = PortWindow::Kind::kWhole;
      break;
    case LayerType::kMatmul:
      w.kind = port == 0 ? PortWindow::Kind::kSame : PortWindow::Kind::kWhole;
      break;
    default:  // add, concat
      w.kind = PortWindow::Kind::kSame;
      break;
  }
  if (w.kind == PortWindow::Kind::kSliding) {
    w.kernel = s.kernel;
    w.stride = s.stride;
    w.pad = s.pad;
  }
  return w;
}

std::int64_t vectorOps(const Layer& l, const std::vector<Shape>& in) {
  const std::int64_t positions = l.out.h * l.out.w;
  switch (l.spec.type) {
    case LayerType::kMaxPool:
    case LayerType::kAvgPool:  // one compare or add per window element
      return l.spec.global ? l.out.c * in[0].h * in[0].w : l.out.c * l.spec.kernel * l.spec.kernel;
    case LayerType::kAdd:
      return l.out.c * static_cast<std::int64_t>(in.size() - 1);
    case LayerType::kConcat:  // one copy per element
      return l.out.c;
    case LayerType::kMatmul:  // multiply-accumulates
      return l.macs / positions;
    default:
      return 0;
  }
}

}  // namespace

const char* nodeKindName(NodeKind k) {
  switch (k) {
    case NodeKind::kSource:
      return "input";
    case NodeKind::kCrossbar:
      return "crossbars";
    case NodeKind::kVector:
      return "vector unit";
    case NodeKind::kPassThrough:
      return "not simulated";
  }
  return "?";
}

LayerGraph buildLayerGraph(const Network& net, const Plan& plan, std::int64_t columns) {
  LayerGraph g;
  std::map<Vertex, int> node_of{{0, 0}};
  Node input;
  input.name = "input";
  input.out = net.inputShape();
  input.positions = input.out.h * input.out.w;
  input.chunk = input.out.w;
  g.nodes.push_back(input);
  std::map<int, int> residents;  // per tile, the layers that keep buffers there
  for (const PlanLayer& pl : plan.layers)
    for (const int t : pl.tiles) ++residents[t];
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    Node n;
    n.name = l.spec.name;
    n.type = l.spec.type;
    n.out = l.out;
    n.positions = l.out.h * l.out.w;
    std::vector<Shape> in;
    const std::vector<Vertex> prods = net.producers(v);
    for (std::size_t port = 0; port < prods.size(); ++port) {
      const Shape shape = net.layer(prods[port]).out;
      in.push_back(shape);
      n.inputs.push_back({node_of.at(prods[port]), windowOf(l, shape, static_cast<int>(port))});
    }
    const bool weights = l.weights > 0;
    n.plan_layer = plan.indexOf(v);
    if (weights && n.plan_layer >= 0) {
      const PlanLayer& pl = plan.layers[static_cast<std::size_t>(n.plan_layer)];
      n.kind = NodeKind::kCrossbar;
      n.input_stationary = pl.dataflow == "is";
      if (!n.input_stationary && pl.dataflow != "ws")
        throw ConfigError("layer '" + pl.name + "': unknown dataflow '" + pl.dataflow +
                          "' (ws or is)");
      n.chunk = n.input_stationary ? std::min(n.positions, pl.r * columns) : pl.r;
      n.fan_in = l.weights / l.out.c;
      n.tiles = pl.tiles;
      for (const double s : pl.sets_on_tile) n.share.push_back(s / static_cast<double>(pl.r));
    } else {
      n.kind = weights ? NodeKind::kPassThrough : NodeKind::kVector;
      if (weights) g.not_simulated.push_back(n.name);
      n.chunk = l.spec.type == LayerType::kFc ? 1 : l.out.w;
      n.ops_per_position = vectorOps(l, in);
      // On one of its producers' tiles: the one fewest layers keep buffers on (the first
      // such; tile 0 after the network input).
      int best = -1;
      for (const NodeInput& in : n.inputs)
        for (const int t : g.nodes[static_cast<std::size_t>(in.producer)].tiles)
          if (best < 0 || residents[t] < residents[best]) best = t;
      n.tiles = {std::max(best, 0)};
      ++residents[n.tiles[0]];
      n.share = {1.0};
    }
    const int index = static_cast<int>(g.nodes.size());
    for (std::size_t port = 0; port < n.inputs.size(); ++port)
      g.nodes[static_cast<std::size_t>(n.inputs[port].producer)].consumers.emplace_back(
          index, static_cast<int>(port));
    node_of[v] = index;
    g.nodes.push_back(std::move(n));
  }
  for (const PlanLayer& pl : plan.layers)
    if (node_of.count(pl.vertex) == 0 || net.layer(pl.vertex).weights == 0)
      throw ConfigError("the plan gives crossbars to '" + pl.name +
                        "', which is not a weight layer of network '" + net.name() + "'");
  return g;
}

}  // namespace xbarsim::sim
