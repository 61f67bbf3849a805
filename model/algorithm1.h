// Algorithm 1 of the crossbar-allocation paper (Li, Han, Chen 2024, section 3.2.2): the number
// of pipeline steps of a layer-pipelined inference for an allocation R, from PreOpInterval,
// PreOp, NormalOp, Tail and Op. Exact to the paper on a chain of layers; choices where the
// paper is silent or ambiguous:
// - Non-chain networks: PreOp^i takes the max over each direct producer q of the paper's
//   backward sweep along q, q's port-0 producer, its port-0 producer, ... (on a chain this is
//   the paper's max over all k < i); Op^i = max(NormalOp^i + PreOp^i, max_q Op^q + Tail^i);
//   the total is max_i Op^i. Glue between layers (adds, concats, pools not fused) is treated
//   as identity: Algorithm 1 has no term for it.
// - Tail rounding as printed: ceil(W_o floor(P_c / S_c) / R).
// - W_p (line 4) uses floor division, as the conv/pool output-size formula.
// - An fc layer reads its whole input: Algorithm 1 sees it with K_c = W_p of its producer and
//   P_c = 0 (the paper's experiments have no fc layers).
// - A producer output count below one (only padding needed) counts as one.
#pragma once

#include <cstdint>
#include <vector>

#include "model/problem.h"

namespace xbarsim {

struct Alg1Layer {
  std::int64_t normal_op = 0, pre_op = 0, tail = 0, op = 0;
};

struct Alg1Result {
  std::int64_t steps = 0;  // max_i Op^i
  std::vector<Alg1Layer> layers;
};

// Layer i's terms for successive values of R^i, given R and the terms of layers 0..i-1 (all
// producers of i come before it). The backward sweep of PreOpInterval past i's producers
// depends on R^i only through the producer output count it asks for, so that part is kept
// and reused while the count stays the same. The DP calls this in its inner loop.
class Alg1LayerEvaluator {
 public:
  Alg1LayerEvaluator(const Problem& p, std::size_t i, const std::int64_t* r,
                     const Alg1Layer* earlier);
  Alg1Layer operator()(std::int64_t r_i);

 private:
  // max over k behind producer q of PreOpInterval(i, k) + PreOp^k, given the sweep reaches q
  // having needed `product` of q's outputs.
  std::int64_t deeper(int q, std::int64_t product) const;
  struct Cached {
    std::int64_t product = -1;
    std::int64_t value = 0;
  };
  const Problem* p_;
  std::size_t i_;
  const std::int64_t* r_;
  const Alg1Layer* earlier_;
  Cached cache_;  // for the first producer (most layers have one; no allocation per layer)
};

Alg1Result algorithm1(const Problem& p, const Allocation& r);

}  // namespace xbarsim
