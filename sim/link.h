// The timing of one data link (a bus, a memory channel, a buffer port): one transfer at a time
// at a fixed rate, then a fixed latency; a busy link makes later transfers wait (counted).
// Unconstrained (ideal data movement), transfers take no time but their bytes are still
// counted. The blocks that move data (Bus, Buffer, MainMemory, GlobalBuffer) each own one.
// A link told to (traceAs(), with tracing on) records every transfer it carries as an event of
// its own, its exact occupancy with the bytes and the layer: the interconnect's links do.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "sim/histogram.h"
#include "sim/reservation.h"
#include "sim/tracer.h"

namespace xbarsim::sim {

struct Span {
  std::int64_t start = 0, end = 0;  // first cycle of the transfer, cycle the data has arrived
  double from = 0, to = 0;          // the link's occupancy, in fractional cycles
};

class Link {
 public:
  // Transfers are served in the order they are ready (see Reservation).
  Link(double bytes_per_cycle, std::int64_t latency_cycles, bool unconstrained = false)
      : bytes_per_cycle_(bytes_per_cycle),
        latency_(latency_cycles),
        unconstrained_(unconstrained) {}

  // Moves `bytes` ready at cycle `ready` (for `layer`, a node index, when traced).
  Span reserve(std::int64_t bytes, std::int64_t ready, std::int32_t layer = -1);
  std::int64_t transfer(std::int64_t bytes, std::int64_t ready, std::int32_t layer = -1) {
    return reserve(bytes, ready, layer).end;
  }

  // Occupies the link for `cycles` (fractional) from the earliest free slot at or after
  // `ready`, carrying `bytes`; returns the start. No latency is added.
  double occupy(double ready, double cycles, std::int64_t bytes, std::int32_t layer = -1);

  // From now on every transfer is traced as `component` (only if the tracer is on).
  void traceAs(Tracer& tracer, std::int32_t component) {
    if (!tracer.on()) return;
    tracer_ = &tracer;
    trace_id_ = component;
  }
  double bytesPerCycle() const { return bytes_per_cycle_; }
  bool unconstrained() const { return unconstrained_; }

  void restartTimeline() { res_ = Reservation(); }
  const Reservation& reservation() const { return res_; }
  std::int64_t bytes() const { return bytes_; }
  std::int64_t latency() const { return unconstrained_ ? 0 : latency_; }
  const TimeHistogram& traffic() const { return traffic_; }

 private:
  double bytes_per_cycle_;
  std::int64_t latency_;
  bool unconstrained_;
  Reservation res_;
  std::int64_t bytes_ = 0;
  TimeHistogram traffic_;
  Tracer* tracer_ = nullptr;  // null: not traced
  std::int32_t trace_id_ = -1;
};

// Streams `bytes` through links in series (cut-through: each link starts as soon as the first
// bytes are through the one before it, its start plus its latency, and cannot finish before
// it); returns the cycle the last one has delivered.
std::int64_t streamThrough(std::initializer_list<Link*> links, std::int64_t bytes,
                           std::int64_t ready);

}  // namespace xbarsim::sim
