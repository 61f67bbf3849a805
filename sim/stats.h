// A block's counters, declared next to the block that owns them: each with a name, a unit and
// a description, so that one writer can put every block's figures into the results with their
// units (/sim/stats, README.md "Run files"). Blocks keep a Stats member and take references to
// the counters they declare:
//   Stats stats_{"apu"};
//   Counter& reads_ = stats_.declare("reads", "1", "crossbar reads, every crossbar at once");
#pragma once

#include <deque>
#include <string>
#include <utility>

namespace xbarsim::sim {

struct Counter {
  std::string name, unit, description;
  double value = 0;
  Counter& operator+=(double v) {
    value += v;
    return *this;
  }
};

class Stats {
 public:
  explicit Stats(std::string block) : block_(std::move(block)) {}
  Counter& declare(std::string name, std::string unit, std::string description) {
    counters_.push_back({std::move(name), std::move(unit), std::move(description), 0});
    return counters_.back();  // deque: references stay valid
  }
  const std::string& block() const { return block_; }
  const std::deque<Counter>& counters() const { return counters_; }

 private:
  std::string block_;
  std::deque<Counter> counters_;
};

}  // namespace xbarsim::sim
