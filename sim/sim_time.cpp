#include "sim/sim_time.h"

#include <cmath>
#include <limits>
#include <string>

#include "io/error.h"

namespace xbarsim::sim {

std::int64_t checkedCycle(double cycle, const char* what) {
  if (!(std::isfinite(cycle) && cycle <= kMaxCycle))
    throw SimError(std::string(what) + " would end after cycle 2^53 (at cycle " +
                   std::to_string(cycle) +
                   "): a bandwidth or clock of the arch is too small for this network");
  return static_cast<std::int64_t>(cycle);
}

sc_core::sc_time cyclesToTime(std::int64_t cycles, std::int64_t period_ps) {
  const sc_dt::uint64 now = sc_core::sc_time_stamp().value();
  std::uint64_t ps = 0;
  if (cycles > 0 && (__builtin_mul_overflow(static_cast<std::uint64_t>(cycles),
                                            static_cast<std::uint64_t>(period_ps), &ps) ||
                     ps > std::numeric_limits<std::uint64_t>::max() - now))
    throw SimError("the simulation would pass the kernel's time range of 2^64 ps (" +
                   std::to_string(cycles) + " cycles of " + std::to_string(period_ps) +
                   " ps from now): a bandwidth or clock of the arch is too small for this network");
  return sc_core::sc_time::from_value(ps);
}

}  // namespace xbarsim::sim
