// OU-level weight sharing and OU pruning (ReRAM-Sharing, Song et al., ISCAS 2021; only its
// abstract is public; README, "OU sharing"). A planned layer's weights, cut into crossbar blocks
// and those into OUs (weights/ou_blocks.h), are bit-sliced: OU position (block, i, j) holds one
// logical OU block per slice, ou.rows x ou.cols cell levels. Then
//   1. pruning: the given fraction of the layer's OU positions holding a nonzero weight, those
//      of the smallest sum |code - zero point|, are set to zero weights (at least one kept);
//   2. positions without a nonzero weight hold no block (never activated, weights/ou_blocks.h);
//   3. sharing: blocks of the same slice whose every cell level falls in the same bin of
//      `tolerance + 1` levels (0: identical blocks) are one cluster, stored once as a physical OU
//      holding, per cell, the members' mean level rounded (so within `tolerance` of each);
//   4. an index table, one entry per logical block: its physical OU and its output group (the
//      OU column group its outputs are added into), ceil(log2 physical OUs) +
//      ceil(log2 output groups) bits. Adders scatter a physical OU's outputs to every output
//      group that uses it.
// A read of one copy activates, per row group (the OU rows of one block row), the distinct
// physical OUs of that row group's blocks, the APU's slices in parallel: blocks shared within a
// row group save activations (their inputs are the same), across row groups only cells.
#pragma once

#include <cstdint>
#include <vector>

#include "weights/ou_blocks.h"

namespace xbarsim {

struct SharedLayer {
  std::int64_t blocks = 0;        // crossbar blocks of the layer (LayerShape order)
  std::int64_t blocks_cols = 0;   // of them across (block columns)
  OuGrid grid;                    // OUs per crossbar
  int slices = 0;                 // cell slices of a weight
  std::int64_t ou_cells = 0;      // cells of a full OU (ou.rows x ou.cols)
  std::int64_t positions = 0;     // OU positions holding a weight (before pruning)
  std::int64_t pruned = 0;        // of them pruned
  std::int64_t active = 0;        // OU positions left with a nonzero weight
  std::int64_t weight_cells = 0;  // cells the layer's weights take unshared: K x Co x slices
  // Distinct OU contents: per physical OU, its slice and ou.rows x ou.cols levels (cells outside
  // the crossbar's edge 0).
  std::vector<int> physical_slice;
  std::vector<std::vector<std::uint8_t>> physical;
  // Per logical block ((block x grid.size() + OU) x slices + slice): its physical OU, or -1.
  std::vector<std::int32_t> index;
  std::int64_t activations = 0;  // per read of one copy (see above)
  // Per read of one copy: column results added into a further output group, because a row
  // group's physical OU serves more than one of its logical blocks (ou.cols each, per slice).
  std::int64_t scatter_adds = 0;
  // Logical crossbars of one copy: without sharing or pruning the layer's set as it is (no
  // index table); else the physical OUs packed, ceil(most physical OUs of a slice / OUs per
  // crossbar), any OU of a crossbar driven by any row group's inputs through the index table.
  std::int64_t crossbars = 0;
  bool indexed = false;  // sharing or pruning on: the layer needs its index table

  std::int64_t logicalBlocks() const;
  std::int64_t indexBits() const;
  // Bits stored: with the index table, physical OUs x ou_cells x bits_per_cell + index bits;
  // without, every OU of the set.
  double storedBits(int bits_per_cell) const;
  // (weight_cells x bits_per_cell) / storedBits.
  double compression(int bits_per_cell) const;
};

// A network's shared layers in sum.
struct SharingTotals {
  std::int64_t crossbars = 0, activations = 0, logical = 0, physical = 0, index_bits = 0;
  double compression = 0;  // all weight bits over all stored bits
};
SharingTotals sharingTotals(const std::vector<SharedLayer>& layers, int bits_per_cell);

SharedLayer shareOus(const WeightSource& weights, const Network& net, const ArchSpec& arch,
                     const PlanLayer& layer, const OuSharingOptions& options);

// Block (block_row, block_col)'s cell levels of slice `slice` as the shared layer stores them
// (xbar_rows x xbar_cols, row-major): each OU from its physical OU, 0 where none.
std::vector<std::uint8_t> rebuildLevels(const SharedLayer& shared, const ArchSpec& arch,
                                        std::int64_t block, int slice);

}  // namespace xbarsim
