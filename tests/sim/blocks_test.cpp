// Each block against a small reference: the APU pipeline (and its ADC pool), a bus, the
// write driver's pulse counts, the global buffer's bank selection.
#include <gtest/gtest.h>

#include <systemc>

#include "sim/apu.h"
#include "sim/bus.h"
#include "sim/global_buffer.h"
#include "sim/write_driver.h"

namespace xbarsim::sim {
namespace {

// Elaborates blocks in a fresh kernel context per test.
class Kernel : public ::testing::Test {
 protected:
  Kernel() {
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  }
  ~Kernel() override {
    delete sc_core::sc_curr_simcontext;
    sc_core::sc_curr_simcontext = nullptr;
    sc_core::sc_default_global_context = nullptr;
  }
};

// A cycle-by-cycle reference of one input vector through a blocking 4-stage pipeline: each
// cycle, from the last stage back, a finished item moves on when the next stage is empty.
struct Reference {
  std::int64_t finish = 0, adc_wait = 0;
};
Reference referencePipeline(std::int64_t reads, std::array<std::int64_t, 4> d, bool pipelined,
                            std::int64_t in, std::int64_t out) {
  struct Slot {
    std::int64_t item = -1, left = 0;
  };
  std::array<Slot, 4> stage;
  std::int64_t next = 0, done = 0, t = in, wait = 0;
  while (done < reads) {
    // Advance: last stage first.
    for (int s = 3; s >= 0; --s) {
      Slot& cur = stage[static_cast<std::size_t>(s)];
      if (cur.item < 0 || cur.left > 0) continue;
      if (s == 3) {
        cur.item = -1;
        ++done;
      } else if (stage[static_cast<std::size_t>(s + 1)].item < 0) {
        stage[static_cast<std::size_t>(s + 1)] = {cur.item, d[static_cast<std::size_t>(s + 1)]};
        cur.item = -1;
      } else if (s == 1) {
        ++wait;  // S&H holds a sample the busy ADC pool cannot take yet
      }
    }
    const bool may_enter = pipelined ? stage[0].item < 0
                                     : std::all_of(stage.begin(), stage.end(),
                                                   [](const Slot& x) { return x.item < 0; });
    if (next < reads && may_enter) stage[0] = {next++, d[0]};
    if (done == reads) break;
    for (Slot& s : stage)
      if (s.item >= 0 && s.left > 0) --s.left;
    ++t;
  }
  return {t + out, wait};
}

TEST_F(Kernel, ApuOnIsaacLikeTakesTable3sTwentyOneCycles) {
  const ArchSpec arch = loadArchSpec("isaac-like");
  Apu apu("apu", arch);
  EXPECT_EQ(apu.compute(0), 21);
  EXPECT_EQ(apu.compute(21), 42);  // back to back
  EXPECT_EQ(apu.compute(100), 121);
  EXPECT_EQ(apu.stats().reads, 48);
  EXPECT_EQ(apu.stats().adc_wait_cycles, 0);
  const Reference ref = referencePipeline(16, {1, 1, 1, 1}, true, 1, 1);
  EXPECT_EQ(ref.finish, 21);
}

TEST_F(Kernel, ArasApuRunsEightSerialIterationsOfTwelveCycles) {
  const ArchSpec arch = loadArchSpec("aras");
  Apu apu("apu", arch);
  EXPECT_EQ(apu.compute(0), 96);
  EXPECT_EQ(referencePipeline(8, {2, 1, 8, 1}, false, 0, 0).finish, 96);
}

TEST_F(Kernel, AdcPoolContentionMatchesTheReference) {
  // Four ADCs for 128 columns at 1 ns on a 1 ns clock: 32 cycles per read, far slower than the
  // 2-cycle crossbar read, so reads queue behind the pool.
  std::string text = loadArchSpec("aras").yaml_text;
  text.replace(text.find("pipelined_reads: false"), 22, "pipelined_reads: true");
  text.replace(text.find("count: 16, bits: 6"), 18, "count: 4, bits: 6");
  const ArchSpec arch = parseArchSpec(text, "slow-adc.yaml");
  EXPECT_EQ(arch.adcCyclesPerRead(), 32);
  Apu apu("apu", arch);
  const Reference ref = referencePipeline(8, {2, 1, 32, 1}, true, 0, 0);
  EXPECT_EQ(apu.compute(0), ref.finish);
  EXPECT_EQ(ref.finish, 2 + 1 + 32 * 8 + 1);
  EXPECT_EQ(apu.stats().adc_wait_cycles, ref.adc_wait);
  EXPECT_GT(ref.adc_wait, 0);
}

TEST_F(Kernel, BusTransfersAtItsBandwidthInArrivalOrder) {
  // 12.8 GB/s at 100 ns cycles: 1280 bytes per cycle, latency 1 cycle.
  BusSpec spec{12.8e9, 1};
  Bus bus("noc", spec, 100e-9, false);
  EXPECT_EQ(bus.transfer(1280, 0), 2);   // 1 cycle + latency
  EXPECT_EQ(bus.transfer(2560, 0), 4);   // waits for the first: cycles 1..3
  EXPECT_EQ(bus.transfer(640, 10), 12);  // idle bus: half a cycle, arrives at 11, + 1
  EXPECT_EQ(bus.transfer(640, 10), 12);  // packs into the same cycle
  EXPECT_EQ(bus.link().reservation().waitCycles(), 2);  // 1 + 0.5, rounded
  EXPECT_EQ(bus.link().bytes(), 1280 + 2560 + 640 + 640);
  Bus free_bus("free", spec, 100e-9, true);
  EXPECT_EQ(free_bus.transfer(1 << 20, 7), 7);  // unconstrained: no time, bytes counted
  EXPECT_EQ(free_bus.link().bytes(), 1 << 20);
  // A buffer port of 6.4 GB/s feeding the bus halves its rate.
  Bus capped("tile_bus", spec, 100e-9, false, 6.4e9);
  EXPECT_EQ(capped.transfer(1280, 0), 3);
}

TEST(WriteDriver, PulsesFollowLevelDeltasPerPhaseAndRow) {
  LayerLevels from(2, 4, 1), to(2, 4, 1);
  // Row 0: levels 0 -> 3 (increase 3), 2 -> 0 (decrease 2), 1 -> 1, 0 -> 1 (increase 1).
  from.at(0, 0, 1) = 2;
  from.at(0, 0, 2) = 1;
  to.at(0, 0, 0) = 3;
  to.at(0, 0, 2) = 1;
  to.at(0, 0, 3) = 1;
  // Row 1 stays as it is.
  const std::vector<RowPulses> rows = rowPulses(&from, to, 0, 0, 0, 2, 4, 10);
  EXPECT_EQ(rows[0].increase, 30);  // slowest cell of the increase phase
  EXPECT_EQ(rows[0].decrease, 20);
  EXPECT_EQ(rows[0].total, 30 + 20 + 10);
  EXPECT_EQ(rows[1].total, 0);
}

TEST(GlobalBuffer, SelectsTheCheapestBanksThatHoldTheData) {
  const ArchSpec aras = loadArchSpec("aras");
  const auto size = [&](const std::vector<int>& banks) {
    double s = 0;
    for (const int b : banks)
      s += aras.chip.global_buffer.banks[static_cast<std::size_t>(b)].size_bytes;
    return s;
  };
  // 100 KiB fits the 128 KiB bank alone (1.28 mW); nothing smaller holds it.
  std::vector<int> banks = selectBanks(aras.chip.global_buffer, 100 * 1024.0);
  EXPECT_EQ(banks, std::vector<int>{5});
  EXPECT_EQ(size(banks), 128 * 1024.0);
  // 1.5 MiB: 1 MiB + 512 KiB (15.36 mW) beats the 2 MiB bank (20.48 mW).
  banks = selectBanks(aras.chip.global_buffer, 1.5 * 1024 * 1024);
  EXPECT_EQ(size(banks), 1.5 * 1024 * 1024);
  // Uniform banks: as few as hold the data.
  const ArchSpec like = loadArchSpec("isaac-like");
  EXPECT_EQ(selectBanks(like.chip.global_buffer, 300e3).size(), 3u);
  EXPECT_THROW(selectBanks(like.chip.global_buffer, 10e6), ConfigError);
}

}  // namespace
}  // namespace xbarsim::sim
