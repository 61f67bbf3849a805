// A processing element: its APUs and the PE buffer that stages their input vectors.
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/apu.h"
#include "sim/buffer.h"

namespace xbarsim::sim {

class Pe : public sc_core::sc_module {
 public:
  Pe(sc_core::sc_module_name name, const ArchSpec& arch, bool unconstrained, EnergyLedger& ledger);
  std::vector<std::unique_ptr<Apu>> apus;
  Buffer buffer;
};

}  // namespace xbarsim::sim
