#include "sim/vector_unit.h"

#include <cmath>

namespace xbarsim::sim {

VectorUnit::VectorUnit(sc_core::sc_module_name name, const ArchSpec& arch, bool instant,
                       EnergyLedger& ledger)
    : VectorUnit(name, arch.chip.tile.vector_unit.ops_per_cycle, arch.energy.vector_op_j,
                 "vector_unit", instant, ledger) {}

VectorUnit::VectorUnit(sc_core::sc_module_name name, int ops_per_cycle, double joules_per_op,
                       const std::string& component, bool instant, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      ops_per_cycle_(ops_per_cycle),
      instant_(instant),
      ledger_(ledger),
      component_(ledger.component(component)),
      joules_per_op_(joules_per_op),
      stats_(this->name()),
      ops_(stats_.declare("ops", "1", "element operations (compare, add, copy, MAC)")),
      busy_(stats_.declare("busy_cycles", "cycles", "cycles computing")),
      wait_(stats_.declare("wait_cycles", "cycles", "cycles requests waited for the unit")) {}

std::int64_t VectorUnit::run(int layer, std::int64_t ops, std::int64_t ready) {
  ops_ += static_cast<double>(ops);
  ledger_.add(component_, layer, static_cast<double>(ops) * joules_per_op_);
  if (instant_ || ops <= 0) return ready;
  const double cycles = std::ceil(static_cast<double>(ops) / ops_per_cycle_);
  const double start = res_.reserve(static_cast<double>(ready), cycles);
  busy_ += cycles;
  wait_ += start - static_cast<double>(ready);
  return static_cast<std::int64_t>(std::ceil(start - 1e-9)) + static_cast<std::int64_t>(cycles);
}

}  // namespace xbarsim::sim
