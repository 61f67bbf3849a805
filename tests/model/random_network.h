// Small random networks for property tests: a chain of convolutions and pools with random
// kernels, strides and paddings, with residual adds (identity or 1x1 projection shortcut) and
// two-branch concats mixed in. Every network is valid by construction.
#pragma once

#include <random>
#include <string>

#include "workloads/network.h"

namespace xbarsim::testing {

inline Network randomNetwork(std::mt19937_64& rng, int blocks, bool allow_pools = true) {
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<LayerSpec> layers;
  int size = pick(6, 12);
  int channels = pick(1, 4);
  const Shape input{channels, size, size};
  std::string prev = "input";
  int id = 0;
  const auto add = [&](LayerSpec s) {
    s.name = "l" + std::to_string(id++);
    if (s.inputs.empty()) s.inputs = {prev};
    layers.push_back(s);
    prev = s.name;
    return s.name;
  };
  const auto conv = [&](int k, int s, int p, const std::string& from) {
    LayerSpec c;
    c.type = LayerType::kConv;
    c.out = channels;
    c.kernel = k;
    c.stride = s;
    c.pad = p;
    c.inputs = {from};
    return c;
  };
  for (int b = 0; b < blocks; ++b) {
    const int kind = pick(0, 9);
    if (kind <= 5 || size < 4) {
      // Plain conv, maybe followed by a pool.
      const int k = pick(1, std::min(3, size));
      const int p = pick(0, k / 2 + (k > 1 ? 1 : 0));
      const int s = size >= 6 ? pick(1, 2) : 1;
      add(conv(k, s, std::min(p, k - 1), prev));
      size = (size + 2 * std::min(p, k - 1) - k) / s + 1;
      if (allow_pools && size >= 4 && pick(0, 2) == 0) {
        LayerSpec pool;
        pool.type = pick(0, 1) ? LayerType::kMaxPool : LayerType::kAvgPool;
        pool.kernel = pick(2, 3);
        pool.stride = pick(1, 2);
        pool.pad = pick(0, 1);
        add(pool);
        size = (size + 2 * pool.pad - pool.kernel) / pool.stride + 1;
      }
    } else if (kind <= 7) {
      // Residual block: two 3x3 convs, identity or projection shortcut.
      const std::string in = prev;
      const bool project = pick(0, 1) == 1;
      add(conv(3, 1, 1, in));
      const std::string main = add(conv(3, 1, 1, prev));
      std::string shortcut = in;
      if (project) shortcut = add(conv(1, 1, 0, in));
      LayerSpec sum;
      sum.type = LayerType::kAdd;
      sum.inputs = {main, shortcut};
      add(sum);
    } else {
      // Two branches of different kernels joined by a concat.
      const std::string in = prev;
      const std::string a = add(conv(1, 1, 0, in));
      const std::string b2 = add(conv(3, 1, 1, in));
      LayerSpec cat;
      cat.type = LayerType::kConcat;
      cat.inputs = {a, b2};
      add(cat);
      channels *= 2;
    }
  }
  if (pick(0, 1) == 1) {
    LayerSpec fc;
    fc.type = LayerType::kFc;
    fc.out = pick(2, 5);
    add(fc);
  }
  return Network("random", input, layers);
}

}  // namespace xbarsim::testing
