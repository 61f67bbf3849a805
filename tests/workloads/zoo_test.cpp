// Every zoo network: layer count, weights, MACs and output shape, and published totals where
// they exist. Our weights exclude biases and batch-norm parameters, so published parameter
// counts (which include them) are matched within 1 %.
#include <gtest/gtest.h>

#include "workloads/network.h"

namespace xbarsim {
namespace {

struct ZooCase {
  const char* name;
  std::size_t layers;
  std::int64_t weights;
  std::int64_t macs;
  Shape output;
};

// Readable test names in ctest instead of byte dumps.
void PrintTo(const ZooCase& c, std::ostream* os) {
  *os << c.name;
}

class Zoo : public ::testing::TestWithParam<ZooCase> {};

TEST_P(Zoo, LayersWeightsMacsAndOutput) {
  const ZooCase& c = GetParam();
  const Network net = loadNetwork(c.name);
  EXPECT_EQ(net.topoOrder().size(), c.layers);
  EXPECT_EQ(net.totalWeights(), c.weights);
  EXPECT_EQ(net.totalMacs(), c.macs);
  EXPECT_EQ(net.layer(net.topoOrder().back()).out, c.output);
}

INSTANTIATE_TEST_SUITE_P(
    AllNetworks, Zoo,
    ::testing::Values(ZooCase{"lenet", 7, 61470, 416520, {10, 1, 1}},
                      ZooCase{"vgg-8", 11, 12973440, 615917568, {10, 1, 1}},
                      ZooCase{"alexnet", 11, 62367776, 1135256096, {1000, 1, 1}},
                      ZooCase{"vgg-a", 16, 132851392, 7609090048, {1000, 1, 1}},
                      ZooCase{"vgg-16", 21, 138344128, 15470264320, {1000, 1, 1}},
                      ZooCase{"vgg-e", 24, 143652544, 19632062464, {1000, 1, 1}},
                      ZooCase{"resnet-18", 31, 11678912, 1814073344, {1000, 1, 1}},
                      ZooCase{"resnet-50", 72, 25502912, 4089184256, {1000, 1, 1}},
                      ZooCase{"mobilenet-v1", 29, 4209088, 568740352, {1000, 1, 1}},
                      ZooCase{"densenet-161", 244, 28460064, 7727907072, {1000, 1, 1}},
                      ZooCase{"bert-base", 120, 84934656, 11173625856, {768, 1, 128}},
                      ZooCase{"bert-large", 240, 301989888, 39460012032, {1024, 1, 128}}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

double relativeError(double ours, double published) {
  return std::abs(ours - published) / published;
}

TEST(ZooPublished, ParameterCountsMatchPublishedTotals) {
  // torchvision / paper parameter counts (weights + biases + batch-norm).
  EXPECT_LT(relativeError(loadNetwork("resnet-50").totalWeights(), 25.557032e6), 0.01);
  EXPECT_LT(relativeError(loadNetwork("resnet-18").totalWeights(), 11.689512e6), 0.01);
  EXPECT_LT(relativeError(loadNetwork("vgg-16").totalWeights(), 138.357544e6), 0.01);
  EXPECT_LT(relativeError(loadNetwork("vgg-e").totalWeights(), 143.667240e6), 0.01);
  EXPECT_LT(relativeError(loadNetwork("vgg-a").totalWeights(), 132.863336e6), 0.01);
  EXPECT_LT(relativeError(loadNetwork("mobilenet-v1").totalWeights(), 4.231976e6), 0.01);
  EXPECT_LT(relativeError(loadNetwork("densenet-161").totalWeights(), 28.681000e6), 0.01);
  // BERT encoders (Devlin et al.): 12 x 7.08 M and 24 x 12.58 M weight matrices.
  EXPECT_EQ(loadNetwork("bert-base").totalWeights(), 12LL * (4 * 768 * 768 + 2 * 768 * 3072));
  EXPECT_EQ(loadNetwork("bert-large").totalWeights(), 24LL * (4 * 1024 * 1024 + 2 * 1024 * 4096));
}

TEST(ZooPublished, MacCountsMatchPublishedTotals) {
  EXPECT_LT(relativeError(loadNetwork("vgg-16").totalMacs(), 15.47e9), 0.005);
  EXPECT_LT(relativeError(loadNetwork("resnet-50").totalMacs(), 4.09e9), 0.005);
  EXPECT_LT(relativeError(loadNetwork("resnet-18").totalMacs(), 1.81e9), 0.005);
  EXPECT_LT(relativeError(loadNetwork("mobilenet-v1").totalMacs(), 569e6), 0.005);  // Howard et al.
}

TEST(ZooParams, BertSequenceLengthIsAParameter) {
  const Network base = loadNetwork("bert-base");
  const Network longer = loadNetwork("bert-base", {{"seq", 256}});
  EXPECT_EQ(base.params.at("seq"), 128);
  EXPECT_EQ(longer.layer(longer.topoOrder().back()).out, (Shape{768, 1, 256}));
  EXPECT_EQ(longer.totalWeights(), base.totalWeights());
  // Linear layers scale with seq, attention matmuls with seq^2.
  const std::int64_t linear = base.totalWeights();
  const std::int64_t attn128 = base.totalMacs() - linear * 128;
  EXPECT_EQ(longer.totalMacs(), linear * 256 + attn128 * 4);
}

}  // namespace
}  // namespace xbarsim
