// Where the weights programmed into the crossbars come from, and the cell levels they give.
//
// A weight is a `weight_bits` code q in [0, 2^weight_bits - 1], sliced into cells of
// `bits_per_cell` bits, least significant slice first (slice s sits in physical crossbar s of
// the logical one). Quantisation is uniform per layer: w = scale (q - zero_point). The codes
// come from either
//   - an HDF5 file with one dataset per layer (named after the layer, any shape with
//     Co x Kc^2 Ci elements for a conv, Co x Ci for an fc, C x Kc^2 for a depthwise conv, in
//     that row-major order: PyTorch's [Co, Ci, Kh, Kw] flattened; tools/export_weights.py
//     writes one from a state dict): symmetric, scale = max|w| / Q, Q = 2^(weight_bits-1) - 1,
//     zero point 2^(weight_bits-1), q = round(w / scale) + zero point; or
//   - a seeded synthetic model, defined directly on the codes, bell-shaped with a mean and a
//     spread of its own per layer, as trained layers' differ (ARAS Figure 11): with b =
//     weight_bits, mean = 2^b (1/2 + 0.16 (u - 1/2)) and sigma = 2^b (0.035 + 0.055 v), u and v
//     uniform in (0, 1] drawn from the seed and the layer's name (8-bit: means 108-148, sigmas
//     9-23 codes); q = round(mean + sigma Z) clipped to the codes, Z standard normal; scale
//     1 / Q and zero point 2^(b-1) (the codes stand for weights in [-1, 1]).
//     Every crossbar block (block_row, block_col) of a layer (see LayerRows) draws its codes
//     from its own stream, keyed by the seed, the layer's name and the block's indices (so it
//     depends neither on which other layers are planned nor on which other blocks are drawn,
//     and any one block can be produced alone). A block draws only the cells that hold a
//     weight, in a fixed order: a dense layer's crossbar row by crossbar row, column by column;
//     a depthwise layer's channel by channel (those whose lanes reach the block, lane order),
//     each channel's k (0 .. Kc^2 - 1) in order, only the rows of the block.
// Partial weight reuse (ARAS section V-C): the Plan may shift every code of a layer by
// PlanLayer::weight_shift, clipped to the codes; the zero point moves with it, so that
// de-quantised dot products are unchanged except where a weight was clipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "workloads/network.h"

namespace xbarsim {

// One physical crossbar row: the highest level among its cells and the sum of their levels.
// Programming from fresh cells (level 0) needs nothing else (see write_driver.h).
struct RowLevels {
  std::uint8_t max = 0;
  std::uint32_t sum = 0;
};

// The rows of one layer's crossbar set, before duplication. The layer's weight matrix (rows =
// crossbar inputs, cols = outputs) is cut into block_rows x block_cols crossbars of
// xbar_rows x xbar_cols cells, zero-padded (padding cells stay at level 0), each held in
// `slices` physical crossbars. A depthwise layer's channels are packed block-diagonally
// instead: crossbar block b holds min(xbar_rows / Kc^2, xbar_cols) channels (at least one),
// channel lane l in rows l*Kc^2.. and column l; a channel taller than a crossbar spans
// ceil(Kc^2 / xbar_rows) of them.
struct LayerRows {
  std::int64_t block_rows = 0, block_cols = 0;
  int slices = 0;
  std::int64_t xbar_rows = 0;
  // Physical crossbars in the order block row, block column, slice; xbar_rows rows each.
  std::vector<RowLevels> rows;

  std::int64_t crossbars() const { return block_rows * block_cols * slices; }
  const RowLevels* crossbar(std::int64_t index) const { return &rows[offset(index, 0)]; }
  RowLevels& at(std::int64_t block_row, std::int64_t block_col, int slice, std::int64_t row) {
    return rows[offset((block_row * block_cols + block_col) * slices + slice, row)];
  }
  const RowLevels& at(std::int64_t block_row, std::int64_t block_col, int slice,
                      std::int64_t row) const {
    return rows[offset((block_row * block_cols + block_col) * slices + slice, row)];
  }

 private:
  std::size_t offset(std::int64_t crossbar, std::int64_t row) const {
    return static_cast<std::size_t>(crossbar * xbar_rows + row);
  }
};

// A layer's crossbar grid (see LayerRows), known without drawing or reading a code.
struct LayerShape {
  std::int64_t block_rows = 0, block_cols = 0;
  int slices = 0;  // physical crossbars per block (cell slices of a code)
  std::int64_t xbar_rows = 0, xbar_cols = 0;

  std::int64_t blocks() const { return block_rows * block_cols; }
};

// A synthetic layer's model: the mean and standard deviation of its codes (before clipping).
struct SyntheticLayer {
  double mean = 0, sigma = 0;
};

// w = scale x (code - zero_point).
struct Quantisation {
  double scale = 1;
  std::int64_t zero_point = 0;
};

// Not thread-safe: the file source keeps the last layer it read in a cache (hence a const
// WeightSource must not be shared between threads).
class WeightSource {
 public:
  // Synthetic weights from `seed`.
  explicit WeightSource(std::uint64_t seed);
  // Weights from an HDF5 file; layers it lacks are an error naming them.
  WeightSource(const std::string& h5_path, std::uint64_t seed);

  // The crossbar grid of planned layer `layer`.
  LayerShape shape(const Network& net, const ArchSpec& arch, const PlanLayer& layer) const;
  // The rows of planned layer `layer`. Computed block by block, row by row as the codes are
  // drawn or read: no per-cell array is kept. They are the levels of block()'s codes: row r of
  // slice s of block (i, j) has the max and the sum of (code >> s * bits_per_cell) & mask over
  // row r of block(i, j).
  LayerRows rows(const Network& net, const ArchSpec& arch, const PlanLayer& layer) const;
  // Codes of crossbar block (block_row, block_col) of `layer`, xbar_rows x
  // xbar_cols row-major (row = crossbar input, col = output); 0 where no weight sits (padding,
  // or off the diagonal of a depthwise block). Random access: a synthetic block draws its own
  // stream only; a file layer is read once, then served from the cache while blocks of the
  // same layer are asked for. Throws std::out_of_range for a block outside shape().
  std::vector<std::uint32_t> block(const Network& net, const ArchSpec& arch, const PlanLayer& layer,
                                   std::int64_t block_row, std::int64_t block_col) const;
  const std::string& description() const { return description_; }
  // The synthetic model of the layer called `layer` with `bits`-bit codes.
  SyntheticLayer synthetic(const std::string& layer, int bits) const;
  // Planned layer `layer`'s quantisation, its weight_shift included in the zero point.
  Quantisation quantisation(const Network& net, const ArchSpec& arch, const PlanLayer& layer) const;

 private:
  // A file layer's weights (as read, in the file's order) and max|w|.
  struct FileLayer {
    bool loaded = false;
    std::string name;
    std::vector<double> w;
    double scale = 0;
  };
  const FileLayer& fileLayer(const std::string& name, std::int64_t count) const;
  std::vector<double> read(const std::string& name, std::int64_t count) const;
  std::uint64_t seed_;
  std::string path_;
  std::string description_;
  mutable FileLayer cache_;  // the last file layer read
};

}  // namespace xbarsim
