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
      on_since_(arch.chip.global_buffer.banks.size(), -1),
      on_cycles_(arch.chip.global_buffer.banks.size(), 0),
      period_s_(arch.clock_period_s),
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

void GlobalBuffer::power(const std::vector<int>& banks, std::int64_t cycle) {
  if (!switched_) powered_.clear();
  switched_ = true;
  std::vector<bool> on(spec_.banks.size(), false);
  for (const int b : banks) on.at(static_cast<std::size_t>(b)) = true;
  for (std::size_t b = 0; b < on.size(); ++b) {
    if (on[b] && on_since_[b] < 0) on_since_[b] = cycle;
    if (!on[b] && on_since_[b] >= 0) {
      on_cycles_[b] += cycle - on_since_[b];
      on_since_[b] = -1;
    }
  }
  for (const int b : banks)
    if (std::find(powered_.begin(), powered_.end(), b) == powered_.end()) powered_.push_back(b);
  std::sort(powered_.begin(), powered_.end());
}

std::vector<std::int64_t> GlobalBuffer::poweredCycles(std::int64_t end) const {
  std::vector<std::int64_t> out = on_cycles_;
  for (std::size_t b = 0; b < out.size(); ++b)
    if (on_since_[b] >= 0) out[b] += std::max<std::int64_t>(0, end - on_since_[b]);
  return out;
}

void GlobalBuffer::staticEnergy(double seconds, std::int64_t end) {
  if (!switched_) {
    ledger_.add(static_component_, EnergyLedger::kNoLayer, staticPowerW() * seconds);
    return;
  }
  const std::vector<std::int64_t> cycles = poweredCycles(end);
  for (std::size_t b = 0; b < cycles.size(); ++b)
    ledger_.add(static_component_, EnergyLedger::kNoLayer,
                spec_.banks[b].static_power_w * static_cast<double>(cycles[b]) * period_s_);
}

double GlobalBuffer::staticPowerW() const {
  double w = 0;
  for (const int b : powered_) w += spec_.banks[static_cast<std::size_t>(b)].static_power_w;
  return w;
}

}  // namespace xbarsim::sim
