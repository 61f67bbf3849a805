// The analytical counts of one crossbar layer under each dataflow (README, "Dataflows"), from
// the formulas alone: what the layer needs (crossbars), does (steps, ADC conversions, cells
// written, bytes moved) and takes on its own with ideal data movement. Independent of the
// simulator, which derives the same quantities event by event; validation compares the two.
//
// For fan-in K, Co outputs, P output positions, crossbars of rows x cols, s physical crossbars
// per logical one, B bit-serial reads a streamed vector, `stage` the computation stage:
//   ws, R copies: set = ceil(K / rows) x ceil(Co / cols); ceil(P / R) groups of one stage;
//   is, R column groups: set = ceil(K / rows); W = min(P, R x cols) positions a round,
//     ceil(P / W) rounds, each a write of its patches and Co steps of one stage. A round's write
//     is bounded by its fullest crossbar's rows, each in two full phases (every level down,
//     then up): rows x 2 x (2^bits_per_cell - 1) x pulses_per_level_step x pulse width.
#pragma once

#include <cstdint>
#include <string>

#include <utility>
#include <vector>

#include "arch/arch_spec.h"
#include "model/problem.h"
#include "workloads/fused_view.h"

namespace xbarsim {

struct DataflowCounts {
  std::int64_t crossbars = 0;        // logical
  std::int64_t rounds = 0;           // ws: groups; is: rounds
  std::int64_t steps = 0;            // computation stages (ws: groups; is: rounds x Co)
  std::int64_t adc_conversions = 0;  // over every physical crossbar of the layer
  std::int64_t cells_written = 0;    // per inference (ws: 0, its weights stay)
  std::int64_t input_bytes = 0;      // fetched from the input buffer (input vectors or patches)
  std::int64_t weight_bytes = 0;     // is: streamed from main memory
  std::int64_t output_bytes = 0;
  std::int64_t write_cycles = 0;  // is: every round's write, worst case
  std::int64_t cycles = 0;        // the layer alone: write_cycles + steps x stage
  // Dynamic energy: every physical crossbar read (DACs, the read, S&H, ADC, shift-add), the
  // input patches' writes (cells written x the expected level steps of the activation law,
  // weights/activation_source.h) and the weights streamed from main memory.
  // Static energy and on-chip data movement are not counted.
  double energy_j = 0;
};

// The expected level steps to rewrite a cell holding one activation code's slice with another
// independent code's, or (`fresh`) a cell at level 0 (averaged over the slices of `bits`-bit
// codes in cells of `cell_bits`). A layer's first round writes fresh cells, the others
// overwrite the round before.
double expectedInputLevelSteps(int bits, int cell_bits, bool fresh);

// `dataflow` "ws" or "is"; `r` copies (ws) or column groups (is). Throws ConfigError for a
// layer without weights, an unknown dataflow, or an input-stationary depthwise conv.
// The layer is a fused view's (its set is the weight-stationary set, eq. 2 with the depthwise
// packing).
DataflowCounts dataflowCounts(const FusedLayer& layer, const ArchSpec& arch,
                              const std::string& dataflow, std::int64_t r);

// One allocated layer's dataflow and R.
struct LayerChoice {
  std::string dataflow = "ws";
  std::int64_t r = 1;
};

struct DataflowTimeline {
  std::int64_t cycles = 0;                                   // the last chunk's end
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;  // per layer: first start, last end
};

// The exact step model (model/exact_steps.h) in cycles, for layers of either dataflow, with
// ideal data movement: a layer computes its output positions in raster order a chunk at a time
// (ws: R positions in one stage; is: a round of W positions, its worst-case write and Co
// stages); a chunk starts when the previous one has ended and every producer chunk holding an
// input it needs (through fused pools and glue, padding always available) has ended; its
// outputs are available at its end. So an input-stationary producer hands its consumers a
// round at a time. Throws ConfigError when `choice` does not match the problem's layers.
DataflowTimeline dataflowTimeline(const Problem& p, const std::vector<LayerChoice>& choice);

// Dynamic energy of every layer plus, over `cycles` cycles, the static power of the tiles the
// layers hold and of the global-buffer banks that hold the network's input and outputs.
double dataflowEnergy(const Problem& p, const std::vector<LayerChoice>& choice,
                      std::int64_t cycles);

}  // namespace xbarsim
