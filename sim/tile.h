// A tile: its PEs, an input buffer that receives data from other tiles, an output buffer that
// collects results before they leave, the intra-tile bus that carries input vectors from the
// input buffer to the PEs, and the vector unit for pooling, adds, concats and matmuls. With
// tracing on, the tile is a traced component (`chip.tileN`) whose events are the crossbar work
// of the layers on it: each group (a round, a layer-sequential part) a layer computes on its
// crossbars here, told by the layer's control (traceWork()).
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/buffer.h"
#include "sim/bus.h"
#include "sim/pe.h"
#include "sim/teardown.h"
#include "sim/tracer.h"
#include "sim/vector_unit.h"

namespace xbarsim::sim {

class Tile : public sc_core::sc_module {
 public:
  // `ideal`: data movement and digital units take no time, buffers are unbounded.
  Tile(sc_core::sc_module_name name, const ArchSpec& arch, bool ideal, EnergyLedger& ledger,
       Tracer& tracer);
  // Records crossbar work of `layer` (a node index) here: `kind` compute or program (an
  // input-stationary round's patches written into the cells), on `crossbars` of the layer's
  // logical crossbars, for `positions` output positions. Only with tracing on.
  void traceWork(EventKind kind, std::int64_t start, std::int64_t end, int layer,
                 std::int64_t crossbars, std::int64_t positions) const {
    if (tracer_ != nullptr && end > start)
      tracer_->record(static_cast<double>(start), static_cast<double>(end), trace_id_, layer, kind,
                      crossbars, positions);
  }
  // Blocks in the order they are built, so that they are destroyed in reverse (sim/teardown.h).
  Buffer input_buffer;
  Buffer output_buffer;
  Bus bus;
  VectorUnit vector_unit;
  ReverseOwned<Pe> pes;

 private:
  Tracer* tracer_ = nullptr;  // null: not traced
  std::int32_t trace_id_ = -1;
};

}  // namespace xbarsim::sim
