// A resource that serves one request at a time: a bus, a memory channel, a buffer port, a
// network link. A request ready at `ready` that needs `duration` starts when the resource is
// free; the wait is counted. Times are in cycles but kept fractional, so that requests smaller
// than a cycle's worth of bandwidth pack into the same cycle instead of each taking a whole
// one. Callers issue requests in nondecreasing time order (SystemC runs processes in time
// order). By default first come is first served: a request starts after every earlier one.
// With backfilling (network links), a request takes the earliest idle slot long enough for it
// at or after `ready`, even one before an earlier request booked further ahead (a packet that
// reaches a link late, having waited upstream, leaves the link idle until then).
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>

namespace xbarsim::sim {

class Reservation {
 public:
  explicit Reservation(bool backfill = false) : backfill_(backfill) {}
  // Returns the (fractional) cycle the request starts.
  double reserve(double ready, double duration) {
    const double start = backfill_ ? fit(ready, duration) : std::max(ready, free_);
    wait_ += start - ready;
    busy_ += duration;
    free_ = start + duration;
    ++requests_;
    return start;
  }
  std::int64_t busyCycles() const { return static_cast<std::int64_t>(busy_ + 0.5); }
  std::int64_t waitCycles() const { return static_cast<std::int64_t>(wait_ + 0.5); }
  std::int64_t requests() const { return requests_; }

 private:
  // Earliest start >= ready with `duration` idle after it; books it, merging touching slots.
  double fit(double ready, double duration) {
    double t = ready;
    auto it = slots_.upper_bound(t);
    if (it != slots_.begin() && std::prev(it)->second > t) t = std::prev(it)->second;
    while (it != slots_.end() && it->first < t + duration) t = std::max(t, (it++)->second);
    double start = t, end = t + duration;
    if (it != slots_.end() && it->first <= end) {
      end = it->second;
      it = slots_.erase(it);
    }
    if (it != slots_.begin()) {
      auto before = std::prev(it);
      if (before->second >= start) {
        start = before->first;
        slots_.erase(before);
      }
    }
    slots_[start] = end;
    free_ = std::max(free_, end);
    return t;
  }

  bool backfill_;
  std::map<double, double> slots_;  // backfilling: booked slots, start -> end, disjoint
  double free_ = 0;
  double busy_ = 0;
  double wait_ = 0;
  std::int64_t requests_ = 0;
};

}  // namespace xbarsim::sim
