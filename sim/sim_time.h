// Simulated time: whole cycles, turned into the kernel's picosecond time, both checked against
// their range. A run whose durations leave that range (absurd bandwidths or clocks) stops with
// a SimError instead of wrapping around or hanging.
#pragma once

#include <systemc>

#include <cstdint>

namespace xbarsim::sim {

// The last cycle a timeline may reach: 2^53, the largest whole number a double (the links'
// fractional timelines) holds exactly.
constexpr double kMaxCycle = 9007199254740992.0;

// `cycle` as a whole cycle (truncated); throws SimError naming `what` when it is not finite or
// beyond kMaxCycle.
std::int64_t checkedCycle(double cycle, const char* what);

// The kernel time `cycles` from now; throws SimError when now plus that passes the kernel's
// 2^64 ps range.
sc_core::sc_time cyclesToTime(std::int64_t cycles, std::int64_t period_ps);

}  // namespace xbarsim::sim
