// An APU (analog processing unit): physical crossbars with their DAC arrays, sample-and-hold,
// a pool of ADCs shared by all their columns, and shift-and-add. One input vector of B bits
// through d-bit DACs takes ceil(B/d) crossbar reads. A read activates the crossbars an
// operation unit (OU, ou.rows x ou.cols cells, ApuSpec::ou) at a time, the same OU of every
// crossbar of the APU at once: up to ceil(rows / ou.rows) x ceil(cols / ou.cols) activations,
// fewer when some OUs hold no nonzero weight (weights/ou_blocks.h; the caller says how many).
// Each activation goes through the crossbar read, S&H, the ADC pool (ou.cols x crossbars / ADCs
// conversions) and shift-and-add. Stages form a blocking pipeline: an activation moves on only
// when the next stage is free, so a slow ADC pool holds them back (the wait is counted). With
// pipelined reads successive activations overlap (ISAAC); otherwise one starts only when the
// previous one has left shift-and-add (ARAS). Around them: input_cycles to load the input
// register, output_cycles to write the output register. An OU of the whole crossbar is one
// activation per read.
//
// Layer-sequential execution rewrites the cells at run time: the APU keeps every cell's level
// (all 0 until first written) and rewrite() moves a batch of rows to new levels, reporting the
// largest decrease and increase among their cells (the two write phases, ARAS section II-B)
// and the level steps in all; each step is pulses_per_level_step pulses of
// write_energy_per_pulse. Cells already at their new level take no pulse.
//
// On isaac-like this gives 1 + (1 + 1 + 1 + 1) + 15 x 1 + 1 = 21 cycles, the paper's Table 3.
//
// Energy per activation, on every physical crossbar of the APU: the OU's share of the DACs
// (dac.per_crossbar x ou.rows / rows `dac_conversion`s) and of the array read (`crossbar_read`
// x the OU's cells / the crossbar's); every OU column latched (`sample_hold`), converted
// (`adc_conversion` scaled by 2^(bits - reference_bits), AdcSpec::energyScale) and
// shifted-and-added. With an OU of the whole crossbar that is a full read. With OU sharing, each
// column result a shared OU adds into a further output group costs a `shift_add` more.
#pragma once

#include <systemc>

#include <array>
#include <cstdint>
#include <vector>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/interfaces.h"
#include "sim/stats.h"

namespace xbarsim::sim {

class Apu : public sc_core::sc_module, public ApuIf {
 public:
  Apu(sc_core::sc_module_name name, const ArchSpec& arch, EnergyLedger& ledger);
  std::int64_t compute(int layer, std::int64_t start, const OuLoad& load) override;
  // Every OU of the crossbars active.
  std::int64_t compute(int layer, std::int64_t start) { return compute(layer, start, full_); }
  const Stats& stats() const { return stats_; }
  double computes() const { return computes_.value; }
  double busyCycles() const { return busy_.value; }

  struct RowChange {
    int decrease = 0, increase = 0;  // largest level change down and up among the cells
    std::int64_t level_steps = 0;    // sum of |new - old| over the cells
  };
  // Sets rows [first, last) of every crossbar of the APU to `levels` (crossbar by crossbar,
  // rows x cols each, row-major) and books the write energy against `layer`; adds to
  // kept[x] the cells of crossbar x that already held their new level.
  RowChange rewrite(int layer, std::int64_t first, std::int64_t last, const std::uint8_t* levels,
                    std::int64_t* kept);
  // Counts one rewrite of the APU (for the most writes a cell sees).
  void countRewrite() { rewrites_ += 1; }
  double rewrites() const { return rewrites_.value; }

 private:
  std::array<std::int64_t, 4> stage_cycles_;  // read, sample-and-hold, ADC pool, shift-add
  std::int64_t reads_;
  OuLoad full_;  // every OU of the crossbars
  std::int64_t input_cycles_, output_cycles_;
  bool pipelined_;
  std::array<std::int64_t, 4> leave_{};  // when the last read left each stage
  EnergyLedger& ledger_;
  std::array<int, 5> components_;  // dac, crossbar, sample_hold, adc, shift_add
  // Their energy per row driven, per cell read and per column converted, over all crossbars.
  double dac_per_row_ = 0, read_per_cell_ = 0;
  std::array<double, 3> per_column_{};  // sample_hold, adc, shift_add
  double xbars_per_apu_ = 0;
  double shift_add_j_ = 0;
  std::int64_t xbars_, xbar_rows_, xbar_cols_;
  std::vector<std::uint8_t> cells_;  // levels, crossbar by crossbar; sized on first rewrite()
  int write_component_;
  double joules_per_step_;
  Stats stats_;
  Counter& computes_;
  Counter& reads_done_;
  Counter& activations_;
  Counter& scatter_adds_;
  Counter& conversions_;
  Counter& adc_wait_;
  Counter& busy_;
  Counter& cells_changed_;
  Counter& level_steps_;
  Counter& rewrites_;
};

}  // namespace xbarsim::sim
