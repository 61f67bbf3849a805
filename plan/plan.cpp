#include "plan/plan.h"

#include <algorithm>
#include <map>

#include "arch/mesh_geometry.h"

namespace xbarsim {

int Plan::indexOf(Vertex v) const {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].vertex == v) return static_cast<int>(i);
  return -1;
}

double Plan::meanHops() const {
  double sum = 0;
  for (std::size_t i = 1; i < layers.size(); ++i) sum += layers[i].hops_from_previous;
  return layers.size() > 1 ? sum / static_cast<double>(layers.size() - 1) : 0.0;
}

const std::vector<PlacementInfo>& placements() {
  static const std::vector<PlacementInfo> list{
      {"linear", "tiles in index order (row by row on a mesh)"},
      {"snake", "along each mesh row and back along the next, consecutive tiles adjacent"}};
  return list;
}

std::vector<int> tileOrder(const ArchSpec& arch, const std::string& placement, int used) {
  std::vector<int> order;
  if (placement == "snake" && arch.chip.noc.routed()) {
    const MeshGeometry grid(arch.chip.noc, arch.chip.tiles);
    return grid.snakeOrder(grid.blockWidth(used));
  }
  if (placement != "snake" && placement != "linear") {
    std::string known;
    for (const PlacementInfo& p : placements()) known += (known.empty() ? "" : ", ") + p.name;
    throw ConfigError("unknown placement '" + placement + "' (known: " + known + ")");
  }
  for (int t = 0; t < arch.chip.tiles; ++t) order.push_back(t);
  return order;
}

std::size_t firstApuOf(const ArchSpec& arch, const Plan& plan, std::size_t layer, std::int64_t x) {
  // As placeLayers fills them: layers in order, logical crossbars packed into the APUs.
  const std::int64_t ppl = arch.physicalPerLogical(), per_apu = arch.chip.tile.pe.apu.crossbars;
  const std::int64_t logical_per_apu = std::max<std::int64_t>(1, per_apu / ppl);
  std::int64_t next = 0;
  for (std::size_t i = 0; i < layer; ++i) next += plan.layers[i].crossbars();
  return static_cast<std::size_t>(((next + x) / logical_per_apu - next / logical_per_apu) *
                                  plan.apus_per_logical);
}

int tileOfApu(const ArchSpec& arch, std::int64_t apu) {
  return static_cast<int>(apu /
                          (static_cast<std::int64_t>(arch.chip.tile.pes) * arch.chip.tile.pe.apus));
}

std::int64_t peOfApu(const ArchSpec& arch, std::int64_t apu) {
  return apu / arch.chip.tile.pe.apus;
}

Plan placeLayers(const ArchSpec& arch, std::vector<PlanLayer> layers, const std::string& selection,
                 const std::string& placement) {
  const std::int64_t apus_per_tile =
      static_cast<std::int64_t>(arch.chip.tile.pes) * arch.chip.tile.pe.apus;
  const std::int64_t ppl = arch.physicalPerLogical();
  const std::int64_t per_apu = arch.chip.tile.pe.apu.crossbars;
  if (per_apu > ppl && per_apu % ppl != 0)
    throw ConfigError("an APU of " + std::to_string(per_apu) +
                      " crossbars cannot hold whole logical crossbars of " + std::to_string(ppl));
  Plan plan;
  plan.selection = selection;
  plan.placement = placement;
  plan.apus_per_logical = std::max<std::int64_t>(1, ppl / per_apu);
  const std::int64_t logical_per_apu = std::max<std::int64_t>(1, per_apu / ppl);
  std::int64_t used = 0;
  for (const PlanLayer& l : layers) used += l.crossbars();
  if (used > arch.logicalCrossbars())
    throw ConfigError("the allocation uses " + std::to_string(used) + " logical crossbars but " +
                      arch.name + " has " + std::to_string(arch.logicalCrossbars()));
  const std::int64_t xbars_per_tile = std::max<std::int64_t>(1, arch.logicalCrossbarsPerTile());
  const std::vector<int> order =
      tileOrder(arch, placement, static_cast<int>((used + xbars_per_tile - 1) / xbars_per_tile));
  // The APU that the a-th APU in placement order is.
  const auto physical = [&](std::int64_t a) {
    return order[static_cast<std::size_t>(a / apus_per_tile)] * apus_per_tile + a % apus_per_tile;
  };
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
        if (l.apus.empty() || l.apus.back() != physical(first_apu + a))
          l.apus.push_back(physical(first_apu + a));
      ++per_tile[tileOfApu(arch, physical(first_apu))];
    }
    for (const auto& [tile, n] : per_tile) {
      l.tiles.push_back(tile);
      l.sets_on_tile.push_back(static_cast<double>(n) / static_cast<double>(l.set));
    }
    next += count;
  }
  if (arch.chip.noc.routed()) {
    const MeshGeometry grid(arch.chip.noc, arch.chip.tiles);
    for (std::size_t i = 1; i < layers.size(); ++i) {
      const PlanLayer &a = layers[i - 1], &b = layers[i];
      double hops = 0, weight = 0;
      for (std::size_t x = 0; x < a.tiles.size(); ++x)
        for (std::size_t y = 0; y < b.tiles.size(); ++y) {
          const double w = a.sets_on_tile[x] * b.sets_on_tile[y];
          hops += w * grid.hops(grid.routerOf(a.tiles[x]), grid.routerOf(b.tiles[y]));
          weight += w;
        }
      layers[i].hops_from_previous = weight > 0 ? hops / weight : 0.0;
    }
  }
  plan.layers = std::move(layers);
  return plan;
}

const std::vector<std::string>& dataflows() {
  static const std::vector<std::string> names = {"ws", "is"};
  return names;
}

Plan withDataflow(const Network& net, const ArchSpec& arch, const Plan& plan,
                  const std::string& dataflow) {
  if (std::find(dataflows().begin(), dataflows().end(), dataflow) == dataflows().end())
    throw ConfigError("no dataflow '" + dataflow + "' (ws or is)");
  std::vector<PlanLayer> layers = plan.layers;
  const CrossbarSpec& xb = arch.chip.tile.pe.apu.crossbar;
  for (PlanLayer& l : layers) {
    const Layer& layer = net.layer(l.vertex);
    if (dataflow == "is" && layer.spec.type == LayerType::kDwConv) continue;
    if (dataflow == "is" && l.dataflow != "is") {
      const std::int64_t fan_in = layer.weights / layer.out.c;
      l.set = (fan_in + xb.rows - 1) / xb.rows;
    } else if (dataflow == "ws" && l.dataflow != "ws") {
      throw ConfigError("layer '" + l.name +
                        "' is input-stationary; a weight-stationary set comes from its allocation");
    }
    l.dataflow = dataflow;
  }
  Plan out = placeLayers(arch, std::move(layers), plan.selection, plan.placement);
  out.mode = plan.mode;
  return out;
}

}  // namespace xbarsim
