// A buffer (a tile's input or output buffer, a PE's buffer): capacity and the bytes written and
// read through it, for energy, plus the high-water mark of what it holds. Its port bandwidth
// caps the bus that drains or fills it (see Tile).
#pragma once

#include <systemc>

#include <algorithm>
#include <cstdint>

#include "arch/arch_spec.h"

namespace xbarsim::sim {

class Buffer : public sc_core::sc_module {
 public:
  Buffer(sc_core::sc_module_name name, const BufferSpec& spec)
      : sc_core::sc_module(name), spec_(spec) {}
  void write(std::int64_t bytes) {
    written_ += bytes;
    held_ += bytes;
    high_water_ = std::max(high_water_, held_);
  }
  void read(std::int64_t bytes, bool release) {
    read_ += bytes;
    if (release) held_ = std::max<std::int64_t>(0, held_ - bytes);
  }
  std::int64_t accessedBytes() const { return written_ + read_; }
  std::int64_t highWater() const { return high_water_; }
  const BufferSpec& spec() const { return spec_; }

 private:
  const BufferSpec& spec_;
  std::int64_t written_ = 0, read_ = 0, held_ = 0, high_water_ = 0;
};

}  // namespace xbarsim::sim
