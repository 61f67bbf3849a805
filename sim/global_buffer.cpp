#include "sim/global_buffer.h"

#include <algorithm>
#include <cmath>
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
                           bool unconstrained, EnergyLedger& ledger, Tracer& tracer)
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
      bytes_(stats_.declare("bytes", "B", "bytes written and read")) {
  if (!tracer.on()) return;
  tracer_ = &tracer;
  for (std::size_t b = 0; b < spec_.banks.size(); ++b)
    banks_.push_back(tracer.component(std::string(this->name()) + ".bank" + std::to_string(b),
                                      ComponentKind::kBank));
}

std::int64_t GlobalBuffer::read(int layer, std::int64_t bytes, std::int64_t ready, Side side) {
  return access(layer, bytes, ready, side, false);
}

std::int64_t GlobalBuffer::write(int layer, std::int64_t bytes, std::int64_t ready, Side side) {
  return access(layer, bytes, ready, side, true);
}

std::int64_t GlobalBuffer::access(int layer, std::int64_t bytes, std::int64_t ready, Side side,
                                  bool write) {
  bytes_ += static_cast<double>(bytes);
  ledger_.add(component_, layer, static_cast<double>(bytes) * joules_per_byte_);
  const Span port = link_.reserve(bytes, ready);
  if (tracer_ != nullptr && bytes > 0) traceBanks(port, layer, bytes, side, write);
  return port.end;
}

void GlobalBuffer::route(const std::vector<int>& inputs, const std::vector<int>& outputs) {
  inputs_ = inputs;
  outputs_ = outputs;
}

void GlobalBuffer::traceBanks(const Span& port, int layer, std::int64_t bytes, Side side,
                              bool write) {
  std::vector<int> banks =
      side == Side::kInputs ? inputs_ : (side == Side::kOutputs ? outputs_ : std::vector<int>{});
  if (banks.empty()) {
    // Every powered bank: those switched on (layer-sequential), or the run's selection.
    if (switched_) {
      for (std::size_t b = 0; b < on_since_.size(); ++b)
        if (on_since_[b] >= 0) banks.push_back(static_cast<int>(b));
    } else {
      banks = powered_;
    }
  }
  double size = 0;
  for (const int b : banks) size += spec_.banks[static_cast<std::size_t>(b)].size_bytes;
  // Shares in proportion to the banks' sizes, rounded so that they add up to the bytes.
  double before = 0;
  std::int64_t given = 0;
  for (const int b : banks) {
    before += spec_.banks[static_cast<std::size_t>(b)].size_bytes;
    const auto upto = static_cast<std::int64_t>(
        std::llround(static_cast<double>(bytes) * (size > 0 ? before / size : 1.0)));
    const std::int64_t share = std::min(bytes, upto) - given;
    given += share;
    if (share > 0)
      tracer_->record(port.from, port.to, banks_[static_cast<std::size_t>(b)], layer,
                      write ? EventKind::kWrite : EventKind::kRead, share);
  }
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
