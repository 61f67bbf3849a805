// ONNX import: small models built here with the ONNX protobuf classes, checked layer by layer
// against the same networks written in YAML (shapes, weights, MACs), and every unsupported
// construct an error naming the node, its operator and its inputs.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "workloads/network.h"

namespace xbarsim {
namespace {

// Builds a model node by node.
class Model {
 public:
  explicit Model(std::vector<std::int64_t> input_dims) {
    onnx::ValueInfoProto* in = model_.mutable_graph()->add_input();
    in->set_name("x");
    auto* shape = in->mutable_type()->mutable_tensor_type()->mutable_shape();
    for (const std::int64_t d : input_dims) shape->add_dim()->set_dim_value(d);
    model_.mutable_graph()->add_output()->set_name("y");
  }
  // A constant (an initializer) of the given dims; returns its name.
  std::string weight(const std::vector<std::int64_t>& dims) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name("w" + std::to_string(model_.graph().initializer_size()));
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (const std::int64_t d : dims) t->add_dims(d);
    return t->name();
  }
  std::string int64s(const std::vector<std::int64_t>& values) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name("c" + std::to_string(model_.graph().initializer_size()));
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<std::int64_t>(values.size()));
    for (const std::int64_t v : values) t->add_int64_data(v);
    return t->name();
  }
  // Adds a node; returns its output's name.
  std::string node(
      const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
      const std::vector<std::pair<std::string, std::vector<std::int64_t>>>& ints = {}) {
    onnx::NodeProto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const std::string& i : inputs) n->add_input(i);
    n->add_output(name + ":out");
    for (const auto& [key, values] : ints) {
      onnx::AttributeProto* a = n->add_attribute();
      a->set_name(key);
      if (key == "group" || key == "axis" || key == "transB" || key == "ceil_mode") {
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(values.at(0));
      } else {
        a->set_type(onnx::AttributeProto::INTS);
        for (const std::int64_t v : values) a->add_ints(v);
      }
    }
    return n->output(0);
  }
  Network load() const { return parseOnnx(model_.SerializeAsString(), "test.onnx"); }

 private:
  onnx::ModelProto model_;
};

void expectSameLayers(const Network& a, const Network& b) {
  ASSERT_EQ(a.topoOrder().size(), b.topoOrder().size());
  for (std::size_t i = 0; i < a.topoOrder().size(); ++i) {
    const Layer& x = a.layer(a.topoOrder()[i]);
    const Layer& y = b.layer(b.topoOrder()[i]);
    SCOPED_TRACE(x.spec.name + " vs " + y.spec.name);
    EXPECT_EQ(x.spec.name, y.spec.name);
    EXPECT_EQ(x.spec.type, y.spec.type);
    EXPECT_EQ(x.out, y.out);
    EXPECT_EQ(x.weights, y.weights);
    EXPECT_EQ(x.macs, y.macs);
    std::vector<std::string> px, py;
    for (const Vertex p : a.producers(a.topoOrder()[i])) px.push_back(a.layer(p).spec.name);
    for (const Vertex p : b.producers(b.topoOrder()[i])) py.push_back(b.layer(p).spec.name);
    EXPECT_EQ(px, py);
  }
  EXPECT_EQ(a.inputShape(), b.inputShape());
  EXPECT_EQ(a.totalWeights(), b.totalWeights());
  EXPECT_EQ(a.totalMacs(), b.totalMacs());
}

TEST(Onnx, ConvNetMatchesItsYaml) {
  Model m({1, 3, 16, 16});
  const auto k3 = std::vector<std::pair<std::string, std::vector<std::int64_t>>>{
      {"kernel_shape", {3, 3}}, {"pads", {1, 1, 1, 1}}};
  std::string t = m.node("Conv", "c1", {"x", m.weight({8, 3, 3, 3}), m.weight({8})}, k3);
  t = m.node("BatchNormalization", "bn",
             {t, m.weight({8}), m.weight({8}), m.weight({8}), m.weight({8})});
  t = m.node("Relu", "relu", {t});
  const std::string pool =
      m.node("MaxPool", "p1", {t}, {{"kernel_shape", {2, 2}}, {"strides", {2, 2}}});
  const std::string a = m.node("Conv", "c2", {pool, m.weight({8, 8, 3, 3})}, k3);
  const std::string b = m.node("Conv", "c3", {pool, m.weight({8, 8, 1, 1})});
  t = m.node("Add", "sum", {a, b});
  t = m.node("Add", "bias", {t, m.weight({8, 1, 1})});  // a constant operand: no layer
  t = m.node("Conv", "dw", {t, m.weight({8, 1, 3, 3})},
             {{"kernel_shape", {3, 3}}, {"pads", {1, 1, 1, 1}}, {"group", {8}}});
  t = m.node("Concat", "cat", {t, pool}, {{"axis", {1}}});
  t = m.node("AveragePool", "p2", {t}, {{"kernel_shape", {2, 2}}, {"strides", {2, 2}}});
  t = m.node("GlobalAveragePool", "gap", {t});
  t = m.node("Flatten", "flat", {t});
  t = m.node("Gemm", "fc", {t, m.weight({10, 16}), m.weight({10})}, {{"transB", {1}}});
  m.node("Softmax", "y", {t});

  const Network yaml = parseNetwork(R"(
name: test
input: [3, 16, 16]
layers:
  - {name: c1, type: conv, out: 8, kernel: 3, pad: 1}
  - {name: p1, type: maxpool, kernel: 2, stride: 2}
  - {name: c2, type: conv, inputs: [p1], out: 8, kernel: 3, pad: 1}
  - {name: c3, type: conv, inputs: [p1], out: 8, kernel: 1}
  - {name: sum, type: add, inputs: [c2, c3]}
  - {name: dw, type: dwconv, kernel: 3, pad: 1}
  - {name: cat, type: concat, inputs: [dw, p1]}
  - {name: p2, type: avgpool, kernel: 2, stride: 2}
  - {name: gap, type: avgpool, global: true}
  - {name: fc, type: fc, out: 10}
)",
                                    "test.yaml");
  const Network onnx = m.load();
  expectSameLayers(onnx, yaml);
  EXPECT_EQ(onnx.name(), "test");
  // By hand: c1 8*3*9 = 216 weights at 16x16, c2 576 and c3 64 at 8x8, dw 72 at 8x8, fc 160.
  EXPECT_EQ(onnx.totalWeights(), 216 + 576 + 64 + 72 + 160);
  EXPECT_EQ(onnx.totalMacs(), 216 * 256 + (576 + 64 + 72) * 64 + 160);
}

// A token sequence [1, T, F]: a MatMul by a constant is a 1x1 conv over [F, 1, T].
TEST(Onnx, TokenSequenceMatmulsAreTokenWiseLayers) {
  Model m({1, 16, 32});
  std::string t = m.node("MatMul", "up", {"x", m.weight({32, 64})});
  t = m.node("Relu", "act", {t});
  t = m.node("MatMul", "down", {t, m.weight({64, 32})});
  m.node("Add", "res", {t, "x"});
  const Network yaml = parseNetwork(R"(
name: test
input: [32, 1, 16]
layers:
  - {name: up, type: conv, out: 64, kernel: 1}
  - {name: down, type: conv, out: 32, kernel: 1}
  - {name: res.add, type: add, inputs: [down, input]}
)",
                                    "test.yaml");
  const Network onnx = m.load();
  // The add is named after its node: compare everything but that name.
  ASSERT_EQ(onnx.topoOrder().size(), 3u);
  EXPECT_EQ(onnx.totalWeights(), yaml.totalWeights());
  EXPECT_EQ(onnx.totalMacs(), yaml.totalMacs());
  EXPECT_EQ(onnx.totalMacs(), 16 * (32 * 64 + 64 * 32));
  EXPECT_EQ(onnx.layer(onnx.topoOrder()[2]).out, (Shape{32, 1, 16}));
}

// Multi-head self-attention as PyTorch writes it: Q, K, V split into 4 heads by Reshape and
// Transpose, scores Q K^T scaled and softmaxed, context S V merged back; the same network as
// the zoo's transformer layers in YAML. MACs by hand: 4 projections of 16 tokens x 32 x 32,
// scores 4 heads x 16 x 8 x 16, context 4 x 16 x 16 x 8.
TEST(Onnx, AttentionIsTheZoosMatmulLayers) {
  Model m({1, 16, 32});
  const std::string q = m.node("MatMul", "q", {"x", m.weight({32, 32})});
  const std::string k = m.node("MatMul", "k", {"x", m.weight({32, 32})});
  const std::string v = m.node("MatMul", "v", {"x", m.weight({32, 32})});
  std::string qh = m.node("Reshape", "q_split", {q, m.int64s({1, 16, 4, 8})});
  qh = m.node("Transpose", "q_heads", {qh}, {{"perm", {0, 2, 1, 3}}});
  std::string kh = m.node("Reshape", "k_split", {k, m.int64s({0, 0, 4, -1})});
  kh = m.node("Transpose", "k_heads_t", {kh}, {{"perm", {0, 2, 3, 1}}});
  std::string vh = m.node("Reshape", "v_split", {v, m.int64s({1, -1, 4, 8})});
  vh = m.node("Transpose", "v_heads", {vh}, {{"perm", {0, 2, 1, 3}}});
  std::string sc = m.node("MatMul", "scores", {qh, kh});
  sc = m.node("Div", "scale", {sc, m.weight({1})});
  sc = m.node("Softmax", "softmax", {sc});
  std::string ctx = m.node("MatMul", "ctx", {sc, vh});
  ctx = m.node("Transpose", "ctx_tokens", {ctx}, {{"perm", {0, 2, 1, 3}}});
  ctx = m.node("Reshape", "ctx_merge", {ctx, m.int64s({1, 16, 32})});
  const std::string o = m.node("MatMul", "proj", {ctx, m.weight({32, 32})});
  m.node("Add", "res", {o, "x"});
  const Network yaml = parseNetwork(R"(
name: test
input: [32, 1, 16]
layers:
  - {name: q, type: conv, out: 32, kernel: 1}
  - {name: k, type: conv, inputs: [input], out: 32, kernel: 1}
  - {name: v, type: conv, inputs: [input], out: 32, kernel: 1}
  - {name: scores, type: matmul, inputs: [q, k], heads: 4, transpose_b: true}
  - {name: ctx, type: matmul, inputs: [scores, v], heads: 4}
  - {name: proj, type: conv, out: 32, kernel: 1}
  - {name: res, type: add, inputs: [proj, input]}
)",
                                    "test.yaml");
  const Network onnx = m.load();
  expectSameLayers(onnx, yaml);
  EXPECT_EQ(onnx.totalMacs(), 4 * 16 * 32 * 32 + 4 * 16 * 8 * 16 + 4 * 16 * 16 * 8);
  EXPECT_EQ(onnx.layer(onnx.topoOrder()[3]).out, (Shape{64, 1, 16}));  // 4 heads x 16 keys
  // A single head needs no split: Q K^T with K transposed as a whole sequence.
  Model one({1, 16, 32});
  const std::string kt = one.node("Transpose", "kt", {"x"}, {{"perm", {0, 2, 1}}});
  one.node("MatMul", "scores", {"x", kt});
  const Network single = one.load();
  ASSERT_EQ(single.topoOrder().size(), 1u);
  EXPECT_EQ(single.totalMacs(), 16 * 32 * 16);
}

// A flatten written as Reshape to [1, -1] is layout only.
TEST(Onnx, ReshapeThatFlattensIsLayoutOnly) {
  Model m({1, 4, 2, 2});
  std::string t = m.node("Reshape", "r", {"x", m.int64s({1, -1})});
  m.node("Gemm", "fc", {t, m.weight({16, 5})});
  const Network n = m.load();
  ASSERT_EQ(n.topoOrder().size(), 1u);
  EXPECT_EQ(n.totalWeights(), 80);
}

std::string errorOf(const Model& m) {
  try {
    m.load();
  } catch (const WorkloadError& e) {
    return e.what();
  }
  return "";
}

TEST(OnnxErrors, EachNamesTheNodeItsOperatorAndInputs) {
  {
    Model m({1, 3, 8, 8});
    m.node("LSTM", "rnn", {"x", m.weight({1, 4, 3})});
    const std::string e = errorOf(m);
    EXPECT_NE(e.find("test.onnx: node 'rnn' (LSTM, inputs: x [3, 8, 8], w1)"), std::string::npos)
        << e;
    EXPECT_NE(e.find("operator LSTM is not supported"), std::string::npos) << e;
  }
  {
    Model m({1, 4, 8, 8});
    m.node("Conv", "g", {"x", m.weight({4, 2, 3, 3})}, {{"group", {2}}});
    EXPECT_NE(errorOf(m).find("node 'g' (Conv, inputs: x [4, 8, 8], w1): grouped convolution"),
              std::string::npos)
        << errorOf(m);
  }
  {
    Model m({1, 3, 8, 8});
    m.node("Conv", "pads", {"x", m.weight({4, 3, 3, 3})}, {{"pads", {1, 1, 0, 0}}});
    EXPECT_NE(errorOf(m).find("pads must be equal on every side"), std::string::npos);
  }
  {
    Model m({1, 3, 8, 8});
    m.node("MatMul", "scores", {"x", "x"});
    EXPECT_NE(errorOf(m).find("node 'scores' (MatMul, inputs: x [3, 8, 8], x [3, 8, 8]): a "
                              "product of two activations must be attention's"),
              std::string::npos)
        << errorOf(m);
  }
  {
    Model m({1, 16, 32});
    const std::string h = m.node("Reshape", "split", {"x", m.int64s({1, 16, 4, 8})});
    m.node("Transpose", "odd", {h}, {{"perm", {0, 3, 1, 2}}});
    EXPECT_NE(errorOf(m).find("a Transpose from [N, THD] to [N, DTH] is not a layout"),
              std::string::npos)
        << errorOf(m);
  }
  {
    Model m({1, 16, 32});
    const std::string h = m.node("Reshape", "split", {"x", m.int64s({1, 16, 4, 8})});
    m.node("MatMul", "fc", {h, m.weight({8, 8})});
    EXPECT_NE(errorOf(m).find("input 'split:out' is split into heads (THD)"), std::string::npos)
        << errorOf(m);
  }
  {
    Model m({1, 3, 8, 8});
    m.node("MaxPool", "ceil", {"x"}, {{"kernel_shape", {2, 2}}, {"ceil_mode", {1}}});
    EXPECT_NE(errorOf(m).find("ceil_mode 1"), std::string::npos);
  }
  {
    Model m({2, 3, 8, 8});
    EXPECT_NE(errorOf(m).find("batch 2"), std::string::npos);
  }
  EXPECT_THROW(parseOnnx("not a protobuf \x01\x02\xff", "junk.onnx"), WorkloadError);
  EXPECT_THROW(loadNetwork("tests/no-such-model.onnx"), ConfigError);
}

// The YAML that networkYaml writes loads back to the same network, for every zoo network.
TEST(NetworkYaml, EveryZooNetworkRoundTrips) {
  for (const char* name : {"lenet", "alexnet", "vgg-8", "resnet-18", "resnet-50", "densenet-161",
                           "mobilenet-v1", "bert-base"}) {
    SCOPED_TRACE(name);
    const Network net = loadNetwork(name);
    expectSameLayers(parseNetwork(networkYaml(net), "round-trip.yaml"), net);
  }
}

}  // namespace
}  // namespace xbarsim
