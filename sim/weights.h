// Where the weights programmed into the crossbars come from: an HDF5 file with one dataset per
// layer (named after the layer, any shape with Co x Kc^2 Ci elements for a conv, Co x Ci for an
// fc, C x Kc^2 for a depthwise conv, in that row-major order), or a seeded synthetic
// distribution (Gaussian, one seed per layer). Either way weights are quantised to
// `weight_bits` signed integers, stored offset-binary, and sliced into cells of
// `bits_per_cell` bits, least significant slice first.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/problem.h"

namespace xbarsim::sim {

// The conductance levels of every cell of one layer's crossbar set, before duplication:
// levels[slice][row][col] over the layer's weight matrix (rows = crossbar inputs, cols =
// outputs), zero-padded to whole crossbars. A depthwise layer's channel blocks are stacked
// (crossbar b holds rows b*M.. and its own columns), not stored as a sparse diagonal.
class LayerLevels {
 public:
  LayerLevels(std::int64_t rows, std::int64_t cols, int slices)
      : rows_(rows),
        cols_(cols),
        slices_(slices),
        levels_(static_cast<std::size_t>(rows * cols * slices), 0) {}
  std::int64_t rows() const { return rows_; }
  std::int64_t cols() const { return cols_; }
  int slices() const { return slices_; }
  std::uint8_t& at(int slice, std::int64_t row, std::int64_t col) {
    return levels_[static_cast<std::size_t>((slice * rows_ + row) * cols_ + col)];
  }
  std::uint8_t at(int slice, std::int64_t row, std::int64_t col) const {
    return levels_[static_cast<std::size_t>((slice * rows_ + row) * cols_ + col)];
  }

 private:
  std::int64_t rows_, cols_;
  int slices_;
  std::vector<std::uint8_t> levels_;
};

class WeightSource {
 public:
  // Synthetic weights from `seed`.
  explicit WeightSource(std::uint64_t seed);
  // Weights from an HDF5 file; layers it lacks are an error naming them.
  WeightSource(const std::string& h5_path, std::uint64_t seed);

  // Levels of allocated layer i of `p` (the layer's weight matrix, laid out as the crossbars
  // hold it: depthwise channels block-diagonally).
  LayerLevels levels(const Problem& p, std::size_t i) const;
  const std::string& description() const { return description_; }

 private:
  std::vector<double> weights(const Problem& p, std::size_t i, std::int64_t count) const;
  std::uint64_t seed_;
  std::string path_;
  std::string description_;
};

}  // namespace xbarsim::sim
