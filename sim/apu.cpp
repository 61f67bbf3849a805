#include "sim/apu.h"

#include <algorithm>

namespace xbarsim::sim {

Apu::Apu(sc_core::sc_module_name name, const ArchSpec& arch, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      ledger_(ledger),
      stats_(this->name()),
      computes_(stats_.declare("computes", "1", "input vectors computed")),
      reads_done_(stats_.declare("reads", "1", "bit-serial reads (all crossbars at once)")),
      activations_(stats_.declare("ou_activations", "1",
                                  "OU activations (one OU of all crossbars at once)")),
      scatter_adds_(stats_.declare("scatter_adds", "1",
                                   "OU sharing: column results added into further output groups")),
      conversions_(stats_.declare("adc_conversions", "1", "ADC conversions")),
      adc_wait_(stats_.declare("adc_wait_cycles", "cycles", "reads held in S&H for the ADC pool")),
      busy_(stats_.declare("busy_cycles", "cycles", "cycles from input load to output write")),
      cells_changed_(stats_.declare("cells_rewritten", "1", "cells moved to a new level")),
      level_steps_(
          stats_.declare("level_steps", "1", "cell level steps written (x pulses per step)")),
      rewrites_(stats_.declare("rewrites", "1", "times its crossbars were rewritten")) {
  const ApuSpec& a = arch.chip.tile.pe.apu;
  stage_cycles_ = {arch.cyclesFor(a.crossbar.read_latency_s), a.sample_hold_cycles,
                   arch.adcCyclesPerActivation(), a.shift_add_cycles};
  reads_ = a.readsPerInput(arch.data.input_bits);
  full_ = a.fullOuLoad();
  input_cycles_ = a.input_cycles;
  output_cycles_ = a.output_cycles;
  pipelined_ = a.pipelined_reads;
  xbars_ = a.crossbars;
  xbar_rows_ = a.crossbar.rows;
  xbar_cols_ = a.crossbar.cols;
  write_component_ = ledger.component("reram_write");
  joules_per_step_ = arch.reram.pulses_per_level_step * arch.reram.write_energy_per_pulse_j;
  const EnergySpec& e = arch.energy;
  const double crossbars = a.crossbars;
  components_ = {ledger.component("dac"), ledger.component("crossbar"),
                 ledger.component("sample_hold"), ledger.component("adc"),
                 ledger.component("shift_add")};
  dac_per_row_ = crossbars * a.dac.per_crossbar / a.crossbar.rows * e.dac_conversion_j;
  read_per_cell_ =
      crossbars * e.crossbar_read_j / (static_cast<double>(a.crossbar.rows) * a.crossbar.cols);
  per_column_ = {crossbars * e.sample_hold_j, crossbars * e.adc_conversion_j * a.adc.energyScale(),
                 crossbars * e.shift_add_j};
  xbars_per_apu_ = crossbars;
  shift_add_j_ = e.shift_add_j;
}

std::int64_t Apu::compute(int layer, std::int64_t start, const OuLoad& load) {
  // A new input vector cannot enter before the previous one has left the pipeline.
  const std::int64_t loaded = std::max(start, leave_[3]) + input_cycles_;
  std::int64_t last = loaded;
  const std::int64_t n = reads_ * load.activations;
  for (std::int64_t k = 0; k < n; ++k) {
    // Enter the crossbar when the input is loaded, the previous activation has left it, and
    // (without pipelining) the previous one has left the whole pipeline.
    std::int64_t enter = std::max(loaded, pipelined_ ? leave_[0] : leave_[3]);
    for (std::size_t s = 0; s < 4; ++s) {
      const std::int64_t done = enter + stage_cycles_[s];
      // Leave when the next stage has taken the previous read.
      const std::int64_t leave = s + 1 < 4 ? std::max(done, leave_[s + 1]) : done;
      if (s == 1) adc_wait_ += static_cast<double>(leave - done);  // S&H holding for the ADCs
      leave_[s] = leave;
      enter = leave;
    }
    last = leave_[3];
  }
  const std::int64_t finish = last + output_cycles_;
  busy_ += static_cast<double>(finish - start);
  reads_done_ += static_cast<double>(reads_);
  activations_ += static_cast<double>(n);
  const auto reads = static_cast<double>(reads_);
  const double columns = reads * static_cast<double>(load.cols);
  conversions_ += columns * xbars_per_apu_;
  computes_ += 1;
  ledger_.add(components_[0], layer, dac_per_row_ * reads * static_cast<double>(load.rows));
  ledger_.add(components_[1], layer, read_per_cell_ * reads * static_cast<double>(load.cells));
  for (std::size_t c = 0; c < per_column_.size(); ++c)
    ledger_.add(components_[2 + c], layer, per_column_[c] * columns);
  // Scatter adds (OU sharing) on the shift-and-add adders, one per column result.
  ledger_.add(components_[4], layer, shift_add_j_ * reads * static_cast<double>(load.scatter_adds));
  scatter_adds_ += reads * static_cast<double>(load.scatter_adds);
  return finish;
}

}  // namespace xbarsim::sim

namespace xbarsim::sim {

Apu::RowChange Apu::rewrite(int layer, std::int64_t first, std::int64_t last,
                            const std::uint8_t* levels, std::int64_t* kept) {
  const std::int64_t per_xbar = xbar_rows_ * xbar_cols_;
  if (cells_.empty()) cells_.assign(static_cast<std::size_t>(xbars_ * per_xbar), 0);
  RowChange c;
  std::int64_t changed = 0;
  for (std::int64_t x = 0; x < xbars_; ++x) {
    const std::int64_t begin = x * per_xbar + first * xbar_cols_;
    const std::int64_t end = x * per_xbar + last * xbar_cols_;
    std::uint8_t* cell = cells_.data() + begin;
    const std::uint8_t* target = levels + begin;
    int down = 0, up = 0;
    std::int64_t steps = 0, moved = 0;
    for (std::int64_t i = 0; i < end - begin; ++i) {
      const int d = static_cast<int>(target[i]) - static_cast<int>(cell[i]);
      down = std::max(down, -d);
      up = std::max(up, d);
      steps += d < 0 ? -d : d;
      moved += d != 0;
      cell[i] = target[i];
    }
    c.decrease = std::max(c.decrease, down);
    c.increase = std::max(c.increase, up);
    c.level_steps += steps;
    changed += moved;
    kept[x] += (end - begin) - moved;
  }
  cells_changed_ += static_cast<double>(changed);
  level_steps_ += static_cast<double>(c.level_steps);
  ledger_.add(write_component_, layer, static_cast<double>(c.level_steps) * joules_per_step_);
  return c;
}

}  // namespace xbarsim::sim
