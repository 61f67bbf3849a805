#include "sim/write_driver.h"

#include <algorithm>
#include <queue>
#include <tuple>

namespace xbarsim::sim {

std::vector<RowPulses> rowPulses(const LayerLevels* from, const LayerLevels& to, int slice,
                                 std::int64_t block_row, std::int64_t block_col,
                                 std::int64_t xbar_rows, std::int64_t xbar_cols,
                                 std::int64_t pulses_per_level) {
  std::vector<RowPulses> rows(static_cast<std::size_t>(xbar_rows));
  for (std::int64_t r = 0; r < xbar_rows; ++r) {
    RowPulses& rp = rows[static_cast<std::size_t>(r)];
    const std::int64_t row = block_row * xbar_rows + r;
    for (std::int64_t c = 0; c < xbar_cols; ++c) {
      const std::int64_t col = block_col * xbar_cols + c;
      const int old = from ? int{from->at(slice, row, col)} : 0;
      const int delta = int{to.at(slice, row, col)} - old;
      const std::int64_t pulses = std::abs(delta) * pulses_per_level;
      if (delta < 0) rp.decrease = std::max(rp.decrease, pulses);
      if (delta > 0) rp.increase = std::max(rp.increase, pulses);
      rp.total += pulses;
    }
  }
  return rows;
}

WriteDriver::WriteDriver(sc_core::sc_module_name name, const ArchSpec& arch)
    : sc_core::sc_module(name), memory("memory"), arch_(arch) {}

ProgrammingStats WriteDriver::program(const Problem& p, const Plan& plan,
                                      const WeightSource& weights, Tracer& tracer,
                                      std::int32_t trace_id) {
  const CrossbarSpec& xb = arch_.chip.tile.pe.apu.crossbar;
  const ReramDeviceSpec& dev = arch_.reram;
  const std::int64_t batch_rows = std::min<std::int64_t>(dev.rows_in_parallel, xb.rows);
  const std::int64_t batches = (xb.rows + batch_rows - 1) / batch_rows;
  const std::int64_t bytes_per_batch = (batch_rows * xb.cols * xb.bits_per_cell + 7) / 8;
  ProgrammingStats stats;

  // The batch write times of every distinct crossbar (layer, block, slice); copies share them.
  struct Crossbar {
    std::vector<std::int64_t> batch_cycles;  // per batch, 0 when there is nothing to write
  };
  std::vector<Crossbar> distinct;
  std::vector<std::pair<std::size_t, std::int64_t>> physical;  // (distinct index, layer)
  for (std::size_t i = 0; i < p.size(); ++i) {
    const LayerLevels target = weights.levels(p, i);
    const std::int64_t block_rows = target.rows() / xb.rows;
    const std::int64_t block_cols = target.cols() / xb.cols;
    const std::size_t first = distinct.size();
    std::int64_t layer_pulses = 0;
    for (std::int64_t br = 0; br < block_rows; ++br) {
      for (std::int64_t bc = 0; bc < block_cols; ++bc) {
        for (int s = 0; s < target.slices(); ++s) {
          const std::vector<RowPulses> rows =
              rowPulses(nullptr, target, s, br, bc, xb.rows, xb.cols, dev.pulses_per_level_step);
          Crossbar x;
          for (std::int64_t b = 0; b < batches; ++b) {
            std::int64_t dec = 0, inc = 0;
            for (std::int64_t r = b * batch_rows;
                 r < std::min<std::int64_t>((b + 1) * batch_rows, xb.rows); ++r) {
              dec = std::max(dec, rows[static_cast<std::size_t>(r)].decrease);
              inc = std::max(inc, rows[static_cast<std::size_t>(r)].increase);
              layer_pulses += rows[static_cast<std::size_t>(r)].total;
            }
            x.batch_cycles.push_back(
                dec + inc == 0
                    ? 0
                    : arch_.cyclesFor(static_cast<double>(dec) * dev.write_pulse_width_s) +
                          arch_.cyclesFor(static_cast<double>(inc) * dev.write_pulse_width_s));
          }
          distinct.push_back(std::move(x));
        }
      }
    }
    // Every copy (R of them) of every crossbar of the set.
    for (std::int64_t copy = 0; copy < plan.r[i]; ++copy)
      for (std::size_t d = first; d < distinct.size(); ++d)
        physical.emplace_back(d, static_cast<std::int64_t>(i));
    stats.pulses += layer_pulses * plan.r[i];
  }

  // Crossbars program concurrently; main memory serves their row fetches in time order. Each
  // crossbar fetches its next batch while writing the current one (one batch ahead).
  using Item = std::tuple<std::int64_t, std::size_t, std::int64_t>;  // ready, crossbar, batch
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  std::vector<std::int64_t> write_free(physical.size(), 0);
  std::vector<std::int64_t> first_fetch(physical.size(), -1);
  for (std::size_t x = 0; x < physical.size(); ++x) queue.emplace(0, x, 0);
  while (!queue.empty()) {
    const auto [ready, x, batch] = queue.top();
    queue.pop();
    const std::int64_t write =
        distinct[physical[x].first].batch_cycles[static_cast<std::size_t>(batch)];
    std::int64_t next_ready = ready;
    if (write > 0) {
      const std::int64_t fetched = memory->transfer(bytes_per_batch, ready);
      if (first_fetch[x] < 0) first_fetch[x] = ready;
      const std::int64_t start = std::max(fetched, write_free[x]);
      write_free[x] = start + write;
      next_ready = fetched;
      stats.bytes += bytes_per_batch;
      ++stats.rows;
      stats.events += 3;  // fetch, decrease phase, increase phase
    }
    if (batch + 1 < batches) {
      queue.emplace(next_ready, x, batch + 1);
    } else {
      stats.cycles = std::max(stats.cycles, write_free[x]);
      tracer.record(std::max<std::int64_t>(first_fetch[x], 0), write_free[x], trace_id,
                    static_cast<std::int32_t>(physical[x].second), EventKind::kProgram);
    }
  }
  stats.seconds = static_cast<double>(stats.cycles) * arch_.clock_period_s;
  stats.energy_j = static_cast<double>(stats.pulses) * dev.write_energy_per_pulse_j +
                   static_cast<double>(stats.bytes) * arch_.energy.main_memory_byte_j;
  return stats;
}

}  // namespace xbarsim::sim
