// The interfaces blocks expose to each other. Calls carry cycle timestamps (loosely timed, as
// TLM's b_transport with annotated time): a requester passes the cycle its request is ready,
// the block answers the cycle it is done, having counted any wait for a busy resource.
#pragma once

#include <systemc>

#include <cstdint>

namespace xbarsim::sim {

// Moves `bytes` over a link (bus, NoC, memory channel); returns the cycle they have arrived.
class TransferIf : public virtual sc_core::sc_interface {
 public:
  virtual std::int64_t transfer(std::int64_t bytes, std::int64_t ready) = 0;
};

// Runs one input vector through every crossbar of an APU; returns the cycle the outputs are in
// the output register.
class ApuIf : public virtual sc_core::sc_interface {
 public:
  virtual std::int64_t compute(std::int64_t start) = 0;
};

}  // namespace xbarsim::sim
