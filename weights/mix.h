// splitmix64's output function (Steele, Lea, Flood, OOPSLA 2014): mixes seeds and indices into
// well-spread 64-bit keys, for the seeded data sources of this folder.
#pragma once

#include <cstdint>

namespace xbarsim {

inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace xbarsim
