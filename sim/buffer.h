// A buffer: a tile's input or output buffer, or a PE's buffer. It has a capacity and one port
// at its bandwidth, through which every byte written or read passes (energy: `buffer_byte`
// per byte).
//
// Capacity is split into fixed partitions, one per layer that keeps data here, in proportion
// to the weight each layer claims (the simulator claims the most the layer held in a profiling
// run with unbounded buffers, times the share of its data on this tile), so that one layer's
// data cannot starve another's and a full partition pushes back only on its own senders. A sender
// reserves room before it sends; the layer releases it when it no longer needs the data.
// Occupancy over time, its peak, and the cycles senders waited for room are recorded.
// Unconstrained (ideal data movement), capacity is unlimited and the port takes no time.
#pragma once

#include <systemc>

#include <map>

#include "arch/arch_spec.h"
#include "sim/energy_ledger.h"
#include "sim/histogram.h"
#include "sim/interfaces.h"
#include "sim/stats.h"

namespace xbarsim::sim {

class Buffer : public sc_core::sc_module, public TransferIf {
 public:
  Buffer(sc_core::sc_module_name name, const BufferSpec& spec, double clock_period_s,
         bool unconstrained, EnergyLedger& ledger, double joules_per_byte);

  // Before the simulation: `layer` keeps `weight` of its data here, and cannot work with less
  // than `floor` bytes (its working set). Partitions are in proportion to the weights, except
  // that none falls below its floor: those that would are raised to it, and the rest share
  // what is left by weight. When the floors alone exceed the buffer, partitions are in
  // proportion to them.
  void claim(int layer, double weight, double floor = 0);
  double capacityOf(int layer);  // bytes of the layer's partition
  double usedBy(int layer) const;
  // Bytes enter (> 0) or leave (< 0) the layer's partition at cycle `now`.
  void occupy(int layer, double bytes, std::int64_t now);
  // A sender waited `cycles` for room in the layer's partition.
  void senderStalled(double cycles) { sender_stall_ += cycles; }

  std::int64_t transfer(int layer, std::int64_t bytes, std::int64_t ready) override;
  Link& link() override { return port_; }
  void account(int layer, std::int64_t bytes);  // bytes streamed through link()

  const Stats& stats() const { return stats_; }
  // Byte-cycles per bin (divide by the bin width for the mean occupancy in bytes).
  const TimeHistogram& occupancy() const { return occupancy_; }

 private:
  struct Partition {
    double weight = 0, floor = 0, used = 0;
    double capacity = 0;  // from split()
  };
  const BufferSpec& spec_;
  bool unconstrained_;
  Link port_;
  EnergyLedger& ledger_;
  int component_;
  double joules_per_byte_;
  std::map<int, Partition> parts_;
  double total_weight_ = 0, total_floor_ = 0;
  bool split_ = false;  // capacities up to date
  void split();
  double used_ = 0;
  std::int64_t last_change_ = 0;
  TimeHistogram occupancy_;
  Stats stats_;
  Counter& bytes_;
  Counter& peak_;
  Counter& sender_stall_;
};

}  // namespace xbarsim::sim
