// A planned layer's weights cut into operation units (README, "Operation units"): every
// crossbar block of the layer (LayerShape order: block row, then block column) into OUs of
// ou.rows x ou.cols cells, numbered row-major over the crossbar's OU grid. The last OU of a
// row or column of the grid may be smaller.
#pragma once

#include <cstdint>
#include <vector>

#include "weights/weight_source.h"

namespace xbarsim {

struct OuGrid {
  std::int64_t rows = 0, cols = 0;  // OUs down and across one crossbar
  std::int64_t size() const { return rows * cols; }
};
OuGrid ouGrid(const ArchSpec& arch);

// Per crossbar block, per OU: 1 when it holds a nonzero weight. A cell holds none when its code
// is 0 (WeightSource::block marks cells without a weight so; symmetric quantisation never
// produces code 0 for a weight, and the synthetic model only with negligible probability) or
// the zero point (a zero weight). An OU without a nonzero weight adds nothing to any output:
// its activations are skipped, and the zero-point correction leaves out its rows.
inline bool nonzeroWeight(std::uint32_t code, std::uint32_t zero_point) {
  return code != 0 && code != zero_point;
}
std::vector<std::vector<std::uint8_t>> activeOus(const WeightSource& weights, const Network& net,
                                                 const ArchSpec& arch, const PlanLayer& layer);

// One read of an APU that holds the given blocks (an activation runs one OU position on all the
// APU's crossbars at once): the OU positions active in any of them.
OuLoad activeOuLoad(const ArchSpec& arch,
                    const std::vector<const std::vector<std::uint8_t>*>& blocks);

}  // namespace xbarsim
