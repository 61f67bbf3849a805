// The immutable hardware description: chip -> tiles -> PEs -> APUs (crossbars with their DAC
// array, sample-and-hold, shared ADC pool and shift-and-add), buffers, buses, global-buffer
// banks, main memory, the ReRAM device, the clock, data precision and energy per action.
// Loaded once from YAML (README.md, "Hardware specs"); all quantities are SI base units (s, Hz,
// B, B/s, W, J) or plain counts. Nothing here changes after loading.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/strict_map.h"

namespace xbarsim {

struct CrossbarSpec {
  int rows = 0;               // wordlines (inputs)
  int cols = 0;               // bitlines (outputs)
  int bits_per_cell = 0;      // levels = 2^bits_per_cell
  double read_latency_s = 0;  // one analog MVM (all rows driven, all columns settle)
};

struct DacSpec {
  int per_crossbar = 0;  // DACs driving one crossbar's rows
  int bits = 0;          // input bits applied per crossbar read
};

struct AdcSpec {
  int count = 0;                 // ADCs per APU, shared by all columns of its crossbars
  int bits = 0;                  // resolution
  double conversion_time_s = 0;  // one conversion at reference_bits (1 / sample rate)
  int reference_bits = 0;        // resolution the conversion time and energy are given for

  // A SAR ADC resolves one bit per comparison: time grows linearly with the bits.
  double conversionTimeS() const { return conversion_time_s * bits / reference_bits; }
  // Walden's figure of merit: energy per conversion step is constant, and a conversion takes
  // 2^bits steps, so energy scales by 2^(bits - reference_bits).
  double energyScale() const;
};

// An operation unit: the rows x cols of a crossbar one activation drives (its DACs) and
// converts (its columns through S&H, the ADCs and shift-and-add). Default: the whole crossbar.
struct OuSpec {
  int rows = 0;
  int cols = 0;
};

// The OU activations of one bit-serial read of an APU, and what they drive and convert in each
// of its crossbars: rows (DACs) and columns (ADC conversions) summed over the activations, and
// the cells they span. An OU at the crossbar's edge may be smaller than ou.rows x ou.cols.
struct OuLoad {
  std::int64_t activations = 0, rows = 0, cols = 0, cells = 0;
  // OU sharing: column results the adders add into further output groups (a shared OU's
  // outputs scattered to every group that uses it), over all crossbars of the APU.
  std::int64_t scatter_adds = 0;
};

struct ApuSpec {
  int crossbars = 0;  // physical crossbars in the APU
  CrossbarSpec crossbar;
  OuSpec ou;
  DacSpec dac;
  AdcSpec adc;
  int sample_hold_cycles = 0;   // latch the bitline currents after a read
  int shift_add_cycles = 0;     // merge one read's digital results into the running sums
  int input_cycles = 0;         // fetch an input vector into the input register / DACs
  int output_cycles = 0;        // write the finished outputs to the output register
  bool pipelined_reads = true;  // successive bit-serial reads overlap (ISAAC) or run back to back

  // Crossbar reads per input vector: ceil(input_bits / dac.bits).
  int readsPerInput(int input_bits) const { return (input_bits + dac.bits - 1) / dac.bits; }
  // OU activations per read of a full crossbar: ceil(rows / ou.rows) x ceil(cols / ou.cols).
  // Every activation runs on all the APU's crossbars at once (the same OU of each).
  std::int64_t ousPerRead() const;
  // The load of a read that activates OU (i, j) of the grid, or every OU of it.
  OuLoad ouLoad(std::int64_t i, std::int64_t j) const;
  OuLoad fullOuLoad() const;
  // The ADC resolution that resolves an OU column's sum exactly: a column adds ou.rows cells of
  // up to 2^bits_per_cell - 1 times a DAC input of up to 2^dac.bits - 1, so
  // ceil(log2(ou.rows (2^bits_per_cell - 1) (2^dac.bits - 1) + 1)) bits.
  int requiredAdcBits() const;
};

struct BufferSpec {
  double size_bytes = 0;
  double bandwidth_bps = 0;  // bytes per second
};

struct BusSpec {
  double bandwidth_bps = 0;
  int latency_cycles = 0;
};

struct PeSpec {
  int apus = 0;
  // Rows of APUs. The APUs of a row share their broadcast input vectors, so in layer-sequential
  // execution a row holds weights of one layer (ARAS section IV). Default: every logical
  // crossbar a row of its own.
  int apu_rows = 0;
  BufferSpec buffer;
  ApuSpec apu;
};

// The tile's digital vector unit: pooling, residual adds, concatenation copies and
// activation x activation matmuls (attention), `ops_per_cycle` element operations (a compare,
// an add, a copy or a multiply-accumulate) per cycle.
struct VectorUnitSpec {
  int ops_per_cycle = 0;
};

struct TileSpec {
  int pes = 0;
  VectorUnitSpec vector_unit;
  BufferSpec input_buffer;
  BufferSpec output_buffer;
  BusSpec bus;  // intra-tile bus between buffers and PEs
  PeSpec pe;
};

struct BankSpec {
  double size_bytes = 0;
  double static_power_w = 0;  // while powered; unused banks may be power-gated
};

struct GlobalBufferSpec {
  double bandwidth_bps = 0;
  std::vector<BankSpec> banks;  // one entry per physical bank (YAML 'count' expanded)
  double totalBytes() const;
};

struct MainMemorySpec {
  double bandwidth_bps = 0;
  double latency_s = 0;
};

struct ReramDeviceSpec {
  double write_pulse_width_s = 0;
  int pulses_per_level_step = 0;  // pulses to move a cell by one conductance level
  double write_energy_per_pulse_j = 0;
  int rows_in_parallel = 0;     // rows of one crossbar written at once (write-driver limit)
  double endurance_writes = 0;  // write cycles a cell survives
};

struct DataSpec {
  int input_bits = 0;   // activation precision
  int weight_bits = 0;  // weight precision
};

// Energy of one action, in joules; every key is optional (0 when absent).
struct EnergySpec {
  double dac_conversion_j = 0;  // one DAC driving one row for one read
  double crossbar_read_j = 0;   // one analog MVM on one physical crossbar
  double sample_hold_j = 0;     // one column latched
  double adc_conversion_j = 0;  // one ADC conversion
  double shift_add_j = 0;       // one shift-and-add of one column result
  double buffer_byte_j = 0;     // one byte read or written in a tile or PE buffer
  double bus_byte_j = 0;        // one byte over an intra-tile bus
  double noc_byte_j = 0;        // one byte over the inter-tile bus / NoC
  double global_buffer_byte_j = 0;
  double main_memory_byte_j = 0;
  double vector_op_j = 0;    // one vector-unit element operation
  double tile_static_w = 0;  // static power of one tile (logic, buffers)
};

// The inter-tile interconnect (chip.noc). The simulator registers one implementation per
// topology name (sim/interconnect.h):
//   bus        one link all inter-tile transfers share;
//   per-layer  every layer receives over a channel of its own (the crossbar-allocation paper's
//              eq. 11-12), the global buffer too;
//   mesh       a 2D mesh of routers, one tile per router, XY routing;
//   cmesh      the same with `concentration` tiles per router (ISAAC: 4).
// Transfers in a mesh are cut into packets of `packet_flits` flits of `flit_bytes`, the first
// flit of each packet a header carrying no data. The global buffer and main memory attach to
// router `memory_router`.
struct NocSpec {
  std::string topology = "bus";
  double bandwidth_bps = 0;  // of the bus, of each layer's channel, of each mesh link
  // bus, per-layer: from the last byte sent to its arrival (whole cycles, rounded up); mesh,
  // cmesh: per hop, a packet's head through one router and its output link (fractional).
  double latency_s = 0;
  // mesh, cmesh:
  int flit_bytes = 16;
  int packet_flits = 5;
  std::string flow_control = "cut-through";  // or "store-and-forward"
  int concentration = 1;                     // tiles per router
  int columns = 0;                           // routers per mesh row; 0: as square as possible
  int memory_router = 0;
  bool routed() const { return topology == "mesh" || topology == "cmesh"; }
};
// The topology names the arch accepts (the simulator implements each).
const std::vector<std::string>& nocTopologies();

// The chip's accumulation units (ARAS's ACC): they add the partial sums of one output that
// crossbars in different APU rows computed. Default: as fast as a tile's vector unit.
struct AccumulatorSpec {
  int adds_per_cycle = 0;
};

struct ChipSpec {
  int tiles = 0;
  NocSpec noc;  // inter-tile interconnect
  AccumulatorSpec accumulator;
  GlobalBufferSpec global_buffer;
  TileSpec tile;
};

class ArchSpec {
 public:
  std::string name;
  std::string source;     // where the numbers come from
  std::string yaml_text;  // the exact YAML loaded, embedded in every result file
  // Every key the spec was read from, as read: bases laid over, "${param}"s resolved, defaults
  // filled in, quantities with units. Loads back to the same spec (`describe --resolved`).
  std::string resolved_yaml;
  Params params;  // the parameter values in force
  double clock_period_s = 0;
  DataSpec data;
  ChipSpec chip;
  MainMemorySpec main_memory;
  ReramDeviceSpec reram;
  EnergySpec energy;

  // Physical crossbars that form one logical crossbar (the crossbar-allocation paper's
  // section 2.1): ceil(weight_bits / bits_per_cell) cells hold one weight.
  int physicalPerLogical() const;
  std::int64_t physicalCrossbars() const;
  // Logical crossbars of crossbar rows x cols, the unit the allocators count in.
  std::int64_t logicalCrossbars() const;
  std::int64_t logicalCrossbarsPerTile() const;
  // APU rows (PeSpec::apu_rows) on the chip, and the logical crossbars one row holds.
  std::int64_t apuRows() const;
  std::int64_t logicalPerApuRow() const;
  double clockHz() const { return 1.0 / clock_period_s; }
  // Whole clock cycles a duration takes (rounded up).
  std::int64_t cyclesFor(double seconds) const;
  // Cycles of one computation stage (T_C in the crossbar-allocation paper): an input vector
  // through one APU, from input fetch to output write. Per read, every OU activation
  // (ApuSpec::ousPerRead) goes through crossbar read, sample-and-hold, ADC conversions of its
  // columns on the APU's shared ADCs, shift-and-add. With pipelined reads the stages overlap
  // and successive activations follow at the slowest stage's pace (ISAAC); otherwise they run
  // back to back (ARAS). Every OU of the crossbar is counted (none skipped).
  std::int64_t computeStageCycles() const;
  // Cycles the APU's ADC pool needs to convert the columns of one OU activation (of every
  // crossbar of the APU).
  std::int64_t adcCyclesPerActivation() const;
  // Cycles to write one batch of crossbar rows in the worst case: two phases (down, then up),
  // each moving a cell across every level, (2^bits_per_cell - 1) x pulses_per_level_step
  // pulses of write_pulse_width.
  std::int64_t worstRowWriteCycles() const;
  // Replaces the crossbar by a size x size one: an OU or a DAC count larger than the new
  // crossbar is clipped to it, an OU spanning the whole crossbar grows with it. `size` must be
  // 2..4096 (throws ConfigError otherwise).
  void resizeCrossbar(int size);
};

// Loads a preset name (looked up in the config directory) or a path. `overrides` replace
// values of the file's `params:`; an override naming no parameter of the file is an error.
ArchSpec loadArchSpec(const std::string& name_or_path, const Params& overrides = {});
// Those of `overrides` that the arch in `yaml_text` declares in a params: block, its bases'
// included.
Params selectArchParams(const Params& overrides, const std::string& yaml_text,
                        const std::string& origin);

// Parses YAML text; `origin` names it in messages.
ArchSpec parseArchSpec(const std::string& yaml_text, const std::string& origin,
                       const Params& overrides = {});

}  // namespace xbarsim
