#include "weights/ou_blocks.h"

namespace xbarsim {

OuGrid ouGrid(const ArchSpec& arch) {
  const ApuSpec& a = arch.chip.tile.pe.apu;
  return {(a.crossbar.rows + a.ou.rows - 1) / a.ou.rows,
          (a.crossbar.cols + a.ou.cols - 1) / a.ou.cols};
}

std::vector<std::vector<std::uint8_t>> activeOus(const WeightSource& weights, const Network& net,
                                                 const ArchSpec& arch, const PlanLayer& layer) {
  const LayerShape s = weights.shape(net, arch, layer);
  const OuGrid grid = ouGrid(arch);
  const OuSpec& ou = arch.chip.tile.pe.apu.ou;
  const auto zero = static_cast<std::uint32_t>(weights.quantisation(net, arch, layer).zero_point);
  std::vector<std::vector<std::uint8_t>> out;
  for (std::int64_t br = 0; br < s.block_rows; ++br)
    for (std::int64_t bc = 0; bc < s.block_cols; ++bc) {
      const std::vector<std::uint32_t> codes = weights.block(net, arch, layer, br, bc);
      std::vector<std::uint8_t> active(static_cast<std::size_t>(grid.size()), 0);
      for (std::int64_t r = 0; r < s.xbar_rows; ++r)
        for (std::int64_t c = 0; c < s.xbar_cols; ++c) {
          const std::uint32_t q = codes[static_cast<std::size_t>(r * s.xbar_cols + c)];
          if (nonzeroWeight(q, zero))
            active[static_cast<std::size_t>(r / ou.rows * grid.cols + c / ou.cols)] = 1;
        }
      out.push_back(std::move(active));
    }
  return out;
}

OuLoad activeOuLoad(const ArchSpec& arch,
                    const std::vector<const std::vector<std::uint8_t>*>& blocks) {
  const ApuSpec& apu = arch.chip.tile.pe.apu;
  const OuGrid grid = ouGrid(arch);
  OuLoad load;
  for (std::int64_t i = 0; i < grid.rows; ++i)
    for (std::int64_t j = 0; j < grid.cols; ++j) {
      bool any = false;
      for (const auto* b : blocks) any = any || (*b)[static_cast<std::size_t>(i * grid.cols + j)];
      if (!any) continue;
      const OuLoad one = apu.ouLoad(i, j);
      load.activations += 1;
      load.rows += one.rows;
      load.cols += one.cols;
      load.cells += one.cells;
    }
  return load;
}

}  // namespace xbarsim
