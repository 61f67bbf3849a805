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
//
// Energy per read: every physical crossbar is read (`crossbar_read`) with all its DACs driven
// (`dac_conversion` each); every column is latched (`sample_hold`), converted (`adc_conversion`
// scaled by 2^(bits - reference_bits), AdcSpec::energyScale) and shifted-and-added.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/interfaces.h"
#include "sim/stats.h"

namespace xbarsim::sim {

class Apu : public sc_core::sc_module, public ApuIf {
 public:
  Apu(sc_core::sc_module_name name, const ArchSpec& arch, EnergyLedger& ledger);
  std::int64_t compute(int layer, std::int64_t start) override;
  const Stats& stats() const { return stats_; }
  double computes() const { return computes_.value; }
  double busyCycles() const { return busy_.value; }

 private:
  std::array<std::int64_t, 4> stage_cycles_;  // read, sample-and-hold, ADC pool, shift-add
  std::int64_t reads_;
  std::int64_t input_cycles_, output_cycles_;
  bool pipelined_;
  std::array<std::int64_t, 4> leave_{};  // when the last read left each stage
  EnergyLedger& ledger_;
  std::array<int, 5> components_;      // dac, crossbar, sample_hold, adc, shift_add
  std::array<double, 5> joules_read_;  // their energy per read of the whole APU
  double columns_ = 0;                 // columns of all its crossbars: conversions per read
  Stats stats_;
  Counter& computes_;
  Counter& reads_done_;
  Counter& conversions_;
  Counter& adc_wait_;
  Counter& busy_;
};

}  // namespace xbarsim::sim
