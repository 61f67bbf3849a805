// A resource that serves one request at a time, in the order requests arrive: a bus, a memory
// channel, a buffer port. A request ready at `ready` that needs `duration` starts when the
// resource is free; the wait is counted. Times are in cycles but kept fractional, so that
// requests smaller than a cycle's worth of bandwidth pack into the same cycle instead of each
// taking a whole one. Callers issue requests in nondecreasing time order (SystemC runs
// processes in time order), so first come is first served.
#pragma once

#include <algorithm>
#include <cstdint>

namespace xbarsim::sim {

class Reservation {
 public:
  // Returns the (fractional) cycle the request starts.
  double reserve(double ready, double duration) {
    const double start = std::max(ready, free_);
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
  double free_ = 0;
  double busy_ = 0;
  double wait_ = 0;
  std::int64_t requests_ = 0;
};

}  // namespace xbarsim::sim
