#include "sim/window.h"

#include <algorithm>

namespace xbarsim::sim {
namespace {

// Positions up to and including input (row, col), as a count. A window reaching past the
// bottom or right edge reads up to the last row or column (the rest is padding); one that ends
// above or left of the input (all padding) needs nothing of that row.
std::int64_t through(std::int64_t row, std::int64_t col, std::int64_t in_h, std::int64_t in_w) {
  if (row < 0) return 0;
  row = std::min(row, in_h - 1);
  col = std::min(col, in_w - 1);
  return std::max<std::int64_t>(0, row * in_w + col + 1);
}

}  // namespace

std::int64_t PortWindow::needed(std::int64_t first, std::int64_t last) const {
  switch (kind) {
    case Kind::kWhole:
    case Kind::kAccumulate:
      return inputPositions();
    case Kind::kSame:
      return std::min(last + 1, inputPositions());
    case Kind::kSliding:
      break;
  }
  // The window of output (r, c) ends at input row r*s - p + k - 1 and column c*s - p + k - 1
  // (clipped to the input); a window that starts past the bottom or right edge is all padding
  // and needs nothing. Need grows with the row and, within a row, with the column, so over
  // positions first..last the furthest need is that of the last output row whose windows
  // reach the input, at its last such column, or of the full row before it.
  const std::int64_t r_lo = first / out_w, r_hi = last / out_w;
  const std::int64_t r_in = (in_h - 1 + pad) / stride, c_in = (in_w - 1 + pad) / stride;
  const auto end_of = [&](std::int64_t r) -> std::int64_t {
    if (r < r_lo) return 0;
    const std::int64_t c_from = r == r_lo ? first % out_w : 0;
    const std::int64_t c = std::min(r == r_hi ? last % out_w : out_w - 1, c_in);
    if (c < c_from) return 0;
    const std::int64_t row = r * stride - pad + kernel - 1, col = c * stride - pad + kernel - 1;
    if (row < 0 || col < 0) return 0;
    return through(row, col, in_h, in_w);
  };
  const std::int64_t r = std::min(r_hi, r_in);
  return std::max(end_of(r), end_of(r - 1));
}

std::int64_t PortWindow::releasable(std::int64_t next) const {
  switch (kind) {
    case Kind::kWhole:
      return next >= out_h * out_w ? inputPositions() : 0;
    case Kind::kAccumulate:
      return inputPositions();  // folded into the running sums as it arrives
    case Kind::kSame:
      return std::min(next, inputPositions());
    case Kind::kSliding:
      break;
  }
  // Output (r, c) reads from input row r*s - p and column c*s - p on; every later output of
  // row r starts further right, and every later row further down (stride >= 1), so positions
  // before (r*s - p, c*s - p) in raster order are never read again: a line buffer of k - 1
  // rows and k columns, not k whole rows.
  if (next >= out_h * out_w) return inputPositions();
  const std::int64_t row = (next / out_w) * stride - pad, col = (next % out_w) * stride - pad;
  if (row < 0) return 0;
  if (row >= in_h) return inputPositions();
  return row * in_w + std::clamp<std::int64_t>(col, 0, in_w);
}

}  // namespace xbarsim::sim
