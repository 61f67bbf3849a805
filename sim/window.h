// Which of a producer's outputs a consumer needs, in the simulator's own terms. Feature maps move
// as output positions (one position = every channel of one (row, column) pixel) in raster order,
// row by row. For one input port of a layer, a PortWindow answers two questions:
//   - needed(first, last): how many leading producer positions must have arrived before the
//     layer can compute its output positions first..last;
//   - releasable(next): how many leading producer positions it will never read again once its
//     positions below `next` are done (what its input buffer may drop).
// Kinds: a sliding window (conv, depthwise conv, pool: kernel, stride, padding, clipped at the
// edges, padding needs no data), the whole input at once (fc, the B operand of a matmul), the
// whole input folded in as it arrives (global pooling keeps one running sum or maximum per
// channel, so it holds no positions), or the same position (add, concat, the A operand of a
// matmul: token t reads token t).
#pragma once

#include <cstdint>

namespace xbarsim::sim {

struct PortWindow {
  enum class Kind { kSliding, kWhole, kAccumulate, kSame };
  Kind kind = Kind::kSame;
  std::int64_t kernel = 1, stride = 1, pad = 0;
  std::int64_t in_h = 1, in_w = 1;    // the producer's output (this port's input) extent
  std::int64_t out_h = 1, out_w = 1;  // the consumer's output extent

  std::int64_t needed(std::int64_t first, std::int64_t last) const;
  std::int64_t releasable(std::int64_t next) const;
  std::int64_t inputPositions() const { return in_h * in_w; }
};

}  // namespace xbarsim::sim
