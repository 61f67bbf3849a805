#include "sim/link.h"

#include <algorithm>
#include <cmath>

#include "sim/sim_time.h"

namespace xbarsim::sim {

Span Link::reserve(std::int64_t bytes, std::int64_t ready, std::int32_t layer) {
  bytes_ += bytes;
  if (unconstrained_ || bytes <= 0) {
    traffic_.add(ready, ready, static_cast<double>(bytes));
    const auto at = static_cast<double>(ready);
    if (tracer_ != nullptr && bytes > 0)
      tracer_->record(at, at, trace_id_, layer, EventKind::kTransfer, bytes);
    return {ready, ready, at, at};
  }
  const double duration = static_cast<double>(bytes) / bytes_per_cycle_;
  const double start = res_.reserve(static_cast<double>(ready), duration);
  const double end = start + duration;
  // Arrival at the first whole cycle after the last byte (a tiny tolerance keeps exact
  // multiples from rounding up on float noise).
  const std::int64_t arrived = checkedCycle(std::ceil(end - 1e-9), "a transfer");
  const auto first = static_cast<std::int64_t>(start);
  traffic_.add(first, std::max(arrived, first + 1), static_cast<double>(bytes));
  if (tracer_ != nullptr)
    tracer_->record(start, end, trace_id_, layer, EventKind::kTransfer, bytes);
  return {first, arrived + latency_, start, end};
}

double Link::occupy(double ready, double cycles, std::int64_t bytes, std::int32_t layer) {
  bytes_ += bytes;
  if (unconstrained_) {
    const auto at = static_cast<std::int64_t>(ready);
    traffic_.add(at, at, static_cast<double>(bytes));
    if (tracer_ != nullptr && bytes > 0)
      tracer_->record(ready, ready, trace_id_, layer, EventKind::kTransfer, bytes);
    return ready;
  }
  const double start = res_.reserve(ready, cycles);
  const std::int64_t last = checkedCycle(std::ceil(start + cycles - 1e-9), "a transfer");
  const auto first = static_cast<std::int64_t>(start);
  traffic_.add(first, std::max(last, first + 1), static_cast<double>(bytes));
  if (tracer_ != nullptr)
    tracer_->record(start, start + cycles, trace_id_, layer, EventKind::kTransfer, bytes);
  return start;
}

std::int64_t streamThrough(std::initializer_list<Link*> links, std::int64_t bytes,
                           std::int64_t ready) {
  std::int64_t start = ready, end = ready;
  for (Link* l : links) {
    const Span s = l->reserve(bytes, start);
    start = s.start + l->latency();
    end = std::max(end, s.end);
  }
  return end;
}

}  // namespace xbarsim::sim
