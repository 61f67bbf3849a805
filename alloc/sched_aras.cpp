// The ARAS scheduler: the overlap scheduler plus the adaptive replication scheme of section
// V-B. At a release of F free rows, starting with layer i:
//   - the rest of a partly written layer, or a layer larger than F: what fits of it, one copy
//     (Algorithm 1, lines 2-3); if that finishes it, the rows left go on as below, to the
//     layers after it (the next inference's first layers after the last ones of this);
//   - otherwise the candidates are the whole layers i, i+1, ... that fit together, one copy
//     each; spare rows go, one copy at a time, to the slowest candidate that can take one,
//     while the estimated compute time of the candidates after layer i exceeds the time to
//     write the layers that follow them (those start writing when layer i releases its rows;
//     beyond that, more copies would only wait for their writes: "the computation latency
//     from L_x to L_y falls below the writing latency of the next layers", Figure 10); then,
//     while that is still so, the last candidate is delayed (its rows freed) and the spare
//     rows redistributed, as long as this shortens the candidates' computation, the delayed
//     layer counted at one copy (lines 4-17); a lone candidate is replicated while its own
//     compute time exceeds the writing time;
//   - rows left over take the next layers' weights as in the overlap scheduler, unless a
//     candidate was delayed (writing a part of it now would split it into two parts, each
//     computing every position).
#include <algorithm>

#include "alloc/scheduler.h"

namespace xbarsim {
namespace {

class ArasScheduler : public Scheduler {
 public:
  bool bindsWhileBusy() const override { return true; }

  std::vector<Binding> bind(const SeqProblem& p, std::size_t next, std::int64_t next_unit,
                            std::int64_t free_rows) const override {
    const std::size_t n = p.sequence.size();
    std::vector<Binding> out;
    if (next < n && (next_unit > 0 || p.sequence[next].units > free_rows)) {
      // The rest of a partly written layer, or a layer larger than the free rows: what fits
      // of it, one copy; the rows left (if it is done) go to the layers after it.
      out = fillInOrder(p, next, next_unit, free_rows, 1);
      const Binding& b = out.front();
      if (b.first_unit + b.units < p.sequence[next].units) return out;
      free_rows -= b.units;
      ++next;
    }
    if (next >= n || free_rows == 0) return out;
    if (p.sequence[next].units > free_rows) {  // nor does the next one fit: a part of it
      for (const Binding& b : fillInOrder(p, next, 0, free_rows, 1)) out.push_back(b);
      return out;
    }
    std::vector<std::int64_t> copies;
    std::int64_t used = 0;
    while (next + copies.size() < n && used + p.sequence[next + copies.size()].units <= free_rows) {
      used += p.sequence[next + copies.size()].units;
      copies.push_back(1);
    }
    const auto rowsOf = [&](const std::vector<std::int64_t>& c) {
      std::int64_t rows = 0;
      for (std::size_t j = 0; j < c.size(); ++j) rows += c[j] * p.sequence[next + j].units;
      return rows;
    };
    // The candidates' compute time; `load` leaves out the first (layer i): the layers after
    // the candidates start writing once it has computed and released its rows, so replication
    // pays while the others' compute time exceeds that writing (Figure 10).
    const auto total = [&](const std::vector<std::int64_t>& c, std::size_t from) {
      std::int64_t sum = 0;
      for (std::size_t j = from; j < c.size(); ++j) sum += p.computeCycles(next + j, c[j]);
      return sum;
    };
    const auto load = [&](const std::vector<std::int64_t>& c) {
      return total(c, c.size() > 1 ? 1 : 0);
    };
    // One copy at a time to the slowest candidate that can take one, while the load exceeds
    // the writing time.
    const auto distribute = [&](std::vector<std::int64_t>& c) {
      while (load(c) > p.write_cycles) {
        std::size_t best = c.size();
        for (std::size_t j = 0; j < c.size(); ++j) {
          const SeqLayer& l = p.sequence[next + j];
          if (!l.replicable || c[j] >= l.positions || rowsOf(c) + l.units > free_rows) continue;
          if (best == c.size() ||
              p.computeCycles(next + j, c[j]) > p.computeCycles(next + best, c[best]))
            best = j;
        }
        if (best == c.size()) return;
        ++c[best];
      }
    };
    distribute(copies);
    // Delay the last candidate, its rows copying the others, while that shortens the
    // candidates' computation (the delayed layer counted at one copy).
    bool delayed = false;
    while (copies.size() > 1 && load(copies) > p.write_cycles) {
      std::vector<std::int64_t> trial = copies;
      trial.pop_back();
      distribute(trial);
      if (total(trial, 0) + p.computeCycles(next + trial.size(), 1) >= total(copies, 0)) break;
      copies.swap(trial);
      delayed = true;
    }
    for (std::size_t j = 0; j < copies.size(); ++j)
      out.push_back({next + j, 0, p.sequence[next + j].units, copies[j]});
    if (!delayed)
      for (const Binding& b :
           fillInOrder(p, next + copies.size(), 0, free_rows - rowsOf(copies), n))
        out.push_back(b);
    return out;
  }
};

}  // namespace

XBARSIM_REGISTER_SCHEDULER(ArasScheduler, "aras",
                           "overlap plus adaptive replication: spare rows copy the slowest "
                           "layers, delaying the last candidate (ARAS section V-B)");

}  // namespace xbarsim
