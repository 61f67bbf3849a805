// The per-layer dataflow counts (model/dataflow.h) against hand counts on the tiny arch of
// tests/data/arch/tiny-2bit.yaml (4 x 4 crossbars of 2-bit cells, 4-bit values: 2 physical
// crossbars a logical one, 4 reads a vector, a 16-cycle stage, a level step one 100 ns pulse).
#include "model/dataflow.h"

#include <gtest/gtest.h>

namespace xbarsim {
namespace {

// A 2x2 conv, stride 2, over 2 channels of 8 x 4: P = 8 positions, K = 8, Co = 3.
const Layer& conv(const Network& net) {
  return net.layer(net.topoOrder().front());
}

Network oneConv() {
  return parseNetwork(
      "name: t\ninput: [2, 8, 4]\nlayers:\n"
      "  - {name: c, type: conv, out: 3, kernel: 2, stride: 2}\n"
      "  - {name: d, type: dwconv, kernel: 3, pad: 1}\n",
      "t.yaml");
}

ArchSpec tiny() {
  return loadArchSpec(std::string(XBARSIM_TEST_DATA_DIR) + "/arch/tiny-2bit.yaml");
}

TEST(DataflowCounts, WeightStationaryByHand) {
  const Network net = oneConv();
  // R = 2: a set of ceil(8/4) x ceil(3/4) = 2 crossbars, 4 of them; ceil(8/2) = 4 groups;
  // conversions 4 groups x 4 crossbars x 2 slices x 4 columns x 4 reads.
  const DataflowCounts c = dataflowCounts(conv(net), tiny(), "ws", 2);
  EXPECT_EQ(c.crossbars, 4);
  EXPECT_EQ(c.rounds, 4);
  EXPECT_EQ(c.steps, 4);
  EXPECT_EQ(c.adc_conversions, 4 * 4 * 2 * 4 * 4);
  EXPECT_EQ(c.cells_written, 0);
  EXPECT_EQ(c.input_bytes, 8 * 8);  // 4-bit values take a byte each
  EXPECT_EQ(c.output_bytes, 8 * 3);
  EXPECT_EQ(c.cycles, 4 * 16);
}

TEST(DataflowCounts, InputStationaryByHand) {
  const Network net = oneConv();
  // R = 1: 2 crossbars (one column group of 2 block rows), 4 positions a round, 2 rounds of
  // 3 steps; every round writes 8 rows x 2 slices x 4 columns; a round's write is 4 rows of
  // its fullest crossbar x 2 phases x 3 levels; the weights (3 x 8) stream every round.
  DataflowCounts c = dataflowCounts(conv(net), tiny(), "is", 1);
  EXPECT_EQ(c.crossbars, 2);
  EXPECT_EQ(c.rounds, 2);
  EXPECT_EQ(c.steps, 6);
  EXPECT_EQ(c.adc_conversions, 6 * 2 * 2 * 4 * 4);
  EXPECT_EQ(c.cells_written, 2 * 8 * 2 * 4);
  EXPECT_EQ(c.weight_bytes, 2 * 3 * 8);
  EXPECT_EQ(c.write_cycles, 2 * 4 * 2 * 3);
  EXPECT_EQ(c.cycles, 48 + 6 * 16);
  // R = 2: one round of all 8 positions on 4 crossbars.
  c = dataflowCounts(conv(net), tiny(), "is", 2);
  EXPECT_EQ(c.crossbars, 4);
  EXPECT_EQ(c.rounds, 1);
  EXPECT_EQ(c.steps, 3);
  EXPECT_EQ(c.cells_written, 2 * 8 * 2 * 4);
  EXPECT_EQ(c.cycles, 24 + 3 * 16);
}

TEST(DataflowCounts, Refusals) {
  const Network net = oneConv();
  const Layer& dw = net.layer(net.topoOrder()[1]);
  EXPECT_THROW(dataflowCounts(dw, tiny(), "is", 1), ConfigError);
  EXPECT_NO_THROW(dataflowCounts(dw, tiny(), "ws", 1));
  EXPECT_THROW(dataflowCounts(conv(net), tiny(), "os", 1), ConfigError);
  EXPECT_THROW(dataflowCounts(net.layer(0), tiny(), "ws", 1), ConfigError);  // the input
}

}  // namespace
}  // namespace xbarsim
