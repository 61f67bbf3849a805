#include "plan/plan.h"

#include <algorithm>
#include <map>

namespace xbarsim {

int Plan::indexOf(Vertex v) const {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].vertex == v) return static_cast<int>(i);
  return -1;
}

int tileOfApu(const ArchSpec& arch, std::int64_t apu) {
  return static_cast<int>(apu /
                          (static_cast<std::int64_t>(arch.chip.tile.pes) * arch.chip.tile.pe.apus));
}

std::int64_t peOfApu(const ArchSpec& arch, std::int64_t apu) {
  return apu / arch.chip.tile.pe.apus;
}

Plan placeLayers(const ArchSpec& arch, std::vector<PlanLayer> layers,
                 const std::string& selection) {
  const std::int64_t ppl = arch.physicalPerLogical();
  const std::int64_t per_apu = arch.chip.tile.pe.apu.crossbars;
  if (per_apu > ppl && per_apu % ppl != 0)
    throw ConfigError("an APU of " + std::to_string(per_apu) +
                      " crossbars cannot hold whole logical crossbars of " + std::to_string(ppl));
  Plan plan;
  plan.selection = selection;
  plan.apus_per_logical = std::max<std::int64_t>(1, ppl / per_apu);
  const std::int64_t logical_per_apu = std::max<std::int64_t>(1, per_apu / ppl);
  std::int64_t used = 0;
  for (const PlanLayer& l : layers) used += l.crossbars();
  if (used > arch.logicalCrossbars())
    throw ConfigError("the allocation uses " + std::to_string(used) + " logical crossbars but " +
                      arch.name + " has " + std::to_string(arch.logicalCrossbars()));
  std::int64_t next = 0;
  for (PlanLayer& l : layers) {
    const std::int64_t count = l.crossbars();
    std::map<int, std::int64_t> per_tile;  // logical crossbars per tile
    l.apus.clear();
    l.tiles.clear();
    l.sets_on_tile.clear();
    for (std::int64_t x = next; x < next + count; ++x) {
      const std::int64_t first_apu = x * plan.apus_per_logical / logical_per_apu;
      for (std::int64_t a = 0; a < plan.apus_per_logical; ++a)
        if (l.apus.empty() || l.apus.back() != first_apu + a) l.apus.push_back(first_apu + a);
      ++per_tile[tileOfApu(arch, first_apu)];
    }
    for (const auto& [tile, n] : per_tile) {
      l.tiles.push_back(tile);
      l.sets_on_tile.push_back(static_cast<double>(n) / static_cast<double>(l.set));
    }
    next += count;
  }
  plan.layers = std::move(layers);
  return plan;
}

}  // namespace xbarsim
