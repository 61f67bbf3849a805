// Layer-sequential execution (ARAS): the scheduler's decisions, which the simulator executes.
//
// The chip's APU rows are the unit of binding: the APUs of a row share their broadcast input
// vectors, so a row holds weights of one layer (ARAS section IV). Rows are numbered PE by PE,
// row = (tile x pes + pe) x apu_rows + r. A weight layer's matrix is cut into a grid of
// logical crossbars (block_rows x block_cols, crossbarGrid()); one copy of the layer takes
// `units` rows, unit u holding block row u % block_rows and a group of logicalPerApuRow()
// block columns starting at (u / block_rows) x logicalPerApuRow(): units run column group by
// column group, so a contiguous range of units covers whole output columns where it can.
//
// The instruction list: write ops put a part of a layer (a unit range, in `copies` copies)
// into APU rows; compute ops run that part over all the layer's output positions, each copy
// taking its share of the positions. `after` lists the ops that must finish first: a write
// waits for the computes that last used its rows, a compute for its write and for the previous
// compute (one layer computes at a time). The list covers `inferences` inferences in a row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/network.h"

namespace xbarsim {

struct CrossbarGrid {
  std::int64_t block_rows = 0, block_cols = 0;
};
// The logical crossbars holding one copy of a weight layer's matrix (rows = inputs, cols =
// outputs), zero-padded; a depthwise layer's channels are packed block-diagonally: a block
// holds min(rows / Kc^2, cols) channels (at least one), a taller channel spans
// ceil(Kc^2 / rows) blocks.
CrossbarGrid crossbarGrid(const ArchSpec& arch, const Layer& layer);

// Rows one copy of `layer` takes, and what unit u of it holds.
std::int64_t unitsPerCopy(const ArchSpec& arch, const Layer& layer);
struct UnitSpan {
  std::int64_t block_row = 0, first_block_col = 0, block_cols = 0;
};
UnitSpan unitSpan(const ArchSpec& arch, const Layer& layer, std::int64_t unit);

struct SeqOp {
  enum class Kind { kWrite, kCompute };
  Kind kind = Kind::kWrite;
  int inference = 0;
  int layer = 0;  // index into Plan::layers
  int part = 0;   // a layer's parts are computed in order
  std::int64_t first_unit = 0, units = 0;
  std::int64_t copies = 1;
  std::vector<std::int32_t> rows;   // copies x units APU rows, copy by copy, unit by unit
  std::vector<std::int32_t> after;  // indices of the ops that must finish first
};
const char* seqOpKindName(SeqOp::Kind k);

// The global-buffer banks a layer's activations use while it computes (ARAS section V-A):
// inputs (and tensors held for later layers) and outputs in disjoint banks; the rest are
// power-gated. `parts` > 1: the activations do not fit and are processed in that many parts.
struct LayerBanks {
  std::string layer;  // any layer of the network (crossbar and vector layers alike)
  std::vector<int> input_banks, output_banks;
  int parts = 1;
  double input_bytes = 0, output_bytes = 0;
};

// Partial weight reuse (ARAS section V-C, alloc/weight_reuse.h): the common centre the layers'
// codes were moved to (0: off), and per Plan layer the fraction of its weights clipped and the
// predicted skipping ratio per cell position (eq. 3) against the layer before it.
struct WeightReuse {
  std::int64_t center = 0;
  std::vector<std::int64_t> shift;
  std::vector<double> clipping;
  std::vector<std::vector<double>> skip;
  double score = 0;             // mean skipping ratio of the two most significant cells
  double clipped_fraction = 0;  // of every layer's weights, those clipped
};

struct Schedule {
  std::string scheduler;
  std::int64_t inferences = 1;
  std::vector<SeqOp> ops;
  std::vector<LayerBanks> banks;  // one per layer of the network, in topological order
  WeightReuse reuse;
};

}  // namespace xbarsim
