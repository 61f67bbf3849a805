// Main memory (DRAM/LPDDR behind the chip): one channel at `bandwidth` with a fixed access
// latency. Weight data for ReRAM programming and the network's input pass here. Energy:
// `main_memory_byte` per byte.
#pragma once

#include <systemc>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/interfaces.h"
#include "sim/stats.h"

namespace xbarsim::sim {

class MainMemory : public sc_core::sc_module, public TransferIf {
 public:
  MainMemory(sc_core::sc_module_name name, const ArchSpec& arch, EnergyLedger& ledger);
  std::int64_t transfer(int layer, std::int64_t bytes, std::int64_t ready) override;
  Link& link() override { return link_; }
  const Link& link() const { return link_; }
  // Starts a new timeline at cycle 0 (inference after programming); byte counts stay.
  void restartTimeline() { link_.restartTimeline(); }
  const Stats& stats() const { return stats_; }

 private:
  Link link_;
  EnergyLedger& ledger_;
  int component_;
  double joules_per_byte_;
  Stats stats_;
  Counter& bytes_;
};

}  // namespace xbarsim::sim
