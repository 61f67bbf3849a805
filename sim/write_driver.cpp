#include "sim/write_driver.h"

#include <algorithm>
#include <deque>
#include <numeric>
#include <utility>
#include <vector>

namespace xbarsim::sim {

WriteDriver::WriteDriver(sc_core::sc_module_name name, const ArchSpec& arch)
    : sc_core::sc_module(name), arch_(arch) {}

std::int64_t WriteDriver::rowCycles(int decrease, int increase) const {
  const ReramDeviceSpec& dev = arch_.reram;
  const auto phase = [&](int levels) {
    return arch_.cyclesFor(static_cast<double>(levels) * dev.pulses_per_level_step *
                           dev.write_pulse_width_s);
  };
  return phase(decrease) + phase(increase);
}

ProgrammingStats WriteDriver::program(const Network& net, const Plan& plan,
                                      const WeightSource& weights, Tracer& tracer,
                                      std::int32_t trace_id,
                                      const std::vector<std::int32_t>& node_of_layer) {
  const CrossbarSpec& xb = arch_.chip.tile.pe.apu.crossbar;
  const ReramDeviceSpec& dev = arch_.reram;
  const std::int64_t batch_rows = std::min<std::int64_t>(dev.rows_in_parallel, xb.rows);
  const std::int64_t batches = (xb.rows + batch_rows - 1) / batch_rows;
  const std::int64_t bytes_per_batch = (batch_rows * xb.cols * xb.bits_per_cell + 7) / 8;
  ProgrammingStats stats;

  // From fresh cells a batch's write time follows from its highest level alone.
  std::vector<std::int64_t> level_cycles(256, 0);  // every level a byte holds
  for (std::size_t level = 1; level < level_cycles.size(); ++level)
    level_cycles[level] = arch_.cyclesFor(
        static_cast<double>(static_cast<std::int64_t>(level) * dev.pulses_per_level_step) *
        dev.write_pulse_width_s);

  // The highest level of every batch of every distinct crossbar (layer, block, slice), in
  // batches-long runs; copies share them.
  std::vector<std::uint8_t> batch_level;
  std::vector<std::pair<std::size_t, std::int32_t>> physical;  // (distinct crossbar, layer)
  for (std::size_t i = 0; i < plan.layers.size(); ++i) {
    if (plan.layers[i].dataflow == "is") continue;  // its cells take inputs, during inference
    const LayerRows rows = weights.rows(net, arch_, plan.layers[i]);
    const std::size_t first = batch_level.size() / static_cast<std::size_t>(batches);
    std::int64_t level_sum = 0;
    for (std::int64_t c = 0; c < rows.crossbars(); ++c) {
      const RowLevels* row = rows.crossbar(c);
      for (std::int64_t b = 0; b < batches; ++b) {
        std::uint8_t level = 0;
        for (std::int64_t r = b * batch_rows; r < std::min((b + 1) * batch_rows, rows.xbar_rows);
             ++r) {
          level = std::max(level, row[r].max);
          level_sum += row[r].sum;
        }
        batch_level.push_back(level);
      }
    }
    const std::size_t last = batch_level.size() / static_cast<std::size_t>(batches);
    // Every copy (R of them) of every crossbar of the set.
    for (std::int64_t copy = 0; copy < plan.layers[i].r; ++copy)
      for (std::size_t d = first; d < last; ++d)
        physical.emplace_back(d, static_cast<std::int32_t>(i));
    stats.pulses += level_sum * dev.pulses_per_level_step * plan.layers[i].r;
  }

  // Crossbars program concurrently; main memory serves their batch fetches in time order, at
  // equal times the lower crossbar first. Each crossbar fetches its next batch while writing
  // the current one (one batch ahead). Main memory delivers in request order, so fetches end
  // in nondecreasing time: crossbars waiting for a later cycle queue up in that order, and only
  // those ready at the same cycle need sorting.
  const std::size_t n = physical.size();
  std::vector<std::int64_t> write_free(n, 0), first_fetch(n, -1), next_batch(n, 0);
  std::deque<std::pair<std::int64_t, std::size_t>> later;  // (ready, crossbar)
  std::vector<std::size_t> ready_now(n);
  std::iota(ready_now.begin(), ready_now.end(), std::size_t{0});
  std::int64_t now = 0;
  for (;;) {
    for (const std::size_t x : ready_now) {
      // A batch with nothing to write, or one whose fetch takes no time, is ready at once.
      for (;;) {
        const std::int64_t batch = next_batch[x];
        const std::int64_t write =
            level_cycles[batch_level[physical[x].first * static_cast<std::size_t>(batches) +
                                     static_cast<std::size_t>(batch)]];
        std::int64_t ready = now;
        if (write > 0) {
          ready = memory->link().transfer(bytes_per_batch, now);
          if (first_fetch[x] < 0) first_fetch[x] = now;
          write_free[x] = std::max(ready, write_free[x]) + write;
          stats.bytes += bytes_per_batch;
          ++stats.rows;
          stats.events += 3;  // fetch, decrease phase, increase phase
        }
        if (batch + 1 == batches) {
          stats.cycles = std::max(stats.cycles, write_free[x]);
          tracer.record(std::max<std::int64_t>(first_fetch[x], 0), write_free[x], trace_id,
                        node_of_layer[static_cast<std::size_t>(physical[x].second)],
                        EventKind::kProgram);
          break;
        }
        next_batch[x] = batch + 1;
        if (ready > now) {
          later.emplace_back(ready, x);
          break;
        }
      }
    }
    if (later.empty()) break;
    now = later.front().first;
    ready_now.clear();
    for (; !later.empty() && later.front().first == now; later.pop_front())
      ready_now.push_back(later.front().second);
    std::sort(ready_now.begin(), ready_now.end());
  }
  stats.seconds = static_cast<double>(stats.cycles) * arch_.clock_period_s;
  stats.energy_j = static_cast<double>(stats.pulses) * dev.write_energy_per_pulse_j +
                   static_cast<double>(stats.bytes) * arch_.energy.main_memory_byte_j;
  return stats;
}

}  // namespace xbarsim::sim
