// The fused-layer view against the crossbar-allocation paper's Table 2 (Li, Han, Chen 2024).
// Rows use the paper's "value#repeat" notation. One deliberate difference: Table 2's AlexNet
// P_c row repeats its K_p row ([3,3,1,1,3]) and contradicts the W_o it lists; we expect the
// paddings [2,2,1,1,1] that give W_o = [55,27,13,13,13] from a 224x224 input.
#include "workloads/fused_view.h"

#include <gtest/gtest.h>

#include <sstream>

namespace xbarsim {
namespace {

// "3, 64#5, 128" -> {3, 64, 64, 64, 64, 64, 128}
std::vector<std::int64_t> expand(const std::string& row) {
  std::vector<std::int64_t> out;
  std::stringstream ss(row);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto hash = item.find('#');
    const std::int64_t value = std::stoll(item.substr(0, hash));
    const int repeat = hash == std::string::npos ? 1 : std::stoi(item.substr(hash + 1));
    out.insert(out.end(), repeat, value);
  }
  return out;
}

struct Table2 {
  const char* network;
  const char *ci, *co, *wo, *kc, *kp, *sc, *sp, *pc, *pp;
};

void PrintTo(const Table2& t, std::ostream* os) {
  *os << t.network;
}

class PaperTable2 : public ::testing::TestWithParam<Table2> {};

TEST_P(PaperTable2, FusedViewEqualsTheTable) {
  const Table2& t = GetParam();
  const FusedView view(loadNetwork(t.network), 128, 128);
  const std::vector<FusedLayer> layers = view.paperLayers();
  const auto column = [&](std::int64_t FusedLayer::*field) {
    std::vector<std::int64_t> out;
    for (const FusedLayer& f : layers) out.push_back(f.*field);
    return out;
  };
  EXPECT_EQ(column(&FusedLayer::ci), expand(t.ci));
  EXPECT_EQ(column(&FusedLayer::co), expand(t.co));
  EXPECT_EQ(column(&FusedLayer::wo), expand(t.wo));
  EXPECT_EQ(column(&FusedLayer::ho), expand(t.wo));  // square feature maps
  EXPECT_EQ(column(&FusedLayer::kc), expand(t.kc));
  EXPECT_EQ(column(&FusedLayer::kp), expand(t.kp));
  EXPECT_EQ(column(&FusedLayer::sc), expand(t.sc));
  EXPECT_EQ(column(&FusedLayer::sp), expand(t.sp));
  EXPECT_EQ(column(&FusedLayer::pc), expand(t.pc));
  EXPECT_EQ(column(&FusedLayer::pp), expand(t.pp));
}

INSTANTIATE_TEST_SUITE_P(
    Benchmarks, PaperTable2,
    ::testing::Values(Table2{"alexnet", "3,96,256,384,384", "96,256,384,384,256", "55,27,13,13,13",
                             "11,5,3,3,3", "3,3,1,1,3", "4,1,1,1,1", "2,2,1,1,2", "2,2,1,1,1",
                             "0#5"},
                      Table2{"vgg-a", "3,64,128,256#2,512#3", "64,128,256#2,512#4",
                             "224,112,56#2,28#2,14#2", "3#8", "2,2,1,2,1,2,1,2", "1#8",
                             "2,2,1,2,1,2,1,2", "1#8", "0#8"},
                      Table2{"vgg-e", "3,64#2,128#2,256#4,512#7", "64#2,128#2,256#4,512#8",
                             "224#2,112#2,56#4,28#4,14#4", "3#16", "1,2,1,2,1#3,2,1#3,2,1#3,2",
                             "1#16", "1,2,1,2,1#3,2,1#3,2,1#3,2", "1#16", "0#16"},
                      Table2{"resnet-18", "3,64#5,128#4,256#4,512#3", "64#5,128#4,256#4,512#4",
                             "112,56#4,28#4,14#4,7#4", "7,3#16", "3,1#16",
                             "2,1#4,2,1#3,2,1#3,2,1#3", "2,1#16", "3,1#16", "1,0#16"}),
    [](const auto& info) {
      std::string n = info.param.network;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

TEST(FusedView, CrossbarSetsFollowEquation2) {
  const FusedView v128(loadNetwork("vgg-a"), 128, 128);
  std::vector<std::int64_t> sets;
  for (const FusedLayer& f : v128.paperLayers()) sets.push_back(f.set);
  // ceil(9 Ci / 128) x ceil(Co / 128)
  EXPECT_EQ(sets, (std::vector<std::int64_t>{1, 5, 18, 36, 72, 144, 144, 144}));
  const FusedView v256(loadNetwork("vgg-a"), 256, 256);
  sets.clear();
  for (const FusedLayer& f : v256.paperLayers()) sets.push_back(f.set);
  EXPECT_EQ(sets, (std::vector<std::int64_t>{1, 3, 5, 9, 18, 36, 36, 36}));
  // fc6: Ci = 512 x 7 x 7 = 25088 inputs, 4096 outputs.
  const FusedLayer& fc6 = v128.layers()[8];
  EXPECT_EQ(fc6.name, "fc6");
  EXPECT_EQ(fc6.ci, 25088);
  EXPECT_TRUE(fc6.isFc());
  EXPECT_EQ(fc6.set, 196 * 32);
  EXPECT_EQ(v128.minCrossbars(), 564 + 6272 + 1024 + 256);
}

TEST(FusedView, ResidualShortcutsAndGlue) {
  const FusedView v(loadNetwork("resnet-18"), 128, 128);
  ASSERT_EQ(v.layers().size(), 21u);  // 17 main-path convs, 3 shortcuts, 1 fc
  int shortcuts = 0;
  for (const FusedLayer& f : v.layers()) shortcuts += f.shortcut;
  EXPECT_EQ(shortcuts, 3);
  // l2.1.conv1 reads the add of l2.0.conv2 (main path) and l2.0.down (shortcut).
  const FusedLayer& l21 = v.layers()[8];
  EXPECT_EQ(l21.name, "l2.1.conv1");
  std::vector<std::string> producers;
  for (const int p : l21.producers) producers.push_back(v.layers()[p].name);
  EXPECT_EQ(producers, (std::vector<std::string>{"l2.0.conv2", "l2.0.down"}));
  EXPECT_EQ(l21.via, std::vector<std::string>{"l2.0.add"});
  // The final fc reads through the global pool that follows the last add.
  EXPECT_EQ(v.layers().back().via.front(), "avgpool");
}

TEST(FusedView, DepthwiseAndMatmulSets) {
  const FusedView mb(loadNetwork("mobilenet-v1"), 128, 128);
  const FusedLayer& dw1 = mb.layers()[1];
  ASSERT_EQ(dw1.type, LayerType::kDwConv);
  EXPECT_EQ(dw1.ci, 32);
  EXPECT_EQ(dw1.set, 3);  // 14 channels of 3x3 per 128-row crossbar: ceil(32 / 14)
  const FusedView bert(loadNetwork("bert-base"), 128, 128);
  const FusedLayer& scores = bert.layers()[3];
  ASSERT_EQ(scores.type, LayerType::kMatmul);
  EXPECT_FALSE(scores.staticWeights());
  // 12 heads, each K^T of 64 x 128 tokens: 1 x 1 crossbar per head.
  EXPECT_EQ(scores.set, 12);
  EXPECT_EQ(bert.minCrossbars(), 12 * (4 * 36 + 2 * 144));
}

}  // namespace
}  // namespace xbarsim
