// Layer-sequential schedulers (ARAS section IV-V): they decide which weights are written into
// which APU rows when, and with how many copies, for a network whose weights do not fit on the
// chip. One layer computes at a time, in topological order; when a part of a layer has
// computed, its rows are released and the scheduler binds the next weights to them. Each
// scheduler is one file with one XBARSIM_REGISTER_SCHEDULER line; it only decides what to
// write into the free rows at a release (bind()); the binding loop, the instruction list and
// the bank selection are common (sequentialPlan()).
//
// The schedulers' view of time is an estimate (they run before the simulation, as ARAS's
// offline scheduler does): a part computes in ceil(positions / copies) compute stages of the
// arch, and writing crossbars takes writeCycles(), the worst case (every row of a crossbar
// written in two full phases), whatever the number of crossbars written at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "weights/weight_source.h"

namespace xbarsim {

// One weight layer of one inference, in execution order.
struct SeqLayer {
  int layer = 0;  // index into Plan::layers
  int inference = 0;
  std::int64_t units = 0;      // APU rows one copy takes
  std::int64_t positions = 0;  // output positions, each one input vector through the layer
  bool replicable = true;      // more copies compute more positions at once
};

struct SeqProblem {
  std::vector<SeqLayer> sequence;
  std::int64_t rows = 0;          // APU rows on the chip
  std::int64_t step_cycles = 0;   // one input vector through a row
  std::int64_t write_cycles = 0;  // writing crossbars (estimate)

  // Estimated compute cycles of sequence entry `i` with `copies` copies.
  std::int64_t computeCycles(std::size_t i, std::int64_t copies) const;
};

// What to write at a release: `units` units of sequence entry `seq` from `first_unit`, in
// `copies` copies (copies > 1 only for a whole layer).
struct Binding {
  std::size_t seq = 0;
  std::int64_t first_unit = 0, units = 0, copies = 1;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Whether rows released while other rows hold weights still to compute are bound at once
  // (overlap) or only once every row is free (write, then compute).
  virtual bool bindsWhileBusy() const = 0;
  // What to write into `free_rows` free rows, starting with sequence entry `next` at unit
  // `next_unit`: bindings in sequence order, together at most free_rows rows.
  virtual std::vector<Binding> bind(const SeqProblem& p, std::size_t next, std::int64_t next_unit,
                                    std::int64_t free_rows) const = 0;
};

struct SchedulerInfo {
  std::string name, description;
  std::function<std::unique_ptr<Scheduler>()> make;
};
bool registerScheduler(SchedulerInfo info);
const std::vector<SchedulerInfo>& schedulers();

#define XBARSIM_REGISTER_SCHEDULER(Class, name, description)           \
  static const bool registered_##Class = ::xbarsim::registerScheduler( \
      {name, description, [] { return std::unique_ptr<::xbarsim::Scheduler>(new Class); }})

// Writes as many units as fit, in sequence order, one copy each (the overlap policy; also the
// fall-back of the others).
std::vector<Binding> fillInOrder(const SeqProblem& p, std::size_t next, std::int64_t next_unit,
                                 std::int64_t free_rows, std::size_t max_layers);

// The problem of running `net` layer-sequentially on `arch` for `inferences` inferences.
SeqProblem seqProblem(const Network& net, const ArchSpec& arch, const Plan& plan,
                      std::int64_t inferences);

// The instruction list of `scheduler` for the problem (see plan/schedule.h).
std::vector<SeqOp> scheduleOps(const SeqProblem& p, const Scheduler& scheduler);

// The layer-sequential Plan: every weight layer of the network, the named scheduler's
// instruction list over `inferences` inferences, and every layer's global-buffer banks; with
// `reuse`, partial weight reuse chosen from those weights (alloc/weight_reuse.h).
Plan sequentialPlan(const Network& net, const ArchSpec& arch, const std::string& scheduler,
                    std::int64_t inferences, const WeightSource* reuse = nullptr);

}  // namespace xbarsim
