#include "sim/apu.h"

#include <algorithm>

namespace xbarsim::sim {

Apu::Apu(sc_core::sc_module_name name, const ArchSpec& arch, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      ledger_(ledger),
      stats_(this->name()),
      computes_(stats_.declare("computes", "1", "input vectors computed")),
      reads_done_(stats_.declare("reads", "1", "bit-serial reads (all crossbars at once)")),
      conversions_(stats_.declare("adc_conversions", "1", "ADC conversions")),
      adc_wait_(stats_.declare("adc_wait_cycles", "cycles", "reads held in S&H for the ADC pool")),
      busy_(stats_.declare("busy_cycles", "cycles", "cycles from input load to output write")) {
  const ApuSpec& a = arch.chip.tile.pe.apu;
  stage_cycles_ = {arch.cyclesFor(a.crossbar.read_latency_s), a.sample_hold_cycles,
                   arch.adcCyclesPerRead(), a.shift_add_cycles};
  reads_ = a.readsPerInput(arch.data.input_bits);
  input_cycles_ = a.input_cycles;
  output_cycles_ = a.output_cycles;
  pipelined_ = a.pipelined_reads;
  const EnergySpec& e = arch.energy;
  const double crossbars = a.crossbars;
  const double columns = crossbars * a.crossbar.cols;
  columns_ = columns;
  components_ = {ledger.component("dac"), ledger.component("crossbar"),
                 ledger.component("sample_hold"), ledger.component("adc"),
                 ledger.component("shift_add")};
  joules_read_ = {crossbars * a.dac.per_crossbar * e.dac_conversion_j,
                  crossbars * e.crossbar_read_j, columns * e.sample_hold_j,
                  columns * e.adc_conversion_j * a.adc.energyScale(), columns * e.shift_add_j};
}

std::int64_t Apu::compute(int layer, std::int64_t start) {
  // A new input vector cannot enter before the previous one has left the pipeline.
  const std::int64_t loaded = std::max(start, leave_[3]) + input_cycles_;
  std::int64_t last = loaded;
  for (std::int64_t k = 0; k < reads_; ++k) {
    // Enter the crossbar when the input is loaded, the previous read has left it, and (without
    // pipelining) the previous read has left the whole pipeline.
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
  conversions_ += columns_ * static_cast<double>(reads_);
  computes_ += 1;
  for (std::size_t c = 0; c < components_.size(); ++c)
    ledger_.add(components_[c], layer, joules_read_[c] * static_cast<double>(reads_));
  return finish;
}

}  // namespace xbarsim::sim
