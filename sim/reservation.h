// A resource that serves one request at a time: a bus, a memory channel, a buffer port, a
// network link, a vector unit. A request ready at `ready` that needs `duration` takes the
// earliest idle slot long enough for it at or after `ready`; the wait is counted. Times are in
// cycles but kept fractional, so that requests smaller than a cycle's worth of bandwidth pack
// into the same cycle instead of each taking a whole one.
//
// Requests are served in the order they are ready, not the order they were booked: SystemC
// runs processes in time order, but a block may book a transfer that is ready later (a
// cut-through transfer's next link, data coming back from the global buffer), and a request
// ready earlier must not wait behind it while the resource is idle. A booked slot is never
// moved.
//
// Memory stays bounded: past kMaxSlots disjoint slots, the oldest half are merged into one busy
// slot. Requests are never ready that far in the past (every caller's `ready` is at least the
// current cycle, and slots that old have long ended), so no request sees the difference.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace xbarsim::sim {

class Reservation {
 public:
  static constexpr std::size_t kMaxSlots = 4096;

  // Returns the (fractional) cycle the request starts.
  double reserve(double ready, double duration) {
    const double start = fit(ready, duration);
    wait_ += start - ready;
    busy_ += duration;
    ++requests_;
    return start;
  }
  std::int64_t busyCycles() const { return static_cast<std::int64_t>(busy_ + 0.5); }
  std::int64_t waitCycles() const { return static_cast<std::int64_t>(wait_ + 0.5); }
  std::int64_t requests() const { return requests_; }
  std::size_t slots() const { return slots_.size(); }

 private:
  // Earliest start >= ready with `duration` idle after it; books it, merging touching slots.
  // Slots are kept sorted in a vector: almost every request lands at or near its end.
  double fit(double ready, double duration) {
    const auto after = [](double t, const Slot& s) { return t < s.first; };
    auto i = static_cast<std::size_t>(std::upper_bound(slots_.begin(), slots_.end(), ready, after) -
                                      slots_.begin());
    double t = ready;
    if (i > 0) t = std::max(t, slots_[i - 1].second);
    for (; i < slots_.size() && slots_[i].first < t + duration; ++i)
      t = std::max(t, slots_[i].second);
    const double end = t + duration;
    const bool joins_before = i > 0 && slots_[i - 1].second >= t;
    const bool joins_after = i < slots_.size() && slots_[i].first <= end;
    if (joins_before && joins_after) {
      slots_[i - 1].second = slots_[i].second;
      slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (joins_before) {
      slots_[i - 1].second = end;
    } else if (joins_after) {
      slots_[i].first = t;
    } else {
      slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i), {t, end});
    }
    if (slots_.size() > kMaxSlots) {
      const std::size_t half = kMaxSlots / 2;
      slots_[half - 1].first = slots_.front().first;
      slots_.erase(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(half - 1));
    }
    return t;
  }

  using Slot = std::pair<double, double>;  // start, end
  std::vector<Slot> slots_;                // booked, disjoint, sorted
  double busy_ = 0;
  double wait_ = 0;
  std::int64_t requests_ = 0;
};

}  // namespace xbarsim::sim
