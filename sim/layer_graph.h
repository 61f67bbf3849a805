// The simulator's view of a network: one node per layer of the graph (and node 0 for the network
// input), each with its input ports and their windows, its consumers, what hardware runs it and
// where its data lives. Built by the simulator's own code from the network graph and the Plan;
// nothing here comes from the analytical models.
//
// Which hardware runs a layer:
//   - a weight layer the Plan gives crossbars (conv, depthwise conv, fc) runs on them, R output
//     positions at a time (a group), or, input-stationary, R x crossbar columns positions at a
//     time (a round: their patches written into the cells, then one output channel per step);
//   - pools, adds, concats and activation x activation matmuls run on the vector unit of one of
//     their producers' tiles, the one fewest layers keep buffers on (so that a residual add
//     does not crowd a tile whose buffer its neighbours' working sets already fill), at most
//     an output row's width of positions at a time;
//   - a weight layer the Plan gives no crossbars (the paper's main-path subset leaves out fc
//     and shortcut layers) passes its inputs through in zero time, holding no buffers, and is
//     listed as not simulated in the results; the data it passes on is still moved to its
//     consumers, and that traffic is counted.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"
#include "sim/window.h"
#include "workloads/network.h"

namespace xbarsim::sim {

enum class NodeKind { kSource, kCrossbar, kVector, kPassThrough };
const char* nodeKindName(NodeKind k);

struct NodeInput {
  int producer = 0;  // node index; 0 is the network input
  PortWindow window;
};

struct Node {
  std::string name;
  LayerType type = LayerType::kInput;
  NodeKind kind = NodeKind::kSource;
  Shape out;
  std::int64_t positions = 0;  // output positions (rows x columns)
  std::vector<NodeInput> inputs;
  std::vector<std::pair<int, int>> consumers;  // (node, port)
  int plan_layer = -1;                         // crossbar layers: index into Plan::layers
  bool input_stationary = false;               // crossbar layers: the "is" dataflow
  // Positions computed at once: R (weight-stationary), R x crossbar columns (input-stationary:
  // a round), or an output row's width (vector unit).
  std::int64_t chunk = 1;
  std::int64_t fan_in = 0;            // crossbar rows one output position reads
  std::int64_t ops_per_position = 0;  // vector-unit operations per output position
  std::vector<int> tiles;             // where its input and output buffers are
  std::vector<double> share;          // fraction of its data on each of those tiles
};

struct LayerGraph {
  std::vector<Node> nodes;  // producers before consumers; nodes[0] is the network input
  std::vector<std::string> not_simulated;  // weight layers without crossbars (passed through)
};

// `columns`: a crossbar's columns (an input-stationary round is R x columns positions).
LayerGraph buildLayerGraph(const Network& net, const Plan& plan, std::int64_t columns);

}  // namespace xbarsim::sim
