#include "sim/tile.h"

namespace xbarsim::sim {

Tile::Tile(sc_core::sc_module_name name, const ArchSpec& arch, bool unconstrained)
    : sc_core::sc_module(name),
      input_buffer("input_buffer"),
      output_buffer("output_buffer"),
      bus("bus", arch.chip.tile.bus, arch.clock_period_s, unconstrained,
          arch.chip.tile.input_buffer.bandwidth_bps) {
  for (int p = 0; p < arch.chip.tile.pes; ++p)
    pes.push_back(std::make_unique<Pe>(("pe" + std::to_string(p)).c_str(), arch));
}

}  // namespace xbarsim::sim
