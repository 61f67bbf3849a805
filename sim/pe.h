// A processing element: its APUs and the PE buffer that stages their input vectors.
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/apu.h"
#include "sim/buffer.h"
#include "sim/teardown.h"

namespace xbarsim::sim {

class Pe : public sc_core::sc_module {
 public:
  Pe(sc_core::sc_module_name name, const ArchSpec& arch, bool unconstrained, EnergyLedger& ledger);
  // Blocks in the order they are built, so that they are destroyed in reverse (sim/teardown.h).
  Buffer buffer;
  ReverseOwned<Apu> apus;
};

}  // namespace xbarsim::sim
