// The simulator's window code against brute force: for random sliding windows (kernel, stride,
// padding, input sizes), what a run of output positions needs and what can be dropped are
// computed here by enumerating every window element of every output position.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "sim/window.h"

namespace xbarsim::sim {
namespace {

struct Brute {
  std::int64_t k, s, p, in_h, in_w, out_h, out_w;
  // Raster indices of the input elements output position q reads (padding excluded).
  template <typename Fn>
  void each(std::int64_t q, Fn fn) const {
    const std::int64_t r = q / out_w, c = q % out_w;
    for (std::int64_t i = 0; i < k; ++i)
      for (std::int64_t j = 0; j < k; ++j) {
        const std::int64_t y = r * s - p + i, x = c * s - p + j;
        if (y >= 0 && y < in_h && x >= 0 && x < in_w) fn(y * in_w + x);
      }
  }
  std::int64_t needed(std::int64_t first, std::int64_t last) const {
    std::int64_t need = 0;
    for (std::int64_t q = first; q <= last; ++q)
      each(q, [&](std::int64_t e) { need = std::max(need, e + 1); });
    return need;
  }
  std::int64_t releasable(std::int64_t next) const {
    std::int64_t least = in_h * in_w;
    for (std::int64_t q = next; q < out_h * out_w; ++q)
      each(q, [&](std::int64_t e) { least = std::min(least, e); });
    return least;
  }
};

TEST(Window, SlidingWindowsMatchBruteForce) {
  std::mt19937_64 rng(3);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 300; ++trial) {
    Brute b{};
    b.k = pick(1, 5);
    b.s = pick(1, 3);
    b.p = pick(0, b.k / 2 + (trial % 7 == 0 ? 1 : 0));
    b.in_h = pick(b.k, 12);
    b.in_w = pick(b.k, 12);
    b.out_h = (b.in_h + 2 * b.p - b.k) / b.s + 1;
    b.out_w = (b.in_w + 2 * b.p - b.k) / b.s + 1;
    PortWindow w;
    w.kind = PortWindow::Kind::kSliding;
    w.kernel = b.k;
    w.stride = b.s;
    w.pad = b.p;
    w.in_h = b.in_h;
    w.in_w = b.in_w;
    w.out_h = b.out_h;
    w.out_w = b.out_w;
    const std::int64_t n = b.out_h * b.out_w;
    for (std::int64_t first = 0; first < n; first += pick(1, 4)) {
      const std::int64_t last = std::min(n - 1, first + pick(0, 2 * b.out_w));
      ASSERT_EQ(w.needed(first, last), b.needed(first, last))
          << "k" << b.k << " s" << b.s << " p" << b.p << " in " << b.in_h << "x" << b.in_w
          << " positions " << first << ".." << last;
    }
    for (std::int64_t next = 0; next <= n; ++next) {
      // The window code may keep more than it must, never less: less than a row more, unless
      // the stride skips input no window reads (kept until the windows pass it).
      ASSERT_LE(w.releasable(next), b.releasable(next)) << "next " << next;
      if (b.s <= b.k && b.p < b.k) {
        ASSERT_GE(w.releasable(next), b.releasable(next) - b.in_w) << "next " << next;
      }
    }
    EXPECT_EQ(w.releasable(n), b.in_h * b.in_w);
  }
}

TEST(Window, WholeAccumulateAndSamePositions) {
  PortWindow whole{PortWindow::Kind::kWhole, 1, 1, 0, 7, 7, 1, 1};
  EXPECT_EQ(whole.needed(0, 0), 49);
  EXPECT_EQ(whole.releasable(0), 0);
  EXPECT_EQ(whole.releasable(1), 49);
  PortWindow acc{PortWindow::Kind::kAccumulate, 1, 1, 0, 7, 7, 1, 1};
  EXPECT_EQ(acc.needed(0, 0), 49);
  EXPECT_EQ(acc.releasable(0), 49);  // folded into running sums as it arrives
  PortWindow same{PortWindow::Kind::kSame, 1, 1, 0, 4, 4, 4, 4};
  EXPECT_EQ(same.needed(3, 9), 10);
  EXPECT_EQ(same.releasable(5), 5);
}

}  // namespace
}  // namespace xbarsim::sim
