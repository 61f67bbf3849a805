// The event trace of a run as Chrome/Perfetto trace-event JSON (ui.perfetto.dev,
// chrome://tracing): a track per layer with its span, its traced actions (compute, fetch, send,
// program, load, store) and its stalls (input_wait, output_full, backpressure) as slices, a
// track per traced block for actions of no layer, and counters per built tile (utilisation,
// input-buffer occupancy) and per interconnect link (utilisation) with the interconnect's
// bytes. Programming and inference share one time axis in
// microseconds: in a pipelined run the inference starts when programming ends.
#pragma once

#include <string>

#include "validation/run_file.h"

namespace xbarsim::validation {

// Writes through a temporary file renamed into place. Needs the run's trace (SimOptions::trace).
void writePerfettoTrace(const std::string& path, const RunRecord& run);

}  // namespace xbarsim::validation
