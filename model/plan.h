// The Plan of an allocation of a Problem: its layers with their R and crossbar sets, placed on
// the chip (plan/plan.h). The Plan itself lives below the models and the simulator.
#pragma once

#include "model/problem.h"
#include "plan/plan.h"
#include "weights/ou_sharing.h"

namespace xbarsim {

// Checks the allocation against eq. 3-6 and places it. Throws ConfigError when it breaks them
// or needs more crossbars than the chip has.
Plan makePlan(const Problem& p, const Allocation& r, const std::string& placement = "snake");

// The same with a dataflow per layer ("ws", or "is": r is its column groups, each of
// ceil(K / rows) crossbars; README, "Dataflows"). Throws ConfigError when a layer's R is out of
// its range or the layers need more crossbars than the problem's budget.
Plan makePlan(const Problem& p, const Allocation& r, const std::vector<std::string>& dataflows,
              const std::string& placement = "snake");

// OU sharing and pruning (weights/ou_sharing.h) of every layer of `p` with `weights`: each
// layer's set becomes the crossbars its physical OUs take; returns the shared layers. The
// models then see the smaller sets; their computation stage still counts every OU.
std::vector<SharedLayer> shareProblemOus(Problem& p, const WeightSource& weights,
                                         const OuSharingOptions& options);

}  // namespace xbarsim
