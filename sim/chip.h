// The chip: its tiles, the interconnect of the arch's topology, the global buffer, the main memory
// behind it, the ReRAM write driver, and one engine per layer of the network, all bound together.
#pragma once

#include <systemc>

#include <memory>
#include <vector>

#include "sim/global_buffer.h"
#include "sim/interconnect.h"
#include "sim/layer_engine.h"
#include "sim/main_memory.h"
#include "sim/teardown.h"
#include "sim/tile.h"
#include "sim/vector_unit.h"
#include "sim/write_driver.h"

namespace xbarsim::sim {

class Chip : public sc_core::sc_module {
 public:
  // `ideal`: data movement and vector units take no time, buffers are unbounded.
  // `buffer_needs`: per layer, the bytes it must hold in its input and output buffers (buffer
  // partitions are sized in proportion); unused when ideal. Empty (layer-sequential): layers
  // hold no partitions, and the execution mode powers the global buffer's banks per layer.
  Chip(sc_core::sc_module_name name, const ArchSpec& arch, const LayerGraph& graph,
       const Plan& plan, bool ideal, const std::vector<std::pair<double, double>>& buffer_needs,
       EnergyLedger& ledger, Tracer& tracer);

  // By index. A tile no layer uses is never built (null): it would hold no data and do no work,
  // and its static power is not counted, so a chip far larger than the network costs no more
  // than one that just fits it.
  ~Chip() override;

 private:
  std::unique_ptr<TeardownAnchor> anchor_;  // the first block built (sim/teardown.h)

 public:
  // Blocks in the order they are built, so that they are destroyed in reverse (sim/teardown.h).
  GlobalBuffer global_buffer;
  MainMemory main_memory;
  WriteDriver write_driver;
  VectorUnit accumulator;  // adds partial sums of different APU rows (layer-sequential)
  std::unique_ptr<Interconnect> noc;
  ReverseOwned<Tile> tiles;
  EngineEnv env;
  ReverseOwned<LayerEngine> engines;  // by node index

  // Starts every layer engine and runs the inference to its end: whenever the kernel runs out
  // of events with layers unfinished (bounded buffers deadlocked), blocked producers spill to
  // the global buffer and it goes on.
  void runInference();
  // Throws SimError naming the layers that could not finish (a deadlock).
  void checkFinished() const;
  // Per layer, the most bytes it held in its input and output buffers.
  std::vector<std::pair<double, double>> bufferPeaks() const;
  // Every block's counters.
  std::vector<const Stats*> stats() const;
};

}  // namespace xbarsim::sim
