#include "model/plan.h"

#include <algorithm>
#include <map>

namespace xbarsim {

const char* executionModeName(ExecutionMode) {
  return "pipelined";
}

int tileOfApu(const ArchSpec& arch, std::int64_t apu) {
  return static_cast<int>(apu /
                          (static_cast<std::int64_t>(arch.chip.tile.pes) * arch.chip.tile.pe.apus));
}

Plan makePlan(const Problem& p, const Allocation& r) {
  checkAllocation(p, r);
  const ArchSpec& arch = p.arch();
  const std::int64_t ppl = arch.physicalPerLogical();
  const std::int64_t per_apu = arch.chip.tile.pe.apu.crossbars;
  if (per_apu > ppl && per_apu % ppl != 0)
    throw ConfigError("an APU of " + std::to_string(per_apu) +
                      " crossbars cannot hold whole logical crossbars of " + std::to_string(ppl));
  Plan plan;
  plan.r = r;
  plan.apus_per_logical = std::max<std::int64_t>(1, ppl / per_apu);
  const std::int64_t logical_per_apu = std::max<std::int64_t>(1, per_apu / ppl);
  const std::int64_t used = crossbarsUsed(p, r);
  if (used > arch.logicalCrossbars())
    throw ConfigError("the allocation uses " + std::to_string(used) + " logical crossbars but " +
                      arch.name + " has " + std::to_string(arch.logicalCrossbars()));
  std::int64_t next = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    LayerPlacement lp;
    const std::int64_t count = r[i] * p[i].fused.set;
    std::map<int, std::int64_t> per_tile;  // logical crossbars per tile
    for (std::int64_t x = next; x < next + count; ++x) {
      const std::int64_t first_apu = x * plan.apus_per_logical / logical_per_apu;
      for (std::int64_t a = 0; a < plan.apus_per_logical; ++a) {
        if (lp.apus.empty() || lp.apus.back() != first_apu + a) lp.apus.push_back(first_apu + a);
      }
      ++per_tile[tileOfApu(arch, first_apu)];
    }
    for (const auto& [tile, n] : per_tile) {
      lp.tiles.push_back(tile);
      lp.sets_on_tile.push_back(static_cast<double>(n) / static_cast<double>(p[i].fused.set));
    }
    next += count;
    plan.layers.push_back(lp);
  }
  return plan;
}

}  // namespace xbarsim
