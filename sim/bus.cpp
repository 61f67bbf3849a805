#include "sim/bus.h"

namespace xbarsim::sim {

Bus::Bus(sc_core::sc_module_name name, const BusSpec& spec, double clock_period_s,
         bool unconstrained, EnergyLedger& ledger, const std::string& energy_component,
         double joules_per_byte)
    : sc_core::sc_module(name),
      link_(spec.bandwidth_bps * clock_period_s, spec.latency_cycles, unconstrained),
      ledger_(ledger),
      component_(ledger.component(energy_component)),
      joules_per_byte_(joules_per_byte),
      stats_(this->name()),
      bytes_(stats_.declare("bytes", "B", "bytes carried")),
      transfers_(stats_.declare("transfers", "1", "transfers carried")) {}

void Bus::account(int layer, std::int64_t bytes) {
  bytes_ += static_cast<double>(bytes);
  transfers_ += 1;
  ledger_.add(component_, layer, static_cast<double>(bytes) * joules_per_byte_);
}

std::int64_t Bus::transfer(int layer, std::int64_t bytes, std::int64_t ready) {
  account(layer, bytes);
  return link_.transfer(bytes, ready);
}

}  // namespace xbarsim::sim
