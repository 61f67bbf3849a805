#include "validation/case_setup.h"

#include <cstdio>
#include <map>

namespace xbarsim::validation {

CaseSetup::CaseSetup(const ExperimentConfig& cfg, std::size_t c)
    : net(loadNetwork(cfg.cases.text(c, "workload"))), arch(loadArchSpec(cfg.arch)) {
  const std::int64_t crossbars = cfg.cases.integer(c, "crossbars");
  const std::int64_t xbar = cfg.cases.integer(c, "xbar");
  // Enough tiles for the budget (or the case's tile count), bandwidths scaled.
  const std::int64_t tiles =
      cfg.cases.integer(c, "tiles") > 0
          ? cfg.cases.integer(c, "tiles")
          : (crossbars + arch.logicalCrossbarsPerTile() - 1) / arch.logicalCrossbarsPerTile();
  if (arch.params.count("tiles")) arch = loadArchSpec(cfg.arch, {{"tiles", tiles}});
  const double scale = cfg.cases.real(c, "scale");
  arch.chip.tile.input_buffer.bandwidth_bps *= scale;
  arch.chip.tile.bus.bandwidth_bps *= scale;
  arch.chip.noc.bandwidth_bps *= scale;
  const std::string topology = cfg.cases.text(c, "topology");
  if (!topology.empty()) arch.chip.noc.topology = topology;
  view = std::make_unique<FusedView>(net, xbar, xbar);
  problem = std::make_unique<Problem>(net, *view, arch,
                                      parseLayerSelection(cfg.cases.text(c, "layers")), crossbars);
  label = net.name() + " (" + std::to_string(crossbars) + ", " + std::to_string(xbar) + ")";
  if (!topology.empty()) label += " " + topology;
}

const CaseSetup& cachedCase(const ExperimentConfig& cfg, std::size_t c) {
  static std::map<std::pair<std::string, std::size_t>, std::unique_ptr<CaseSetup>> cache;
  auto& slot = cache[{cfg.name, c}];
  if (!slot) slot = std::make_unique<CaseSetup>(cfg, c);
  return *slot;
}

Allocation dpAllocation(const Problem& p, StepModel steps, bool bandwidth, std::int64_t lag) {
  AllocOptions o;
  o.objective = {steps, bandwidth, lag};
  return makeAllocator("dp")->allocate(p, o).r;
}

std::string pct(double fraction, int decimals) {
  return fixed(100.0 * fraction, decimals) + " %";
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace xbarsim::validation
