// The global buffer: banks of (possibly different) sizes, each with a static power while
// powered. For a run it powers the cheapest set of banks that holds what it must store and
// power-gates the rest (ARAS's adaptive bank selection); accesses go through one port at the
// buffer's bandwidth. Energy: `global_buffer_byte` per byte, and the powered banks' static
// power over the run (staticEnergy()).
//
// Which bank an access reaches: the banks behind the port hold the data striped over them in
// proportion to their size, so an access reaches every bank of its side at once, each for its
// share of the bytes, while the port carries it. The sides are the banks a layer-sequential
// layer reads its inputs from and writes its outputs to (route(), the Plan's selection);
// otherwise, and for data of both, every powered bank. Nothing of this changes the timing (one
// port); it says which banks the traffic touches, and with tracing on each bank records its
// reads and writes (component `chip.global_buffer.bankN`).
#pragma once

#include <systemc>

#include <vector>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/link.h"
#include "sim/stats.h"
#include "sim/tracer.h"

namespace xbarsim::sim {

// Indices of the banks with the least total static power whose capacity reaches `bytes`
// (exact for up to 20 banks, greedy by power per byte beyond). Throws ConfigError naming the
// capacity when no selection fits.
std::vector<int> selectBanks(const GlobalBufferSpec& spec, double bytes);

class GlobalBuffer : public sc_core::sc_module {
 public:
  // `tracer`: with tracing on, each bank is a traced component.
  GlobalBuffer(sc_core::sc_module_name name, const ArchSpec& arch, double bytes_needed,
               bool unconstrained, EnergyLedger& ledger, Tracer& tracer);
  // The banks an access reaches: a layer's inputs, its outputs, or data of both (every
  // powered bank).
  enum class Side : std::int8_t { kInputs, kOutputs, kAll };
  // Reads or writes `bytes` for `layer` through the port, ready at `ready`; returns the cycle
  // they are through.
  std::int64_t read(int layer, std::int64_t bytes, std::int64_t ready, Side side = Side::kInputs);
  std::int64_t write(int layer, std::int64_t bytes, std::int64_t ready, Side side = Side::kOutputs);
  Link& link() { return link_; }
  const Link& link() const { return link_; }
  // From now on inputs are in `inputs` and outputs go to `outputs` (each empty: every powered
  // bank).
  void route(const std::vector<int>& inputs, const std::vector<int>& outputs);
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
  std::int64_t access(int layer, std::int64_t bytes, std::int64_t ready, Side side, bool write);
  // Records the access on the banks of `side`, each its share of the bytes.
  void traceBanks(const Span& port, int layer, std::int64_t bytes, Side side, bool write);

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
  Tracer* tracer_ = nullptr;         // null: banks are not traced
  std::vector<std::int32_t> banks_;  // per bank: its trace component
  std::vector<int> inputs_, outputs_;
};

}  // namespace xbarsim::sim
