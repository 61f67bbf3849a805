// The crossbar-allocation paper's parameter model (Li, Han, Chen 2024, section 3.1) as a view
// of a Network: one fused layer per crossbar-mapped layer (conv, depthwise conv, fc, matmul),
// with the pool that directly follows it folded in, described by
// {Ci, Co, Wo, Ho, Kc, Kp, Sc, Sp, Pc, Pp}, plus its crossbar-set size (eq. 2).
//
// Mapping choices the paper leaves open (also in the README):
// - A pool is fused into the weight layer it directly follows when that layer feeds nothing
//   else. A pool after an add or concat stays a glue layer between fused layers.
// - Adds and concats hold no weights; they are glue. A fused layer lists as producers the
//   fused layers whose outputs reach it through glue.
// - A 1x1 conv that feeds an add and whose producer also feeds another branch is a residual
//   projection ("shortcut"); it is its own fused layer, flagged as such. The paper's Table 2
//   omits shortcuts and fc layers; `paperLayers()` gives that projection.
// - A depthwise conv packs channels block-diagonally: a crossbar of M rows x N columns holds
//   min(floor(M / K^2), N) channels, so set = ceil(C / that).
// - A matmul (attention) multiplies two activations; its B operand would be written into
//   crossbars at run time. Its set counts the crossbars that operand needs, per head.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/network.h"

namespace xbarsim {

struct FusedLayer {
  std::string name;                   // the weight layer's name
  std::string pool;                   // name of the fused pool, empty if none
  LayerType type = LayerType::kConv;  // the weight layer's type
  bool shortcut = false;              // residual projection conv
  // The paper's parameters.
  std::int64_t ci = 0, co = 0, wo = 0, ho = 0, kc = 1, kp = 1, sc = 1, sp = 1, pc = 0, pp = 0;
  std::int64_t groups = 1;   // matmul heads
  std::int64_t weights = 0;  // static weights
  std::int64_t macs = 0;
  std::int64_t set = 0;          // crossbars in one crossbar set (eq. 2), for the view's M x N
  std::vector<int> producers;    // indices of fused layers feeding this one (through glue)
  std::vector<std::string> via;  // glue layers on those paths (adds, concats, unfused pools)
  Vertex vertex = 0;             // the weight layer in the network graph

  bool isFc() const { return wo == 1 && ho == 1 && type == LayerType::kFc; }
  // Whether the weights are static (written once) rather than a run-time operand.
  bool staticWeights() const { return type != LayerType::kMatmul; }
  std::int64_t outputPositions() const { return wo * ho; }
};

// Eq. (2) for a weight layer: ceil(Kc^2 Ci / M) x ceil(Co / N), with the depthwise and matmul
// variants described above.
std::int64_t crossbarSet(const FusedLayer& f, std::int64_t rows, std::int64_t cols);

class FusedView {
 public:
  FusedView(const Network& net, std::int64_t xbar_rows, std::int64_t xbar_cols);

  const std::vector<FusedLayer>& layers() const { return layers_; }
  std::int64_t xbarRows() const { return rows_; }
  std::int64_t xbarCols() const { return cols_; }
  // Crossbars to hold every static weight once (sum of set over static layers).
  std::int64_t minCrossbars() const;
  // Crossbars the run-time operands of matmul layers would need.
  std::int64_t dynamicCrossbars() const;
  // The layers the paper's experiments allocate (its Table 2): convolutions, depthwise ones
  // included, on the main path (no fc, no shortcut, no matmul).
  std::vector<FusedLayer> paperLayers() const;
  // Crossbars to hold the paperLayers() once.
  std::int64_t paperMinCrossbars() const;

 private:
  std::vector<FusedLayer> layers_;
  std::int64_t rows_, cols_;
};

}  // namespace xbarsim
