// ONNX import: an ONNX model (ModelProto, read with the protobuf classes of Debian's
// libonnx-dev) as an xbarsim network. Batch 1; tensors are NCHW feature maps (our [C, H, W]),
// [N, C] vectors after Flatten (our [C, 1, 1]), or [N, T, F] token sequences (our [F, 1, T],
// the zoo's convention for transformers). Weights are counted from the initializers' shapes;
// their values are not imported (xbarsim draws its own, or reads --weights).
//
// Operators:
// - Conv -> conv (group 1) or dwconv (group = channels = outputs); square kernels, equal
//   strides, equal pads on every side, no dilation;
// - Gemm (constant B) and MatMul (constant B) -> fc on a vector, a 1x1 conv on a sequence;
// - MaxPool, AveragePool -> pools (same window rules, floor rounding);
//   GlobalAveragePool, GlobalMaxPool -> global pools;
// - Add/Sum of two or more activations -> add; Concat on channels -> concat (of one tensor:
//   passed through);
// - layout-only or cost-free in the simulator, passed through: Relu, LeakyRelu, PRelu, Clip,
//   Sigmoid, HardSigmoid, HardSwish, Tanh, Elu, Gelu, Erf, Softmax, LogSoftmax,
//   BatchNormalization (folded), InstanceNormalization, LayerNormalization, Dropout, Identity,
//   Cast; Add/Sub/Mul/Div/Pow/Sqrt with constant operands (biases, scales), and Sub/Mul/Div/Pow
//   of values one layer produced (GELU's x * erf(x)); Flatten (axis 1);
//   Reshape that only flattens (to [N, -1] or [N, C H W]); Pad of zero size;
// - attention: Reshape of a sequence [N, T, F] to heads [N, T, H, D] and back, Transposes
//   among [N, T, H, D], [N, H, T, D] and [N, H, D, T] (and [N, F, T] for one head), and MatMul
//   of two activations -> matmul (heads H; transpose_b when B is [N, H, D, T]);
// - Constant nodes become constants.
// Anything else is an error naming the node, its operator and inputs.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "workloads/network.h"

namespace xbarsim {
namespace {

// An activation tensor: the layer that produces it (input: the network input), its shape in
// xbarsim's terms, its ONNX rank (4: [N,C,H,W], 3: [N,T,F], 2: [N,C]) and, for a token
// sequence, the layout of its axes after N: "TF" as the zoo stores it ([F, 1, T]), or a view
// of the same values split into heads: "THD" ([N, T, H, D]), "HTD", "HDT", or "FT" (one head,
// transposed). Views change no value: the matmul that reads one knows its heads and order.
struct Value {
  std::string layer;
  Shape shape;
  int rank = 4;
  std::string axes = "";   // empty: the plain layout of its rank
  std::int64_t heads = 1;  // views with H
  bool plain() const { return axes.empty() || axes == "TF"; }
};

class Importer {
 public:
  Importer(const onnx::GraphProto& g, std::string origin) : graph_(g), origin_(std::move(origin)) {
    names_.insert("input");
  }

  Network run(const std::string& name) {
    for (const onnx::TensorProto& t : graph_.initializer())
      constants_[t.name()] = {t.dims().begin(), t.dims().end()};
    const Shape input = readInput();
    for (const onnx::NodeProto& node : graph_.node()) importNode(node);
    if (graph_.output_size() < 1) throw error("the graph has no output");
    Network net(name, input, layers_);
    net.yaml_text = networkYaml(net);
    return net;
  }

 private:
  WorkloadError error(const std::string& what) const {
    return WorkloadError(origin_ + ": " + what);
  }
  WorkloadError nodeError(const onnx::NodeProto& node, const std::string& what) const {
    std::string inputs;
    for (const std::string& in : node.input()) {
      inputs += (inputs.empty() ? "" : ", ") + in;
      const auto v = values_.find(in);
      if (v != values_.end()) inputs += " " + toString(v->second.shape);
    }
    return error("node '" + nodeName(node) + "' (" + node.op_type() + ", inputs: " + inputs +
                 "): " + what);
  }
  static std::string nodeName(const onnx::NodeProto& node) {
    return !node.name().empty() ? node.name() : node.output_size() > 0 ? node.output(0) : "?";
  }
  // A layer name from PyTorch's scoped node names: "/layer2/layer2.0/downsample/downsample.0/Conv"
  // is module layer2.0.downsample.0 (each scope repeats its parent's name or extends the last
  // one); a weight layer or pool takes its module's name, any other layer adds its operator
  // ("layer1.0.add"). Other names are kept.
  static std::string layerName(const onnx::NodeProto& node) {
    const std::string raw = nodeName(node);
    if (raw.empty() || raw[0] != '/') return raw;
    std::vector<std::string> scopes;
    for (std::size_t at = 1; at <= raw.size();) {
      const std::size_t end = std::min(raw.find('/', at), raw.size());
      if (end > at) scopes.push_back(raw.substr(at, end - at));
      at = end + 1;
    }
    if (!scopes.empty() && scopes.back().rfind(node.op_type(), 0) == 0) scopes.pop_back();
    std::string module, last;
    for (const std::string& c : scopes) {
      if (!module.empty() && c.rfind(module + ".", 0) == 0)
        module = c;
      else if (!last.empty() && c.rfind(last + ".", 0) == 0)
        module += c.substr(last.size());
      else
        module += (module.empty() ? "" : ".") + c;
      last = c;
    }
    static const std::set<std::string> kModuleOps = {
        "Conv", "Gemm", "MatMul", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"};
    if (module.empty() || !kModuleOps.count(node.op_type())) {
      std::string op = node.op_type();
      for (char& ch : op) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      module += (module.empty() ? "" : ".") + op;
    }
    return module;
  }

  Shape readInput() {
    const onnx::ValueInfoProto* in = nullptr;
    for (const onnx::ValueInfoProto& v : graph_.input()) {
      if (constants_.count(v.name())) continue;
      if (in)
        throw error("the graph has more than one input ('" + in->name() + "', '" + v.name() +
                    "'); xbarsim networks take one");
      in = &v;
    }
    if (!in) throw error("the graph has no input");
    if (!in->type().has_tensor_type() || !in->type().tensor_type().has_shape())
      throw error("input '" + in->name() + "' has no tensor shape");
    std::vector<std::int64_t> dims;
    for (const onnx::TensorShapeProto::Dimension& d : in->type().tensor_type().shape().dim()) {
      if (d.has_dim_value()) {
        dims.push_back(d.dim_value());
      } else if (dims.empty()) {
        dims.push_back(1);  // a symbolic batch
      } else {
        throw error("input '" + in->name() + "' has a symbolic dimension '" + d.dim_param() +
                    "': export the model with fixed input sizes");
      }
    }
    Value v{"input", {}, static_cast<int>(dims.size()), "", 1};
    if (dims.size() == 4)
      v.shape = {dims[1], dims[2], dims[3]};
    else if (dims.size() == 3)
      v.shape = {dims[2], 1, dims[1]};
    else if (dims.size() == 2)
      v.shape = {dims[1], 1, 1};
    else
      throw error("input '" + in->name() + "' has rank " + std::to_string(dims.size()) +
                  "; xbarsim takes [N, C, H, W], [N, T, F] or [N, C]");
    if (dims[0] != 1)
      throw error("input '" + in->name() + "' has batch " + std::to_string(dims[0]) +
                  "; xbarsim simulates one inference (batch 1)");
    for (const std::int64_t d : dims)
      if (d < 1) throw error("input '" + in->name() + "' has a dimension below 1");
    values_[in->name()] = v;
    return v.shape;
  }

  // Attributes.
  static const onnx::AttributeProto* attr(const onnx::NodeProto& node, const char* name) {
    for (const onnx::AttributeProto& a : node.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  static std::int64_t intAttr(const onnx::NodeProto& node, const char* name, std::int64_t dflt) {
    const onnx::AttributeProto* a = attr(node, name);
    return a ? a->i() : dflt;
  }
  static std::vector<std::int64_t> intsAttr(const onnx::NodeProto& node, const char* name) {
    const onnx::AttributeProto* a = attr(node, name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end())
             : std::vector<std::int64_t>{};
  }

  const Value& activation(const onnx::NodeProto& node, int index) const {
    if (index >= node.input_size()) throw nodeError(node, "missing input " + std::to_string(index));
    const auto it = values_.find(node.input(index));
    if (it == values_.end())
      throw nodeError(node,
                      constants_.count(node.input(index))
                          ? "input '" + node.input(index) + "' is a constant, not an activation"
                          : "input '" + node.input(index) + "' is produced by no earlier node");
    return it->second;
  }
  const std::vector<std::int64_t>& constant(const onnx::NodeProto& node, int index) const {
    const auto it =
        index < node.input_size() ? constants_.find(node.input(index)) : constants_.end();
    if (it == constants_.end())
      throw nodeError(node, "input " + std::to_string(index) +
                                " must be a constant (an initializer) for xbarsim to map it");
    return it->second;
  }

  // Kernel, stride and padding of a Conv or pool: square and symmetric only.
  void window(const onnx::NodeProto& node, std::int64_t kernel_from_weights, LayerSpec& s) const {
    std::vector<std::int64_t> k = intsAttr(node, "kernel_shape");
    if (k.empty() && kernel_from_weights > 0) k = {kernel_from_weights, kernel_from_weights};
    if (k.size() != 2 || k[0] != k[1])
      throw nodeError(node, "xbarsim takes square 2-D kernels only");
    std::vector<std::int64_t> st = intsAttr(node, "strides");
    if (st.empty()) st = {1, 1};
    if (st.size() != 2 || st[0] != st[1]) throw nodeError(node, "strides must be equal");
    std::vector<std::int64_t> pads = intsAttr(node, "pads");
    const onnx::AttributeProto* ap = attr(node, "auto_pad");
    const std::string auto_pad = ap ? ap->s() : "NOTSET";
    if (auto_pad == "VALID") {
      pads = {0, 0, 0, 0};
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      if (st[0] != 1 || k[0] % 2 == 0)
        throw nodeError(node, "auto_pad " + auto_pad + " pads unevenly here; export explicit pads");
      pads.assign(4, (k[0] - 1) / 2);
    } else if (auto_pad != "NOTSET") {
      throw nodeError(node, "unknown auto_pad '" + auto_pad + "'");
    }
    if (pads.empty()) pads = {0, 0, 0, 0};
    if (pads.size() != 4 || pads[1] != pads[0] || pads[2] != pads[0] || pads[3] != pads[0])
      throw nodeError(node, "pads must be equal on every side");
    for (const std::int64_t d : intsAttr(node, "dilations"))
      if (d != 1) throw nodeError(node, "dilated windows are not supported");
    if (intAttr(node, "ceil_mode", 0) != 0)
      throw nodeError(node, "ceil_mode 1 is not supported (xbarsim rounds windows down)");
    s.kernel = k[0];
    s.stride = st[0];
    s.pad = pads[0];
  }

  // Adds a layer reading `inputs` and makes it the producer of the node's first output.
  void addLayer(const onnx::NodeProto& node, LayerSpec s, const std::vector<const Value*>& inputs,
                int rank) {
    s.name = layerName(node);
    for (int k = 2; !names_.insert(s.name).second; ++k)
      s.name = layerName(node) + "#" + std::to_string(k);
    s.where = origin_ + ": node " + nodeName(node);
    std::vector<Shape> shapes;
    for (const Value* v : inputs) {
      s.inputs.push_back(v->layer);
      shapes.push_back(v->shape);
    }
    const Layer l = inferLayer(s, shapes);
    layers_.push_back(s);
    define(node, {s.name, l.out, rank, "", 1});
  }
  void define(const onnx::NodeProto& node, const Value& v) {
    if (node.output_size() < 1) throw nodeError(node, "has no output");
    values_[node.output(0)] = v;
  }

  void importNode(const onnx::NodeProto& node) {
    static const std::set<std::string> kPassThrough = {"Relu",
                                                       "LeakyRelu",
                                                       "PRelu",
                                                       "Clip",
                                                       "Sigmoid",
                                                       "HardSigmoid",
                                                       "HardSwish",
                                                       "Tanh",
                                                       "Elu",
                                                       "Gelu",
                                                       "Erf",
                                                       "Softmax",
                                                       "LogSoftmax",
                                                       "BatchNormalization",
                                                       "InstanceNormalization",
                                                       "LayerNormalization",
                                                       "Dropout",
                                                       "Identity",
                                                       "Cast"};
    static const std::set<std::string> kElementwise = {"Add", "Sub",  "Mul", "Div",
                                                       "Pow", "Sqrt", "Sum"};
    const std::string& op = node.op_type();
    if (op == "Constant") {
      const onnx::AttributeProto* a = attr(node, "value");
      if (!a || !a->has_t()) throw nodeError(node, "a Constant without a tensor value");
      if (node.output_size() < 1) throw nodeError(node, "has no output");
      constants_[node.output(0)] = {a->t().dims().begin(), a->t().dims().end()};
      return;
    }
    if (kPassThrough.count(op) || kElementwise.count(op)) {
      // On constants only (a weight through Identity, a folded scale): a constant.
      bool constants = node.input_size() > 0 && node.output_size() > 0;
      for (const std::string& in : node.input())
        constants = constants && (in.empty() || constants_.count(in) > 0);
      if (constants) {
        constants_[node.output(0)] = constants_[node.input(0)];
        return;
      }
    }
    if (kPassThrough.count(op)) {
      define(node, activation(node, 0));
      return;
    }
    if (kElementwise.count(op)) {
      std::vector<const Value*> acts;
      for (int i = 0; i < node.input_size(); ++i) {
        if (node.input(i).empty() || constants_.count(node.input(i))) continue;
        acts.push_back(&activation(node, i));
      }
      if (acts.empty()) throw nodeError(node, "no activation input");
      if (acts.size() == 1) {  // a bias, scale or power: no cost in the simulator
        define(node, *acts[0]);
        return;
      }
      for (const Value* a : acts)
        if (!a->plain()) throw nodeError(node, "an elementwise " + op + " of head views");
      // Of values one layer produced (x * erf(x) in GELU, x * sigmoid(x) in SiLU): a function
      // of that layer's output, cost-free like the activations above.
      const bool one_producer = std::all_of(acts.begin(), acts.end(), [&](const Value* a) {
        return a->layer == acts[0]->layer && a->shape == acts[0]->shape && a->axes == acts[0]->axes;
      });
      if (op != "Add" && op != "Sum" && one_producer) {
        define(node, *acts[0]);
        return;
      }
      if (op != "Add" && op != "Sum")
        throw nodeError(node, "an elementwise " + op +
                                  " of two layers' outputs has no xbarsim layer (only add)");
      LayerSpec s;
      s.type = LayerType::kAdd;
      addLayer(node, s, acts, acts[0]->rank);
      return;
    }
    if (op == "Conv") {
      const Value& x = plainActivation(node, 0);
      const std::vector<std::int64_t>& w = constant(node, 1);
      if (x.rank != 4 || w.size() != 4) throw nodeError(node, "xbarsim takes 2-D convolutions");
      if (w[2] != w[3]) throw nodeError(node, "xbarsim takes square 2-D kernels only");
      LayerSpec s;
      window(node, w[2], s);
      const std::int64_t group = intAttr(node, "group", 1);
      if (group == 1) {
        s.type = LayerType::kConv;
        s.out = w[0];
      } else if (group == x.shape.c && w[0] == x.shape.c && w[1] == 1) {
        s.type = LayerType::kDwConv;
      } else {
        throw nodeError(node, "grouped convolution (group " + std::to_string(group) + " of " +
                                  std::to_string(x.shape.c) +
                                  " channels) is not supported: only group 1 or depthwise");
      }
      addLayer(node, s, {&x}, 4);
      return;
    }
    if (op == "MatMul" && node.input_size() > 1 && !constants_.count(node.input(1))) {
      attentionProduct(node);
      return;
    }
    if (op == "Transpose") {
      transpose(node);
      return;
    }
    if (op == "Gemm" || op == "MatMul") {
      const Value& a = plainActivation(node, 0);
      const std::vector<std::int64_t>& b = constant(node, 1);
      if (b.size() != 2) throw nodeError(node, "the constant operand must be a matrix");
      const bool trans_b = op == "Gemm" && intAttr(node, "transB", 0) != 0;
      if (op == "Gemm" && intAttr(node, "transA", 0) != 0)
        throw nodeError(node, "transA is not supported");
      const std::int64_t k = trans_b ? b[1] : b[0];
      LayerSpec s;
      s.out = trans_b ? b[0] : b[1];
      if (a.rank == 3) {  // token-wise: the same matrix on every token, a 1x1 conv
        if (a.shape.c != k) throw nodeError(node, "contracts " + std::to_string(k) + " features");
        s.type = LayerType::kConv;
        addLayer(node, s, {&a}, 3);
      } else if (a.rank == 2) {
        if (a.shape.elements() != k)
          throw nodeError(node, "contracts " + std::to_string(k) + " features of a vector of " +
                                    std::to_string(a.shape.elements()));
        s.type = LayerType::kFc;
        addLayer(node, s, {&a}, 2);
      } else {
        throw nodeError(node,
                        "xbarsim takes a matrix product of a vector [N, C] or a token "
                        "sequence [N, T, F] (Flatten a feature map first)");
      }
      return;
    }
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" ||
        op == "GlobalMaxPool") {
      const Value& x = plainActivation(node, 0);
      if (x.rank != 4) throw nodeError(node, "xbarsim pools 2-D feature maps");
      LayerSpec s;
      s.type = op == "MaxPool" || op == "GlobalMaxPool" ? LayerType::kMaxPool : LayerType::kAvgPool;
      if (op.rfind("Global", 0) == 0)
        s.global = true;
      else
        window(node, 0, s);
      if (node.output_size() > 1 && !node.output(1).empty())
        throw nodeError(node, "MaxPool indices are not supported");
      addLayer(node, s, {&x}, 4);
      return;
    }
    if (op == "Concat") {
      std::vector<const Value*> acts;
      for (int i = 0; i < node.input_size(); ++i) acts.push_back(&plainActivation(node, i));
      if (acts.empty() || acts[0]->rank != 4 || intAttr(node, "axis", 0) != 1)
        throw nodeError(node, "xbarsim concatenates feature maps on channels (axis 1) only");
      if (acts.size() == 1) {  // a concatenation of one tensor is that tensor
        define(node, *acts[0]);
        return;
      }
      LayerSpec s;
      s.type = LayerType::kConcat;
      addLayer(node, s, acts, 4);
      return;
    }
    if (op == "Pad") {
      const Value& x = activation(node, 0);
      std::vector<std::int64_t> pads = intsAttr(node, "pads");  // opset < 11
      if (node.input_size() > 1) pads = int64Constant(node, 1);
      for (const std::int64_t p : pads)
        if (p != 0) throw nodeError(node, "only a Pad of zero size is supported");
      define(node, x);
      return;
    }
    if (op == "Reshape" && (activation(node, 0).rank == 3 || !activation(node, 0).plain())) {
      reshapeHeads(node);
      return;
    }
    if (op == "Flatten" || op == "Reshape") {
      const Value& x = plainActivation(node, 0);
      if (op == "Flatten") {
        if (intAttr(node, "axis", 1) != 1) throw nodeError(node, "only Flatten on axis 1");
        define(node, {x.layer, x.shape, 2, "", 1});
        return;
      }
      const std::vector<std::int64_t> target = int64Constant(node, 1);
      const std::int64_t n = x.shape.elements();
      if (target.size() == 2 && (target[0] == 1 || target[0] == 0) &&
          (target[1] == -1 || target[1] == n)) {
        define(node, {x.layer, x.shape, 2, "", 1});
        return;
      }
      throw nodeError(node, "a Reshape that is not a flatten changes the layout");
    }
    throw nodeError(node, "operator " + op + " is not supported");
  }

  // An activation in the plain layout of its rank (not a view split into heads).
  const Value& plainActivation(const onnx::NodeProto& node, int index) const {
    const Value& v = activation(node, index);
    if (!v.plain())
      throw nodeError(node, "input '" + node.input(index) + "' is split into heads (" + v.axes +
                                "); xbarsim takes it here only as [N, T, F]");
    return v;
  }

  // Reshape of a token sequence: [N, T, F] to heads [N, T, H, D] (H x D = F), and back.
  void reshapeHeads(const onnx::NodeProto& node) {
    const Value& x = activation(node, 0);
    const std::int64_t t = x.shape.w, f = x.shape.c;
    std::vector<std::int64_t> to = int64Constant(node, 1);
    const std::vector<std::int64_t> from =
        x.axes == "THD" ? std::vector<std::int64_t>{1, t, x.heads, f / x.heads}
                        : std::vector<std::int64_t>{1, t, f};
    if (x.axes != "THD" && !x.plain())
      throw nodeError(node, "a Reshape of heads in layout " + x.axes +
                                " (transpose them back to [N, T, H, D] first)");
    std::int64_t known = 1, infer = -1;
    for (std::size_t i = 0; i < to.size(); ++i) {
      if (to[i] == 0 && i < from.size()) to[i] = from[i];  // ONNX: 0 copies the input's dim
      if (to[i] == -1 && infer < 0) {
        infer = static_cast<std::int64_t>(i);
        continue;
      }
      // Each dimension of a token sequence is at most its element count: no product overflows.
      if (to[i] < 1 || to[i] > t * f || __builtin_mul_overflow(known, to[i], &known))
        throw nodeError(node, "a Reshape to dimension " + std::to_string(to[i]) +
                                  " (at most one -1, the others 1 to " + std::to_string(t * f) +
                                  ")");
    }
    if (infer >= 0) to[static_cast<std::size_t>(infer)] = t * f / known;
    if (to.size() == 4 && to[0] == 1 && to[1] == t && to[2] * to[3] == f && to[2] > 0) {
      define(node, {x.layer, x.shape, 4, "THD", to[2]});
    } else if (to.size() == 3 && to[0] == 1 && to[1] == t && to[2] == f) {
      define(node, {x.layer, x.shape, 3, "", 1});
    } else if (to.size() == 2 && to[0] == 1 && to[1] == t * f && x.plain()) {
      define(node, {x.layer, x.shape, 2, "", 1});
    } else {
      std::string dims;
      for (const std::int64_t d : to) dims += (dims.empty() ? "" : ", ") + std::to_string(d);
      throw nodeError(node, "a Reshape of a token sequence to [" + dims +
                                "] is neither a split into heads [N, T, H, D] nor a merge back "
                                "to [N, T, F]");
    }
  }

  // Transpose among the views of a token sequence.
  void transpose(const onnx::NodeProto& node) {
    const Value& x = activation(node, 0);
    const std::string axes = x.axes.empty() ? (x.rank == 3 ? "TF" : "") : x.axes;
    const std::vector<std::int64_t> perm = intsAttr(node, "perm");
    if (axes.empty() || perm.size() != axes.size() + 1 || perm[0] != 0)
      throw nodeError(node,
                      "xbarsim transposes only the axes of a token sequence's heads "
                      "(batch first)");
    std::string out;
    for (std::size_t i = 1; i < perm.size(); ++i) {
      if (perm[i] < 1 || perm[i] > static_cast<std::int64_t>(axes.size()))
        throw nodeError(node, "perm has an axis out of range");
      out += axes[static_cast<std::size_t>(perm[i] - 1)];
    }
    static const std::set<std::string> kViews = {"TF", "FT", "THD", "HTD", "HDT"};
    if (!kViews.count(out))
      throw nodeError(node, "a Transpose from [N, " + axes + "] to [N, " + out +
                                "] is not a layout of attention xbarsim knows");
    define(node, {x.layer, x.shape, x.rank, out == "TF" ? "" : out, x.heads});
  }

  // MatMul of two activations: attention's scores Q K^T and context S V, per head.
  void attentionProduct(const onnx::NodeProto& node) {
    const Value& a = activation(node, 0);
    const Value& b = activation(node, 1);
    const bool a_tokens = a.axes == "HTD" || (a.rank == 3 && a.plain());
    const bool b_rows = b.axes == "HDT" || b.axes == "FT";
    const bool b_tokens = b.axes == "HTD" || (b.rank == 3 && b.plain());
    if (!a_tokens || !(b_rows || b_tokens) || a.rank != b.rank || a.heads != b.heads)
      throw nodeError(node,
                      "a product of two activations must be attention's: A as [N, H, T, D] "
                      "(or [N, T, F]) by B as [N, H, D, T] or [N, H, T, D] (or [N, F, T], "
                      "[N, T, F]) with the same heads; got [N, " +
                          (a.axes.empty() ? "TF" : a.axes) + "] by [N, " +
                          (b.axes.empty() ? "TF" : b.axes) + "]");
    LayerSpec s;
    s.type = LayerType::kMatmul;
    s.heads = a.heads;
    s.transpose_b = b_rows;
    addLayer(node, s, {&a, &b}, a.rank);
    values_[node.output(0)].axes = a.rank == 4 ? "HTD" : "";
    values_[node.output(0)].heads = a.heads;
  }

  // Input `index` of the node, an int64 constant (a Reshape's shape, a Pad's pads).
  std::vector<std::int64_t> int64Constant(const onnx::NodeProto& node, int index) const {
    if (node.input_size() <= index) throw nodeError(node, "missing input " + std::to_string(index));
    const std::string& name = node.input(index);
    for (const onnx::TensorProto& t : graph_.initializer())
      if (t.name() == name) return int64s(node, t);
    for (const onnx::NodeProto& c : graph_.node())
      if (c.op_type() == "Constant" && c.output_size() > 0 && c.output(0) == name) {
        const onnx::AttributeProto* a = attr(c, "value");
        if (a && a->has_t()) return int64s(node, a->t());
      }
    throw nodeError(node, "input '" + name + "' must be a constant");
  }
  std::vector<std::int64_t> int64s(const onnx::NodeProto& node, const onnx::TensorProto& t) const {
    if (t.data_type() != onnx::TensorProto::INT64)
      throw nodeError(node, "input constants must be int64");
    if (t.int64_data_size() > 0) return {t.int64_data().begin(), t.int64_data().end()};
    const std::string& raw = t.raw_data();
    if (raw.size() % 8 != 0) throw nodeError(node, "an int64 constant's raw data is truncated");
    std::vector<std::int64_t> out(raw.size() / 8);
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::uint64_t v = 0;
      for (int b = 7; b >= 0; --b) v = v << 8 | static_cast<unsigned char>(raw[i * 8 + b]);
      out[i] = static_cast<std::int64_t>(v);
    }
    return out;
  }

  const onnx::GraphProto& graph_;
  std::string origin_;
  std::map<std::string, std::vector<std::int64_t>> constants_;  // name -> dims
  std::map<std::string, Value> values_;                         // activations by tensor name
  std::vector<LayerSpec> layers_;
  std::set<std::string> names_;
};

}  // namespace

Network parseOnnx(const std::string& bytes, const std::string& origin) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw WorkloadError(origin + ": not an ONNX model (the protobuf does not parse)");
  if (!model.has_graph()) throw WorkloadError(origin + ": the ONNX model has no graph");
  return Importer(model.graph(), origin).run(std::filesystem::path(origin).stem().string());
}

}  // namespace xbarsim
