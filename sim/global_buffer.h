// The global buffer: banks of (possibly different) sizes, each with a static power while
// powered. For a run it powers the cheapest set of banks that holds what it must store and
// power-gates the rest (ARAS's adaptive bank selection); accesses go through one port at the
// buffer's bandwidth. Energy: `global_buffer_byte` per byte, and the powered banks' static
// power over the run (staticEnergy()).
#pragma once

#include <systemc>

#include <vector>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/interfaces.h"
#include "sim/link.h"
#include "sim/stats.h"

namespace xbarsim::sim {

// Indices of the banks with the least total static power whose capacity reaches `bytes`
// (exact for up to 20 banks, greedy by power per byte beyond). Throws ConfigError naming the
// capacity when no selection fits.
std::vector<int> selectBanks(const GlobalBufferSpec& spec, double bytes);

class GlobalBuffer : public sc_core::sc_module, public TransferIf {
 public:
  GlobalBuffer(sc_core::sc_module_name name, const ArchSpec& arch, double bytes_needed,
               bool unconstrained, EnergyLedger& ledger);
  std::int64_t transfer(int layer, std::int64_t bytes, std::int64_t ready) override;
  Link& link() override { return link_; }
  const Link& link() const { return link_; }
  const std::vector<int>& poweredBanks() const { return powered_; }
  double staticPowerW() const;
  // Layer-sequential runs switch the powered banks per layer: from `cycle` on, `banks` are
  // powered and the rest power-gated.
  void power(const std::vector<int>& banks, std::int64_t cycle);
  // Cycles each bank was powered (banks switched by power()), up to `end`.
  std::vector<std::int64_t> poweredCycles(std::int64_t end) const;
  // Books the static energy of the powered banks: over `seconds` for the banks chosen at
  // construction, or, once power() was used, each bank's powered cycles up to `end`.
  void staticEnergy(double seconds, std::int64_t end);
  const Stats& stats() const { return stats_; }

 private:
  const GlobalBufferSpec& spec_;
  std::vector<int> powered_;
  bool switched_ = false;                // power() was used
  std::vector<std::int64_t> on_since_;   // per bank: powered since, -1 if gated
  std::vector<std::int64_t> on_cycles_;  // per bank: powered cycles before on_since_
  double period_s_;
  Link link_;
  EnergyLedger& ledger_;
  int component_, static_component_;
  double joules_per_byte_;
  Stats stats_;
  Counter& bytes_;
};

}  // namespace xbarsim::sim
