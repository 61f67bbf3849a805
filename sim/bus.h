// A bus: the intra-tile bus between a tile's buffers and its PEs, or the inter-tile bus (NoC)
// between tiles: a Link at the bus bandwidth (capped by the buffer port feeding it, if given)
// with the bus latency.
#pragma once

#include <systemc>

#include "arch/arch_spec.h"
#include "sim/interfaces.h"
#include "sim/link.h"

namespace xbarsim::sim {

class Bus : public sc_core::sc_module, public TransferIf {
 public:
  sc_core::sc_export<TransferIf> port;

  // `cap_bps` caps the rate further (a buffer port feeding the bus); 0 for none.
  Bus(sc_core::sc_module_name name, const BusSpec& spec, double clock_period_s, bool unconstrained,
      double cap_bps = 0);
  std::int64_t transfer(std::int64_t bytes, std::int64_t ready) override {
    return link_.transfer(bytes, ready);
  }
  const Link& link() const { return link_; }

 private:
  Link link_;
};

}  // namespace xbarsim::sim
