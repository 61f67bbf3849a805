#include "workloads/network.h"

#include <gtest/gtest.h>

namespace xbarsim {
namespace {

std::string errorOf(const std::string& yaml) {
  try {
    parseNetwork(yaml, "net.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Network, InfersShapesThroughConvPoolFcAndDefaultsInputsToPreviousLayer) {
  const Network net = parseNetwork(
      "name: t\ninput: [3, 32, 32]\nlayers:\n"
      "  - {name: c, type: conv, out: 8, kernel: 3, pad: 1}\n"
      "  - {name: p, type: maxpool, kernel: 2}\n"
      "  - {name: d, type: dwconv, kernel: 3, stride: 2, pad: 1}\n"
      "  - {name: f, type: fc, out: 10}\n",
      "t.yaml");
  EXPECT_EQ(net.layer(net.find("c")).out, (Shape{8, 32, 32}));
  EXPECT_EQ(net.layer(net.find("p")).out, (Shape{8, 16, 16}));
  EXPECT_EQ(net.layer(net.find("d")).out, (Shape{8, 8, 8}));
  EXPECT_EQ(net.layer(net.find("d")).weights, 8 * 9);
  EXPECT_EQ(net.layer(net.find("f")).weights, 10 * 8 * 8 * 8);
  EXPECT_EQ(net.layer(net.find("c")).macs, 8 * 3 * 9 * 32 * 32);
  EXPECT_EQ(net.producers(net.find("f")), std::vector<Vertex>{net.find("d")});
}

TEST(Network, AddConcatAndAttentionMatmuls) {
  const Network net = parseNetwork(
      "name: t\nparams: {seq: 16}\ninput: [64, 1, '${seq}']\nlayers:\n"
      "  - {name: q, type: conv, out: 64, kernel: 1}\n"
      "  - {name: k, type: conv, out: 64, kernel: 1, inputs: [input]}\n"
      "  - {name: s, type: matmul, heads: 4, transpose_b: true, inputs: [q, k]}\n"
      "  - {name: v, type: conv, out: 64, kernel: 1, inputs: [input]}\n"
      "  - {name: x, type: matmul, heads: 4, inputs: [s, v]}\n"
      "  - {name: a, type: add, inputs: [x, input]}\n"
      "  - {name: cat, type: concat, inputs: [a, q]}\n",
      "t.yaml");
  EXPECT_EQ(net.layer(net.find("s")).out, (Shape{4 * 16, 1, 16}));
  EXPECT_EQ(net.layer(net.find("s")).macs, 4 * 16 * 16 * 16);
  EXPECT_EQ(net.layer(net.find("x")).out, (Shape{64, 1, 16}));
  EXPECT_EQ(net.layer(net.find("x")).macs, 4 * 16 * 16 * 16);
  EXPECT_EQ(net.layer(net.find("cat")).out, (Shape{128, 1, 16}));
  EXPECT_EQ(net.layer(net.find("s")).weights, 0);
}

TEST(NetworkErrors, ShapeMismatchNamesTheLayerAndShapes) {
  const std::string msg = errorOf(
      "name: t\ninput: [3, 8, 8]\nlayers:\n"
      "  - {name: a, type: conv, out: 4, kernel: 3, pad: 1}\n"
      "  - {name: b, type: conv, out: 8, kernel: 3, pad: 1}\n"
      "  - {name: s, type: add, inputs: [a, b]}\n");
  EXPECT_NE(msg.find("net.yaml:6:5: layer 's': add needs equal input shapes, got [4, 8, 8] and "
                     "[8, 8, 8]"),
            std::string::npos)
      << msg;
}

// Products of a layer's counts are checked: UBSan saw 4294967296 * 4294967296 here before.
TEST(NetworkErrors, OverflowingCountsNameTheLayer) {
  std::string msg = errorOf(
      "name: t\ninput: [2147483647, 2147483647, 2147483647]\nlayers:\n"
      "  - {name: a, type: fc, out: 2}\n");
  EXPECT_NE(msg.find("layer 'input': its values exceed 2^44"), std::string::npos) << msg;
  msg = errorOf(
      "name: t\ninput: [65536, 64, 64]\nlayers:\n"
      "  - {name: big, type: fc, out: 2147483647}\n");
  EXPECT_NE(msg.find("layer 'big': its weights exceed 2^44"), std::string::npos) << msg;
  msg = errorOf(
      "name: t\ninput: [3, 2147483647, 1]\nlayers:\n"
      "  - {name: wide, type: conv, out: 4096, kernel: 1}\n");
  EXPECT_NE(msg.find("layer 'wide': its MACs exceed 2^44"), std::string::npos) << msg;
  // Just below the bound is fine: 2^22 x 2^22 = 2^44 weights.
  EXPECT_EQ(errorOf("name: t\ninput: [4194304, 1, 1]\nlayers:\n"
                    "  - {name: ok, type: fc, out: 4194304}\n"),
            "no error");
}

TEST(NetworkErrors, CycleNamesTheLayersOnIt) {
  const std::string msg = errorOf(
      "name: t\ninput: [3, 8, 8]\nlayers:\n"
      "  - {name: a, type: conv, out: 3, kernel: 1, inputs: [c]}\n"
      "  - {name: b, type: conv, out: 3, kernel: 1}\n"
      "  - {name: c, type: add, inputs: [b, input]}\n");
  EXPECT_NE(msg.find("has a cycle through layers: a, b, c"), std::string::npos) << msg;
}

TEST(NetworkErrors, BadReferencesTypesKernelsAndDuplicates) {
  EXPECT_NE(
      errorOf("name: t\ninput: [3, 8, 8]\nlayers:\n  - {name: a, type: fc, out: 2, inputs: [zz]}\n")
          .find("input 'zz' is not a layer"),
      std::string::npos);
  EXPECT_NE(errorOf("name: t\ninput: [3, 8, 8]\nlayers:\n  - {name: a, type: lstm}\n")
                .find("net.yaml:4:21: layer 'a' has unknown type 'lstm'"),
            std::string::npos);
  EXPECT_NE(
      errorOf("name: t\ninput: [3, 8, 8]\nlayers:\n  - {name: a, type: conv, out: 2, kernel: 11}\n")
          .find("does not fit its input height of 8"),
      std::string::npos);
  EXPECT_NE(errorOf("name: t\ninput: [3, 8, 8]\nlayers:\n  - {name: a, type: fc, out: 2}\n"
                    "  - {name: a, type: fc, out: 2}\n")
                .find("the name is used twice"),
            std::string::npos);
  EXPECT_NE(
      errorOf("name: t\ninput: [3, 8, 8]\nlayers:\n  - {name: a, type: fc, out: 2, kernal: 3}\n")
          .find("unknown key 'kernal'"),
      std::string::npos);
  EXPECT_NE(errorOf("name: t\ninput: [3, -8, 8]\nlayers:\n  - {name: a, type: fc, out: 2}\n")
                .find("'input[1]' must be >= 1, got -8"),
            std::string::npos);
}

}  // namespace
}  // namespace xbarsim
