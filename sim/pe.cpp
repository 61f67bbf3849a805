#include "sim/pe.h"

namespace xbarsim::sim {

Pe::Pe(sc_core::sc_module_name name, const ArchSpec& arch, bool unconstrained, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      buffer("buffer", arch.chip.tile.pe.buffer, arch.clock_period_s, unconstrained, ledger,
             arch.energy.buffer_byte_j) {
  for (int a = 0; a < arch.chip.tile.pe.apus; ++a)
    apus.push_back(std::make_unique<Apu>(("apu" + std::to_string(a)).c_str(), arch, ledger));
}

}  // namespace xbarsim::sim
