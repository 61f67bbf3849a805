// A DNN as a Boost.Graph DAG of layers. Vertices are layers (vertex 0 is the network input),
// edges carry the tensor shape flowing from producer to consumer. Shapes are inferred once,
// on construction, and every inconsistency (a shape mismatch, a cycle, a dangling input) is a
// WorkloadError naming the layer.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "io/strict_map.h"

namespace xbarsim {

enum class LayerType { kInput, kConv, kDwConv, kFc, kMaxPool, kAvgPool, kAdd, kConcat, kMatmul };

const char* layerTypeName(LayerType type);

// A feature-map tensor: channels x height x width. Sequence models use [features, 1, tokens].
struct Shape {
  std::int64_t c = 0, h = 0, w = 0;
  std::int64_t elements() const { return c * h * w; }
  bool operator==(const Shape& o) const { return c == o.c && h == o.h && w == o.w; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

std::string toString(const Shape& s);

// What the user wrote for one layer (the parameters that matter for its type).
struct LayerSpec {
  std::string name;
  LayerType type = LayerType::kInput;
  std::vector<std::string> inputs;  // producer names; "input" is the network input
  std::int64_t out = 0;             // conv/fc output channels
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t pad = 0;
  bool global = false;       // global pooling
  std::int64_t heads = 1;    // matmul
  bool transpose_b = false;  // matmul
  std::string where;         // "file:line:column" of its definition, for messages
};

// A layer with its inferred output shape and cost.
struct Layer {
  LayerSpec spec;
  Shape out;
  std::int64_t weights = 0;  // static weights held in crossbars
  std::int64_t macs = 0;     // multiply-accumulates for one inference
};

struct Edge {
  Shape shape;   // the producer's output tensor
  int port = 0;  // position in the consumer's input list
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Layer, Edge>;
using Vertex = Graph::vertex_descriptor;

class Network {
 public:
  // Builds the graph from layer specs (any order; references by name) and infers shapes.
  Network(std::string name, Shape input, const std::vector<LayerSpec>& layers);

  const std::string& name() const { return name_; }
  const Graph& graph() const { return graph_; }
  const Layer& layer(Vertex v) const { return graph_[v]; }
  Shape inputShape() const { return graph_[0].out; }
  // All vertices but the input, producers before consumers (stable: file order when possible).
  const std::vector<Vertex>& topoOrder() const { return order_; }
  // Producers of v in input-list order.
  std::vector<Vertex> producers(Vertex v) const;
  std::vector<Vertex> consumers(Vertex v) const;
  Vertex find(const std::string& layer_name) const;  // throws WorkloadError if absent

  std::int64_t totalWeights() const;
  std::int64_t totalMacs() const;

  // Provenance for result files: the YAML text and parameter values it was built from.
  std::string yaml_text;
  Params params;

 private:
  void inferShapes();
  std::string name_;
  Graph graph_;
  std::vector<Vertex> order_;
};

// One layer's output shape, weights and MACs from its inputs' shapes (in input-list order);
// a bad layer is a WorkloadError naming it.
Layer inferLayer(const LayerSpec& spec, const std::vector<Shape>& inputs);

// Loads a preset name (configs/workloads) or path; `overrides` set the file's `params:`.
Network loadNetwork(const std::string& name_or_path, const Params& overrides = {});
Network parseNetwork(const std::string& yaml_text, const std::string& origin,
                     const Params& overrides = {});
// The network in the YAML format parseNetwork reads, every layer with its inputs named.
std::string networkYaml(const Network& net);
// An ONNX model (a serialized ModelProto) as a network; see workloads/onnx_network.cpp for the
// operators it takes. Anything else is a WorkloadError naming the node, its operator and inputs.
Network parseOnnx(const std::string& bytes, const std::string& origin);
bool isOnnxFile(const std::string& path);  // by its extension, .onnx

}  // namespace xbarsim
