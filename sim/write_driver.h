// The ReRAM write driver: programs weights into crossbars row by row. A row is written in two
// phases, first the cells whose level must decrease, then those that must increase, each phase
// as long as its slowest cell: |new level - old level| x pulses_per_level_step pulses of
// write_pulse_width. Programming starts from fresh cells (level 0), so only the increase phase
// has work: a row's highest level sets its time and the sum of its levels its pulses. Up to
// rows_in_parallel rows of a crossbar are written at once (as long as the slowest of them); a
// batch with nothing to write is skipped. Every crossbar has its own row circuits, so
// crossbars, copies (R per layer) included, program concurrently, but each batch's data (its
// cells' new levels) is first fetched from main memory, whose bandwidth they share.
#pragma once

#include <systemc>

#include <cstdint>

#include "plan/plan.h"
#include "sim/interfaces.h"
#include "sim/tracer.h"
#include "weights/weight_source.h"

namespace xbarsim::sim {

struct ProgrammingStats {
  std::int64_t cycles = 0;  // from the first fetch to the last row written
  double seconds = 0;
  std::int64_t pulses = 0;
  std::int64_t rows = 0;   // row writes (batches of rows_in_parallel rows)
  std::int64_t bytes = 0;  // fetched from main memory
  std::int64_t events = 0;
  double energy_j = 0;  // write pulses and main-memory traffic
};

class WriteDriver : public sc_core::sc_module {
 public:
  TransferIf* memory = nullptr;  // where row data comes from (main memory)

  WriteDriver(sc_core::sc_module_name name, const ArchSpec& arch);
  // Programs every crossbar the plan's weight-stationary layers use, from fresh cells (level
  // 0), starting at cycle 0. Traced as `trace_id`, one event per physical crossbar (its first
  // fetch to its last write), for the graph node `node_of_layer[plan layer]`.
  ProgrammingStats program(const Network& net, const Plan& plan, const WeightSource& weights,
                           Tracer& tracer, std::int32_t trace_id,
                           const std::vector<std::int32_t>& node_of_layer);
  // Layer-sequential rewriting: cycles to write a batch of rows whose cells decrease by at
  // most `decrease` and increase by at most `increase` levels (two phases, each as long as its
  // slowest cell; a phase with nothing to do takes no time).
  std::int64_t rowCycles(int decrease, int increase) const;

 private:
  const ArchSpec& arch_;
};

}  // namespace xbarsim::sim
