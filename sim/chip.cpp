#include "sim/chip.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace xbarsim::sim {
namespace {

// What the global buffer must hold: the network input and the outputs of the last layers.
double storedBytes(const LayerGraph& g, std::int64_t bytes_per_value) {
  double values = static_cast<double>(g.nodes[0].out.elements());
  for (const Node& n : g.nodes)
    if (n.consumers.empty()) values += static_cast<double>(n.out.elements());
  return values * static_cast<double>(bytes_per_value);
}

// The tiles a run uses: those of every layer's APUs and buffers, and tile 0 (whose vector unit
// runs the layer-sequential mode's pools); with an instruction list (layer-sequential), all.
std::vector<bool> tilesInUse(const ArchSpec& arch, const LayerGraph& graph, const Plan& plan) {
  std::vector<bool> used(static_cast<std::size_t>(arch.chip.tiles), !plan.schedule.ops.empty());
  used[0] = true;
  for (const PlanLayer& l : plan.layers)
    for (const int t : l.tiles) used[static_cast<std::size_t>(t)] = true;
  for (const Node& n : graph.nodes)
    for (const int t : n.tiles) used[static_cast<std::size_t>(t)] = true;
  return used;
}

}  // namespace

Chip::Chip(sc_core::sc_module_name name, const ArchSpec& arch, const LayerGraph& graph,
           const Plan& plan, bool ideal, const std::vector<std::pair<double, double>>& buffer_needs,
           EnergyLedger& ledger, Tracer& tracer)
    : sc_core::sc_module(name),
      anchor_(std::make_unique<TeardownAnchor>()),
      // Without partitions (layer-sequential) the mode powers banks per layer itself.
      global_buffer("global_buffer", arch,
                    ideal || !buffer_needs.empty()
                        ? storedBytes(graph, std::max(1, arch.data.input_bits / 8))
                        : 0.0,
                    ideal, ledger, tracer),
      main_memory("main_memory", arch, ledger),
      write_driver("write_driver", arch),
      accumulator("accumulator", arch.chip.accumulator.adds_per_cycle, arch.energy.vector_op_j,
                  "accumulator", ideal, ledger) {
  InterconnectSetup setup;
  setup.arch = &arch;
  for (const Node& n : graph.nodes) setup.layers.push_back(n.name);
  setup.ideal = ideal;
  setup.ledger = &ledger;
  setup.tracer = &tracer;
  noc = makeInterconnect(setup);
  const std::vector<bool> used = tilesInUse(arch, graph, plan);
  tiles.resize(used.size());
  for (std::size_t t = 0; t < used.size(); ++t)
    if (used[t])
      tiles[t] =
          std::make_unique<Tile>(("tile" + std::to_string(t)).c_str(), arch, ideal, ledger, tracer);
  write_driver.memory = &main_memory;
  env.arch = &arch;
  env.writer = &write_driver;
  env.graph = &graph;
  env.plan = &plan;
  env.ideal = ideal;
  env.bytes_per_value = std::max(1, arch.data.input_bits / 8);
  env.period_ps = std::llround(arch.clock_period_s * 1e12);
  for (auto& t : tiles) env.tiles.push_back(t.get());
  env.noc = noc.get();
  env.global_buffer = &global_buffer;
  env.memory = &main_memory;
  env.tracer = &tracer;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    // SystemC names allow letters, digits and '_' only.
    std::string name = "layer_" + graph.nodes[n].name;
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    engines.push_back(std::make_unique<LayerEngine>(name.c_str(), static_cast<int>(n), env));
    env.engines.push_back(engines.back().get());
  }
  if (!ideal && !buffer_needs.empty())
    for (std::size_t n = 0; n < engines.size(); ++n)
      engines[n]->claimBuffers(buffer_needs[n].first, buffer_needs[n].second);
}

Chip::~Chip() {
  anchor_.reset();
}

void Chip::runInference() {
  for (auto& e : engines) e->begin();
  for (;;) {
    sc_core::sc_start();
    bool finished = true;
    for (const auto& e : engines) finished = finished && e->finished();
    if (finished) break;
    bool spilled = false;
    for (auto& e : engines) spilled = e->spillBlocked() || spilled;
    if (!spilled) break;
  }
  checkFinished();
}

void Chip::checkFinished() const {
  std::string stuck;
  int count = 0;
  for (const auto& e : engines)
    if (!e->finished() && count++ < 400) stuck += (stuck.empty() ? "" : "\n  ") + e->diagnose();
  if (count > 0)
    throw SimError("the simulation deadlocked with " + std::to_string(count) +
                   " layer(s) unfinished:\n  " + stuck);
}

std::vector<std::pair<double, double>> Chip::bufferPeaks() const {
  std::vector<std::pair<double, double>> out;
  for (const auto& e : engines) out.emplace_back(e->peakInput(), e->peakOutput());
  return out;
}

std::vector<const Stats*> Chip::stats() const {
  std::vector<const Stats*> out{&noc->stats(), &global_buffer.stats(), &main_memory.stats(),
                                &accumulator.stats()};
  for (const auto& t : tiles) {
    if (!t) continue;
    out.push_back(&t->input_buffer.stats());
    out.push_back(&t->output_buffer.stats());
    out.push_back(&t->bus.stats());
    out.push_back(&t->vector_unit.stats());
    for (const auto& pe : t->pes) {
      out.push_back(&pe->buffer.stats());
      for (const auto& a : pe->apus) out.push_back(&a->stats());
    }
  }
  for (const auto& e : engines) out.push_back(&e->stats());
  return out;
}

}  // namespace xbarsim::sim
