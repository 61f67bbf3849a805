// The interfaces blocks expose to the layer engines that drive them. Calls carry cycle
// timestamps (loosely timed, as TLM's b_transport with annotated time): a requester passes the
// cycle its request is ready, the block answers the cycle it is done, having made it wait
// while the resource was busy, and books the energy of the action against `layer`.
#pragma once

#include <cstdint>

#include "arch/arch_spec.h"

#include "sim/link.h"

namespace xbarsim::sim {

// Moves bytes over a link (bus, NoC, memory channel, buffer port).
class TransferIf {
 public:
  virtual ~TransferIf() = default;
  virtual std::int64_t transfer(int layer, std::int64_t bytes, std::int64_t ready) = 0;
  // The link itself, to stream a transfer through several blocks (streamThrough).
  virtual Link& link() = 0;
};

// Runs one input vector through every crossbar of an APU; returns the cycle the outputs are in
// the output register.
class ApuIf {
 public:
  virtual ~ApuIf() = default;
  // One input vector through the APU, each bit-serial read activating the OUs of `load`
  // (ApuSpec::fullOuLoad: every OU of the crossbars); returns the cycle it is done.
  virtual std::int64_t compute(int layer, std::int64_t start, const OuLoad& load) = 0;
};

}  // namespace xbarsim::sim
