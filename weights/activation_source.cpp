#include "weights/activation_source.h"

#include <algorithm>
#include <cmath>

#include "weights/mix.h"

namespace xbarsim {

std::uint32_t ActivationSource::code(std::int64_t tensor, std::int64_t c, std::int64_t y,
                                     std::int64_t x, int bits) const {
  std::uint64_t key = mix64(seed_ ^ 0x5bd1e9955bd1e995ULL);
  for (const std::int64_t i : {tensor, c, y, x}) key = mix64(key ^ static_cast<std::uint64_t>(i));
  // Two uniforms from the key's halves: whether the value is zero, and its magnitude.
  if ((key >> 63) == 0) return 0;
  const double u = static_cast<double>((key & 0xffffffffULL) + 1) * 0x1p-32;  // (0, 1]
  const double top = std::ldexp(1.0, bits) - 1;
  const double value = -0.1 * std::log(u) * top;
  return static_cast<std::uint32_t>(std::clamp(std::ceil(value), 1.0, top));
}

std::vector<double> activationCodeProbabilities(int bits) {
  const auto top = static_cast<std::size_t>((std::uint64_t{1} << bits) - 1);
  std::vector<double> p(top + 1, 0.0);
  p[0] = 0.5;
  // A nonzero value v = -0.1 ln(u) x top is exponential of mean top / 10; its code is ceil(v)
  // clipped to 1 .. top: P(code <= k) = P(v <= k) for 1 <= k < top.
  const double rate = 10.0 / static_cast<double>(top);
  double below = 0;  // P(v <= k - 1), for k = 1 the clipped mass from 0 included
  for (std::size_t k = 1; k <= top; ++k) {
    const double upto = k == top ? 1.0 : 1.0 - std::exp(-rate * static_cast<double>(k));
    p[k] = 0.5 * (upto - below);
    below = upto;
  }
  return p;
}

}  // namespace xbarsim
