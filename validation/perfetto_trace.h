// The event trace of a run as Chrome/Perfetto trace-event JSON (ui.perfetto.dev,
// chrome://tracing), in track groups (processes):
//   layers        a track per layer with its span, its traced actions (compute, fetch, send,
//                 program, load, store) and its stalls (input_wait, output_full, backpressure);
//   blocks        a track per traced block for actions of no layer;
//   tiles         a track per tile and layer computing on it (`chip.tile3 conv2`: layers on one
//                 tile compute at once on different crossbars, and a track's slices may not
//                 overlap) with its compute slices (and an input-stationary round's program
//                 slices), the layer's crossbars on the tile and the positions in args; and
//                 counters per built tile (utilisation, input-buffer occupancy);
//   interconnect  a track per link that carried data (`chip.noc.router3->router4`), a slice
//                 per transfer, named after the sending layer, with its bytes; counters per
//                 link (utilisation) and the interconnect's bytes;
//   global buffer a track per bank (`chip.global_buffer.bank2`) with its read and write
//                 slices, each with the bank's share of the bytes and the layer.
// Programming and inference share one time axis in microseconds (rounded to the picosecond,
// so that slices that follow each other on a track never overlap): in a pipelined run the
// inference starts when programming ends.
#pragma once

#include <string>

#include "validation/run_file.h"

namespace xbarsim::validation {

// Writes through a temporary file renamed into place. Needs the run's trace (SimOptions::trace).
void writePerfettoTrace(const std::string& path, const RunRecord& run);

}  // namespace xbarsim::validation
