#include "sim/apu.h"

#include <algorithm>

namespace xbarsim::sim {

Apu::Apu(sc_core::sc_module_name name, const ArchSpec& arch)
    : sc_core::sc_module(name), port("port") {
  const ApuSpec& a = arch.chip.tile.pe.apu;
  stage_cycles_ = {arch.cyclesFor(a.crossbar.read_latency_s), a.sample_hold_cycles,
                   arch.adcCyclesPerRead(), a.shift_add_cycles};
  reads_ = a.readsPerInput(arch.data.input_bits);
  input_cycles_ = a.input_cycles;
  output_cycles_ = a.output_cycles;
  pipelined_ = a.pipelined_reads;
  port.bind(*this);
}

std::int64_t Apu::compute(std::int64_t start) {
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
      if (s == 1) stats_.adc_wait_cycles += leave - done;  // S&H holding for the ADC pool
      leave_[s] = leave;
      enter = leave;
    }
    last = leave_[3];
  }
  const std::int64_t finish = last + output_cycles_;
  stats_.busy_cycles += finish - start;
  stats_.reads += reads_;
  ++stats_.computes;
  return finish;
}

}  // namespace xbarsim::sim
