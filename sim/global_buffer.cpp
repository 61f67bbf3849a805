#include "sim/global_buffer.h"

#include <algorithm>
#include <numeric>

namespace xbarsim::sim {

std::vector<int> selectBanks(const GlobalBufferSpec& spec, double bytes) {
  const std::size_t n = spec.banks.size();
  if (spec.totalBytes() < bytes)
    throw ConfigError("the global buffer holds " + std::to_string(spec.totalBytes()) +
                      " bytes but the run must store " + std::to_string(bytes));
  std::vector<int> best;
  if (n <= 20) {
    double best_power = -1;
    for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
      double size = 0, power = 0;
      for (std::size_t b = 0; b < n; ++b)
        if (mask & (1u << b)) {
          size += spec.banks[b].size_bytes;
          power += spec.banks[b].static_power_w;
        }
      // Least power; among equals, least capacity, then fewest banks (mask order is stable).
      if (size >= bytes && (best_power < 0 || power < best_power)) {
        best_power = power;
        best.clear();
        for (std::size_t b = 0; b < n; ++b)
          if (mask & (1u << b)) best.push_back(static_cast<int>(b));
      }
    }
    return best;
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return spec.banks[a].static_power_w / spec.banks[a].size_bytes <
           spec.banks[b].static_power_w / spec.banks[b].size_bytes;
  });
  double size = 0;
  for (const int b : order) {
    if (size >= bytes) break;
    best.push_back(b);
    size += spec.banks[b].size_bytes;
  }
  std::sort(best.begin(), best.end());
  return best;
}

GlobalBuffer::GlobalBuffer(sc_core::sc_module_name name, const ArchSpec& arch, double bytes_needed,
                           bool unconstrained, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      spec_(arch.chip.global_buffer),
      powered_(selectBanks(arch.chip.global_buffer, bytes_needed)),
      link_(arch.chip.global_buffer.bandwidth_bps * arch.clock_period_s, 0, unconstrained),
      ledger_(ledger),
      component_(ledger.component("global_buffer")),
      static_component_(ledger.component("global_buffer_static")),
      joules_per_byte_(arch.energy.global_buffer_byte_j),
      stats_(this->name()),
      bytes_(stats_.declare("bytes", "B", "bytes written and read")) {}

std::int64_t GlobalBuffer::transfer(int layer, std::int64_t bytes, std::int64_t ready) {
  bytes_ += static_cast<double>(bytes);
  ledger_.add(component_, layer, static_cast<double>(bytes) * joules_per_byte_);
  return link_.transfer(bytes, ready);
}

void GlobalBuffer::staticEnergy(double seconds) {
  ledger_.add(static_component_, EnergyLedger::kNoLayer, staticPowerW() * seconds);
}

double GlobalBuffer::staticPowerW() const {
  double w = 0;
  for (const int b : powered_) w += spec_.banks[static_cast<std::size_t>(b)].static_power_w;
  return w;
}

}  // namespace xbarsim::sim
