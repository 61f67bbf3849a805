#include "sim/main_memory.h"

namespace xbarsim::sim {

MainMemory::MainMemory(sc_core::sc_module_name name, const ArchSpec& arch, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      link_(arch.main_memory.bandwidth_bps * arch.clock_period_s,
            arch.cyclesFor(arch.main_memory.latency_s)),
      ledger_(ledger),
      component_(ledger.component("main_memory")),
      joules_per_byte_(arch.energy.main_memory_byte_j),
      stats_(this->name()),
      bytes_(stats_.declare("bytes", "B", "bytes read or written")) {}

std::int64_t MainMemory::transfer(int layer, std::int64_t bytes, std::int64_t ready) {
  bytes_ += static_cast<double>(bytes);
  ledger_.add(component_, layer, static_cast<double>(bytes) * joules_per_byte_);
  return link_.transfer(bytes, ready);
}

}  // namespace xbarsim::sim
