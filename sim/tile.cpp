#include "sim/tile.h"

namespace xbarsim::sim {

Tile::Tile(sc_core::sc_module_name name, const ArchSpec& arch, bool ideal, EnergyLedger& ledger,
           Tracer& tracer)
    : sc_core::sc_module(name),
      input_buffer("input_buffer", arch.chip.tile.input_buffer, arch.clock_period_s, ideal, ledger,
                   arch.energy.buffer_byte_j),
      output_buffer("output_buffer", arch.chip.tile.output_buffer, arch.clock_period_s, ideal,
                    ledger, arch.energy.buffer_byte_j),
      bus("bus", arch.chip.tile.bus, arch.clock_period_s, ideal, ledger, "tile_bus",
          arch.energy.bus_byte_j),
      vector_unit("vector_unit", arch, ideal, ledger) {
  for (int p = 0; p < arch.chip.tile.pes; ++p)
    pes.push_back(std::make_unique<Pe>(("pe" + std::to_string(p)).c_str(), arch, ideal, ledger));
  if (tracer.on()) {
    tracer_ = &tracer;
    trace_id_ = tracer.component(this->name(), ComponentKind::kTile);
  }
}

}  // namespace xbarsim::sim
