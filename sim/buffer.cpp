#include "sim/buffer.h"

#include <algorithm>
#include <limits>

namespace xbarsim::sim {

Buffer::Buffer(sc_core::sc_module_name name, const BufferSpec& spec, double clock_period_s,
               bool unconstrained, EnergyLedger& ledger, double joules_per_byte)
    : sc_core::sc_module(name),
      spec_(spec),
      unconstrained_(unconstrained),
      port_(spec.bandwidth_bps * clock_period_s, 0, unconstrained),
      ledger_(ledger),
      component_(ledger.component("buffers")),
      joules_per_byte_(joules_per_byte),
      stats_(this->name()),
      bytes_(stats_.declare("bytes", "B", "bytes written and read through the port")),
      peak_(stats_.declare("peak_occupancy", "B", "most bytes held at once")),
      sender_stall_(stats_.declare("sender_stall_cycles", "cycles",
                                   "cycles senders waited for room (back-pressure)")) {}

void Buffer::claim(int layer, double weight, double floor) {
  parts_[layer].weight += weight;
  parts_[layer].floor += floor;
  total_weight_ += weight;
  total_floor_ += floor;
  split_ = false;
}

void Buffer::split() {
  split_ = true;
  const double size = spec_.size_bytes;
  if (total_floor_ >= size) {
    for (auto& [layer, p] : parts_)
      p.capacity = total_floor_ > 0 ? size * p.floor / total_floor_ : 0;
    return;
  }
  // Water-filling: fix at their floor the partitions whose share by weight falls below it.
  std::map<int, bool> fixed;
  for (bool changed = true; changed;) {
    changed = false;
    double left = size, weight = 0;
    for (const auto& [layer, p] : parts_)
      if (fixed[layer])
        left -= p.floor;
      else
        weight += p.weight;
    for (auto& [layer, p] : parts_) {
      if (fixed[layer]) {
        p.capacity = p.floor;
        continue;
      }
      p.capacity = weight > 0 ? left * p.weight / weight : 0;
      if (p.capacity < p.floor) changed = fixed[layer] = true;
    }
  }
}

double Buffer::capacityOf(int layer) {
  if (unconstrained_) return std::numeric_limits<double>::infinity();
  const auto it = parts_.find(layer);
  if (it == parts_.end()) return 0;
  if (!split_) split();
  return it->second.capacity;
}

double Buffer::usedBy(int layer) const {
  const auto it = parts_.find(layer);
  return it == parts_.end() ? 0 : it->second.used;
}

void Buffer::occupy(int layer, double bytes, std::int64_t now) {
  if (now > last_change_) {
    occupancy_.add(last_change_, now, used_ * static_cast<double>(now - last_change_));
    last_change_ = now;
  }
  parts_[layer].used += bytes;
  used_ += bytes;
  peak_.value = std::max(peak_.value, used_);
}

void Buffer::account(int layer, std::int64_t bytes) {
  bytes_ += static_cast<double>(bytes);
  ledger_.add(component_, layer, static_cast<double>(bytes) * joules_per_byte_);
}

std::int64_t Buffer::transfer(int layer, std::int64_t bytes, std::int64_t ready) {
  account(layer, bytes);
  return port_.transfer(bytes, ready);
}

}  // namespace xbarsim::sim
