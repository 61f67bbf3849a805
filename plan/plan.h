// The Plan: everything an allocator or scheduler decides and nothing else. Per allocated weight
// layer its duplication R, its crossbar-set size and where its R x set logical crossbars sit
// (tiles, APUs); the execution mode by name. The analytical models and the simulator consume
// the same Plan and nothing else of each other, so the Plan lives below both (plan/README.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "plan/schedule.h"
#include "workloads/network.h"

namespace xbarsim {

struct PlanLayer {
  std::string name;      // the weight layer (conv, depthwise conv, fc)
  Vertex vertex = 0;     // that layer in the network graph
  std::int64_t r = 1;    // copies of its weights (R)
  std::int64_t set = 1;  // logical crossbars holding one copy (eq. 2)
  // Placement, filled by placeLayers().
  std::vector<std::int64_t> apus;    // global APU index of every APU the layer uses
  std::vector<int> tiles;            // distinct tiles, ascending
  std::vector<double> sets_on_tile;  // crossbar sets of the layer on each of those tiles
  // Mesh and cmesh: mean router hops from the previous layer's tiles to this layer's, each
  // pair of tiles weighted by the sets on both (0 for the first layer and without routers).
  double hops_from_previous = 0;
  // Partial weight reuse (layer-sequential, ARAS V-C): every weight code moved by this much,
  // clipped to the codes (weights/weight_source.h).
  std::int64_t weight_shift = 0;
  // The layer's dataflow (README, "Dataflows"): "ws", weight-stationary (its weights in the
  // cells, r copies of a set of ceil(K / rows) x ceil(Co / cols) logical crossbars, input vectors
  // streamed), or "is", input-stationary (the input patches of r x cols output positions
  // written into r column groups of ceil(K / rows) logical crossbars each, weights streamed).
  std::string dataflow = "ws";
  std::int64_t crossbars() const { return r * set; }
};

// OU-level weight sharing and OU pruning of every weight-stationary layer (weights/ou_sharing.h,
// README "OU sharing"): off by default.
struct OuSharingOptions {
  bool share = false;  // cluster OU blocks
  int tolerance = 0;   // levels; 0: identical blocks only
  double prune = 0;    // fraction of the OU positions with a nonzero weight, pruned first
  bool on() const { return share || prune > 0; }
};

struct Plan {
  std::string mode = "pipelined";     // execution mode, by registered name
  std::string selection = "all";      // which weight layers got crossbars: "all" or "paper"
  std::string placement = "snake";    // the placement strategy that placed the layers
  std::int64_t apus_per_logical = 1;  // physical APUs that form one logical crossbar
  std::vector<PlanLayer> layers;      // allocated layers, producers before consumers
  Schedule schedule;                  // layer-sequential: the instruction list (plan/schedule.h)
  // Pipelined: the OU sharing that sized the weight-stationary layers' sets (each layer's set is
  // then its shared crossbars, SharedLayer::crossbars).
  OuSharingOptions ou_sharing;

  // Index of the layer planned for `v`, -1 if v got no crossbars.
  int indexOf(Vertex v) const;
  // Mean of the layers' hops_from_previous (over the layers after the first).
  double meanHops() const;
};

// Placement strategies: the order in which layers fill the tiles.
//   linear  tiles in index order (on a mesh, row by row: a jump back across the chip at the end
//           of each row);
//   snake   along each row of a near-square corner block of the mesh just large enough for the
//           layers, and back along the next (boustrophedon): consecutive tiles are on the same
//           or neighbouring routers, and the same layers are placed alike on any larger mesh;
//           the same as linear without routers.
struct PlacementInfo {
  std::string name, description;
};
const std::vector<PlacementInfo>& placements();
// The tiles in the order `placement` fills them when the layers need `used` tiles; throws
// ConfigError for an unknown name.
std::vector<int> tileOrder(const ArchSpec& arch, const std::string& placement, int used);

// Places the layers in order onto consecutive logical crossbars (tile by tile in the order of
// `placement`, PE by PE, APU by APU) and fills their placement. Throws ConfigError when they
// need more crossbars than the chip has, or when an APU cannot hold whole logical crossbars.
Plan placeLayers(const ArchSpec& arch, std::vector<PlanLayer> layers, const std::string& selection,
                 const std::string& placement = "snake");

// The dataflows a layer may take ("ws", "is"; README, "Dataflows").
const std::vector<std::string>& dataflows();
// `plan` (weight-stationary, as allocated) with every layer that can take it in `dataflow`
// (input-stationary: conv and fc layers; a depthwise conv stays weight-stationary), its R kept
// as column groups and its set sized for them, placed again. Throws ConfigError for an unknown
// dataflow.
Plan withDataflow(const Network& net, const ArchSpec& arch, const Plan& plan,
                  const std::string& dataflow);

// Global APU index -> tile, and -> PE within the chip.
// The index into plan.layers[layer].apus of the first APU holding the layer's logical crossbar
// x (copy by copy, set order); it holds apus_per_logical of them from there.
std::size_t firstApuOf(const ArchSpec& arch, const Plan& plan, std::size_t layer, std::int64_t x);
int tileOfApu(const ArchSpec& arch, std::int64_t apu);
std::int64_t peOfApu(const ArchSpec& arch, std::int64_t apu);

}  // namespace xbarsim
