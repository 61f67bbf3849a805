// The controller executes a Plan in pipelined mode: every layer holds its R crossbar sets and
// computes groups of R output positions in raster order (a step). A layer fires its next group
// when
//   1. the inputs the group needs (through its producers' fused pools and any glue: adds and
//      concats wait for all producers; padding is always there) have arrived in its tiles'
//      input buffers,
//   2. its input windows have been fetched over each tile's bus (overlapping the previous
//      group's computation), and
//   3. its crossbar sets are free (the previous group has left the APUs).
// A finished group's outputs go over the inter-tile bus to every tile of every consumer (all
// producer tiles to all consumer tiles, as eq. 12 of the crossbar-allocation paper) or, for a
// layer without consumers, to the global buffer.
//
// Timing: outputs exist when a group ends, so a consumer's group can start no earlier than the
// end of the producer group it needs. With data movement free this is the exact step model at
// lag = 1 (one step between a producer's output and its first use); the paper's lag = 0 would
// need a consumer to compute with values its producer is still computing.
#pragma once

#include <systemc>

#include <deque>
#include <memory>
#include <vector>

#include "model/plan.h"
#include "sim/buffer.h"
#include "sim/histogram.h"
#include "sim/interfaces.h"
#include "sim/sim_result.h"

namespace xbarsim::sim {

class Tile;

class Controller : public sc_core::sc_module {
 public:
  sc_core::sc_port<ApuIf, 0> apus;             // every APU, by global index
  sc_core::sc_port<TransferIf, 0> tile_buses;  // every tile's bus, by tile index
  sc_core::sc_port<TransferIf> noc;
  sc_core::sc_port<TransferIf> global_buffer;
  sc_core::sc_port<TransferIf> memory;

  SC_HAS_PROCESS(Controller);
  Controller(sc_core::sc_module_name name, const Problem& p, const Plan& plan, const ArchSpec& arch,
             bool bandwidth, Tracer& tracer, std::vector<Tile*> tiles);

  // After sc_start: what happened.
  std::int64_t doneCycle() const { return done_; }
  const std::vector<GroupRecord>& groups() const { return records_; }
  std::vector<SimLayer> layerStats(std::int64_t step_cycles) const;
  std::int64_t events() const { return events_; }
  const std::vector<TimeHistogram>& tileBusy() const { return tile_busy_; }

 private:
  struct Producer {
    int layer;
    std::vector<std::int64_t> arrival;  // per producer group: cycle it is in my tiles (-1: not yet)
  };
  struct Pending {
    std::int64_t group, start, end;
  };
  struct LayerState {
    std::int64_t groups = 0, positions = 0, r = 1;
    std::int64_t next = 0;      // next group to fire
    std::int64_t fetched = -1;  // group whose inputs are fetched (or being fetched)
    std::int64_t fetch_done = 0;
    std::int64_t sets_free = 0;
    std::vector<Producer> producers;
    std::vector<std::size_t> path_producer;  // per input path of the Problem layer
    std::vector<int> consumers;
    std::deque<Pending> pending;  // fired groups not yet completed
    std::unique_ptr<sc_core::sc_event> wake;
    std::int32_t trace_id = 0;
  };

  void start();
  void advance(std::size_t layer);
  void complete(std::size_t layer, const Pending& g);
  // Cycle the inputs of `group` are all in place; -1 if some producer has not produced them.
  std::int64_t inputsReady(std::size_t layer, std::int64_t group) const;
  std::int64_t now() const;
  void wakeAt(std::size_t layer, std::int64_t cycle);
  std::int64_t bytesOf(std::size_t layer, std::int64_t values_per_set, std::int64_t group,
                       std::size_t tile_index) const;

  const Problem& p_;
  const Plan& plan_;
  const ArchSpec& arch_;
  bool bandwidth_;
  Tracer& tracer_;
  std::vector<Tile*> tiles_;
  std::int64_t period_ps_;
  std::int64_t bytes_per_value_;
  std::vector<LayerState> layers_;
  std::int64_t input_ready_ = 0;
  std::int64_t done_ = 0;
  std::int64_t events_ = 0;
  std::vector<GroupRecord> records_;
  std::vector<TimeHistogram> tile_busy_;  // APU-cycles busy per tile
  std::int32_t trace_noc_ = 0;
};

}  // namespace xbarsim::sim
