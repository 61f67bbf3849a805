// The hybrid scheduler's search (alloc/hybrid.cpp), also for fixed dataflow schemes: per layer
// the dataflows it may take, R chosen for each under the budget by the same DP and local search
// on the mixed-dataflow timeline model (model/dataflow.h).
#pragma once

#include <string>
#include <vector>

#include "alloc/allocator.h"

namespace xbarsim {

// Per layer, the dataflows it may take ("ws", "is"); "is" is dropped where a layer cannot
// take it (a depthwise conv, or an arch that cannot). Returns R and the dataflow per layer.
AllocResult chooseDataflows(const Problem& p, const std::vector<std::vector<std::string>>& allowed,
                            const AllocOptions& options);

// The dataflows of the paper's uniform inter-layer schemes, per layer: "ws-ws" (every layer
// weight-stationary), "is-is" (every layer that can input-stationary), "ws-is" and "is-ws"
// (alternating along the Problem's layers that can take either, starting with the first named;
// the others stay weight-stationary), or "hybrid" (both everywhere). Throws ConfigError for
// another name.
std::vector<std::vector<std::string>> schemeDataflows(const Problem& p, const std::string& scheme);

}  // namespace xbarsim
