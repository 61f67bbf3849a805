#include "sim/chip.h"

#include <algorithm>

namespace xbarsim::sim {
namespace {

// What the global buffer must hold: the network input and the outputs of the last layers.
double storedBytes(const Problem& p) {
  double out = 0;
  std::vector<bool> feeds(p.size(), false);
  for (const ProblemLayer& l : p.layers())
    for (const int q : l.producers) feeds[static_cast<std::size_t>(q)] = true;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!feeds[i]) out += static_cast<double>(p[i].fused.co * p[i].fused.outputPositions());
  const double bytes_per_value = std::max(1, p.arch().data.input_bits / 8);
  return (static_cast<double>(p.inputElements()) + out) * bytes_per_value;
}

}  // namespace

Chip::Chip(sc_core::sc_module_name name, const Problem& p, const Plan& plan, const SimOptions& opt,
           Tracer& tracer)
    : sc_core::sc_module(name),
      noc("noc", p.arch().chip.noc, p.arch().clock_period_s, !opt.bandwidth),
      global_buffer("global_buffer", p.arch(), storedBytes(p)),
      main_memory("main_memory", p.arch()),
      write_driver("write_driver", p.arch()) {
  const ArchSpec& arch = p.arch();
  std::vector<Tile*> raw;
  for (int t = 0; t < arch.chip.tiles; ++t) {
    tiles.push_back(
        std::make_unique<Tile>(("tile" + std::to_string(t)).c_str(), arch, !opt.bandwidth));
    raw.push_back(tiles.back().get());
  }
  write_driver.memory.bind(main_memory.port);
  controller =
      std::make_unique<Controller>("controller", p, plan, arch, opt.bandwidth, tracer, raw);
  for (Apu* a : apus()) controller->apus.bind(a->port);
  for (auto& t : tiles) controller->tile_buses.bind(t->bus.port);
  controller->noc.bind(noc.port);
  controller->global_buffer.bind(global_buffer.port);
  controller->memory.bind(main_memory.port);
}

std::vector<Apu*> Chip::apus() const {
  std::vector<Apu*> out;
  for (const auto& t : tiles)
    for (const auto& pe : t->pes)
      for (const auto& a : pe->apus) out.push_back(a.get());
  return out;
}

}  // namespace xbarsim::sim
