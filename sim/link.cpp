#include "sim/link.h"

#include <algorithm>
#include <cmath>

namespace xbarsim::sim {

std::int64_t Link::transfer(std::int64_t bytes, std::int64_t ready) {
  bytes_ += bytes;
  if (unconstrained_ || bytes <= 0) {
    traffic_.add(ready, ready, static_cast<double>(bytes));
    return ready;
  }
  const double duration = static_cast<double>(bytes) / bytes_per_cycle_;
  const double start = res_.reserve(static_cast<double>(ready), duration);
  const double end = start + duration;
  // Arrival at the first whole cycle after the last byte (a tiny tolerance keeps exact
  // multiples from rounding up on float noise).
  const auto arrived = static_cast<std::int64_t>(std::ceil(end - 1e-9));
  traffic_.add(static_cast<std::int64_t>(start),
               std::max(arrived, static_cast<std::int64_t>(start) + 1), static_cast<double>(bytes));
  return arrived + latency_;
}

}  // namespace xbarsim::sim
