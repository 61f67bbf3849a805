#include "weights/ou_sharing.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace xbarsim {
namespace {

std::int64_t bitsFor(std::int64_t values) {
  return values <= 1 ? 0 : static_cast<std::int64_t>(std::ceil(std::log2(values) - 1e-12));
}

}  // namespace

std::int64_t SharedLayer::logicalBlocks() const {
  return static_cast<std::int64_t>(
      std::count_if(index.begin(), index.end(), [](std::int32_t k) { return k >= 0; }));
}

std::int64_t SharedLayer::indexBits() const {
  if (!indexed) return 0;
  return logicalBlocks() *
         (bitsFor(static_cast<std::int64_t>(physical.size())) + bitsFor(blocks_cols * grid.cols));
}

double SharedLayer::storedBits(int bits_per_cell) const {
  const std::int64_t ous =
      indexed ? static_cast<std::int64_t>(physical.size()) : blocks * grid.size() * slices;
  return static_cast<double>(ous * ou_cells) * bits_per_cell + static_cast<double>(indexBits());
}

double SharedLayer::compression(int bits_per_cell) const {
  const double stored = storedBits(bits_per_cell);
  return stored > 0 ? static_cast<double>(weight_cells) * bits_per_cell / stored : 0;
}

SharingTotals sharingTotals(const std::vector<SharedLayer>& layers, int bits_per_cell) {
  SharingTotals t;
  double weight_bits = 0, stored_bits = 0;
  for (const SharedLayer& s : layers) {
    t.crossbars += s.crossbars;
    t.activations += s.activations;
    t.logical += s.logicalBlocks();
    t.physical += static_cast<std::int64_t>(s.physical.size());
    t.index_bits += s.indexBits();
    weight_bits += static_cast<double>(s.weight_cells * bits_per_cell);
    stored_bits += s.storedBits(bits_per_cell);
  }
  t.compression = stored_bits > 0 ? weight_bits / stored_bits : 0;
  return t;
}

SharedLayer shareOus(const WeightSource& weights, const Network& net, const ArchSpec& arch,
                     const PlanLayer& layer, const OuSharingOptions& options) {
  const LayerShape shape = weights.shape(net, arch, layer);
  const ApuSpec& apu = arch.chip.tile.pe.apu;
  const OuSpec& ou = apu.ou;
  SharedLayer s;
  s.blocks = shape.blocks();
  s.blocks_cols = shape.block_cols;
  s.grid = ouGrid(arch);
  s.slices = shape.slices;
  s.ou_cells = static_cast<std::int64_t>(ou.rows) * ou.cols;
  s.weight_cells = net.layer(layer.vertex).weights * shape.slices;
  s.indexed = options.share || options.prune > 0;
  const auto zero = static_cast<std::uint32_t>(weights.quantisation(net, arch, layer).zero_point);
  const int cell_bits = apu.crossbar.bits_per_cell;
  const std::uint32_t mask = (1U << cell_bits) - 1;
  const std::int64_t ous = s.grid.size();
  // 1. Every block's codes; per OU position whether it holds a weight, a nonzero one, and the
  //    sum of |code - zero point|.
  std::vector<std::vector<std::uint32_t>> codes;
  std::vector<std::uint8_t> holds(static_cast<std::size_t>(s.blocks * ous), 0);
  std::vector<std::uint8_t> nonzero(holds.size(), 0);
  std::vector<double> magnitude(holds.size(), 0.0);
  for (std::int64_t br = 0; br < shape.block_rows; ++br)
    for (std::int64_t bc = 0; bc < shape.block_cols; ++bc) {
      const std::int64_t b = br * shape.block_cols + bc;
      codes.push_back(weights.block(net, arch, layer, br, bc));
      for (std::int64_t r = 0; r < shape.xbar_rows; ++r)
        for (std::int64_t c = 0; c < shape.xbar_cols; ++c) {
          const std::uint32_t q = codes.back()[static_cast<std::size_t>(r * shape.xbar_cols + c)];
          if (q == 0) continue;  // no weight
          const auto k =
              static_cast<std::size_t>(b * ous + r / ou.rows * s.grid.cols + c / ou.cols);
          holds[k] = 1;
          nonzero[k] = nonzero[k] || nonzeroWeight(q, zero);
          magnitude[k] += std::abs(static_cast<double>(q) - static_cast<double>(zero));
        }
    }
  s.positions = std::count(holds.begin(), holds.end(), 1);
  // 2. Pruning: the weakest of the positions with a nonzero weight.
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < nonzero.size(); ++k)
    if (nonzero[k]) order.push_back(k);
  const auto nonzeros = static_cast<std::int64_t>(order.size());
  s.pruned = std::min<std::int64_t>(std::llround(options.prune * static_cast<double>(nonzeros)),
                                    std::max<std::int64_t>(0, nonzeros - 1));
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return magnitude[a] < magnitude[b]; });
  for (std::int64_t p = 0; p < s.pruned; ++p) nonzero[order[static_cast<std::size_t>(p)]] = 0;
  s.active = std::count(nonzero.begin(), nonzero.end(), 1);
  // 3. Clusters: (slice, binned levels) -> physical OU; the members' level sums for the means.
  s.index.assign(static_cast<std::size_t>(s.blocks * ous * s.slices), -1);
  std::map<std::pair<int, std::vector<std::uint8_t>>, std::int32_t> cluster;
  std::vector<std::vector<std::int64_t>> sums;
  std::vector<std::int64_t> members;
  const int bin = options.tolerance + 1;
  std::vector<std::uint8_t> levels(static_cast<std::size_t>(s.ou_cells));
  for (std::int64_t b = 0; b < s.blocks; ++b)
    for (std::int64_t o = 0; o < ous; ++o) {
      if (!nonzero[static_cast<std::size_t>(b * ous + o)]) continue;
      const std::int64_t r0 = o / s.grid.cols * ou.rows, c0 = o % s.grid.cols * ou.cols;
      for (int slice = 0; slice < s.slices; ++slice) {
        for (std::int64_t r = 0; r < ou.rows; ++r)
          for (std::int64_t c = 0; c < ou.cols; ++c) {
            std::uint32_t q = 0;
            if (r0 + r < shape.xbar_rows && c0 + c < shape.xbar_cols)
              q = codes[static_cast<std::size_t>(b)]
                       [static_cast<std::size_t>((r0 + r) * shape.xbar_cols + c0 + c)];
            levels[static_cast<std::size_t>(r * ou.cols + c)] =
                static_cast<std::uint8_t>((q >> (slice * cell_bits)) & mask);
          }
        std::int32_t id = -1;
        if (options.share) {
          std::vector<std::uint8_t> key(levels);
          for (std::uint8_t& v : key) v = static_cast<std::uint8_t>(v / bin);
          const auto [it, fresh] = cluster.emplace(std::make_pair(slice, std::move(key)),
                                                   static_cast<std::int32_t>(members.size()));
          id = it->second;
          if (!fresh) {
            for (std::size_t k = 0; k < levels.size(); ++k)
              sums[static_cast<std::size_t>(id)][k] += levels[k];
            ++members[static_cast<std::size_t>(id)];
          }
        }
        if (id < 0 || id == static_cast<std::int32_t>(members.size())) {
          id = static_cast<std::int32_t>(members.size());
          sums.emplace_back(levels.begin(), levels.end());
          members.push_back(1);
          s.physical_slice.push_back(slice);
        }
        s.index[static_cast<std::size_t>((b * ous + o) * s.slices + slice)] = id;
      }
    }
  for (std::size_t k = 0; k < sums.size(); ++k) {
    std::vector<std::uint8_t> mean(sums[k].size());
    for (std::size_t c = 0; c < mean.size(); ++c)
      mean[c] = static_cast<std::uint8_t>(
          std::llround(static_cast<double>(sums[k][c]) / static_cast<double>(members[k])));
    s.physical.push_back(std::move(mean));
  }
  // 4. Activations per read: per row group, the distinct physical OUs of each slice, the slices
  //    in parallel.
  for (std::int64_t br = 0; br < shape.block_rows; ++br)
    for (std::int64_t i = 0; i < s.grid.rows; ++i) {
      std::int64_t most = 0;
      for (int slice = 0; slice < s.slices; ++slice) {
        std::set<std::int32_t> distinct;
        std::int64_t logical_here = 0;
        for (std::int64_t bc = 0; bc < shape.block_cols; ++bc)
          for (std::int64_t j = 0; j < s.grid.cols; ++j) {
            const std::int64_t b = br * shape.block_cols + bc;
            const std::int32_t id = s.index[static_cast<std::size_t>(
                (b * ous + i * s.grid.cols + j) * s.slices + slice)];
            if (id >= 0) {
              distinct.insert(id);
              ++logical_here;
            }
          }
        most = std::max(most, static_cast<std::int64_t>(distinct.size()));
        s.scatter_adds += (logical_here - static_cast<std::int64_t>(distinct.size())) * ou.cols;
      }
      s.activations += most;
    }
  // Crossbars: the set as it is, or the physical OUs packed.
  if (!s.indexed) {
    s.crossbars = s.blocks;
  } else {
    std::vector<std::int64_t> per_slice(static_cast<std::size_t>(s.slices), 0);
    for (const int slice : s.physical_slice) ++per_slice[static_cast<std::size_t>(slice)];
    const std::int64_t most = *std::max_element(per_slice.begin(), per_slice.end());
    s.crossbars = std::max<std::int64_t>(1, (most + ous - 1) / ous);
  }
  return s;
}

std::vector<std::uint8_t> rebuildLevels(const SharedLayer& shared, const ArchSpec& arch,
                                        std::int64_t block, int slice) {
  const ApuSpec& apu = arch.chip.tile.pe.apu;
  const OuSpec& ou = apu.ou;
  const std::int64_t rows = apu.crossbar.rows, cols = apu.crossbar.cols;
  const std::int64_t ous = shared.grid.size();
  std::vector<std::uint8_t> out(static_cast<std::size_t>(rows * cols), 0);
  for (std::int64_t o = 0; o < ous; ++o) {
    const std::int32_t id =
        shared.index[static_cast<std::size_t>((block * ous + o) * shared.slices + slice)];
    if (id < 0) continue;
    const std::vector<std::uint8_t>& p = shared.physical[static_cast<std::size_t>(id)];
    const std::int64_t r0 = o / shared.grid.cols * ou.rows, c0 = o % shared.grid.cols * ou.cols;
    for (std::int64_t r = 0; r < ou.rows && r0 + r < rows; ++r)
      for (std::int64_t c = 0; c < ou.cols && c0 + c < cols; ++c)
        out[static_cast<std::size_t>((r0 + r) * cols + c0 + c)] =
            p[static_cast<std::size_t>(r * ou.cols + c)];
  }
  return out;
}

}  // namespace xbarsim
