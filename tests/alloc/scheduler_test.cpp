// The layer-sequential schedulers' instruction lists on a small network worked out by hand.
//
// Chip: aras with one PE: 6 APU rows of 4 APUs, one 8-bit logical 128x128 crossbar per row.
// Network (input 3x112x112):
//   c0  conv 3->64,   3x3 pad 1: fan-in 27   -> 1 block row            -> 1 unit,  12,544 positions
//   c1  conv 64->128, 3x3 pad 1: fan-in 576  -> 5 block rows x 1 col  -> 5 units, 12,544 positions
//   c2  conv 128->128,3x3 pad 1: fan-in 1152 -> 9 block rows x 1 col  -> 9 units, 12,544 positions
// Estimates: a compute stage is 96 cycles (Table II), so one copy of any layer computes in
// 12,544 x 96 = 1,204,224 cycles; writing crossbars takes 128 rows x 2 phases x 3 levels x 20
// pulses x 50 ns = 768,000 cycles.
#include <gtest/gtest.h>

#include "alloc/scheduler.h"

namespace xbarsim {
namespace {

std::string data(const std::string& path) {
  return std::string(XBARSIM_TEST_DATA_DIR) + "/" + path;
}

// An op written compactly: kind, layer, part, first unit, units, copies, rows, after.
struct Expect {
  char kind;
  int layer, part;
  std::int64_t first_unit, units, copies;
  std::vector<std::int32_t> rows, after;
};

void expectOps(const Plan& plan, const std::vector<Expect>& want) {
  const std::vector<SeqOp>& ops = plan.schedule.ops;
  ASSERT_EQ(ops.size(), want.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    SCOPED_TRACE("op " + std::to_string(i));
    EXPECT_EQ(ops[i].kind == SeqOp::Kind::kWrite ? 'W' : 'C', want[i].kind);
    EXPECT_EQ(ops[i].layer, want[i].layer);
    EXPECT_EQ(ops[i].part, want[i].part);
    EXPECT_EQ(ops[i].first_unit, want[i].first_unit);
    EXPECT_EQ(ops[i].units, want[i].units);
    EXPECT_EQ(ops[i].copies, want[i].copies);
    EXPECT_EQ(ops[i].rows, want[i].rows);
    EXPECT_EQ(ops[i].after, want[i].after);
  }
}

class Schedulers : public ::testing::Test {
 protected:
  ArchSpec arch = loadArchSpec(data("arch/aras-one-pe.yaml"));
  Network net = loadNetwork(data("workloads/three-convs.yaml"));
};

TEST_F(Schedulers, TheProblemIsTheHandWorkedOne) {
  const Plan plan = sequentialPlan(net, arch, "naive", 1);
  const SeqProblem p = seqProblem(net, arch, plan, 1);
  EXPECT_EQ(p.rows, 6);
  EXPECT_EQ(p.step_cycles, 96);
  EXPECT_EQ(p.write_cycles, 768000);
  ASSERT_EQ(p.sequence.size(), 3u);
  EXPECT_EQ(p.sequence[0].units, 1);
  EXPECT_EQ(p.sequence[1].units, 5);
  EXPECT_EQ(p.sequence[2].units, 9);
  EXPECT_EQ(p.computeCycles(0, 1), 1204224);
}

// Naive: write what fits of one layer, compute it, then the next. c2 (9 units) takes two parts:
// units 0-5 on rows 0-5, then units 6-8 on rows 0-2.
TEST_F(Schedulers, NaiveWritesThenComputesOneLayerAtATime) {
  expectOps(sequentialPlan(net, arch, "naive", 1),
            {{'W', 0, 0, 0, 1, 1, {0}, {}},
             {'C', 0, 0, 0, 1, 1, {0}, {0}},
             {'W', 1, 0, 0, 5, 1, {0, 1, 2, 3, 4}, {1}},
             {'C', 1, 0, 0, 5, 1, {0, 1, 2, 3, 4}, {1, 2}},
             {'W', 2, 0, 0, 6, 1, {0, 1, 2, 3, 4, 5}, {3}},  // row 5 was never used
             {'C', 2, 0, 0, 6, 1, {0, 1, 2, 3, 4, 5}, {3, 4}},
             {'W', 2, 1, 6, 3, 1, {0, 1, 2}, {5}},
             {'C', 2, 1, 6, 3, 1, {0, 1, 2}, {5, 6}}});
}

// Overlap: c0 and c1 fill the six rows at once; each release takes the next weights at once:
// c0's row 0 takes c2's unit 0, c1's rows 1-5 units 1-5, then row 0 unit 6 and rows 1-2
// units 7-8: c2 computes in four parts.
TEST_F(Schedulers, OverlapRebindsReleasedRowsAtOnce) {
  expectOps(sequentialPlan(net, arch, "overlap", 1), {{'W', 0, 0, 0, 1, 1, {0}, {}},
                                                      {'W', 1, 0, 0, 5, 1, {1, 2, 3, 4, 5}, {}},
                                                      {'C', 0, 0, 0, 1, 1, {0}, {0}},
                                                      {'W', 2, 0, 0, 1, 1, {0}, {2}},
                                                      {'C', 1, 0, 0, 5, 1, {1, 2, 3, 4, 5}, {2, 1}},
                                                      {'W', 2, 1, 1, 5, 1, {1, 2, 3, 4, 5}, {4}},
                                                      {'C', 2, 0, 0, 1, 1, {0}, {4, 3}},
                                                      {'W', 2, 2, 6, 1, 1, {0}, {6}},
                                                      {'C', 2, 1, 1, 5, 1, {1, 2, 3, 4, 5}, {6, 5}},
                                                      {'W', 2, 3, 7, 2, 1, {1, 2}, {8}},
                                                      {'C', 2, 2, 6, 1, 1, {0}, {8, 7}},
                                                      {'C', 2, 3, 7, 2, 1, {1, 2}, {10, 9}}});
}

// ARAS: at the start c0 and c1 fit (6 rows); c0 is the slowest (1,204,224 > 768,000 cycles)
// but no row is spare, so c1 is delayed and c0 takes a second copy (2 rows): 602,112 cycles,
// below the write time, so no third. Rows 2-5 stay free (a delayed candidate is not split).
// c0's release: all 6 rows free; c1 (5) fits, c1 + c2 do not: c1 alone, one copy (a second
// needs 5 more rows); not delayed, so row 5 takes c2's unit 0. c1's release (rows 0-4): c2's
// rest (units 1-8) does not fit: units 1-5. Then row 5 -> unit 6, rows 0-1 -> units 7-8.
TEST_F(Schedulers, ArasReplicatesTheSlowestLayerByDelayingTheLast) {
  expectOps(sequentialPlan(net, arch, "aras", 1), {{'W', 0, 0, 0, 1, 2, {0, 1}, {}},
                                                   {'C', 0, 0, 0, 1, 2, {0, 1}, {0}},
                                                   {'W', 1, 0, 0, 5, 1, {0, 1, 2, 3, 4}, {1}},
                                                   {'W', 2, 0, 0, 1, 1, {5}, {}},
                                                   {'C', 1, 0, 0, 5, 1, {0, 1, 2, 3, 4}, {1, 2}},
                                                   {'W', 2, 1, 1, 5, 1, {0, 1, 2, 3, 4}, {4}},
                                                   {'C', 2, 0, 0, 1, 1, {5}, {4, 3}},
                                                   {'W', 2, 2, 6, 1, 1, {5}, {6}},
                                                   {'C', 2, 1, 1, 5, 1, {0, 1, 2, 3, 4}, {6, 5}},
                                                   {'W', 2, 3, 7, 2, 1, {0, 1}, {8}},
                                                   {'C', 2, 2, 6, 1, 1, {5}, {8, 7}},
                                                   {'C', 2, 3, 7, 2, 1, {0, 1}, {10, 9}}});
}

// ARAS replicates while the candidates after the first compute for longer than the writing
// (their computation latency, not the slowest one's): three one-unit layers of 5,184 x 96 =
// 497,664 cycles each all fit (3 of 6 rows). Each alone is faster than the writing (768,000),
// but c1 + c2 take 995,328: the slowest that can take a copy (c0, the first of equals) gets
// a second, which leaves the load unchanged; then c1: 248,832 + 497,664 = 746,496 < 768,000,
// done. Copies 2, 2, 1 in 5 rows; nothing follows c2, so row 5 stays free.
TEST_F(Schedulers, ArasReplicatesWhileTheCandidatesTogetherOutlastTheWriting) {
  const Network small = loadNetwork(data("workloads/three-small-convs.yaml"));
  expectOps(sequentialPlan(small, arch, "aras", 1), {{'W', 0, 0, 0, 1, 2, {0, 1}, {}},
                                                     {'W', 1, 0, 0, 1, 2, {2, 3}, {}},
                                                     {'W', 2, 0, 0, 1, 1, {4}, {}},
                                                     {'C', 0, 0, 0, 1, 2, {0, 1}, {0}},
                                                     {'C', 1, 0, 0, 1, 2, {2, 3}, {3, 1}},
                                                     {'C', 2, 0, 0, 1, 1, {4}, {4, 2}}});
}

// Two inferences: the second inference's c0 is written into rows the first's c2 released.
TEST_F(Schedulers, TheNextInferenceReusesTheLastLayersRows) {
  const Plan plan = sequentialPlan(net, arch, "naive", 2);
  const std::vector<SeqOp>& ops = plan.schedule.ops;
  ASSERT_EQ(ops.size(), 16u);
  EXPECT_EQ(ops[8].inference, 1);
  EXPECT_EQ(ops[8].layer, 0);
  EXPECT_EQ(ops[8].rows, std::vector<std::int32_t>{0});
  EXPECT_EQ(ops[8].after, std::vector<std::int32_t>{7});  // inference 0's last compute
}

TEST_F(Schedulers, EveryLayerGetsDisjointBanksThatHoldItsActivations) {
  const Plan plan = sequentialPlan(net, arch, "aras", 1);
  const auto& banks = arch.chip.global_buffer.banks;
  ASSERT_EQ(plan.schedule.banks.size(), 3u);
  for (const LayerBanks& b : plan.schedule.banks) {
    SCOPED_TRACE(b.layer);
    double in = 0, out = 0;
    for (const int i : b.input_banks) in += banks[static_cast<std::size_t>(i)].size_bytes;
    for (const int o : b.output_banks) {
      out += banks[static_cast<std::size_t>(o)].size_bytes;
      EXPECT_EQ(std::count(b.input_banks.begin(), b.input_banks.end(), o), 0);
    }
    EXPECT_GE(in * b.parts, b.input_bytes);
    EXPECT_GE(out * b.parts, b.output_bytes);
  }
  // c1 reads c0's 64 x 112 x 112 bytes (784 KiB) and writes 128 x 112 x 112 (1568 KiB), 8-bit
  // activations. aras's banks (CACTI static powers): outputs in the 2 MiB bank (642 mW) and
  // inputs in 512 + 256 + 64 KiB = 832 KiB (161.9 + 80.93 + 20.23 mW): 905.06 mW. The
  // alternatives cost more: outputs in 1 MiB + 512 + 64 KiB (503.13 mW) leave only the 2 MiB
  // bank big enough for the inputs (1145.13 mW); inputs in the 1 MiB bank, 963 mW; no smaller
  // set of the rest reaches 784 KiB (512 + 256 + 4 + 2 + 1 + 1 = 776).
  EXPECT_DOUBLE_EQ(plan.schedule.banks[1].input_bytes, 64.0 * 112 * 112);
  EXPECT_DOUBLE_EQ(plan.schedule.banks[1].output_bytes, 128.0 * 112 * 112);
  EXPECT_EQ(plan.schedule.banks[1].input_banks, (std::vector<int>{4, 6, 7}));
  EXPECT_EQ(plan.schedule.banks[1].output_banks, std::vector<int>{9});
}

TEST_F(Schedulers, UnknownSchedulerNamesTheKnownOnes) {
  try {
    sequentialPlan(net, arch, "greedy", 1);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("aras"), std::string::npos);
  }
}

}  // namespace
}  // namespace xbarsim
