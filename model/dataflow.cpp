#include "model/dataflow.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

#include "model/exact_steps.h"
#include "weights/activation_source.h"

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

DataflowCounts dataflowCounts(const FusedLayer& layer, const ArchSpec& arch,
                              const std::string& dataflow, std::int64_t r) {
  if (layer.weights == 0 || !layer.staticWeights())
    throw ConfigError("layer '" + layer.name + "' has no static weights: it takes no dataflow");
  if (dataflow != "ws" && dataflow != "is")
    throw ConfigError("no dataflow '" + dataflow + "' (ws or is)");
  if (dataflow == "is" && layer.type == LayerType::kDwConv)
    throw ConfigError("layer '" + layer.name + "': a depthwise conv cannot run input-stationary");
  const ApuSpec& apu = arch.chip.tile.pe.apu;
  const std::int64_t rows = apu.crossbar.rows, cols = apu.crossbar.cols;
  const std::int64_t k = layer.weights / layer.co, co = layer.co;
  const std::int64_t p = layer.wo * layer.ho;
  const std::int64_t slices = arch.physicalPerLogical();
  const std::int64_t bytes = std::max(1, arch.data.input_bits / 8);
  const std::int64_t stage = arch.computeStageCycles();
  const std::int64_t block_rows = ceilDiv(k, rows);
  const EnergySpec& e = arch.energy;
  // One read of one physical crossbar, every OU activated: the rows its OUs drive, all its
  // cells, the columns they convert (a column once per OU row group).
  const OuLoad load = apu.fullOuLoad();
  const double read_j =
      static_cast<double>(apu.dac.per_crossbar * load.rows) / static_cast<double>(rows) *
          e.dac_conversion_j +
      e.crossbar_read_j +
      static_cast<double>(load.cols) *
          (e.sample_hold_j + e.adc_conversion_j * apu.adc.energyScale() + e.shift_add_j);
  DataflowCounts c;
  c.input_bytes = p * k * bytes;
  c.output_bytes = p * co * bytes;
  if (dataflow == "ws") {
    c.crossbars = r * (layer.set > 0 ? layer.set : crossbarSet(layer, rows, cols));
    c.rounds = ceilDiv(p, r);
    c.steps = c.rounds;
    c.adc_conversions =
        c.steps * c.crossbars * slices * load.cols * apu.readsPerInput(arch.data.input_bits);
    c.cycles = c.steps * stage;
    c.energy_j = static_cast<double>(c.steps * c.crossbars * slices *
                                     apu.readsPerInput(arch.data.input_bits)) *
                 read_j;
    return c;
  }
  const std::int64_t per_round = std::min(p, r * cols);
  c.crossbars = r * block_rows;
  c.rounds = ceilDiv(p, per_round);
  c.steps = c.rounds * co;
  c.adc_conversions =
      c.steps * c.crossbars * slices * load.cols * apu.readsPerInput(arch.data.weight_bits);
  // Every used row of every crossbar, all columns (those past the last position are cleared).
  c.cells_written = c.rounds * r * k * slices * cols;
  c.weight_bytes = c.rounds * co * k * bytes;
  const ReramDeviceSpec& dev = arch.reram;
  const std::int64_t batch = std::clamp<std::int64_t>(dev.rows_in_parallel, 1, rows);
  c.write_cycles = c.rounds * ceilDiv(std::min(rows, k), batch) * arch.worstRowWriteCycles();
  c.cycles = c.write_cycles + c.steps * stage;
  c.energy_j =
      static_cast<double>(c.steps * c.crossbars * slices *
                          apu.readsPerInput(arch.data.weight_bits)) *
          read_j +
      static_cast<double>(c.cells_written / c.rounds) *
          (expectedInputLevelSteps(arch.data.input_bits, apu.crossbar.bits_per_cell, true) +
           static_cast<double>(c.rounds - 1) *
               expectedInputLevelSteps(arch.data.input_bits, apu.crossbar.bits_per_cell, false)) *
          dev.pulses_per_level_step * dev.write_energy_per_pulse_j +
      static_cast<double>(c.weight_bytes) * e.main_memory_byte_j;
  return c;
}

double expectedInputLevelSteps(int bits, int cell_bits, bool fresh) {
  // Computed once per argument set: allocators ask for every option of every layer.
  static std::mutex lock;
  static std::map<std::tuple<int, int, bool>, double> known;
  const std::lock_guard<std::mutex> hold(lock);
  const auto key = std::make_tuple(bits, cell_bits, fresh);
  if (const auto it = known.find(key); it != known.end()) return it->second;
  const std::vector<double> p = activationCodeProbabilities(bits);
  const int slices = (bits + cell_bits - 1) / cell_bits;
  const std::size_t levels = std::size_t{1} << cell_bits;
  double sum = 0;
  for (int s = 0; s < slices; ++s) {
    std::vector<double> q(levels, 0.0);  // the slice's level distribution
    for (std::size_t code = 0; code < p.size(); ++code)
      q[(code >> (s * cell_bits)) & (levels - 1)] += p[code];
    for (std::size_t u = 0; u < levels; ++u)
      for (std::size_t v = 0; v < levels; ++v)
        sum += (fresh ? (v == 0 ? 1.0 : 0.0) : q[v]) * q[u] *
               static_cast<double>(u > v ? u - v : v - u);
  }
  return known[key] = sum / slices;
}

DataflowTimeline dataflowTimeline(const Problem& p, const std::vector<LayerChoice>& choice) {
  if (choice.size() != p.size())
    throw ConfigError("a dataflow choice for " + std::to_string(choice.size()) +
                      " layers, the problem has " + std::to_string(p.size()));
  const ArchSpec& arch = p.arch();
  const std::int64_t cols = arch.chip.tile.pe.apu.crossbar.cols;
  const std::int64_t stage = arch.computeStageCycles();
  DataflowTimeline t;
  // Per layer: chunk size (positions) and every chunk's end.
  std::vector<std::int64_t> chunk(p.size());
  std::vector<std::vector<std::int64_t>> ends(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    const FusedLayer& f = p[i].fused;
    const std::int64_t positions = f.wo * f.ho;
    const LayerChoice& c = choice[i];
    const DataflowCounts counts = dataflowCounts(f, arch, c.dataflow, c.r);
    const bool is = c.dataflow == "is";
    chunk[i] = is ? std::min(positions, c.r * cols) : c.r;
    const std::int64_t duration = is ? counts.write_cycles / counts.rounds + f.co * stage : stage;
    const std::int64_t chunks = ceilDiv(positions, chunk[i]);
    std::int64_t end = 0;
    for (std::int64_t g = 0; g < chunks; ++g) {
      std::int64_t start = end;
      for (const InputPath& in : p[i].inputs) {
        const std::int64_t need = neededOutputs(p, i, chunk[i], g, in);
        if (need == 0) continue;
        const auto& producer = ends[static_cast<std::size_t>(in.producer)];
        start =
            std::max(start, producer[static_cast<std::size_t>(
                                ceilDiv(need, chunk[static_cast<std::size_t>(in.producer)]) - 1)]);
      }
      if (g == 0) t.spans.emplace_back(start, 0);
      end = start + duration;
      ends[i].push_back(end);
    }
    t.spans.back().second = end;
    t.cycles = std::max(t.cycles, end);
  }
  return t;
}

double dataflowEnergy(const Problem& p, const std::vector<LayerChoice>& choice,
                      std::int64_t cycles) {
  double joules = 0;
  std::int64_t crossbars = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const DataflowCounts c = dataflowCounts(p[i].fused, p.arch(), choice[i].dataflow, choice[i].r);
    joules += c.energy_j;
    crossbars += c.crossbars;
  }
  const ArchSpec& a = p.arch();
  const double tiles =
      std::ceil(static_cast<double>(crossbars) / static_cast<double>(a.logicalCrossbarsPerTile()));
  // The global buffer holds the network's input and outputs: banks in order of static power
  // per byte until they do (the least power for banks of one kind), the rest power-gated.
  const Network& net = p.network();
  double bytes = static_cast<double>(net.inputShape().elements());
  for (const Vertex v : net.topoOrder())
    if (net.consumers(v).empty()) bytes += static_cast<double>(net.layer(v).out.elements());
  bytes *= std::max(1, a.data.input_bits / 8);
  std::vector<BankSpec> banks = a.chip.global_buffer.banks;
  std::sort(banks.begin(), banks.end(), [](const BankSpec& x, const BankSpec& y) {
    return x.static_power_w * y.size_bytes < y.static_power_w * x.size_bytes;
  });
  double bank_w = 0;
  for (const BankSpec& b : banks) {
    if (bytes <= 0) break;
    bank_w += b.static_power_w;
    bytes -= b.size_bytes;
  }
  return joules +
         (tiles * a.energy.tile_static_w + bank_w) * static_cast<double>(cycles) * a.clock_period_s;
}

}  // namespace xbarsim
