// An APU (analog processing unit): physical crossbars with their DAC arrays, sample-and-hold,
// a pool of ADCs shared by all their columns, and shift-and-add. One input vector of B bits
// through d-bit DACs takes ceil(B/d) crossbar reads; each read then goes through S&H, the ADC
// pool (columns / ADCs conversions) and shift-and-add. Stages form a blocking pipeline: a read
// moves on only when the next stage is free, so a slow ADC pool holds reads back (the wait is
// counted). With pipelined reads successive reads overlap (ISAAC); otherwise a read starts only
// when the previous one has left shift-and-add (ARAS). Around the reads: input_cycles to load
// the input register, output_cycles to write the output register.
//
// On isaac-like this gives 1 + (1 + 1 + 1 + 1) + 15 x 1 + 1 = 21 cycles, the paper's Table 3.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>

#include "arch/arch_spec.h"
#include "sim/interfaces.h"

namespace xbarsim::sim {

// Action counts of one APU, for energy and the events-per-second figure.
struct ApuStats {
  std::int64_t computes = 0;
  std::int64_t reads = 0;            // crossbar reads (each drives every crossbar of the APU)
  std::int64_t adc_wait_cycles = 0;  // reads waiting for the ADC pool
  std::int64_t busy_cycles = 0;
};

class Apu : public sc_core::sc_module, public ApuIf {
 public:
  sc_core::sc_export<ApuIf> port;

  Apu(sc_core::sc_module_name name, const ArchSpec& arch);
  std::int64_t compute(std::int64_t start) override;
  const ApuStats& stats() const { return stats_; }
  // Actions one compute() performs: input load, 4 stages per read, output write.
  std::int64_t actionsPerCompute() const { return 2 + 4 * reads_; }

 private:
  std::array<std::int64_t, 4> stage_cycles_;  // read, sample-and-hold, ADC pool, shift-add
  std::int64_t reads_;
  std::int64_t input_cycles_, output_cycles_;
  bool pipelined_;
  std::array<std::int64_t, 4> leave_{};  // when the last read left each stage
  ApuStats stats_;
};

}  // namespace xbarsim::sim
