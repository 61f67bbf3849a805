// The engine of one layer: the control logic of the tile(s) the layer runs on. It is a SystemC
// method that sleeps until an event wakes it (data arrived, room freed, its computation done)
// and then does what the data in its buffers allows. Nothing in it comes from the analytical
// models: which producer outputs a computation needs is the simulator's own window code
// (sim/window.h) over the network graph.
//
// A layer computes its output positions in raster order, a chunk at a time: a group of R
// positions on its crossbars (every copy of its weights computes one position), or, on a vector
// unit, every position whose inputs are present, at most an output row's width of them. A
// chunk fires when
//   1. the windows of all its positions have arrived in the layer's input buffers, on every
//      input port (padding needs no data);
//   2. its output buffer partition has room for its outputs (or is empty: a chunk larger than
//      the partition streams through it);
//   3. crossbar layers: its input vectors have been fetched from the input buffer over the tile
//      bus into the PE buffers (the next group's fetch overlaps this group's computation only
//      when two groups' vectors fit in the PE buffer, double buffering), and its crossbars are
//      free; vector layers: the tile's vector unit is free.
// When a chunk is done its outputs are written into the output buffer, then sent to every
// consumer as soon as the consumer's input buffer partition has room (back-pressure: the wait
// is counted), or, for the network's last layers, stored in the global buffer. Inputs no later
// chunk needs are released from the input buffer at once.
//
// Bounded buffers can deadlock where paths reconverge (a residual add whose shortcut input
// fills its buffer while the other input waits behind the same producer). When nothing in the
// chip can move any more, blocked producers spill their outputs to the global buffer
// (spillBlocked()), and the consumer reads them from there: both trips cost global-buffer and
// NoC time and energy, and the spilled bytes are counted. This also lets a layer whose window
// is larger than its share of the input buffers (attention's whole K operand) go on.
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "sim/energy_ledger.h"
#include "sim/layer_graph.h"
#include "sim/stats.h"
#include "sim/tracer.h"
#include "weights/activation_source.h"

namespace xbarsim::sim {

class Buffer;
class Tile;
class Interconnect;
class GlobalBuffer;
class MainMemory;
class Apu;
class LayerEngine;
class WriteDriver;

// The SystemC kernel's activity during the inference: the kernel's own delta count, and what
// the engines cause.
struct KernelActivity {
  std::int64_t delta_cycles = 0;         // sc_delta_count()
  std::int64_t activations = 0;          // layer-engine method runs
  std::int64_t timed_notifications = 0;  // wake-ups scheduled for a later cycle
  std::int64_t delta_notifications = 0;  // wake-ups within the same cycle
  std::int64_t messages = 0;             // data transfers between layers
  std::int64_t crossbar_mvms = 0;        // input vectors through an APU's crossbars (the work)
};

// One group computed on crossbars (input-stationary: a round's computation, after its write).
struct GroupRecord {
  std::int32_t layer;  // index of the layer in the Plan
  std::int32_t node;   // index of the layer in the simulator's graph
  std::int64_t start, end;
};

// What every engine shares: the chip's blocks and the run's bookkeeping.
struct EngineEnv {
  const ArchSpec* arch = nullptr;
  const WriteDriver* writer = nullptr;            // row write times (input-stationary)
  const ActivationSource* activations = nullptr;  // input codes (input-stationary)
  const LayerGraph* graph = nullptr;
  const Plan* plan = nullptr;
  // Per plan layer, per block of its set: the OUs holding a nonzero weight (weights/ou_blocks.h);
  // null, or a layer's entry empty, when every OU is activated.
  const std::vector<std::vector<std::vector<std::uint8_t>>>* ou_masks = nullptr;
  // With OU sharing (Plan::ou_sharing), per plan layer: what one read of each logical crossbar
  // of a copy activates and adds (its share of the copy's); empty otherwise.
  const std::vector<std::vector<OuLoad>>* ou_shared = nullptr;
  bool ideal = false;  // data movement and vector units take no time, buffers are unbounded
  std::int64_t bytes_per_value = 2;
  std::int64_t period_ps = 1;
  std::vector<Tile*> tiles;  // by index; null for a tile no layer uses (never built)
  // The APU of a global index (plan/plan.h), on a built tile.
  Apu& apu(std::int64_t index) const;
  Interconnect* noc = nullptr;
  GlobalBuffer* global_buffer = nullptr;
  MainMemory* memory = nullptr;
  std::vector<LayerEngine*> engines;  // by node index
  Tracer* tracer = nullptr;
  KernelActivity kernel;
  std::vector<GroupRecord> groups;
  std::int64_t done = 0;  // cycle the last result was stored

  std::int64_t now() const;
};

class LayerEngine : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(LayerEngine);
  LayerEngine(sc_core::sc_module_name name, int node, EngineEnv& env);

  // Before the simulation: claims the layer's partitions of its tiles' buffers, in proportion
  // to the bytes it held at most in its input and output buffers in a profiling run.
  void claimBuffers(double in_bytes, double out_bytes);
  // Starts the layer at cycle 0.
  void begin();

  // A producer asks how many of `positions` positions for input `port` fit now.
  std::int64_t room(int port, std::int64_t positions) const;
  // A producer sends positions [first, last) of input `port`; they arrive at `arrival`.
  void accept(int port, std::int64_t first, std::int64_t last, std::int64_t arrival);
  // A producer that found no room asks to be woken when some is freed.
  void askForRoom(LayerEngine* producer);
  // A producer spilled positions [first, last) of input `port` to the global buffer, where
  // they are from cycle `in_global`; they come back from there.
  void takeSpill(int port, std::int64_t first, std::int64_t last, std::int64_t in_global);
  // When nothing else in the chip can move: spills the outputs this layer holds for consumers
  // without room to the global buffer. Returns whether it spilled anything.
  bool spillBlocked();

  bool finished() const;
  // Why an unfinished layer cannot go on (for the deadlock report).
  std::string diagnose() const;
  const Stats& stats() const { return stats_; }
  std::int64_t firstCycle() const { return first_cycle_; }
  std::int64_t lastCycle() const { return last_cycle_; }
  std::int64_t chunks() const { return static_cast<std::int64_t>(chunks_fired_.value); }
  // Most bytes it held at once in its input and output buffers.
  double peakInput() const { return peak_in_; }
  double peakOutput() const { return peak_out_; }

 private:
  struct Port {
    std::int64_t bytes_per_position = 0;
    std::int64_t arrived = 0;                    // leading producer positions present
    std::map<std::int64_t, std::int64_t> early;  // arrived beyond them: first -> last
    std::int64_t reserved = 0;                   // producer positions sent to us so far
    std::int64_t released = 0;                   // leading positions dropped
    std::int64_t release_target = 0;             // what no later chunk needs
    double working = 0;  // bytes one chunk's windows hold at once (the partition keeps them)
  };
  struct Message {
    std::int64_t arrival;
    int port;
    std::int64_t first, last;
    bool operator>(const Message& o) const { return arrival > o.arrival; }
  };
  struct Chunk {
    std::int64_t first, last, start, end;
  };
  struct Ready {
    std::int64_t last, cycle;  // outputs below `last` are in the output buffer at `cycle`
  };

  void step();
  void absorb(std::int64_t t);
  void retire(std::int64_t t);
  void send(std::int64_t t);
  void block(std::size_t consumer, std::int64_t t);
  void unblock(std::size_t consumer, std::int64_t t);  // counts the back-pressure wait
  // Outputs below the returned position are in the output buffer by cycle t.
  std::int64_t readyBy(std::int64_t t) const;
  void fire(std::int64_t t);
  void release(std::int64_t t);
  // Moves positions [first, last) to consumer `c` (or the global buffer when c < 0) from cycle
  // t; returns the arrival cycle.
  std::int64_t move(std::int64_t first, std::int64_t last, int c, std::int64_t t);
  std::int64_t fireVector(std::int64_t first, std::int64_t last, std::int64_t t);
  // Input-stationary: writes the patches of positions [first, last) into the layer's cells
  // (fetched already), streams the weights in and computes one output channel per step; returns
  // when the round's outputs are in the output registers.
  std::int64_t fireRound(std::int64_t first, std::int64_t last, std::int64_t t);
  // Fills activations_ from env_.ou_masks.
  void countActivations();
  // Traced: records on each tile of the layer its part of work of `kind` begun at `start` (up
  // to tile_end_, which it clears), for `positions` output positions.
  void traceTiles(EventKind kind, std::int64_t start, std::int64_t positions);
  // The code of element k of position p's input patch (0 in the padding).
  std::uint32_t patchCode(std::int64_t p, std::int64_t k) const;
  // Last position (exclusive) a vector chunk from `first` can cover with what has arrived.
  std::int64_t availableUpTo(std::int64_t first, std::int64_t cap) const;
  bool inputsPresent(std::int64_t first, std::int64_t last) const;
  void occupyInputs(double bytes, std::int64_t t);
  // Moves each of `on`'s tiles its share of `bytes` through that tile's `buffer` port; returns
  // the latest arrival.
  std::int64_t transferOn(const Node& on, Buffer Tile::*buffer, std::int64_t bytes,
                          std::int64_t ready);
  // This layer's share of `bytes` enters (> 0) or leaves its partition of each tile's `buffer`.
  void occupyOn(Buffer Tile::*buffer, double bytes, std::int64_t t);
  // Sends over the interconnect, from every tile in `from` (its `sent` fraction of `bytes`) to
  // every tile in `to` (its `received` fraction of that), the data that changes tile; tiles
  // may be kMemoryPort. `consumer`: the receiving node, -1 for the global buffer. Returns the
  // latest arrival.
  std::int64_t carry(const std::vector<int>& from, const std::vector<double>& sent, int consumer,
                     const std::vector<int>& to, const std::vector<double>& received,
                     std::int64_t bytes, std::int64_t ready);
  void wakeAt(std::int64_t cycle);
  // The network input lives in the global buffer; a layer passed through holds nothing.
  bool holdsBuffers() const {
    return n_.kind != NodeKind::kSource && n_.kind != NodeKind::kPassThrough;
  }
  void markWaiting(std::int64_t& since, std::int64_t t) {
    if (since < 0) since = t;
  }
  // Ends a wait begun at `since` (if any): counts it and traces it as `kind`.
  void resume(std::int64_t& since, Counter& counter, std::int64_t t, EventKind kind);

  int node_;
  const Node& n_;
  EngineEnv& env_;
  sc_core::sc_event wake_;
  std::vector<Port> ports_;
  std::priority_queue<Message, std::vector<Message>, std::greater<>> mailbox_;
  double in_capacity_ = 0, in_used_ = 0;    // bytes, over all its tiles' input buffers
  double out_capacity_ = 0, out_used_ = 0;  // bytes, over all its tiles' output buffers
  double peak_in_ = 0, peak_out_ = 0;
  std::int64_t out_bytes_per_position_ = 0;
  std::int64_t next_ = 0;                    // next position to compute
  std::deque<Chunk> running_;                // fired, not yet done
  std::deque<Ready> outbox_;                 // done, in the output buffer
  std::int64_t produced_ = 0;                // positions in the output buffer (or sent)
  std::vector<std::int64_t> sent_;           // per consumer: positions sent
  std::vector<bool> blocked_;                // per consumer: sending found no room
  std::vector<std::int64_t> stalled_since_;  // per blocked consumer: since when
  std::int64_t blocked_since_ = -1;          // some consumer has had no room since, -1 if none
  std::int64_t stored_ = 0;                  // last layers: positions stored in the global buffer
  std::int64_t out_released_ = 0;
  std::vector<LayerEngine*> waiting_;  // producers waiting for room here
  std::int64_t timer_ = -1;            // a cycle fire() waits for (fetch, crossbars)
  // Crossbar layers.
  std::int64_t fetched_for_ = -1, fetch_done_ = 0, fetch_allowed_ = 0, xbars_free_ = 0;
  bool double_buffered_ = true;
  std::vector<std::int64_t> apus_;
  std::vector<OuLoad> activations_;               // per APU of apus_: the OUs one read activates
  std::vector<std::vector<Buffer*>> pe_buffers_;  // per tile of the layer
  // Traced crossbar layers: the tiles of its APUs, per APU of apus_ its tile's index there, per
  // tile the layer's logical crossbars on it and when its APUs are done (empty: not traced).
  std::vector<int> trace_tiles_;
  std::vector<std::size_t> apu_tile_;
  std::vector<std::int64_t> tile_crossbars_, tile_end_;
  // Records.
  std::int64_t first_cycle_ = -1, last_cycle_ = 0;
  std::int64_t input_wait_since_ = -1, output_wait_since_ = -1;
  std::int32_t trace_id_ = 0;
  Stats stats_;
  Counter& chunks_fired_;
  Counter& positions_;
  Counter& input_wait_;
  Counter& output_full_;
  Counter& backpressure_;
  Counter& fetch_bytes_;
  Counter& sent_bytes_;
  Counter& spilled_bytes_;
  Counter& input_cells_written_;  // input-stationary: cells written with input patches
  Counter& input_level_steps_;    // input-stationary: level steps writing them
  Counter& input_write_cycles_;   // input-stationary: cycles writing them (the slowest APU)
  Counter& weight_bytes_;         // input-stationary: weights streamed from main memory
};

}  // namespace xbarsim::sim
