// A tile: its PEs, an input buffer that receives data from other tiles, an output buffer that
// collects results, and the intra-tile bus that carries input windows from the input buffer to
// the PEs (at the lesser of the bus and the buffer-port bandwidth).
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/buffer.h"
#include "sim/bus.h"
#include "sim/pe.h"

namespace xbarsim::sim {

class Tile : public sc_core::sc_module {
 public:
  Tile(sc_core::sc_module_name name, const ArchSpec& arch, bool unconstrained);
  std::vector<std::unique_ptr<Pe>> pes;
  Buffer input_buffer;
  Buffer output_buffer;
  Bus bus;
};

}  // namespace xbarsim::sim
