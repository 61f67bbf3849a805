// The global buffer: banks of (possibly different) sizes, each with a static power while
// powered. For a run it powers the cheapest set of banks that holds what it must store and
// power-gates the rest (ARAS's adaptive bank selection); accesses go through one port at the
// buffer's bandwidth.
#pragma once

#include <systemc>

#include <vector>

#include "arch/arch_spec.h"
#include "sim/interfaces.h"
#include "sim/link.h"

namespace xbarsim::sim {

// Indices of the banks with the least total static power whose capacity reaches `bytes`
// (exact for up to 20 banks, greedy by power per byte beyond). Throws ConfigError naming the
// capacity when no selection fits.
std::vector<int> selectBanks(const GlobalBufferSpec& spec, double bytes);

class GlobalBuffer : public sc_core::sc_module, public TransferIf {
 public:
  sc_core::sc_export<TransferIf> port;

  GlobalBuffer(sc_core::sc_module_name name, const ArchSpec& arch, double bytes_needed);
  std::int64_t transfer(std::int64_t bytes, std::int64_t ready) override {
    return link_.transfer(bytes, ready);
  }
  const std::vector<int>& poweredBanks() const { return powered_; }
  double staticPowerW() const;
  const Link& link() const { return link_; }

 private:
  const GlobalBufferSpec& spec_;
  std::vector<int> powered_;
  Link link_;
};

}  // namespace xbarsim::sim
