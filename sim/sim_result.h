// What a simulation reports. Field names match the analytical Estimate where they mean the
// same (steps, cycles, seconds, per-layer first/last step and stalls) so that validation can
// compare them generically.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/layer_engine.h"
#include "sim/tracer.h"
#include "sim/write_driver.h"

namespace xbarsim::sim {

struct SimOptions {
  // false: ideal data movement (the models' --no-bandwidth): transfers and vector units take
  // no time and buffers are unbounded; crossbar computation alone sets the timing.
  bool bandwidth = true;
  bool trace = false;
  // The most events of tiles, links and global-buffer banks the trace keeps (sim/tracer.h).
  std::int64_t trace_hardware_limit = Tracer::kDefaultHardwareLimit;
  std::uint64_t seed = 1;    // synthetic weights
  std::string weights_path;  // HDF5 weights; empty: synthetic
};

// One planned (crossbar) layer in steps of one computation stage, as the models count.
struct SimLayer {
  std::int64_t groups = 0;
  std::int64_t first_step = 0, last_step = 0, stalls = 0;  // steps of step_cycles
  std::int64_t first_cycle = 0, last_cycle = 0;            // first start, last end
  std::int64_t wait_cycles = 0;  // cycles between groups beyond one computation stage
};

// Every layer of the network, whatever runs it.
struct NodeResult {
  std::string name, type, hardware;  // hardware: crossbars, vector unit, not simulated
  std::int64_t positions = 0, chunks = 0;
  std::int64_t first_cycle = 0, last_cycle = 0;
  double input_wait_cycles = 0, output_full_cycles = 0, backpressure_cycles = 0;
  double energy_j = 0;
};

// One link of the interconnect.
struct NocLinkStats {
  std::string name;
  std::int64_t bytes = 0;        // on the wire, headers included
  std::int64_t busy_cycles = 0;  // time it carried data
  std::int64_t wait_cycles = 0;  // time transfers waited for it (contention)
  std::int64_t requests = 0;     // transfers it carried
};

struct ResourceStats {
  std::string name;
  std::int64_t busy_cycles = 0, wait_cycles = 0, requests = 0;
};

// One counter of one block, as the block declared it.
struct StatRow {
  std::string block, name, unit, description;
  double value = 0;
};

struct WallTime {
  double setup_s = 0, programming_s = 0, inference_s = 0, total_s = 0;
};

// Layer-sequential execution (sim/sequencer.h).
struct SeqOpTiming {
  std::int64_t start = -1, end = -1;  // cycles; a write from its first fetch to its last row
};

// One layer of one inference: its computation, and the writing of its weights.
struct SeqLayerResult {
  std::string layer, hardware;  // hardware: crossbars | vector unit
  int inference = 0;
  std::int64_t start = 0, end = 0;  // its computation, first part's start to last part's end
  std::int64_t compute_cycles = 0;  // computing (its parts one after another)
  std::int64_t stall_cycles = 0;    // waiting for its weights once the layer before was done
  std::int64_t write_start = -1, write_end = -1;  // its write ops, first start to last end
  std::int64_t parts = 0, max_copies = 0;
  std::int64_t level_steps = 0;  // cell level changes written for it (x pulses per step)
  double write_energy_j = 0;
  // Per cell position (slice, least significant first): cells of the crossbars rewritten for it
  // (padding included), and those that already held their new level (no pulse).
  std::vector<std::int64_t> examined_cells, kept_cells;
};

struct BankResult {
  int bank = 0;
  double size_bytes = 0, static_power_w = 0;
  std::int64_t powered_cycles = 0;
  double static_energy_j = 0;
};

struct SequentialResult {
  std::string scheduler;
  std::int64_t inferences = 0;   // 0: not a layer-sequential run
  std::vector<SeqOpTiming> ops;  // per instruction of the Plan's schedule
  std::vector<SeqLayerResult> layers;
  std::vector<BankResult> banks;
  std::vector<std::int64_t> inference_end;  // cycle each inference's outputs were stored
  std::int64_t level_steps = 0, pulses = 0, row_writes = 0, delta_bytes = 0;
  // Per cell position, over every layer: the fraction of rewritten cells that kept their level.
  std::vector<double> kept_fraction;
  double seconds_per_inference = 0;  // steady state: between the ends of the first and last
  double inferences_per_s = 0;
  // The paper's upper bound: every weight written once with the chip's APU rows in parallel
  // (worst-case crossbar write time) or, if slower, every delta fetched from main memory.
  double upper_bound_s = 0, fraction_of_upper_bound = 0;
  double energy_compute_j = 0, energy_write_j = 0, energy_static_j = 0, energy_main_memory_j = 0;
  double rewrites_per_inference = 0;  // most rewrites of one crossbar's cells per inference
  double real_time_rate = 0;          // inferences per second: 30 for CNNs, 100 with attention
  double lifespan_real_time_years = 0, lifespan_max_throughput_years = 0;
};

struct SimResult {
  std::string mode;                        // execution mode
  std::string selection;                   // which weight layers had crossbars: all | paper
  std::string weights;                     // where the programmed weights came from
  std::vector<std::string> not_simulated;  // weight layers without crossbars, passed through
  std::int64_t cycles = 0;                 // inference: first input load to last output stored
  std::int64_t step_cycles = 0;            // one computation stage, as it emerged from the APU
  std::int64_t steps = 0;                  // cycles / step_cycles, rounded up
  double seconds = 0;
  double energy_j = 0;
  std::map<std::string, double> energy_by_component;
  ProgrammingStats programming;
  double endurance_writes = 0;
  double lifespan_programmings = 0;  // endurance / most writes of one cell per programming
  KernelActivity kernel;
  WallTime wall;
  std::vector<SimLayer> layers;   // planned layers, in Plan order
  std::vector<NodeResult> nodes;  // every layer, producers first (the network input first)
  std::vector<GroupRecord> groups;
  std::vector<ResourceStats> resources;
  std::vector<StatRow> stats;
  std::vector<int> powered_banks;
  std::int64_t bin_cycles = 0;
  // Per built tile (a tile no layer uses is never built): its index, then [row][bin].
  std::vector<std::int64_t> tile_index;
  std::vector<std::vector<double>> tile_utilisation;        // [row][bin], 0..1
  std::vector<std::vector<double>> input_buffer_occupancy;  // [row][bin], mean bytes
  std::vector<double> noc_bytes;                            // [bin], wire bytes over all links
  std::string topology;                                     // the interconnect's
  std::vector<NocLinkStats> noc_links;                      // every link that carried data
  std::vector<std::vector<double>> noc_link_utilisation;    // [link of noc_links][bin], 0..1
  std::vector<TraceEvent> trace;
  std::vector<std::string> trace_components;
  std::vector<ComponentKind> trace_component_kinds;  // per trace component
  std::int64_t trace_dropped = 0;  // hardware events past SimOptions::trace_hardware_limit
  SequentialResult sequential;
};

}  // namespace xbarsim::sim
