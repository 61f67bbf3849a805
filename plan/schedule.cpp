#include "plan/schedule.h"

#include <algorithm>

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t v, std::int64_t m) {
  return (v + m - 1) / m;
}

}  // namespace

CrossbarGrid crossbarGrid(const ArchSpec& arch, const Layer& layer) {
  const std::int64_t rows = arch.chip.tile.pe.apu.crossbar.rows;
  const std::int64_t cols = arch.chip.tile.pe.apu.crossbar.cols;
  const std::int64_t co = layer.out.c;
  const std::int64_t fan_in = layer.weights / co;
  if (layer.spec.type == LayerType::kDwConv) {
    const std::int64_t per = std::max<std::int64_t>(1, std::min(rows / fan_in, cols));
    const std::int64_t height = ceilDiv(per * fan_in, rows);
    return {ceilDiv(co, per) * height, 1};
  }
  return {ceilDiv(fan_in, rows), ceilDiv(co, cols)};
}

std::int64_t unitsPerCopy(const ArchSpec& arch, const Layer& layer) {
  const CrossbarGrid g = crossbarGrid(arch, layer);
  const std::int64_t per_row = arch.logicalPerApuRow();
  if (per_row < 1)
    throw ConfigError(arch.name + ": a row of " +
                      std::to_string(arch.chip.tile.pe.apus / arch.chip.tile.pe.apu_rows) +
                      " APUs does not hold a whole logical crossbar (" +
                      std::to_string(arch.physicalPerLogical()) +
                      " physical crossbars): set chip.tile.pe.apu_rows");
  return g.block_rows * ceilDiv(g.block_cols, per_row);
}

UnitSpan unitSpan(const ArchSpec& arch, const Layer& layer, std::int64_t unit) {
  const CrossbarGrid g = crossbarGrid(arch, layer);
  const std::int64_t group = arch.logicalPerApuRow();
  UnitSpan s;
  s.block_row = unit % g.block_rows;
  s.first_block_col = unit / g.block_rows * group;
  s.block_cols = std::min(group, g.block_cols - s.first_block_col);
  return s;
}

const char* seqOpKindName(SeqOp::Kind k) {
  return k == SeqOp::Kind::kWrite ? "write" : "compute";
}

}  // namespace xbarsim
