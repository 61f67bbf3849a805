#include "model/dataflow.h"

#include <algorithm>

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

DataflowCounts dataflowCounts(const Layer& layer, const ArchSpec& arch, const std::string& dataflow,
                              std::int64_t r) {
  if (layer.weights == 0)
    throw ConfigError("layer '" + layer.spec.name + "' has no weights: it takes no dataflow");
  if (dataflow != "ws" && dataflow != "is")
    throw ConfigError("no dataflow '" + dataflow + "' (ws or is)");
  if (dataflow == "is" && layer.spec.type == LayerType::kDwConv)
    throw ConfigError("layer '" + layer.spec.name +
                      "': a depthwise conv cannot run input-stationary");
  const ApuSpec& apu = arch.chip.tile.pe.apu;
  const std::int64_t rows = apu.crossbar.rows, cols = apu.crossbar.cols;
  const std::int64_t k = layer.weights / layer.out.c, co = layer.out.c;
  const std::int64_t p = layer.out.h * layer.out.w;
  const std::int64_t slices = arch.physicalPerLogical();
  const std::int64_t bytes = std::max(1, arch.data.input_bits / 8);
  const std::int64_t stage = arch.computeStageCycles();
  const std::int64_t block_rows = ceilDiv(k, rows);
  DataflowCounts c;
  c.input_bytes = p * k * bytes;
  c.output_bytes = p * co * bytes;
  if (dataflow == "ws") {
    const std::int64_t set = block_rows * ceilDiv(co, cols);
    c.crossbars = r * set;
    c.rounds = ceilDiv(p, r);
    c.steps = c.rounds;
    c.adc_conversions =
        c.steps * c.crossbars * slices * cols * apu.readsPerInput(arch.data.input_bits);
    c.cycles = c.steps * stage;
    return c;
  }
  const std::int64_t per_round = std::min(p, r * cols);
  c.crossbars = r * block_rows;
  c.rounds = ceilDiv(p, per_round);
  c.steps = c.rounds * co;
  c.adc_conversions =
      c.steps * c.crossbars * slices * cols * apu.readsPerInput(arch.data.weight_bits);
  // Every used row of every crossbar, all columns (those past the last position are cleared).
  c.cells_written = c.rounds * r * k * slices * cols;
  c.weight_bytes = c.rounds * co * k * bytes;
  const ReramDeviceSpec& dev = arch.reram;
  const std::int64_t batch = std::clamp<std::int64_t>(dev.rows_in_parallel, 1, rows);
  const std::int64_t phase = arch.cyclesFor(
      static_cast<double>(((1 << apu.crossbar.bits_per_cell) - 1) * dev.pulses_per_level_step) *
      dev.write_pulse_width_s);
  c.write_cycles = c.rounds * ceilDiv(std::min(rows, k), batch) * 2 * phase;
  c.cycles = c.write_cycles + c.steps * stage;
  return c;
}

}  // namespace xbarsim
