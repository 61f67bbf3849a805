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

void Buffer::claim(int layer, double weight) {
  parts_[layer].weight += weight;
  total_weight_ += weight;
}

double Buffer::capacityOf(int layer) const {
  if (unconstrained_) return std::numeric_limits<double>::infinity();
  const auto it = parts_.find(layer);
  if (it == parts_.end() || total_weight_ <= 0) return 0;
  return spec_.size_bytes * it->second.weight / total_weight_;
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
