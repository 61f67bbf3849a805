// A fixed number of time bins that widen as the run grows: when an interval ends past the last
// bin, neighbouring bins merge pairwise and the bin width doubles. Constant memory whatever the
// run length; used for the utilisation and bandwidth time series.
#pragma once

#include <cstdint>
#include <vector>

namespace xbarsim::sim {

class TimeHistogram {
 public:
  explicit TimeHistogram(std::size_t bins = 128, std::int64_t bin_cycles = 64)
      : sums_(bins, 0.0), bin_cycles_(bin_cycles) {}

  // Spreads `amount` evenly over the cycles [start, end) (all of it at `start` if end <= start).
  void add(std::int64_t start, std::int64_t end, double amount) {
    if (end <= start) end = start + 1;
    while (end > static_cast<std::int64_t>(sums_.size()) * bin_cycles_) widen();
    const double per_cycle = amount / static_cast<double>(end - start);
    for (std::int64_t b = start / bin_cycles_; b * bin_cycles_ < end; ++b) {
      const std::int64_t lo = std::max(start, b * bin_cycles_);
      const std::int64_t hi = std::min(end, (b + 1) * bin_cycles_);
      sums_[static_cast<std::size_t>(b)] += per_cycle * static_cast<double>(hi - lo);
    }
  }
  // Makes the bins at least `bin_cycles` wide (to align several histograms).
  void widenTo(std::int64_t bin_cycles) {
    while (bin_cycles_ < bin_cycles) widen();
  }
  std::int64_t binCycles() const { return bin_cycles_; }
  const std::vector<double>& sums() const { return sums_; }

 private:
  void widen() {
    for (std::size_t i = 0; i < sums_.size(); ++i)
      sums_[i] = 2 * i + 1 < sums_.size() ? sums_[2 * i] + sums_[2 * i + 1]
                 : 2 * i < sums_.size()   ? sums_[2 * i]
                                          : 0.0;
    bin_cycles_ *= 2;
  }
  std::vector<double> sums_;
  std::int64_t bin_cycles_;
};

}  // namespace xbarsim::sim
