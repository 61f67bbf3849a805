// A weight-stationary systolic array (the ARAS paper's TPU-like baseline, section VII-E), an
// analytical model in the style of SCALE-Sim (Samajdar et al.): every weight layer is a matrix
// product of M input vectors (output positions) by a K x N weight matrix (K = fan-in, N =
// outputs); the rows x cols array holds one rows x cols tile of the weights at a time (a fold),
// ceil(K / rows) x ceil(N / cols) folds, and a fold takes
//   rows (loading its weights, a row a cycle) + M + rows + cols - 2 (the M inputs streaming
//   through with the array's skew, and the last results draining)
// cycles. A depthwise conv is C independent products of M x Kc^2 by Kc^2 x 1. Attention's
// activation x activation matmuls run on the array the same way (heads x M x K by K x N).
// Pools, adds and concats run on `vector_lanes` lanes (a pool: one operation per window
// element; an add: one per element per extra operand; a concat: one copy per element).
//
// Main memory: every weight is read once per inference (none of the ARAS networks fits the
// buffer), and a layer's input and output activations too when, with its weights of one fold,
// they do not fit the buffer. A layer takes the longer of its computation and its memory
// traffic at `memory_bandwidth` (double-buffered). Energy: MACs, buffer bytes (each fold reads
// its weights and its M input vectors, writes its M partial outputs, and reads them back when
// K spans several folds), memory bytes, vector operations, and static power over the time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/network.h"

namespace xbarsim {

struct SystolicSpec {
  std::string name, source;
  std::int64_t rows = 0, cols = 0;
  double clock_hz = 0, buffer_bytes = 0, memory_bandwidth_bps = 0;
  int data_bits = 0;
  std::int64_t vector_lanes = 0;
  double mac_j = 0, buffer_byte_j = 0, memory_byte_j = 0, vector_op_j = 0, static_w = 0;
};

// A preset name (configs/baselines) or a path.
SystolicSpec loadSystolicSpec(const std::string& name_or_path);

struct SystolicLayer {
  std::string name, unit;                          // unit: "array" or "vector"
  std::int64_t m = 0, k = 0, n = 0, products = 1;  // products: independent GEMMs (depthwise, heads)
  std::int64_t folds = 0;
  std::int64_t compute_cycles = 0, memory_bytes = 0, cycles = 0;
  double macs = 0, energy_j = 0;
};

struct SystolicResult {
  std::vector<SystolicLayer> layers;
  std::int64_t cycles = 0;
  double seconds = 0, energy_j = 0;
  double energy_mac_j = 0, energy_buffer_j = 0, energy_memory_j = 0, energy_vector_j = 0,
         energy_static_j = 0;
};

// Cycles of one M x K by K x N product on the array (every fold, see above).
std::int64_t systolicGemmCycles(const SystolicSpec& spec, std::int64_t m, std::int64_t k,
                                std::int64_t n);

SystolicResult runSystolic(const Network& net, const SystolicSpec& spec);

}  // namespace xbarsim
