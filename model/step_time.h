// Step latency with bandwidth (the crossbar-allocation paper's eq. 9-12): each step of layer i
// needs a data-access stage T_A^i and a computation stage T_C; T_step^i = max(T_A^i, T_C) and
// one global T_step = max_i T_step^i paces the pipeline.
//
// T_A^i is eq. 12, the ISAAC-style two-level instance:
//   T_A^i = r^i Kc^2 Ci / BW_intra  +  sum over producers q of T^i T^q r^q Co^q / BW_inter
// with sizes in bytes (input_bits / 8 per value), BW_intra the tile input-buffer bandwidth and
// BW_inter the NoC bandwidth (chip.noc.bandwidth).
//
// The interconnect it assumes is the `per-layer` topology: eq. 11 takes the maximum of the
// layers' access times, so each layer receives over a channel of its own at BW_inter, and
// eq. 12 sends every producer tile's outputs to every consumer tile (T^i T^q copies, the
// paper's "worse case"). The simulator can run that topology, or a shared bus, a mesh or a
// concentrated mesh (chip.noc.topology); this model ignores which. How tiles are counted (the paper
// leaves it open): a layer occupies T^i = ceil(R^i set^i / crossbars per tile) tiles of its own,
// its R^i sets spread evenly, so r^i = R^i / T^i sets per tile (a fraction when one set spans
// several tiles). T_step is rounded up to whole clock cycles.
#pragma once

#include <cstdint>
#include <vector>

#include "model/problem.h"

namespace xbarsim {

struct StepTime {
  std::int64_t compute_cycles = 0;    // T_C
  std::vector<double> access_cycles;  // T_A^i per layer (0 without bandwidth)
  std::int64_t step_cycles = 0;       // T_step, whole cycles
};

class StepTimeModel {
 public:
  StepTimeModel(const Problem& p, bool bandwidth);
  bool bandwidth() const { return bandwidth_; }
  std::int64_t computeCycles() const { return compute_; }
  // The part of T_A^i that does not depend on R^i: sum over producers q of T^q r^q Co^q / BW
  // (cycles per tile of layer i).
  double producerTraffic(std::size_t i, const std::int64_t* r) const;
  // T_A^i in cycles for layer i at R^i = r_i, given producerTraffic(i).
  double accessCycles(std::size_t i, std::int64_t r_i, double producer_traffic) const;
  // T_step^i = max(T_A^i, T_C) in whole cycles.
  std::int64_t layerStepCycles(std::size_t i, std::int64_t r_i, double producer_traffic) const;
  StepTime evaluate(const Allocation& r) const;

 private:
  double tiles(std::size_t i, std::int64_t r) const;
  const Problem* p_;
  bool bandwidth_;
  std::int64_t compute_;
  double per_tile_;
  double intra_cycles_per_byte_, inter_cycles_per_byte_, bytes_per_value_;
};

}  // namespace xbarsim
