// The chip controller of layer-sequential execution (ARAS section III-B): it executes the
// scheduler's instruction list (plan/schedule.h) on the chip's blocks. Two SystemC methods
// run side by side, each sleeping until its next action:
//
// Writing. A write op starts when the ops it waits for have finished (the simulator checks
// that no row it overwrites still holds weights of a part that has not computed). Every APU
// of its rows then rewrites its crossbars a batch of rows_in_parallel rows at a time: the
// batch's weight deltas (bits_per_cell + 1 bits per cell: a level change and its direction)
// are fetched from main memory over the interconnect into the PE buffer, then the write
// driver writes the batch in two phases, decrease then increase, each as long as its slowest
// cell (WriteDriver::rowCycles). The next batch's deltas are fetched while a batch is written.
// A batch whose cells already hold their new levels is skipped. The new levels are the
// weight source's codes of the layer's crossbar blocks, sliced into cells; what the cells held
// before is whatever the APU's cells hold (Apu::rewrite), across layers and inferences.
//
// Computing. One layer at a time, in the network graph's order, inference after inference. A
// crossbar layer runs its parts (compute ops) in order, each once its write op and the
// previous compute op are done: every copy takes its share of the layer's output positions,
// one input vector at a time (a step). A step reads the copies' input vectors (and partial
// sums an earlier part left) from the global buffer, sends them over the interconnect to the
// PE buffers of the part's rows, runs every APU of the rows (Apu::compute), sends the results
// back, where the accumulator adds the partial sums of different rows and the SFU (tile 0's
// vector unit) applies one operation per output (activation and de-quantisation), and writes
// them to the global buffer (partial sums of outputs whose other block rows are still to come
// in 4 bytes a value). The next step's inputs are fetched while a step computes when two
// steps' inputs fit in the PE buffer (double buffering), else once the APUs have taken them.
// Pools, adds, concats and attention's matmuls run on the SFU: inputs read from the global
// buffer, the layer graph's operations, outputs written back. The network input is loaded
// from main memory before an inference's first layer and the outputs are stored back after
// its last.
//
// Global buffer banks: while a layer computes (and until the next starts) only the banks the
// Plan selected for it are powered; it reads its inputs from its input banks and writes its
// outputs to its output banks (the network input is loaded into the first layer's input banks,
// the outputs stored from the last layer's output banks). A layer whose activations do not fit
// the buffer (parts > 1) moves the share that does not fit to main memory and back.
//
// Traced, each tile records every part computed on its crossbars, from its first input vector
// to its last result there.
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

#include "sim/chip.h"
#include "sim/sim_result.h"
#include "weights/weight_source.h"

namespace xbarsim::sim {

class Sequencer : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Sequencer);
  Sequencer(sc_core::sc_module_name name, Chip& chip, const Network& net, const Plan& plan,
            const WeightSource& weights);
  // Runs the instruction list to its end (sc_start inside); throws SimError if it cannot.
  void run();
  // What it measured: per op, per layer, per bank, throughput (energy split left to the mode).
  SequentialResult result() const;
  const Stats& stats() const { return stats_; }

 private:
  // One APU rewriting its crossbars for a write op.
  struct Job {
    std::int32_t op = 0;
    std::int64_t apu = 0;
    int node = 0;
    std::vector<std::uint8_t> levels;  // its crossbars' new levels
    std::vector<std::int64_t> kept;    // per crossbar: cells that already held their level
    std::int64_t first_physical = 0;   // its first crossbar's place in the row's logical ones
    std::int64_t batch = 0;            // next batch to fetch
    std::int64_t write_free = 0;       // the write driver is free from
    std::int64_t first = -1;           // first fetch
  };
  // One thing the compute engine does in turn: a crossbar part (op >= 0) or a vector layer.
  struct Item {
    int inference = 0;
    int node = 0;
    std::int32_t op = -1;
  };
  // A crossbar part's traffic and work per step, worked out when it starts.
  struct PartWork {
    std::int64_t in_bytes = 0;   // per position: input vectors and partial sums read
    std::int64_t out_bytes = 0;  // per position: outputs (or partial sums) written
    std::int64_t adds = 0;       // per position: accumulator additions
    std::int64_t sfu_ops = 0;    // per position: final outputs through the SFU
    std::vector<int> tiles;      // tiles holding the part's rows
    std::vector<double> tile_share;
    std::vector<std::int64_t> tile_crossbars;          // per tile: the part's logical crossbars
    std::vector<std::int64_t> pes;                     // PEs holding the part's rows (global index)
    std::vector<std::size_t> pe_tile;                  // per PE: its tile's index into `tiles`
    std::vector<std::int64_t> pe_bytes;                // per PE: input bytes of one full step
    std::int64_t step_bytes = 0;                       // all PEs' input bytes of one full step
    std::vector<std::vector<std::int64_t>> copy_apus;  // per copy: its APUs
    std::vector<std::vector<int>> copy_pe;             // per copy: index into pes of each APU
    std::vector<std::vector<OuLoad>> copy_activations;  // per copy: the OUs one read of each
                                                        // APU activates
    bool double_buffered = true;
  };

  void writeStep();
  void computeStep();
  void startWrite(std::int32_t op, std::int64_t now);
  // Processes job `j` at `now`: fetches and writes its next batches, or finishes it.
  void advance(std::size_t j, std::int64_t now);
  // Sends the results of the steps done by `now` on their way to the global buffer.
  void flushOutputs(int node, std::int64_t now);
  // The cycle all `ops` have ended by; -1 while one of their ends is not known yet.
  std::int64_t doneBy(const std::vector<std::int32_t>& ops) const;
  PartWork partWork(const SeqOp& op) const;
  // Starts item `i` at `now` (returns false if it must wait).
  bool begin(std::size_t i, std::int64_t now);
  void finishOp(std::int32_t op, std::int64_t end);
  std::int64_t vectorLayer(const Item& it, std::int64_t now);
  // Main memory -> global buffer (load) or back, the global buffer's `side`.
  std::int64_t loadOrStore(int node, std::int64_t bytes, bool load, std::int64_t now,
                           GlobalBuffer::Side side);
  std::int64_t spill(int node, const LayerBanks& banks, std::int64_t now);
  SeqLayerResult& entry(int inference, int node);

  Chip& chip_;
  const Network& net_;
  const Plan& plan_;
  const Schedule& sched_;
  const WeightSource& weights_;
  const ArchSpec& arch_;
  const LayerGraph& graph_;
  sc_core::sc_event write_wake_, compute_wake_;
  std::int64_t bytes_per_value_;
  std::int64_t apus_per_row_, batch_rows_, batches_, delta_bytes_;
  std::vector<int> node_of_layer_;        // Plan layer -> graph node
  std::vector<const LayerBanks*> banks_;  // per graph node

  // Writing.
  std::vector<SeqOpTiming> timing_;
  std::vector<bool> started_;
  std::vector<std::int32_t> unfinished_jobs_;
  std::vector<std::int64_t> jobs_end_;          // per write op: the latest end of its finished jobs
  std::vector<std::int32_t> compute_of_write_;  // write op -> its compute op
  std::vector<std::int32_t> row_owner_;         // APU row -> write op holding it, -1 if none
  std::size_t next_write_ = 0;                  // first write op not started
  bool scan_writes_ = true;                     // a compute op ended: look for writes to start
  std::vector<Job> jobs_;
  std::vector<std::size_t> free_jobs_;
  using Event = std::pair<std::int64_t, std::size_t>;  // (cycle, job)
  std::priority_queue<Event, std::vector<Event>, std::greater<>> calendar_;

  // Computing.
  std::vector<Item> items_;
  std::size_t item_ = 0;
  bool in_part_ = false;
  PartWork work_;
  std::int64_t positions_ = 0, step_ = 0, steps_ = 0;
  std::int64_t next_issue_ = 0, apus_free_ = 0, part_end_ = 0, part_start_ = 0;
  std::int64_t compute_free_ = 0;                              // the previous layer's end
  std::deque<std::pair<std::int64_t, std::int64_t>> outputs_;  // steps done: (cycle, positions)
  // Traced: per tile of the part, its first input vector's arrival and its last result.
  std::vector<std::pair<std::int64_t, std::int64_t>> tile_work_;
  std::vector<SeqLayerResult> layers_;
  std::vector<std::int32_t> entry_;  // inference x nodes + node -> index into layers_
  std::vector<std::int64_t> inference_end_;
  std::int64_t level_steps_ = 0, row_writes_ = 0, fetched_bytes_ = 0;
  std::int32_t write_trace_, compute_trace_;
  Stats stats_;
  Counter& write_wakeups_;
  Counter& compute_wakeups_;
  Counter& steps_done_;
};

}  // namespace xbarsim::sim
