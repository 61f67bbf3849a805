// Main memory (DRAM/LPDDR behind the chip): one channel at `bandwidth` with a fixed access
// latency. Weight data for ReRAM programming and the network's input and output pass here.
#pragma once

#include <systemc>

#include "arch/arch_spec.h"
#include "sim/interfaces.h"
#include "sim/link.h"

namespace xbarsim::sim {

class MainMemory : public sc_core::sc_module, public TransferIf {
 public:
  sc_core::sc_export<TransferIf> port;

  MainMemory(sc_core::sc_module_name name, const ArchSpec& arch);
  std::int64_t transfer(std::int64_t bytes, std::int64_t ready) override {
    return link_.transfer(bytes, ready);
  }
  const Link& link() const { return link_; }
  // Starts a new timeline at cycle 0 (inference after programming); byte counts stay.
  void restartTimeline() { link_.restartTimeline(); }

 private:
  Link link_;
};

}  // namespace xbarsim::sim
