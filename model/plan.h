// The Plan: everything an allocator decides and nothing else. Per allocated layer its R and
// crossbar count, its placement onto tiles/PEs/APUs, and the execution mode. The analytical
// models and the simulator consume the same Plan; that is what makes validation meaningful.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/problem.h"

namespace xbarsim {

enum class ExecutionMode {
  kPipelined,  // every layer's weights resident, all layers compute concurrently (ISAAC)
};

const char* executionModeName(ExecutionMode m);

// Where one layer's R x set logical crossbars sit.
struct LayerPlacement {
  std::vector<std::int64_t> apus;    // global APU index of every APU the layer uses
  std::vector<int> tiles;            // distinct tiles, ascending
  std::vector<double> sets_on_tile;  // crossbar sets of the layer on each of those tiles
};

struct Plan {
  Allocation r;
  ExecutionMode mode = ExecutionMode::kPipelined;
  std::vector<LayerPlacement> layers;
  std::int64_t apus_per_logical = 1;  // physical APUs that form one logical crossbar
};

// Places layers in order onto consecutive logical crossbars (tile by tile, PE by PE, APU by
// APU). Throws ConfigError when the allocation needs more crossbars than the chip has.
Plan makePlan(const Problem& p, const Allocation& r);

// Global APU index -> tile.
int tileOfApu(const ArchSpec& arch, std::int64_t apu);

}  // namespace xbarsim
