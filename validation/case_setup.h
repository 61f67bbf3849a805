// Everything one experiment case needs: the network, the arch (tiles and bandwidth scaled as
// the case says), the fused view and the allocation Problem, kept alive together.
#pragma once

#include <memory>

#include "alloc/allocator.h"
#include "validation/experiment.h"

namespace xbarsim::validation {

struct CaseSetup {
  CaseSetup(const ExperimentConfig& cfg, std::size_t c);
  Network net;
  ArchSpec arch;
  std::unique_ptr<FusedView> view;
  std::unique_ptr<Problem> problem;
  std::string label;  // "vgg-a (2304, 128)"
  CaseSetup(const CaseSetup&) = delete;
  CaseSetup& operator=(const CaseSetup&) = delete;
};

// The setup of case c, built once per process (tasks of one case share it).
const CaseSetup& cachedCase(const ExperimentConfig& cfg, std::size_t c);

// The DP's allocation under an objective (lag: of the exact step model).
Allocation dpAllocation(const Problem& p, StepModel steps, bool bandwidth, std::int64_t lag = 0);

// "12.3 %" style helpers for reports.
std::string pct(double fraction, int decimals = 1);
std::string fixed(double v, int decimals);

}  // namespace xbarsim::validation
