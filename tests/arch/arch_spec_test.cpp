#include "arch/arch_spec.h"

#include <gtest/gtest.h>

#include <fstream>

#include "io/config_path.h"

namespace xbarsim {
namespace {

TEST(ArchPresets, IsaacLikeFollowsTable3) {
  const ArchSpec a = loadArchSpec("isaac-like");
  EXPECT_EQ(a.name, "isaac-like");
  EXPECT_EQ(a.chip.tiles, 32);
  EXPECT_EQ(a.logicalCrossbarsPerTile(), 72);
  EXPECT_EQ(a.logicalCrossbars(), 2304);
  const ApuSpec& apu = a.chip.tile.pe.apu;
  EXPECT_EQ(apu.crossbar.rows, 128);
  EXPECT_EQ(apu.crossbar.cols, 128);
  EXPECT_EQ(apu.dac.per_crossbar, 128);
  EXPECT_EQ(apu.dac.bits, 1);
  EXPECT_EQ(apu.adc.bits, 8);
  EXPECT_EQ(apu.adc.count, apu.crossbars);  // one ADC per crossbar
  EXPECT_DOUBLE_EQ(a.chip.tile.bus.bandwidth_bps, 128e9);
  EXPECT_DOUBLE_EQ(a.chip.noc.bandwidth_bps, 12.8e9);
  EXPECT_DOUBLE_EQ(a.clock_period_s, 100e-9);
  EXPECT_EQ(a.data.input_bits, 16);
  EXPECT_EQ(a.data.weight_bits, 16);
  EXPECT_EQ(a.cyclesFor(100e-9), 1);
  // Table 3: a computation stage of 21 cycles (1 input + 4 stages + 15 pipelined reads + 1).
  EXPECT_EQ(a.adcCyclesPerActivation(), 1);
  EXPECT_EQ(a.computeStageCycles(), 21);
  EXPECT_FALSE(a.yaml_text.empty());
}

TEST(ArchPresets, TileCountIsAParameter) {
  const ArchSpec a = loadArchSpec("isaac-like", {{"tiles", 64}});
  EXPECT_EQ(a.chip.tiles, 64);
  EXPECT_EQ(a.logicalCrossbars(), 64 * 72);
  EXPECT_EQ(a.params.at("tiles"), 64);
}

TEST(ArchPresets, IsaacFollowsIsca2016) {
  const ArchSpec a = loadArchSpec("isaac");
  EXPECT_EQ(a.chip.tiles, 168);
  EXPECT_EQ(a.chip.tile.pes, 12);
  EXPECT_EQ(a.chip.tile.pe.apu.crossbars, 8);
  EXPECT_EQ(a.chip.tile.pe.apu.crossbar.bits_per_cell, 2);
  EXPECT_EQ(a.chip.tile.pe.apu.adc.count, 8);
  EXPECT_NEAR(1.0 / a.chip.tile.pe.apu.adc.conversion_time_s, 1.28e9, 1e3);
  EXPECT_DOUBLE_EQ(a.chip.tile.input_buffer.size_bytes, 64 * 1024);
  EXPECT_DOUBLE_EQ(a.chip.tile.pe.apu.crossbar.read_latency_s, 100e-9);
  EXPECT_EQ(a.physicalPerLogical(), 8);
  EXPECT_EQ(a.physicalCrossbars(), 168 * 12 * 8);
  EXPECT_EQ(a.logicalCrossbars(), 2016);
  EXPECT_NEAR(a.energy.adc_conversion_j, 1.5625e-12, 1e-18);
}

TEST(ArchPresets, ArasFollowsTable2) {
  const ArchSpec a = loadArchSpec("aras");
  EXPECT_EQ(a.chip.tile.pes, 96);
  EXPECT_EQ(a.chip.tile.pe.apus, 24);
  EXPECT_EQ(a.chip.tile.pe.apu.adc.count, 16);
  EXPECT_EQ(a.chip.tile.pe.apu.adc.bits, 6);
  EXPECT_DOUBLE_EQ(a.clockHz(), 1e9);
  // Table II's crossbar write, 768,000 cycles for 128 rows: 2 phases x 3 levels x 20 pulses x
  // 50 ns = 6,000 cycles a row. isaac-like: 2 x 3 x 10 x 100 ns = 60 cycles of 100 ns.
  EXPECT_EQ(a.worstRowWriteCycles(), 6000);
  EXPECT_EQ(128 * a.worstRowWriteCycles(), 768000);
  EXPECT_EQ(loadArchSpec("isaac-like").worstRowWriteCycles(), 60);
  EXPECT_EQ(a.physicalPerLogical(), 4);
  EXPECT_EQ(a.physicalCrossbars(), 2304);
  EXPECT_DOUBLE_EQ(a.chip.tile.pe.buffer.size_bytes, 1500);
  EXPECT_DOUBLE_EQ(a.main_memory.bandwidth_bps, 19.2e9);
  // Table II: crossbar computation 96 cycles (8 bit-serial iterations of 12 cycles).
  EXPECT_EQ(a.computeStageCycles(), 96);
  ASSERT_EQ(a.chip.global_buffer.banks.size(), 10u);
  EXPECT_DOUBLE_EQ(a.chip.global_buffer.totalBytes(),
                   (2 + 2 + 4 + 64 + 128 + 256 + 512 + 1024 + 2048) * 1024.0);
  // Table II: a worst-case crossbar write (3 level steps per phase, 2 phases, 128 rows one at
  // a time) takes 768000 cycles.
  const auto& d = a.reram;
  const double row_s = 2 * 3 * d.pulses_per_level_step * d.write_pulse_width_s;
  EXPECT_EQ(a.cyclesFor(row_s * 128 / d.rows_in_parallel), 768000);
}

TEST(ArchPresets, ApuRowsAndTheBaselineVariant) {
  const ArchSpec a = loadArchSpec("aras");
  EXPECT_EQ(a.chip.tile.pe.apu_rows, 6);  // 6 x 4 APUs
  EXPECT_EQ(a.apuRows(), 576);
  EXPECT_EQ(a.logicalPerApuRow(), 1);  // 4 APUs of 2-bit cells: one 8-bit crossbar
  EXPECT_EQ(a.chip.accumulator.adds_per_cycle, 1024);
  // Without the key, every logical crossbar is a row: isaac-like's APU is one.
  const ArchSpec l = loadArchSpec("isaac-like");
  EXPECT_EQ(l.chip.tile.pe.apu_rows, 72);
  EXPECT_EQ(l.logicalPerApuRow(), 1);
  EXPECT_EQ(l.chip.accumulator.adds_per_cycle, l.chip.tile.vector_unit.ops_per_cycle);
  // aras-baseline: aras with 15 x 256 KiB banks, everything else from the base.
  const ArchSpec b = loadArchSpec("aras-baseline");
  EXPECT_EQ(b.name, "aras-baseline");
  ASSERT_EQ(b.chip.global_buffer.banks.size(), 15u);
  for (const BankSpec& bank : b.chip.global_buffer.banks) {
    EXPECT_DOUBLE_EQ(bank.size_bytes, 256 * 1024.0);
    EXPECT_DOUBLE_EQ(bank.static_power_w, 80.93e-3);
  }
  EXPECT_EQ(b.chip.tile.pes, 96);
  EXPECT_EQ(b.apuRows(), 576);
  EXPECT_EQ(b.computeStageCycles(), 96);
  EXPECT_DOUBLE_EQ(b.main_memory.bandwidth_bps, 19.2e9);
  // A base may have a base: one PE of aras-baseline, which is aras with other banks.
  const ArchSpec one =
      loadArchSpec(std::string(XBARSIM_TEST_DATA_DIR) + "/arch/aras-baseline-one-pe.yaml");
  EXPECT_EQ(one.chip.tile.pes, 1);
  EXPECT_EQ(one.chip.global_buffer.banks.size(), 15u);
  EXPECT_EQ(one.computeStageCycles(), 96);
  // A variant's parameters are its base's: isaac-like-fast-write takes isaac-like's tiles.
  const std::string fast = readTextFile(resolveConfig("arch", "isaac-like-fast-write"));
  EXPECT_EQ(selectArchParams({{"tiles", 64}, {"seq", 9}}, fast, "fast").size(), 1u);
  EXPECT_EQ(loadArchSpec("isaac-like-fast-write", {{"tiles", 64}}).chip.tiles, 64);
}

std::string errorOf(const std::string& yaml) {
  try {
    parseArchSpec(yaml, "bad.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string presetWith(const std::string& from, const std::string& to) {
  std::string text = loadArchSpec("isaac-like").yaml_text;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ArchErrors, UnknownKeyWrongUnitNegativeSizeAndMissingKey) {
  std::string msg = errorOf(presetWith("bits_per_cell: 2", "bits_per_cel: 2"));
  EXPECT_NE(msg.find("bad.yaml:39:42: 'arch.chip.tile.pe.apu.crossbar' is missing the required "
                     "key 'bits_per_cell'; is 'bits_per_cel' a misspelling of it?"),
            std::string::npos)
      << msg;
  msg = errorOf(presetWith("sample_hold_cycles: 1", "sample_hold_cycle: 1"));
  EXPECT_NE(msg.find("unknown key 'sample_hold_cycle'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bad.yaml:42:9"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed here: crossbars, crossbar, ou, dac, adc, sample_hold_cycles, "
                     "shift_add_cycles, input_cycles, output_cycles, pipelined_reads"),
            std::string::npos)
      << msg;
  msg = errorOf(presetWith("bandwidth: 12.8GB/s, latency: 100ns", "bandwidth: 12.8ns"));
  EXPECT_NE(msg.find("not a bandwidth"), std::string::npos) << msg;
  msg = errorOf(
      presetWith("{size: 64KiB, bandwidth: 128GB/s}", "{size: -64KiB, bandwidth: 128GB/s}"));
  EXPECT_NE(msg.find("must be > 0"), std::string::npos) << msg;
  msg = errorOf(presetWith("apus: 72", "apus: -72"));
  EXPECT_NE(msg.find("'arch.chip.tile.pe.apus' must be >= 1, got -72"), std::string::npos) << msg;
  msg = errorOf("name: x\n");
  EXPECT_NE(msg.find("missing the required key 'clock_period'"), std::string::npos) << msg;
  EXPECT_THROW(loadArchSpec("no-such-preset"), ConfigError);
}

TEST(ArchErrors, BasesThatLoopOrAreNotNames) {
  const std::string path = ::testing::TempDir() + "xbarsim_loop.yaml";
  std::ofstream(path) << "base: " << path << "\nname: loop\n";
  EXPECT_NE(errorOf("base: " + path + "\nname: x\n").find("more than 8 bases"), std::string::npos);
  EXPECT_NE(errorOf("base: {a: 1}\nname: x\n").find("'base' must name"), std::string::npos);
}

TEST(ArchErrors, ApuRowsMustHoldWholeLogicalCrossbars) {
  const auto aras = [](const std::string& rows) {
    std::string text = loadArchSpec("aras").yaml_text;
    const std::string from = "apu_rows: 6";
    return errorOf(text.replace(text.find(from), from.size(), "apu_rows: " + rows));
  };
  EXPECT_NE(aras("5").find("apu_rows 5 must divide the 24 APUs"), std::string::npos) << aras("5");
  // 12 rows of 2 APUs: half a logical crossbar of 4 physical ones per row.
  EXPECT_NE(aras("12").find("rows of whole logical crossbars (4 physical"), std::string::npos)
      << aras("12");
  EXPECT_EQ(aras("3"), "no error");  // rows of 8 APUs: two logical crossbars
}

TEST(ArchErrors, Interconnect) {
  std::string msg = errorOf(presetWith("topology: per-layer", "topology: torus"));
  EXPECT_NE(msg.find("unknown noc.topology 'torus' (known: bus, per-layer, mesh, cmesh)"),
            std::string::npos)
      << msg;
  // Mesh keys are unknown to a bus or channels.
  msg = errorOf(presetWith("latency: 100ns}", "latency: 100ns, flit_bytes: 8}"));
  EXPECT_NE(msg.find("unknown key 'flit_bytes'"), std::string::npos) << msg;
  msg = errorOf(presetWith("topology: \"${topology}\"", "topology: mesh, flow_control: wormhole"));
  EXPECT_NE(msg.find("cut-through or store-and-forward, got 'wormhole'"), std::string::npos) << msg;
  // 32 tiles on a 6 x 6 mesh: routers 0..35.
  msg = errorOf(presetWith("topology: \"${topology}\"", "topology: mesh, memory_router: 36"));
  EXPECT_NE(msg.find("noc.memory_router 36 is not one of the 36 routers"), std::string::npos)
      << msg;
  EXPECT_EQ(errorOf(presetWith("topology: \"${topology}\"", "topology: mesh, memory_router: 35")),
            "no error");
}

// Every key has a stated range (README, "Valid ranges"); out of range is an error at its line.
TEST(ArchErrors, EveryKeyHasARange) {
  const auto expect = [](const std::string& from, const std::string& to, const std::string& what) {
    const std::string msg = errorOf(presetWith(from, to));
    EXPECT_NE(msg.find(what), std::string::npos) << to << ": " << msg;
    EXPECT_NE(msg.find("bad.yaml:"), std::string::npos) << msg;
  };
  expect("bits_per_cell: 2", "bits_per_cell: 9",
         "'arch.chip.tile.pe.apu.crossbar.bits_per_cell' must be <= 8, got 9");
  expect("weight_bits: 16", "weight_bits: 33", "'arch.data.weight_bits' must be <= 32, got 33");
  expect("input_bits: 16", "input_bits: 64", "'arch.data.input_bits' must be <= 32");
  expect("tiles: ${tiles}", "tiles: 2000000", "'arch.chip.tiles' must be <= 1048576");
  expect("dac: {per_crossbar: 128, bits: 1}", "dac: {per_crossbar: 128, bits: 17}",
         "'arch.chip.tile.pe.apu.dac.bits' must be <= 16");
  // The clock: the simulator's 1 ps resolution, and at most 1 ms (the 1e-20 s clock divided by
  // zero, the 1e6 s clock hung).
  expect("clock_period: 100ns", "clock_period: 0.00000000000000000001s",
         "'arch.clock_period' must be at least 1ps");
  expect("clock_period: 100ns", "clock_period: 1000000s", "'arch.clock_period' must be at most");
  // Bandwidths of at least 1 MB/s (1e-30 B/s crashed the simulator, 1e-6 B/s hung it).
  expect("main_memory: {bandwidth: 6.4GB/s", "main_memory: {bandwidth: 0.000001B/s",
         "'arch.main_memory.bandwidth' must be at least 1MB/s");
  expect("bus: {bandwidth: 128GB/s", "bus: {bandwidth: 1e-30B/s", "must be at least 1MB/s");
  // Totals: 65536 PEs x 65536 APUs would overflow every crossbar count.
  expect("pes: 1", "pes: 65536", "physical crossbars (pes x apus x crossbars), more than");
  expect("crossbar: {rows: 128, cols: 128", "crossbar: {rows: 65536, cols: 65536",
         "exceeds 2^24 cells");
  EXPECT_EQ(errorOf(presetWith("bits_per_cell: 2", "bits_per_cell: 8")), "no error");
}

// --xbar-size: the crossbar the set counts use is the one the simulator programs.
TEST(ArchPresets, ResizingTheCrossbarClipsOusAndDacs) {
  ArchSpec a = loadArchSpec("isaac-like");
  a.resizeCrossbar(7);
  const ApuSpec& apu = a.chip.tile.pe.apu;
  EXPECT_EQ(apu.crossbar.rows, 7);
  EXPECT_EQ(apu.crossbar.cols, 7);
  EXPECT_EQ(apu.ou.rows, 7);  // a whole-crossbar OU stays whole
  EXPECT_EQ(apu.dac.per_crossbar, 7);
  EXPECT_THROW(a.resizeCrossbar(1), ConfigError);
  ArchSpec ou = parseArchSpec(
      "base: isaac-like\nname: ou\nchip: {tile: {pe: {apu: {ou: {rows: 9, cols: 8}}}}}\n", "ou");
  ou.resizeCrossbar(256);
  EXPECT_EQ(ou.chip.tile.pe.apu.ou.rows, 9);  // a smaller OU keeps its size
  EXPECT_EQ(ou.chip.tile.pe.apu.crossbar.rows, 256);
  ou.resizeCrossbar(4);
  EXPECT_EQ(ou.chip.tile.pe.apu.ou.rows, 4);
  EXPECT_EQ(ou.chip.tile.pe.apu.ou.cols, 4);
}

// Operation units (README, "Operation units"): hand counts on isaac-like's 128 x 128 crossbars
// of 2-bit cells, 1-bit DACs, 8 crossbars and 8 ADCs per APU, 16-bit inputs.
TEST(OperationUnits, ActivationsAdcBitsAndTheStage) {
  const ArchSpec whole = loadArchSpec("isaac-like");
  EXPECT_EQ(whole.chip.tile.pe.apu.ousPerRead(), 1);
  // A column sums 128 cells of up to 3 times an input bit: 384 needs 9 bits.
  EXPECT_EQ(whole.chip.tile.pe.apu.requiredAdcBits(), 9);
  const ArchSpec ou = parseArchSpec(
      "base: isaac-like\nname: ou\nchip: {tile: {pe: {apu: {ou: {rows: 9, cols: 8}}}}}\n", "ou");
  const ApuSpec& a = ou.chip.tile.pe.apu;
  // ceil(128 / 9) = 15 row groups (14 of 9 rows, one of 2) x 16 column groups of 8.
  EXPECT_EQ(a.ousPerRead(), 15 * 16);
  const OuLoad full = a.fullOuLoad();
  EXPECT_EQ(full.activations, 240);
  EXPECT_EQ(full.rows, 128 * 16);  // every row driven once per column group
  EXPECT_EQ(full.cols, 128 * 15);  // every column converted once per row group
  EXPECT_EQ(full.cells, 128 * 128);
  EXPECT_EQ(a.ouLoad(14, 15).cells, 2 * 8);  // the corner OU: 2 rows left
  // 9 rows x 3 x 1 = 27: 5 bits.
  EXPECT_EQ(a.requiredAdcBits(), 5);
  // An activation: read 1 + S&H 1 + ADC (8 columns x 8 crossbars / 8 ADCs = 8 conversions of
  // 0.78 ns: 1 cycle) + shift-add 1 = 4 cycles, then one a cycle (pipelined): 16 reads x 240
  // activations, with input and output 1 each.
  EXPECT_EQ(ou.adcCyclesPerActivation(), 1);
  EXPECT_EQ(ou.computeStageCycles(), 1 + 4 + (16 * 240 - 1) + 1);
  // An OU of the whole crossbar is today's APU: 21 cycles.
  const ArchSpec same = parseArchSpec(
      "base: isaac-like\nname: same\nchip: {tile: {pe: {apu: {ou: {rows: 128, cols: 128}}}}}\n",
      "same");
  EXPECT_EQ(same.computeStageCycles(), whole.computeStageCycles());
  EXPECT_EQ(same.computeStageCycles(), 21);
  // adc.bits: auto takes the OU's resolution (and needs reference_bits).
  const ArchSpec automatic = parseArchSpec(
      "base: isaac-like\nname: auto\nchip: {tile: {pe: {apu: {ou: {rows: 16, cols: 16}, adc: "
      "{count: 8, bits: auto, reference_bits: 8, conversion_time: 0.78125ns}}}}}\n",
      "auto");
  EXPECT_EQ(automatic.chip.tile.pe.apu.adc.bits, 6);  // 16 x 3 = 48
  const std::string tiny = std::string(XBARSIM_TEST_DATA_DIR) + "/arch/tiny-2bit.yaml";
  EXPECT_NE(errorOf("base: " + tiny + "\nname: x\nchip: {tile: {pe: {apu: {adc: {bits: auto}}}}}\n")
                .find("needs reference_bits"),
            std::string::npos);
  EXPECT_NE(errorOf("base: isaac-like\nname: x\nchip: {tile: {pe: {apu: {ou: {rows: 129, cols: "
                    "8}}}}}\n")
                .find("exceeds the crossbar"),
            std::string::npos);
}

}  // namespace
}  // namespace xbarsim
