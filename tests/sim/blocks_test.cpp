// Each block against a small reference: the APU pipeline (and its ADC pool), a bus, a
// buffer's partitions and occupancy, the vector unit, the write driver's pulse counts, the
// global buffer's bank selection; what a traced link and the global buffer's banks record, and
// the trace's limit. The write driver has its own suite (programming_test.cpp).
#include <gtest/gtest.h>

#include <systemc>

#include <tuple>

#include "sim/kernel_context.h"

#include "sim/apu.h"
#include "sim/buffer.h"
#include "sim/bus.h"
#include "sim/global_buffer.h"
#include "sim/tracer.h"
#include "sim/vector_unit.h"

namespace xbarsim::sim {
namespace {

// Elaborates blocks in a fresh kernel context per test.
class Kernel : public ::testing::Test {
 protected:
  KernelContext kernel_;  // first: the blocks below belong to it
  EnergyLedger ledger{4};
  double counter(const Stats& s, const std::string& name) {
    for (const Counter& c : s.counters())
      if (c.name == name) return c.value;
    ADD_FAILURE() << "no counter " << name;
    return 0;
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
  Apu apu("apu", arch, ledger);
  EXPECT_EQ(apu.compute(0, 0), 21);
  EXPECT_EQ(apu.compute(0, 21), 42);  // back to back
  EXPECT_EQ(apu.compute(1, 100), 121);
  EXPECT_EQ(counter(apu.stats(), "reads"), 48);
  EXPECT_EQ(counter(apu.stats(), "adc_wait_cycles"), 0);
  // 8 crossbars x 128 columns per read, 48 reads.
  EXPECT_EQ(counter(apu.stats(), "adc_conversions"), 48 * 8 * 128);
  // Energy per layer: layer 0 ran two vectors, layer 1 one; ADCs at 1.5625 pJ a conversion.
  const auto by = ledger.byComponent();
  EXPECT_NEAR(by.at("adc"), 48 * 8 * 128 * 1.5625e-12, 1e-18);
  const std::vector<double> layers = ledger.byLayer();
  EXPECT_NEAR(layers[0], 2 * layers[1], 1e-18);
  const Reference ref = referencePipeline(16, {1, 1, 1, 1}, true, 1, 1);
  EXPECT_EQ(ref.finish, 21);
}

// Operation units: a read is an activation per OU, each through the pipeline on its own.
TEST_F(Kernel, ApuActivatesOneOperationUnitAtATime) {
  const ArchSpec arch = parseArchSpec(
      "base: aras\nname: ou\nchip: {tile: {pe: {apu: {ou: {rows: 16, cols: 32}}}}}\n", "ou");
  Apu apu("apu", arch, ledger);
  // aras: one 128 x 128 crossbar, 8 reads, not pipelined. 8 row groups x 4 column groups = 32
  // OUs a read, each read 2 + S&H 1 + ADC (32 columns on 16 ADCs of 1 ns) 2 + shift-add 1.
  const Reference all = referencePipeline(8 * 32, {2, 1, 2, 1}, false, 0, 0);
  EXPECT_EQ(all.finish, 8 * 32 * 6);
  EXPECT_EQ(apu.compute(0, 0), all.finish);
  EXPECT_EQ(counter(apu.stats(), "ou_activations"), 8 * 32);
  EXPECT_EQ(counter(apu.stats(), "adc_conversions"), 8 * 8 * 128);  // a column per row group
  // The 8 reads' energy: every row driven once per column group (0.1 pJ), the array read once
  // in all (5 pJ), every column converted once per row group (1 pJ).
  const auto by = ledger.byComponent();
  EXPECT_NEAR(by.at("dac"), 8 * 128 * 4 * 0.1e-12, 1e-20);
  EXPECT_NEAR(by.at("crossbar"), 8 * 5e-12, 1e-20);
  EXPECT_NEAR(by.at("adc"), 8 * 8 * 128 * 1e-12, 1e-18);
  // Three OUs active: 24 activations.
  const OuLoad three{3, 3 * 16, 3 * 32, 3 * 16 * 32, 0};
  EXPECT_EQ(apu.compute(1, 10000, three),
            10000 + referencePipeline(8 * 3, {2, 1, 2, 1}, false, 0, 0).finish);
  EXPECT_EQ(counter(apu.stats(), "ou_activations"), 8 * 32 + 8 * 3);
}

TEST_F(Kernel, ArasApuRunsEightSerialIterationsOfTwelveCycles) {
  const ArchSpec arch = loadArchSpec("aras");
  Apu apu("apu", arch, ledger);
  EXPECT_EQ(apu.compute(0, 0), 96);
  EXPECT_EQ(referencePipeline(8, {2, 1, 8, 1}, false, 0, 0).finish, 96);
}

TEST_F(Kernel, AdcPoolContentionMatchesTheReference) {
  // Four ADCs for 128 columns at 1 ns on a 1 ns clock: 32 cycles per read, far slower than the
  // 2-cycle crossbar read, so reads queue behind the pool.
  std::string text = loadArchSpec("aras").yaml_text;
  text.replace(text.find("pipelined_reads: false"), 22, "pipelined_reads: true");
  text.replace(text.find("count: 16, bits: 6"), 18, "count: 4, bits: 6");
  const ArchSpec arch = parseArchSpec(text, "slow-adc.yaml");
  EXPECT_EQ(arch.adcCyclesPerActivation(), 32);
  Apu apu("apu", arch, ledger);
  const Reference ref = referencePipeline(8, {2, 1, 32, 1}, true, 0, 0);
  EXPECT_EQ(apu.compute(0, 0), ref.finish);
  EXPECT_EQ(ref.finish, 2 + 1 + 32 * 8 + 1);
  EXPECT_EQ(counter(apu.stats(), "adc_wait_cycles"), ref.adc_wait);
  EXPECT_GT(ref.adc_wait, 0);
}

// ADC resolution: conversion time linear in the bits (SAR), energy in 2^bits (Walden).
TEST_F(Kernel, AdcBitsScaleConversionTimeAndEnergy) {
  std::string text = loadArchSpec("aras").yaml_text;
  const std::string six_bits = "bits: 6, reference_bits: 6";
  text.replace(text.find(six_bits), six_bits.size(), "bits: 8, reference_bits: 6");
  const ArchSpec eight = parseArchSpec(text, "8-bit.yaml");
  const ArchSpec six = loadArchSpec("aras");
  // 16 ADCs, 128 columns: 8 conversions per read, 1 ns each at 6 bits, 4/3 ns at 8 bits.
  EXPECT_EQ(six.adcCyclesPerActivation(), 8);
  EXPECT_EQ(eight.adcCyclesPerActivation(), 11);  // ceil(8 x 4/3)
  EXPECT_DOUBLE_EQ(eight.chip.tile.pe.apu.adc.energyScale(), 4.0);
  Apu a6("a6", six, ledger), a8("a8", eight, ledger);
  EXPECT_EQ(a6.compute(0, 0), 96);
  EXPECT_EQ(a8.compute(1, 0), 8 * (2 + 1 + 11 + 1));
  const std::vector<std::vector<double>>& table = ledger.table();
  const int adc = ledger.component("adc");
  EXPECT_NEAR(table[static_cast<std::size_t>(adc)][2], 4 * table[static_cast<std::size_t>(adc)][1],
              1e-18);
}

TEST_F(Kernel, BusTransfersAtItsBandwidthInArrivalOrder) {
  // 12.8 GB/s at 100 ns cycles: 1280 bytes per cycle, latency 1 cycle; 2 pJ per byte.
  BusSpec spec{12.8e9, 1};
  Bus bus("noc", spec, 100e-9, false, ledger, "noc", 2e-12);
  EXPECT_EQ(bus.transfer(0, 1280, 0), 2);   // 1 cycle + latency
  EXPECT_EQ(bus.transfer(0, 2560, 0), 4);   // waits for the first: cycles 1..3
  EXPECT_EQ(bus.transfer(1, 640, 10), 12);  // idle bus: half a cycle, arrives at 11, + 1
  EXPECT_EQ(bus.transfer(1, 640, 10), 12);  // packs into the same cycle
  EXPECT_EQ(bus.link().reservation().waitCycles(), 2);  // 1 + 0.5, rounded
  EXPECT_EQ(bus.link().bytes(), 1280 + 2560 + 640 + 640);
  EXPECT_NEAR(ledger.byLayer()[1], 1280 * 2e-12, 1e-20);
  Bus free_bus("free", spec, 100e-9, true, ledger, "noc", 2e-12);
  EXPECT_EQ(free_bus.transfer(0, 1 << 20, 7), 7);  // unconstrained: no time, bytes counted
  EXPECT_EQ(free_bus.link().bytes(), 1 << 20);
}

TEST_F(Kernel, StreamingThroughLinksTakesTheSlowestNotTheSum) {
  Link fast(1000, 0), slow(100, 2);
  // 1000 bytes: 1 cycle on the fast link, 10 on the slow one (+2 latency), cut-through.
  EXPECT_EQ(streamThrough({&fast, &slow}, 1000, 5), 5 + 10 + 2);
  // A latency early in the chain delays everything after it: 3 cycles, then 1 on the fast link.
  Link late(1000, 3), fast2(1000, 0);
  EXPECT_EQ(streamThrough({&late, &fast2}, 1000, 0), 3 + 1);
}

TEST_F(Kernel, ATracedLinkRecordsEachTransferAsItsOccupancy) {
  Tracer tracer(true);
  Link link(4, 2);  // 4 bytes a cycle, 2 cycles of latency
  link.traceAs(tracer, tracer.component("chip.noc.l", ComponentKind::kLink));
  EXPECT_EQ(link.transfer(6, 0, 3), 2 + 2);    // [0, 1.5): arrives in cycle 2, + latency
  EXPECT_EQ(link.transfer(2, 0, 4), 2 + 2);    // packs in after it: [1.5, 2)
  EXPECT_EQ(link.occupy(10, 0.25, 1, 5), 10);  // [10, 10.25), no latency
  ASSERT_EQ(tracer.events().size(), 3u);
  const auto expect = [&](std::size_t i, double start, double end, int layer, std::int64_t bytes) {
    const TraceEvent& e = tracer.events()[i];
    EXPECT_EQ(e.start, start);
    EXPECT_EQ(e.end, end);
    EXPECT_EQ(e.component, 0);
    EXPECT_EQ(e.layer, layer);
    EXPECT_EQ(e.kind, EventKind::kTransfer);
    EXPECT_EQ(e.amount, bytes);
  };
  expect(0, 0, 1.5, 3, 6);
  expect(1, 1.5, 2, 4, 2);
  expect(2, 10, 10.25, 5, 1);
  // Off: the link is never told, and nothing is recorded.
  Tracer off(false);
  Link quiet(4, 2);
  quiet.traceAs(off, off.component("chip.noc.q", ComponentKind::kLink));
  quiet.transfer(6, 0, 3);
  EXPECT_TRUE(off.events().empty());
}

TEST_F(Kernel, ATraceKeepsAtMostItsLimitOfHardwareEvents) {
  Tracer tracer(true, 2);
  const std::int32_t layer = tracer.component("chip.layer_a");
  const std::int32_t link = tracer.component("chip.noc.l", ComponentKind::kLink);
  for (int i = 0; i < 5; ++i) {
    tracer.record(i, i + 1, link, 1, EventKind::kTransfer, 8);
    tracer.record(i, i + 1, layer, 1, EventKind::kCompute);
  }
  EXPECT_EQ(tracer.events().size(), 2u + 5u);  // every layer event, two of the link's
  EXPECT_EQ(tracer.dropped(), 3);
}

TEST_F(Kernel, GlobalBufferTracesAccessesOnTheBanksTheyReach) {
  const ArchSpec aras = loadArchSpec("aras");  // 32 bytes a cycle; banks 1, 1, 2, 4, 64 KiB...
  Tracer tracer(true);
  GlobalBuffer gb("gb", aras, 100 * 1024.0, false, ledger, tracer);  // powers bank 5 alone
  EXPECT_EQ(tracer.components().size(), aras.chip.global_buffer.banks.size());
  EXPECT_EQ(tracer.components()[3], "gb.bank3");
  // Unrouted: the powered banks.
  EXPECT_EQ(gb.write(1, 64, 0), 2);
  // A layer's sides: reads from its input banks (1 and 4 KiB: a fifth and four fifths of the
  // bytes), writes to its output bank; data of both goes to every powered bank.
  gb.route({0, 3}, {2});
  EXPECT_EQ(gb.read(2, 500, 0), 2 + 16);  // after the write: [2, 17.625)
  gb.write(2, 32, 0);                     // [17.625, 18.625)
  gb.power({1, 4}, 20);
  gb.read(2, 650, 20, GlobalBuffer::Side::kAll);  // banks 1 and 4 (1 and 64 KiB)
  std::vector<std::tuple<int, EventKind, std::int64_t, double, double>> got;
  for (const TraceEvent& e : tracer.events())
    got.emplace_back(e.component, e.kind, e.amount, e.start, e.end);
  const std::vector<std::tuple<int, EventKind, std::int64_t, double, double>> want = {
      {5, EventKind::kWrite, 64, 0, 2},       {0, EventKind::kRead, 100, 2, 17.625},
      {3, EventKind::kRead, 400, 2, 17.625},  {2, EventKind::kWrite, 32, 17.625, 18.625},
      {1, EventKind::kRead, 10, 20, 40.3125}, {4, EventKind::kRead, 640, 20, 40.3125}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(counter(gb.stats(), "bytes"), 64 + 500 + 32 + 650);
}

TEST_F(Kernel, BufferPartitionsFollowClaimsAndRecordOccupancy) {
  BufferSpec spec{3000, 1e9};
  Buffer b("buf", spec, 1e-9, false, ledger, 1e-12);
  b.claim(0, 1);
  b.claim(1, 2);
  EXPECT_DOUBLE_EQ(b.capacityOf(0), 1000);
  EXPECT_DOUBLE_EQ(b.capacityOf(1), 2000);
  EXPECT_DOUBLE_EQ(b.capacityOf(2), 0);
  b.occupy(0, 800, 0);
  b.occupy(1, 1200, 10);   // 800 B for cycles 0..10
  b.occupy(0, -800, 20);   // 2000 B for cycles 10..20
  b.occupy(1, -1200, 40);  // 1200 B for cycles 20..40
  EXPECT_DOUBLE_EQ(b.usedBy(0), 0);
  EXPECT_EQ(counter(b.stats(), "peak_occupancy"), 2000);
  double byte_cycles = 0;
  for (const double x : b.occupancy().sums()) byte_cycles += x;
  EXPECT_DOUBLE_EQ(byte_cycles, 800 * 10 + 2000 * 10 + 1200 * 20);
  // The port: 1 GB/s at 1 ns is one byte a cycle.
  EXPECT_EQ(b.transfer(0, 50, 100), 150);
  Buffer ideal("ideal", spec, 1e-9, true, ledger, 1e-12);
  EXPECT_TRUE(std::isinf(ideal.capacityOf(0)));
}

TEST_F(Kernel, BufferPartitionsNeverFallBelowAWorkingSet) {
  BufferSpec spec{6000, 1e9};
  Buffer b("buf", spec, 1e-9, false, ledger, 1e-12);
  // By weight 1 : 2 : 3 the partitions would be 1000, 2000, 3000. Layer 0 needs 1600 to work:
  // it gets that, and layers 1 and 2 share the other 4400 by weight, 2 : 3. Their shares,
  // 1760 and 2640, are above their own floors.
  b.claim(0, 1, 1600);
  b.claim(1, 2, 500);
  b.claim(2, 3, 0);
  EXPECT_DOUBLE_EQ(b.capacityOf(0), 1600);
  EXPECT_DOUBLE_EQ(b.capacityOf(1), 1760);
  EXPECT_DOUBLE_EQ(b.capacityOf(2), 2640);
  // Raising a floor can push another partition under its own: layer 1 now needs 2000 of the
  // 4400 left, which leaves layer 2 with 2400.
  b.claim(1, 0, 1500);
  EXPECT_DOUBLE_EQ(b.capacityOf(1), 2000);
  EXPECT_DOUBLE_EQ(b.capacityOf(2), 2400);
  // Floors beyond the buffer: partitions in proportion to them.
  Buffer over("over", spec, 1e-9, false, ledger, 1e-12);
  over.claim(0, 5, 4000);
  over.claim(1, 1, 8000);
  EXPECT_DOUBLE_EQ(over.capacityOf(0), 2000);
  EXPECT_DOUBLE_EQ(over.capacityOf(1), 4000);
}

TEST_F(Kernel, VectorUnitRunsOpsAtItsRateOneRequestAtATime) {
  const ArchSpec arch = loadArchSpec("isaac-like");  // 1024 ops per cycle, 0.1 pJ an op
  VectorUnit v("vu", arch, false, ledger);
  EXPECT_EQ(v.run(0, 4096, 10), 14);
  EXPECT_EQ(v.run(1, 100, 10), 15);  // waits for the first, then one (partial) cycle
  EXPECT_EQ(counter(v.stats(), "wait_cycles"), 4);
  EXPECT_NEAR(ledger.byComponent().at("vector_unit"), 4196 * 0.1e-12, 1e-20);
  VectorUnit instant("instant", arch, true, ledger);
  EXPECT_EQ(instant.run(0, 1 << 20, 3), 3);
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
