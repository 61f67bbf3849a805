// The naive layer-sequential scheduler (ARAS Figure 7): write a layer's weights (as much of
// the layer as the chip holds), compute it, and only then write the next: writing never
// overlaps computing.
#include "alloc/scheduler.h"

namespace xbarsim {
namespace {

class NaiveScheduler : public Scheduler {
 public:
  bool bindsWhileBusy() const override { return false; }
  std::vector<Binding> bind(const SeqProblem& p, std::size_t next, std::int64_t next_unit,
                            std::int64_t free_rows) const override {
    return fillInOrder(p, next, next_unit, free_rows, 1);
  }
};

}  // namespace

XBARSIM_REGISTER_SCHEDULER(NaiveScheduler, "naive",
                           "write a layer (or what fits of it), compute it, then write the next "
                           "(ARAS Figure 7)");

}  // namespace xbarsim
