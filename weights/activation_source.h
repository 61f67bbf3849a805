// Synthetic activations for input-stationary layers, whose crossbars are written with their
// input patches every inference (README, "Dataflows"): the pulses depend on the values, and the
// simulator computes no values, so each element of a layer's output (and of the network input)
// gets a seeded code, the same for every layer that reads it. The model: a ReLU output, zero
// with probability 1/2, otherwise an exponential law of mean 1/10 of full scale, rounded up to
// a nonzero code of `bits` bits and clipped at the top code.
#pragma once

#include <cstdint>
#include <vector>

namespace xbarsim {

// The law's probability of every code of `bits` bits (0 .. 2^bits - 1), for analytical use.
std::vector<double> activationCodeProbabilities(int bits);

class ActivationSource {
 public:
  explicit ActivationSource(std::uint64_t seed) : seed_(seed) {}
  // The code of element (c, y, x) of tensor `tensor` (a layer's output, by any index the
  // caller keeps stable; the same for every reader), `bits` bits (1-31).
  std::uint32_t code(std::int64_t tensor, std::int64_t c, std::int64_t y, std::int64_t x,
                     int bits) const;

 private:
  std::uint64_t seed_;
};

}  // namespace xbarsim
