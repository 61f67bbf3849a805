// The ReRAM write driver: programs weights into crossbars row by row. A row is written in two
// phases, first the cells whose level must decrease, then those that must increase, each phase
// as long as its slowest cell: |new level - old level| x pulses_per_level_step pulses of
// write_pulse_width. Up to rows_in_parallel rows of a crossbar are written at once; every
// crossbar has its own row circuits, so crossbars program concurrently, but each row's data
// (its cells' new levels) is first fetched from main memory, whose bandwidth they share.
#pragma once

#include <systemc>

#include <cstdint>
#include <vector>

#include "model/plan.h"
#include "sim/interfaces.h"
#include "sim/tracer.h"
#include "sim/weights.h"

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

// Per physical crossbar row, the pulses of each phase (the slowest cell) and in total.
struct RowPulses {
  std::int64_t decrease = 0, increase = 0, total = 0;
};

// Pulses to take every row of crossbar (block_row, block_col, slice) from `from` (nullptr:
// fresh cells at level 0) to `to`.
std::vector<RowPulses> rowPulses(const LayerLevels* from, const LayerLevels& to, int slice,
                                 std::int64_t block_row, std::int64_t block_col,
                                 std::int64_t xbar_rows, std::int64_t xbar_cols,
                                 std::int64_t pulses_per_level);

class WriteDriver : public sc_core::sc_module {
 public:
  sc_core::sc_port<TransferIf> memory;

  WriteDriver(sc_core::sc_module_name name, const ArchSpec& arch);
  // Programs every crossbar the plan uses, from fresh cells (level 0), starting at cycle 0.
  ProgrammingStats program(const Problem& p, const Plan& plan, const WeightSource& weights,
                           Tracer& tracer, std::int32_t trace_id);

 private:
  const ArchSpec& arch_;
};

}  // namespace xbarsim::sim
