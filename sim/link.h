// The timing of one data link (a bus, a memory channel, a buffer port): one transfer at a time
// at a fixed rate, then a fixed latency; a busy link makes later transfers wait (counted).
// Unconstrained, transfers take no time but their bytes are still counted. The blocks that
// move data (Bus, MainMemory, GlobalBuffer) each own one.
#pragma once

#include <cstdint>

#include "sim/histogram.h"
#include "sim/reservation.h"

namespace xbarsim::sim {

class Link {
 public:
  Link(double bytes_per_cycle, std::int64_t latency_cycles, bool unconstrained = false)
      : bytes_per_cycle_(bytes_per_cycle),
        latency_(latency_cycles),
        unconstrained_(unconstrained) {}

  // Moves `bytes` ready at cycle `ready`; returns the cycle they have arrived.
  std::int64_t transfer(std::int64_t bytes, std::int64_t ready);

  void restartTimeline() { res_ = Reservation(); }
  const Reservation& reservation() const { return res_; }
  std::int64_t bytes() const { return bytes_; }
  const TimeHistogram& traffic() const { return traffic_; }

 private:
  double bytes_per_cycle_;
  std::int64_t latency_;
  bool unconstrained_;
  Reservation res_;
  std::int64_t bytes_ = 0;
  TimeHistogram traffic_;
};

}  // namespace xbarsim::sim
