// The ARAS baseline scheduler (Figure 8): rows released by a finished computation take the
// next layers' weights at once, as many layers as fit and a part of the next when it does not
// fit, so writing overlaps the computation of the layers before.
#include "alloc/scheduler.h"

namespace xbarsim {
namespace {

class OverlapScheduler : public Scheduler {
 public:
  bool bindsWhileBusy() const override { return true; }
  std::vector<Binding> bind(const SeqProblem& p, std::size_t next, std::int64_t next_unit,
                            std::int64_t free_rows) const override {
    return fillInOrder(p, next, next_unit, free_rows, p.sequence.size());
  }
};

}  // namespace

XBARSIM_REGISTER_SCHEDULER(OverlapScheduler, "overlap",
                           "released rows take the next layers' weights at once, a part of a "
                           "layer when it does not fit (ARAS baseline, Figure 8)");

}  // namespace xbarsim
