// A buffer (a tile's input or output buffer, a PE's buffer): the bytes written to and read from
// it, for energy. Its port bandwidth caps the bus that drains or fills it (see Tile); its
// capacity is not checked (a pipelined layer holds a few rows of its input at a time).
#pragma once

#include <systemc>

#include <cstdint>

namespace xbarsim::sim {

class Buffer : public sc_core::sc_module {
 public:
  explicit Buffer(sc_core::sc_module_name name) : sc_core::sc_module(name) {}
  void write(std::int64_t bytes) { accessed_ += bytes; }
  void read(std::int64_t bytes) { accessed_ += bytes; }
  std::int64_t accessedBytes() const { return accessed_; }

 private:
  std::int64_t accessed_ = 0;
};

}  // namespace xbarsim::sim
