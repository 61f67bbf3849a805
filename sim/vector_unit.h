// A tile's digital vector unit: max/avg pooling, residual adds, concatenation copies and
// activation x activation matmuls (attention), ops_per_cycle element operations per cycle, one
// request at a time (layers on the tile share it and wait for each other, counted). Energy:
// `vector_op` per operation.
//
// Why a digital unit for attention's matmuls rather than crossbars: both operands are produced
// at run time, so crossbars would need one of them written with write pulses on every
// inference (128 rows of pulses per crossbar, microseconds each, Table II of ARAS gives 768 us
// per crossbar) and would wear cells out at one write per inference; a digital unit computes
// them at a stated throughput instead.
#pragma once

#include <systemc>

#include <string>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/reservation.h"
#include "sim/stats.h"

namespace xbarsim::sim {

class VectorUnit : public sc_core::sc_module {
 public:
  // A tile's vector unit (the arch's tile.vector_unit, energy vector_op).
  VectorUnit(sc_core::sc_module_name name, const ArchSpec& arch, bool instant,
             EnergyLedger& ledger);
  // A unit of the same kind with its own rate, booked as `component` (the chip's accumulator).
  VectorUnit(sc_core::sc_module_name name, int ops_per_cycle, double joules_per_op,
             const std::string& component, bool instant, EnergyLedger& ledger);
  // Runs `ops` operations for `layer`, ready at cycle `ready`; returns the cycle they are done.
  std::int64_t run(int layer, std::int64_t ops, std::int64_t ready);
  const Stats& stats() const { return stats_; }

 private:
  double ops_per_cycle_;
  bool instant_;
  Reservation res_;
  EnergyLedger& ledger_;
  int component_;
  double joules_per_op_;
  Stats stats_;
  Counter& ops_;
  Counter& busy_;
  Counter& wait_;
};

}  // namespace xbarsim::sim
