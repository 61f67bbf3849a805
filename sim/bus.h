// A bus: the intra-tile bus between a tile's buffers and its PEs, or the inter-tile bus (NoC)
// between tiles and the global buffer: a Link at the bus bandwidth with the bus latency. Its
// energy is bytes x the energy per byte of its kind (`bus_byte` or `noc_byte`).
#pragma once

#include <systemc>

#include <string>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/interfaces.h"
#include "sim/stats.h"

namespace xbarsim::sim {

class Bus : public sc_core::sc_module, public TransferIf {
 public:
  // `energy_component`: "tile_bus" or "noc"; `joules_per_byte` from the arch's energy table.
  Bus(sc_core::sc_module_name name, const BusSpec& spec, double clock_period_s, bool unconstrained,
      EnergyLedger& ledger, const std::string& energy_component, double joules_per_byte);
  std::int64_t transfer(int layer, std::int64_t bytes, std::int64_t ready) override;
  Link& link() override { return link_; }
  const Link& link() const { return link_; }
  const Stats& stats() const { return stats_; }
  // Books the energy of `bytes` that went through link() by streamThrough.
  void account(int layer, std::int64_t bytes);

 private:
  Link link_;
  EnergyLedger& ledger_;
  int component_;
  double joules_per_byte_;
  Stats stats_;
  Counter& bytes_;
  Counter& transfers_;
};

}  // namespace xbarsim::sim
