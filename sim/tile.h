// A tile: its PEs, an input buffer that receives data from other tiles, an output buffer that
// collects results before they leave, the intra-tile bus that carries input vectors from the
// input buffer to the PEs, and the vector unit for pooling, adds, concats and matmuls.
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/buffer.h"
#include "sim/bus.h"
#include "sim/pe.h"
#include "sim/teardown.h"
#include "sim/vector_unit.h"

namespace xbarsim::sim {

class Tile : public sc_core::sc_module {
 public:
  // `ideal`: data movement and digital units take no time, buffers are unbounded.
  Tile(sc_core::sc_module_name name, const ArchSpec& arch, bool ideal, EnergyLedger& ledger);
  // Blocks in the order they are built, so that they are destroyed in reverse (sim/teardown.h).
  Buffer input_buffer;
  Buffer output_buffer;
  Bus bus;
  VectorUnit vector_unit;
  ReverseOwned<Pe> pes;
};

}  // namespace xbarsim::sim
