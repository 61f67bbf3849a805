// The weight source and the write driver against references: each physical row's levels,
// computed as the codes stream, equal a per-cell count; a 2x2 layer is counted by hand; the
// synthetic codes are reproducible and follow their discretised Gaussian. Crossbar blocks'
// codes: their levels are rows()', they do not depend on the order blocks are asked for, a
// file's are quantised by hand, the synthetic ones have the layer's mean and sigma.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <numeric>

#include <systemc>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "arch/arch_spec.h"
#include "io/error.h"
#include "sim/energy_ledger.h"
#include "sim/main_memory.h"
#include "sim/tracer.h"
#include "sim/write_driver.h"
#include "tests/sim/weights_file.h"
#include "weights/weight_source.h"
#include "workloads/network.h"

namespace xbarsim::sim {
namespace {

// One tile, one APU holding one logical crossbar of rows x cols cells. Main memory moves one
// byte per 100 ns cycle, one cycle latency; a pulse lasts one cycle.
ArchSpec tinyArch(int weight_bits, int cell_bits, int rows, int cols, int rows_in_parallel) {
  const auto s = [](int v) { return std::to_string(v); };
  const int slices = (weight_bits + cell_bits - 1) / cell_bits;
  return parseArchSpec(
      "name: tiny\nclock_period: 100ns\n"
      "data: {input_bits: 8, weight_bits: " +
          s(weight_bits) +
          "}\n"
          "chip:\n"
          "  tiles: 1\n"
          "  noc: {bandwidth: 1GB/s}\n"
          "  global_buffer: {bandwidth: 1GB/s, banks: [{size: 1KiB, static_power: 1mW}]}\n"
          "  tile:\n"
          "    pes: 1\n"
          "    input_buffer: {size: 1KiB, bandwidth: 1GB/s}\n"
          "    output_buffer: {size: 1KiB, bandwidth: 1GB/s}\n"
          "    bus: {bandwidth: 1GB/s}\n"
          "    pe:\n"
          "      apus: 1\n"
          "      buffer: {size: 1KiB, bandwidth: 1GB/s}\n"
          "      apu:\n"
          "        crossbars: " +
          s(slices) +
          "\n"
          "        crossbar: {rows: " +
          s(rows) + ", cols: " + s(cols) + ", bits_per_cell: " + s(cell_bits) +
          ", read_latency: 100ns}\n"
          "        dac: {per_crossbar: 1, bits: 1}\n"
          "        adc: {count: 1, bits: 8, conversion_time: 1ns}\n"
          "main_memory: {bandwidth: 10MB/s, latency: 100ns}\n"
          "reram: {write_pulse_width: 100ns, pulses_per_level_step: 10, write_energy_per_pulse: "
          "1pJ, "
          "rows_in_parallel: " +
          s(rows_in_parallel) +
          "}\n"
          "energy: {main_memory_byte: 1nJ}\n",
      "tiny.yaml");
}

Plan planOf(const Network& net, const std::vector<std::pair<std::string, std::int64_t>>& layers) {
  Plan plan;
  for (const auto& [name, r] : layers) {
    PlanLayer l;
    l.name = name;
    l.vertex = net.find(name);
    l.r = r;
    plan.layers.push_back(l);
  }
  return plan;
}

// Programs `plan` with a fresh kernel, main memory and write driver.
ProgrammingStats programOnce(const Network& net, const ArchSpec& arch, const Plan& plan,
                             const WeightSource& weights, Tracer& tracer) {
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  ProgrammingStats stats;
  {
    EnergyLedger ledger(plan.layers.size());
    MainMemory memory("memory", arch, ledger);
    WriteDriver driver("write_driver", arch);
    driver.memory = &memory;
    std::vector<std::int32_t> node_of_layer(plan.layers.size());
    std::iota(node_of_layer.begin(), node_of_layer.end(), 1);  // node 0 is the input
    stats = driver.program(net, plan, weights, tracer, 0, node_of_layer);
  }
  delete sc_core::sc_curr_simcontext;
  sc_core::sc_curr_simcontext = nullptr;
  sc_core::sc_default_global_context = nullptr;
  return stats;
}

// The reference: every cell's level in a full [slice][row][col] array, laid out as
// weights/weight_source.h says, then each physical row's highest level and sum, cell by cell.
LayerRows referenceRows(const Network& net, const ArchSpec& arch, const std::string& name,
                        const std::vector<double>& w) {
  const Layer& l = net.layer(net.find(name));
  const int bits = arch.data.weight_bits;
  const int cell_bits = arch.chip.tile.pe.apu.crossbar.bits_per_cell;
  const int slices = arch.physicalPerLogical();
  const std::int64_t xrows = arch.chip.tile.pe.apu.crossbar.rows;
  const std::int64_t xcols = arch.chip.tile.pe.apu.crossbar.cols;
  const std::int64_t co = l.out.c, fan_in = l.weights / co;
  const bool depthwise = l.spec.type == LayerType::kDwConv;
  const auto ceil_div = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
  std::int64_t per = 1, block_height = 0, rows = 0, cols = 0;
  if (depthwise) {
    per = std::max<std::int64_t>(1, std::min(xrows / fan_in, xcols));
    block_height = ceil_div(per * fan_in, xrows) * xrows;
    rows = ceil_div(co, per) * block_height;
    cols = xcols;
  } else {
    rows = ceil_div(fan_in, xrows) * xrows;
    cols = ceil_div(co, xcols) * xcols;
  }
  std::vector<int> level(static_cast<std::size_t>(slices * rows * cols), 0);
  const auto cell = [&](int s, std::int64_t row, std::int64_t col) -> int& {
    return level[static_cast<std::size_t>((s * rows + row) * cols + col)];
  };
  double scale = 0;
  for (const double x : w) scale = std::max(scale, std::fabs(x));
  const double max_q = std::ldexp(1.0, bits - 1) - 1;
  for (std::int64_t o = 0; o < co; ++o) {
    for (std::int64_t k = 0; k < fan_in; ++k) {
      const long q = std::lround(w[static_cast<std::size_t>(o * fan_in + k)] / scale * max_q);
      const auto code = static_cast<std::uint64_t>(q + (std::int64_t{1} << (bits - 1)));
      const std::int64_t row = depthwise ? o / per * block_height + o % per * fan_in + k : k;
      const std::int64_t col = depthwise ? o % per : o;
      for (int s = 0; s < slices; ++s)
        cell(s, row, col) = static_cast<int>((code >> (s * cell_bits)) & ((1u << cell_bits) - 1));
    }
  }
  LayerRows out;
  out.block_rows = rows / xrows;
  out.block_cols = cols / xcols;
  out.slices = slices;
  out.xbar_rows = xrows;
  out.rows.resize(static_cast<std::size_t>(out.crossbars() * xrows));
  for (int s = 0; s < slices; ++s) {
    for (std::int64_t row = 0; row < rows; ++row) {
      for (std::int64_t col = 0; col < cols; ++col) {
        RowLevels& r = out.at(row / xrows, col / xcols, s, row % xrows);
        r.max = std::max(r.max, static_cast<std::uint8_t>(cell(s, row, col)));
        r.sum += static_cast<std::uint32_t>(cell(s, row, col));
      }
    }
  }
  return out;
}

void expectSameRows(const LayerRows& a, const LayerRows& b, const std::string& what) {
  ASSERT_EQ(a.block_rows, b.block_rows) << what;
  ASSERT_EQ(a.block_cols, b.block_cols) << what;
  ASSERT_EQ(a.slices, b.slices) << what;
  ASSERT_EQ(a.rows.size(), b.rows.size()) << what;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    ASSERT_EQ(a.rows[i].max, b.rows[i].max) << what << ", physical row " << i;
    ASSERT_EQ(a.rows[i].sum, b.rows[i].sum) << what << ", physical row " << i;
  }
}

// A conv with padding, depthwise layers two channels to a crossbar (3x3) and taller than one
// (5x5), and an fc.
Network mixedLayers() {
  return parseNetwork(
      "name: t\ninput: [6, 5, 5]\nlayers:\n"
      "  - {name: conv, type: conv, out: 7, kernel: 3, pad: 1}\n"
      "  - {name: dw3, type: dwconv, kernel: 3, pad: 1}\n"
      "  - {name: dw5, type: dwconv, kernel: 5, pad: 2}\n"
      "  - {name: fc, type: fc, out: 11}\n",
      "t.yaml");
}

// Standard normal weights for every weight layer of `net`, seeded.
std::map<std::string, std::vector<double>> gaussianWeights(const Network& net, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::map<std::string, std::vector<double>> weights;
  for (const char* name : {"conv", "dw3", "dw5", "fc"}) {
    std::vector<double> w(static_cast<std::size_t>(net.layer(net.find(name)).weights));
    for (double& x : w) x = normal(rng);
    weights[name] = w;
  }
  return weights;
}

// Padding rows and columns (54 inputs and 7 outputs on 20 x 4 crossbars), depthwise channels
// two to a crossbar (3x3) and taller than one (5x5), a partial top slice (8 bits in 3-bit
// cells) and wide codes (20 bits).
TEST(WeightSource, RowLevelsEqualAPerCellReference) {
  const Network net = mixedLayers();
  std::map<std::string, std::vector<double>> weights = gaussianWeights(net, 3);
  for (auto& entry : weights) entry.second[1] = 0;  // the offset code
  const WeightsFile file("xbarsim_programming_rows", weights);
  const WeightSource source(file.path(), 0);
  for (const auto& [bits, cell_bits] : {std::pair{16, 2}, std::pair{8, 3}, std::pair{20, 4}}) {
    const ArchSpec arch = tinyArch(bits, cell_bits, 20, 4, 1);
    for (const auto& [name, w] : weights) {
      const std::string what = name + " at " + std::to_string(bits) + " bits";
      expectSameRows(source.rows(net, arch, planOf(net, {{name, 1}}).layers[0]),
                     referenceRows(net, arch, name, w), what);
    }
  }
}

// One 2x2 fc layer, 4-bit weights in 2-bit cells on 2x2 crossbars, one row at a time, R = 2.
// Weights (output, input): (0,0) = 1, (0,1) = -0.5, (1,0) = 0.25, (1,1) = 0; max|w| = 1, Q = 7.
// Codes q + 8: round(7) = 7 -> 15, round(-3.5) = -4 -> 4, round(1.75) = 2 -> 10, 0 -> 8.
// Crossbar row k holds input k: row 0 = (15, 10), row 1 = (4, 8). 2-bit slices, low first:
//   slice 0: row 0 = (3, 2): max 3, sum 5;  row 1 = (0, 0): nothing to write
//   slice 1: row 0 = (3, 2): max 3, sum 5;  row 1 = (1, 2): max 2, sum 3
// Pulses: (5 + 5 + 3) x 10 per copy, x 2 copies = 260.
// Physical crossbars x0 = slice 0, x1 = slice 1, x2, x3 their copies; a row fetch is 1 byte,
// 1 cycle on the link + 1 cycle latency; a row of max level m takes 10 m cycles.
//   cycle 0: x0..x3 fetch row 0 on the link in cycles 0, 1, 2, 3 -> arrive 2, 3, 4, 5;
//            written by 2 + 30 = 32, 3 + 30 = 33, 34, 35.
//   cycle 2: x0's row 1 is empty: x0 is done at 32.   cycle 4: likewise x2, done at 34.
//   cycle 3: x1 fetches row 1 (link free at 4) -> arrives 6; written from 33 to 53.
//   cycle 5: x3 fetches row 1 -> arrives 7; written from 35 to 55.
// 6 rows written, 6 bytes, 55 cycles.
TEST(WriteDriver, ProgramsATwoByTwoLayerAsCountedByHand) {
  const Network net = parseNetwork(
      "name: t\ninput: [2, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 2}\n", "t.yaml");
  const ArchSpec arch = tinyArch(4, 2, 2, 2, 1);
  const WeightsFile file("xbarsim_programming_2x2", {{"fc", {1.0, -0.5, 0.25, 0.0}}});
  const WeightSource source(file.path(), 0);
  const Plan plan = planOf(net, {{"fc", 2}});

  const LayerRows rows = source.rows(net, arch, plan.layers[0]);
  ASSERT_EQ(rows.crossbars(), 2);
  EXPECT_EQ(rows.at(0, 0, 0, 0).max, 3);
  EXPECT_EQ(rows.at(0, 0, 0, 0).sum, 5u);
  EXPECT_EQ(rows.at(0, 0, 0, 1).max, 0);
  EXPECT_EQ(rows.at(0, 0, 0, 1).sum, 0u);
  EXPECT_EQ(rows.at(0, 0, 1, 0).max, 3);
  EXPECT_EQ(rows.at(0, 0, 1, 0).sum, 5u);
  EXPECT_EQ(rows.at(0, 0, 1, 1).max, 2);
  EXPECT_EQ(rows.at(0, 0, 1, 1).sum, 3u);

  Tracer tracer(true);
  const ProgrammingStats stats = programOnce(net, arch, plan, source, tracer);
  EXPECT_EQ(stats.pulses, 260);
  EXPECT_EQ(stats.cycles, 55);
  EXPECT_EQ(stats.rows, 6);
  EXPECT_EQ(stats.bytes, 6);
  EXPECT_EQ(stats.events, 18);
  EXPECT_DOUBLE_EQ(stats.seconds, 55 * 100e-9);
  EXPECT_DOUBLE_EQ(stats.energy_j, 260 * 1e-12 + 6 * 1e-9);
  // One trace event per physical crossbar, as each finishes.
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (const TraceEvent& e : tracer.events()) {
    spans.emplace_back(e.start, e.end);
    EXPECT_EQ(e.layer, 1);  // the graph node of plan layer 0
  }
  const std::vector<std::pair<std::int64_t, std::int64_t>> expected = {
      {0, 32}, {0, 53}, {0, 34}, {0, 55}};
  EXPECT_EQ(spans, expected);
}

TEST(WeightSource, SyntheticWeightsAreReproducibleAndKeyedBySeedAndLayer) {
  const Network net = parseNetwork(
      "name: t\ninput: [64, 1, 1]\nlayers:\n"
      "  - {name: a, type: fc, out: 64}\n"
      "  - {name: b, type: fc, out: 64}\n",
      "t.yaml");
  const ArchSpec arch = tinyArch(8, 2, 16, 16, 2);
  const Plan plan = planOf(net, {{"a", 1}, {"b", 3}});
  Tracer tracer(false);
  const ProgrammingStats first = programOnce(net, arch, plan, WeightSource(7), tracer);
  const ProgrammingStats again = programOnce(net, arch, plan, WeightSource(7), tracer);
  EXPECT_EQ(first.cycles, again.cycles);
  EXPECT_EQ(first.pulses, again.pulses);
  EXPECT_EQ(first.rows, again.rows);
  EXPECT_EQ(first.bytes, again.bytes);
  EXPECT_EQ(first.events, again.events);
  EXPECT_EQ(first.energy_j, again.energy_j);
  EXPECT_GT(first.pulses, 0);
  EXPECT_NE(programOnce(net, arch, plan, WeightSource(8), tracer).pulses, first.pulses);

  // Same rows for the same seed and layer; another layer of the same shape differs.
  const WeightSource source(7);
  expectSameRows(source.rows(net, arch, plan.layers[0]),
                 WeightSource(7).rows(net, arch, plan.layers[0]), "layer a");
  const LayerRows a = source.rows(net, arch, plan.layers[0]);
  const LayerRows b = source.rows(net, arch, plan.layers[1]);
  std::int64_t differ = 0;
  for (std::size_t i = 0; i < a.rows.size(); ++i) differ += a.rows[i].sum != b.rows[i].sum;
  EXPECT_GT(differ, 0);
}

// With 8-bit cells and one-column crossbars, every physical row holds one weight and its level
// is the weight's code. The codes should follow round(mean + sigma Z), clipped to 0..255, with
// the layer's own mean and sigma: P(code <= c) = Phi((c + 1/2 - mean) / sigma). Loose bounds
// (many standard errors): a fixed seed, not a test of chance.
TEST(WeightSource, SyntheticCodesFollowTheirDiscretisedGaussian) {
  const Network net = parseNetwork(
      "name: t\ninput: [512, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 512}\n", "t.yaml");
  const ArchSpec arch = tinyArch(8, 8, 64, 1, 1);
  const WeightSource source(11);
  const LayerRows rows = source.rows(net, arch, planOf(net, {{"fc", 1}}).layers[0]);
  const double n = 512.0 * 512.0;
  ASSERT_EQ(static_cast<double>(rows.rows.size()), n);
  const SyntheticLayer model = source.synthetic("fc", 8);
  // The model's ranges (weight_source.h): means 108-148, sigmas 9-23 codes.
  EXPECT_GE(model.mean, 107.5);
  EXPECT_LE(model.mean, 148.5);
  EXPECT_GE(model.sigma, 8.9);
  EXPECT_LE(model.sigma, 23.1);
  const double mu = model.mean, sigma = model.sigma;
  const auto cdf = [&](double c) {
    return 0.5 * std::erfc(-(c + 0.5 - mu) / sigma / std::sqrt(2.0));
  };

  double sum = 0, sum2 = 0, far = 0, clipped = 0;
  std::vector<double> count(256, 0);
  for (const RowLevels& r : rows.rows) {
    const double q = r.max;
    EXPECT_EQ(r.sum, r.max);
    sum += q;
    sum2 += q * q;
    far += std::fabs(q - mu) > 4 * sigma;
    clipped += q == 0 || q == 255;
    ++count[r.max];
  }
  const double mean = sum / n, variance = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, mu, 5 * sigma / std::sqrt(n));
  // Rounding adds 1/12 to the variance.
  EXPECT_NEAR(variance / (sigma * sigma + 1.0 / 12), 1, 0.02);
  for (const double c : {std::round(mu - sigma), std::round(mu), std::round(mu + sigma)}) {
    double below = 0;
    for (int q = 0; q <= static_cast<int>(c); ++q) below += count[static_cast<std::size_t>(q)];
    EXPECT_NEAR(below / n, cdf(c), 0.005) << "code " << c;
  }
  // The tails: about 16.6 beyond 4 sigma; the codes' ends lie beyond 4.6 sigma.
  EXPECT_GE(far, 5);
  EXPECT_LE(far, 35);
  EXPECT_LE(clipped, 8);
}

// Every cell's position (layer row, layer col) that holds a weight, laid out as
// weights/weight_source.h says.
std::set<std::pair<std::int64_t, std::int64_t>> weightCells(const Network& net,
                                                            const ArchSpec& arch,
                                                            const std::string& name) {
  const Layer& l = net.layer(net.find(name));
  const std::int64_t xrows = arch.chip.tile.pe.apu.crossbar.rows;
  const std::int64_t xcols = arch.chip.tile.pe.apu.crossbar.cols;
  const std::int64_t co = l.out.c, fan_in = l.weights / co;
  const bool depthwise = l.spec.type == LayerType::kDwConv;
  const std::int64_t per = std::max<std::int64_t>(1, std::min(xrows / fan_in, xcols));
  const std::int64_t block_height = (per * fan_in + xrows - 1) / xrows * xrows;
  std::set<std::pair<std::int64_t, std::int64_t>> cells;
  for (std::int64_t o = 0; o < co; ++o)
    for (std::int64_t k = 0; k < fan_in; ++k)
      cells.emplace(depthwise ? o / per * block_height + o % per * fan_in + k : k,
                    depthwise ? o % per : o);
  return cells;
}

// The levels of block()'s codes, slice by slice, row by row, equal rows(); codes sit exactly
// where weights do (a weight's code is at least 1: q >= -Q), 0 elsewhere. Synthetic and file
// weights; the layers and widths of RowLevelsEqualAPerCellReference.
TEST(WeightSource, BlockCodesGiveTheRowLevelsOfRows) {
  const Network net = mixedLayers();
  const std::map<std::string, std::vector<double>> weights = gaussianWeights(net, 5);
  const WeightsFile file("xbarsim_programming_blocks", weights);
  const WeightSource from_file(file.path(), 0);
  const WeightSource synthetic(5);
  for (const auto& [bits, cell_bits] : {std::pair{16, 2}, std::pair{8, 3}, std::pair{20, 4}}) {
    const ArchSpec arch = tinyArch(bits, cell_bits, 20, 4, 1);
    const std::uint32_t mask = (1u << cell_bits) - 1;
    for (const WeightSource* source : {&synthetic, &from_file}) {
      for (const auto& entry : weights) {
        const std::string& name = entry.first;
        const std::string what = name + " at " + std::to_string(bits) + " bits, " +
                                 (source == &synthetic ? "synthetic" : "file");
        const PlanLayer layer = planOf(net, {{name, 1}}).layers[0];
        const LayerRows rows = source->rows(net, arch, layer);
        const LayerShape shape = source->shape(net, arch, layer);
        ASSERT_EQ(shape.block_rows, rows.block_rows) << what;
        ASSERT_EQ(shape.block_cols, rows.block_cols) << what;
        ASSERT_EQ(shape.slices, rows.slices) << what;
        ASSERT_EQ(shape.xbar_rows, 20) << what;
        ASSERT_EQ(shape.xbar_cols, 4) << what;
        const auto cells = weightCells(net, arch, name);
        std::int64_t coded = 0;
        for (std::int64_t br = 0; br < shape.block_rows; ++br) {
          for (std::int64_t bc = 0; bc < shape.block_cols; ++bc) {
            const std::vector<std::uint32_t> codes = source->block(net, arch, layer, br, bc);
            ASSERT_EQ(codes.size(), 20u * 4u) << what;
            for (std::int64_t r = 0; r < 20; ++r) {
              for (int s = 0; s < shape.slices; ++s) {
                RowLevels expected;
                for (std::int64_t c = 0; c < 4; ++c) {
                  const std::uint32_t code = codes[static_cast<std::size_t>(r * 4 + c)];
                  const auto level = static_cast<std::uint8_t>((code >> (s * cell_bits)) & mask);
                  expected.max = std::max(expected.max, level);
                  expected.sum += level;
                }
                const RowLevels& got = rows.at(br, bc, s, r);
                ASSERT_EQ(got.max, expected.max)
                    << what << ", block (" << br << ", " << bc << "), row " << r << ", slice " << s;
                ASSERT_EQ(got.sum, expected.sum)
                    << what << ", block (" << br << ", " << bc << "), row " << r << ", slice " << s;
              }
              for (std::int64_t c = 0; c < 4; ++c) {
                const std::uint32_t code = codes[static_cast<std::size_t>(r * 4 + c)];
                const bool holds = cells.count({br * 20 + r, bc * 4 + c}) > 0;
                ASSERT_EQ(code != 0, holds) << what << ", block (" << br << ", " << bc
                                            << "), cell (" << r << ", " << c << ")";
                ASSERT_LT(code, 1u << bits) << what;
                coded += holds;
              }
            }
          }
        }
        EXPECT_EQ(coded, net.layer(layer.vertex).weights) << what;
      }
    }
  }
}

// A block's codes depend on the seed, the layer and the block alone: drawn in reverse order,
// interleaved with other layers' blocks and rows(), from another source object, they are the
// same. The file source's cache (one layer) is switched between layers on the way.
TEST(WeightSource, BlockCodesAreTheSameInAnyCallOrder) {
  const Network net = parseNetwork(
      "name: t\ninput: [6, 5, 5]\nlayers:\n"
      "  - {name: conv, type: conv, out: 9, kernel: 3, pad: 1}\n"
      "  - {name: dw, type: dwconv, kernel: 5, pad: 2}\n",
      "t.yaml");
  const ArchSpec arch = tinyArch(16, 2, 20, 4, 1);
  const Plan plan = planOf(net, {{"conv", 1}, {"dw", 1}});
  std::mt19937_64 rng(8);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::map<std::string, std::vector<double>> weights;
  for (const char* name : {"conv", "dw"}) {
    std::vector<double> w(static_cast<std::size_t>(net.layer(net.find(name)).weights));
    for (double& x : w) x = normal(rng);
    weights[name] = w;
  }
  const WeightsFile file("xbarsim_programming_block_order", weights);

  using Key = std::tuple<std::size_t, std::int64_t, std::int64_t>;  // layer, block row, col
  const auto inOrder = [&](const WeightSource& source) {
    std::map<Key, std::vector<std::uint32_t>> codes;
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
      const LayerShape shape = source.shape(net, arch, plan.layers[i]);
      for (std::int64_t br = 0; br < shape.block_rows; ++br)
        for (std::int64_t bc = 0; bc < shape.block_cols; ++bc)
          codes[{i, br, bc}] = source.block(net, arch, plan.layers[i], br, bc);
    }
    return codes;
  };
  for (const bool synthetic : {true, false}) {
    const WeightSource first = synthetic ? WeightSource(3) : WeightSource(file.path(), 3);
    const std::map<Key, std::vector<std::uint32_t>> expected = inOrder(first);
    std::vector<Key> keys;
    for (const auto& entry : expected) keys.push_back(entry.first);
    ASSERT_GT(keys.size(), 10u);
    const WeightSource second = synthetic ? WeightSource(3) : WeightSource(file.path(), 3);
    std::int64_t step = 0;
    for (auto it = keys.rbegin(); it != keys.rend(); ++it, ++step) {
      const auto& [i, br, bc] = *it;
      // The other layer in between: one of its blocks, and now and then all its rows.
      const PlanLayer& other = plan.layers[1 - i];
      const LayerShape shape = second.shape(net, arch, other);
      second.block(net, arch, other, step % shape.block_rows, step % shape.block_cols);
      if (step % 3 == 0) second.rows(net, arch, other);
      EXPECT_EQ(second.block(net, arch, plan.layers[i], br, bc), expected.at(*it))
          << (synthetic ? "synthetic" : "file") << ", layer " << i << ", block (" << br << ", "
          << bc << ")";
      EXPECT_EQ(first.block(net, arch, plan.layers[i], br, bc), expected.at(*it));
    }
  }

  // The synthetic streams differ by seed and by block.
  const std::map<Key, std::vector<std::uint32_t>> seven = inOrder(WeightSource(7));
  const std::map<Key, std::vector<std::uint32_t>> eight = inOrder(WeightSource(8));
  EXPECT_NE(seven.at({0, 0, 0}), eight.at({0, 0, 0}));
  EXPECT_NE(seven.at({0, 0, 0}), seven.at({0, 0, 1}));
  EXPECT_NE(seven.at({0, 0, 0}), seven.at({0, 1, 0}));
}

// A file's weights quantised by hand, 4-bit codes (Q = 7, offset 8) on 2 x 2 crossbars:
//   fc, 3 inputs x 3 outputs, w(o, k) in the file's order (output by output):
//     o = 0: 1, -2/7, 3/7  ->  q 7, -2, 3        ->  codes 15, 6, 11
//     o = 1: 0, -1, 5/7    ->  q 0, -7, 5        ->  codes 8, 1, 13
//     o = 2: 1/2, -1/2, 1/7 -> q 3.5 -> 4, -4, 1  ->  codes 12, 4, 9  (ties away from 0)
//   on crossbar rows = inputs k: k0 = (15, 8, 12), k1 = (6, 1, 4), k2 = (11, 13, 9); cut into
//   2 x 2 blocks with padding: (0,0) = [15 8; 6 1], (0,1) = [12 0; 4 0], (1,0) = [11 13; 0 0],
//   (1,1) = [9 0; 0 0].
//   dw1, a 1x1 depthwise conv of those 3 channels: w = 1, -1, 1/2 -> codes 15, 1, 12; two
//   channels per block, on the diagonal: (0,0) = [15 0; 0 1], (1,0) = [12 0; 0 0].
//   dw3, a 3x3 depthwise conv of one channel: w(k) = (k - 4) / 4 -> q = round(7 (k - 4) / 4)
//   = -7, -5, -4, -2, 0, 2, 4, 5, 7 -> codes 1, 3, 4, 6, 8, 10, 12, 13, 15; the channel spans
//   five crossbars, two rows each in column 0, the last with one: (b,0) = [c(2b) 0; c(2b+1) 0].
TEST(WeightSource, FileBlocksHoldTheQuantisedCodesInPlace) {
  const Network net = parseNetwork(
      "name: t\ninput: [3, 1, 1]\nlayers:\n"
      "  - {name: fc, type: fc, out: 3}\n"
      "  - {name: dw1, type: dwconv, kernel: 1}\n",
      "t.yaml");
  const Network tall = parseNetwork(
      "name: t\ninput: [1, 3, 3]\nlayers:\n  - {name: dw3, type: dwconv, kernel: 3, pad: 1}\n",
      "t.yaml");
  std::vector<double> dw3;
  for (int k = 0; k < 9; ++k) dw3.push_back((k - 4) / 4.0);
  const WeightsFile file("xbarsim_programming_file_blocks",
                         {{"fc", {1, -2 / 7.0, 3 / 7.0, 0, -1, 5 / 7.0, 0.5, -0.5, 1 / 7.0}},
                          {"dw1", {1, -1, 0.5}},
                          {"dw3", dw3}});
  const WeightSource source(file.path(), 0);
  const ArchSpec arch = tinyArch(4, 2, 2, 2, 1);
  using Codes = std::vector<std::uint32_t>;

  const PlanLayer fc = planOf(net, {{"fc", 1}}).layers[0];
  const LayerShape fc_shape = source.shape(net, arch, fc);
  EXPECT_EQ(fc_shape.block_rows, 2);
  EXPECT_EQ(fc_shape.block_cols, 2);
  EXPECT_EQ(fc_shape.slices, 2);
  EXPECT_EQ(fc_shape.blocks(), 4);
  EXPECT_EQ(source.block(net, arch, fc, 0, 0), (Codes{15, 8, 6, 1}));
  EXPECT_EQ(source.block(net, arch, fc, 0, 1), (Codes{12, 0, 4, 0}));
  EXPECT_EQ(source.block(net, arch, fc, 1, 0), (Codes{11, 13, 0, 0}));
  EXPECT_EQ(source.block(net, arch, fc, 1, 1), (Codes{9, 0, 0, 0}));

  const PlanLayer dw1 = planOf(net, {{"dw1", 1}}).layers[0];
  const LayerShape dw1_shape = source.shape(net, arch, dw1);
  EXPECT_EQ(dw1_shape.block_rows, 2);
  EXPECT_EQ(dw1_shape.block_cols, 1);
  EXPECT_EQ(source.block(net, arch, dw1, 0, 0), (Codes{15, 0, 0, 1}));
  EXPECT_EQ(source.block(net, arch, dw1, 1, 0), (Codes{12, 0, 0, 0}));

  const PlanLayer dw = planOf(tall, {{"dw3", 1}}).layers[0];
  const LayerShape dw_shape = source.shape(tall, arch, dw);
  EXPECT_EQ(dw_shape.block_rows, 5);
  EXPECT_EQ(dw_shape.block_cols, 1);
  const std::vector<std::uint32_t> c = {1, 3, 4, 6, 8, 10, 12, 13, 15, 0};
  for (std::int64_t b = 0; b < 5; ++b)
    EXPECT_EQ(source.block(tall, arch, dw, b, 0), (Codes{c[2 * b], 0, c[2 * b + 1], 0}))
        << "block " << b;
  // And back to a layer read before (the cache held another one).
  EXPECT_EQ(source.block(net, arch, fc, 1, 0), (Codes{11, 13, 0, 0}));

  EXPECT_THROW(source.block(net, arch, fc, 2, 0), std::out_of_range);
  EXPECT_THROW(source.block(net, arch, fc, 0, -1), std::out_of_range);
  EXPECT_THROW(source.block(tall, arch, dw, 0, 1), std::out_of_range);
  const Network other = parseNetwork(
      "name: t\ninput: [3, 1, 1]\nlayers:\n  - {name: missing, type: fc, out: 3}\n", "t.yaml");
  EXPECT_THROW(source.block(other, arch, planOf(other, {{"missing", 1}}).layers[0], 0, 0),
               ConfigError);
  EXPECT_THROW(source.block(net, tinyArch(40, 8, 2, 2, 1), fc, 0, 0), ConfigError);
}

// The synthetic codes of a large layer, gathered block by block (64 blocks of 64 x 64, each
// its own stream): the layer's mean and standard deviation (rounding adds 1/12 to the
// variance); another layer has other ones.
TEST(WeightSource, SyntheticBlockCodesHaveTheLayersMeanAndSigma) {
  const Network net = parseNetwork(
      "name: t\ninput: [512, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 512}\n", "t.yaml");
  const ArchSpec arch = tinyArch(8, 2, 64, 64, 1);
  const PlanLayer layer = planOf(net, {{"fc", 1}}).layers[0];
  const WeightSource source(13);
  const LayerShape shape = source.shape(net, arch, layer);
  ASSERT_EQ(shape.blocks(), 64);
  const double n = 512.0 * 512.0;
  const SyntheticLayer model = source.synthetic("fc", 8);
  const SyntheticLayer other = source.synthetic("fc2", 8);
  EXPECT_GT(std::fabs(model.mean - other.mean) + std::fabs(model.sigma - other.sigma), 0.1);

  double sum = 0, sum2 = 0, count = 0;
  for (std::int64_t br = 0; br < shape.block_rows; ++br) {
    for (std::int64_t bc = 0; bc < shape.block_cols; ++bc) {
      for (const std::uint32_t code : source.block(net, arch, layer, br, bc)) {
        ASSERT_LE(code, 255u);
        sum += code;
        sum2 += static_cast<double>(code) * code;
        ++count;
      }
    }
  }
  ASSERT_EQ(count, n);
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, model.mean, 5 * model.sigma / std::sqrt(n));
  EXPECT_NEAR(sd / std::sqrt(model.sigma * model.sigma + 1.0 / 12), 1, 0.02);
}

TEST(WeightSource, RejectsWeightsThatAreNotFinite) {
  const Network net = parseNetwork(
      "name: t\ninput: [2, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 2}\n", "t.yaml");
  const PlanLayer layer = planOf(net, {{"fc", 1}}).layers[0];
  const ArchSpec arch = tinyArch(8, 2, 2, 2, 1);
  for (const double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    const WeightsFile file("xbarsim_programming_nan", {{"fc", {0.5, bad, 0.25, 0.0}}});
    try {
      WeightSource(file.path(), 0).block(net, arch, layer, 0, 0);
      FAIL() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("at index 1 (weights must be finite)"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(WeightSource, RejectsCodesItCannotHold) {
  const Network net = parseNetwork(
      "name: t\ninput: [2, 1, 1]\nlayers:\n  - {name: fc, type: fc, out: 2}\n", "t.yaml");
  const PlanLayer layer = planOf(net, {{"fc", 1}}).layers[0];
  EXPECT_THROW(WeightSource(1).rows(net, tinyArch(40, 8, 2, 2, 1), layer), ConfigError);
  EXPECT_THROW(WeightSource(1).rows(net, tinyArch(18, 9, 2, 2, 1), layer), ConfigError);
}

}  // namespace
}  // namespace xbarsim::sim
