// The chip: its tiles, the inter-tile bus (NoC), the global buffer, the main memory behind it,
// the ReRAM write driver and the controller that executes the Plan, all bound together.
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/bus.h"
#include "sim/controller.h"
#include "sim/global_buffer.h"
#include "sim/main_memory.h"
#include "sim/tile.h"
#include "sim/write_driver.h"

namespace xbarsim::sim {

class Chip : public sc_core::sc_module {
 public:
  Chip(sc_core::sc_module_name name, const Problem& p, const Plan& plan, const SimOptions& opt,
       Tracer& tracer);

  std::vector<std::unique_ptr<Tile>> tiles;
  Bus noc;
  GlobalBuffer global_buffer;
  MainMemory main_memory;
  WriteDriver write_driver;
  std::unique_ptr<Controller> controller;

  // Every APU in global index order.
  std::vector<Apu*> apus() const;
};

}  // namespace xbarsim::sim
