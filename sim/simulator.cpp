#include "sim/simulator.h"

#include <systemc>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "sim/execution_mode.h"
#include "sim/kernel_context.h"
#include "weights/ou_blocks.h"
#include "weights/ou_sharing.h"

namespace xbarsim::sim {
namespace {

void addResource(SimResult& r, const std::string& name, const Reservation& res) {
  r.resources.push_back({name, res.busyCycles(), res.waitCycles(), res.requests()});
}

double counter(const Stats& s, const std::string& name) {
  for (const Counter& c : s.counters())
    if (c.name == name) return c.value;
  return 0;
}

// Per planned layer, its groups in steps of one computation stage (the models' view).
std::vector<SimLayer> stepView(const SimResult& r, std::size_t planned) {
  std::vector<SimLayer> out(planned);
  for (const GroupRecord& rec : r.groups) {
    SimLayer& l = out[static_cast<std::size_t>(rec.layer)];
    if (l.groups == 0) l.first_cycle = rec.start;
    ++l.groups;
    l.last_cycle = std::max(l.last_cycle, rec.end);
  }
  for (SimLayer& l : out) {
    if (l.groups == 0) continue;
    l.first_step = l.first_cycle / r.step_cycles + 1;
    l.last_step = (l.last_cycle + r.step_cycles - 1) / r.step_cycles;
    l.wait_cycles = (l.last_cycle - l.first_cycle) - l.groups * r.step_cycles;
    l.stalls = l.last_step - l.first_step + 1 - l.groups;
  }
  return out;
}

void collect(Chip& chip, const LayerGraph& g, const ArchSpec& arch, EnergyLedger& ledger,
             SimResult& r) {
  const EngineEnv& env = chip.env;
  r.cycles = env.done;
  r.step_cycles = arch.computeStageCycles();
  // The built tiles by index (a tile no layer uses is never built).
  std::vector<std::pair<int, const Tile*>> built;
  for (std::size_t t = 0; t < chip.tiles.size(); ++t)
    if (chip.tiles[t]) built.emplace_back(static_cast<int>(t), chip.tiles[t].get());
  const Apu* first_busy = nullptr;
  for (const auto& [index, t] : built)
    for (const auto& pe : t->pes)
      for (const auto& a : pe->apus)
        if (first_busy == nullptr && a->computes() > 0) first_busy = a.get();
  if (first_busy != nullptr)
    r.step_cycles = static_cast<std::int64_t>(first_busy->busyCycles() / first_busy->computes());
  r.steps = (r.cycles + r.step_cycles - 1) / r.step_cycles;
  r.seconds = static_cast<double>(r.cycles) * arch.clock_period_s;
  r.groups = env.groups;

  // Static energy: tiles that hold a layer, and the powered global-buffer banks.
  std::set<int> used;
  for (const Node& n : g.nodes) used.insert(n.tiles.begin(), n.tiles.end());
  for (const auto& [index, t] : built)
    for (const auto& pe : t->pes)
      for (const auto& a : pe->apus)
        if (a->computes() > 0) used.insert(index);
  const double tiles_used = static_cast<double>(used.size());
  ledger.add(ledger.component("tile_static"), EnergyLedger::kNoLayer,
             tiles_used * arch.energy.tile_static_w * r.seconds);
  chip.global_buffer.staticEnergy(r.seconds, r.cycles);
  r.energy_by_component = ledger.byComponent();
  r.energy_j = ledger.total();
  r.powered_banks = chip.global_buffer.poweredBanks();

  const std::vector<double> layer_energy = ledger.byLayer();
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const LayerEngine& e = *chip.engines[i];
    r.nodes.push_back({n.name, layerTypeName(n.type), nodeKindName(n.kind), n.positions, e.chunks(),
                       std::max<std::int64_t>(0, e.firstCycle()), e.lastCycle(),
                       counter(e.stats(), "input_wait_cycles"),
                       counter(e.stats(), "output_full_cycles"),
                       counter(e.stats(), "backpressure_cycles"), layer_energy[i]});
  }

  // Contention on shared resources.
  ResourceStats buses{"tile_buses"}, vectors{"vector_units"};
  double adc_wait = 0, reads = 0, mvms = 0;
  for (const auto& [index, t] : built) {
    buses.busy_cycles += t->bus.link().reservation().busyCycles();
    buses.wait_cycles += t->bus.link().reservation().waitCycles();
    buses.requests += t->bus.link().reservation().requests();
    vectors.busy_cycles +=
        static_cast<std::int64_t>(counter(t->vector_unit.stats(), "busy_cycles"));
    vectors.wait_cycles +=
        static_cast<std::int64_t>(counter(t->vector_unit.stats(), "wait_cycles"));
    for (const auto& pe : t->pes)
      for (const auto& a : pe->apus) {
        adc_wait += counter(a->stats(), "adc_wait_cycles");
        reads += counter(a->stats(), "reads");
        mvms += a->computes();
      }
  }
  r.resources.push_back(buses);
  // The interconnect: its busiest link, and the waiting over all of them.
  ResourceStats noc{"noc"};
  noc.busy_cycles = chip.noc->maxBusyCycles();
  for (const Interconnect::NamedLink& l : chip.noc->links()) {
    noc.wait_cycles += l.link->reservation().waitCycles();
    noc.requests += l.link->reservation().requests();
    if (l.link->bytes() > 0)
      r.noc_links.push_back({l.name, l.link->bytes(), l.link->reservation().busyCycles(),
                             l.link->reservation().waitCycles(), l.link->reservation().requests()});
  }
  r.resources.push_back(noc);
  r.topology = chip.noc->topology();
  addResource(r, "global_buffer", chip.global_buffer.link().reservation());
  addResource(r, "main_memory", chip.main_memory.link().reservation());
  r.resources.push_back(
      {"adc_pools", 0, static_cast<std::int64_t>(adc_wait), static_cast<std::int64_t>(reads)});
  r.resources.push_back(vectors);
  r.kernel.crossbar_mvms = static_cast<std::int64_t>(mvms);

  // Every block's counters (blocks that did nothing are left out).
  for (const Stats* s : chip.stats()) {
    bool active = false;
    for (const Counter& c : s->counters()) active = active || c.value != 0;
    if (!active) continue;
    for (const Counter& c : s->counters())
      r.stats.push_back({s->block(), c.name, c.unit, c.description, c.value});
  }

  // Time series on common bins: crossbar utilisation per tile, input-buffer occupancy, NoC.
  std::map<int, TimeHistogram> busy;  // by tile, for the tiles that computed
  const Plan& plan = *env.plan;
  for (const GroupRecord& rec : env.groups) {
    const Node& n = g.nodes[static_cast<std::size_t>(rec.node)];
    const double xbars =
        static_cast<double>(plan.layers[static_cast<std::size_t>(rec.layer)].crossbars());
    for (std::size_t k = 0; k < n.tiles.size(); ++k)
      busy[n.tiles[k]].add(rec.start, rec.end,
                           xbars * n.share[k] * static_cast<double>(rec.end - rec.start));
  }
  std::int64_t bin = 1;
  for (const Interconnect::NamedLink& l : chip.noc->links())
    bin = std::max(bin, l.link->traffic().binCycles());
  for (const auto& [tile, h] : busy) bin = std::max(bin, h.binCycles());
  for (const auto& [index, t] : built) bin = std::max(bin, t->input_buffer.occupancy().binCycles());
  r.bin_cycles = bin;
  // Per link: utilisation = bytes carried in the bin / what the link could carry in it.
  for (const Interconnect::NamedLink& l : chip.noc->links()) {
    if (l.link->bytes() == 0) continue;
    TimeHistogram h = l.link->traffic();
    h.widenTo(bin);
    if (r.noc_bytes.empty()) r.noc_bytes.assign(h.sums().size(), 0.0);
    std::vector<double> u;
    for (std::size_t b = 0; b < h.sums().size(); ++b) {
      r.noc_bytes[b] += h.sums()[b];
      u.push_back(l.link->unconstrained()
                      ? 0.0
                      : h.sums()[b] / (l.link->bytesPerCycle() * static_cast<double>(bin)));
    }
    r.noc_link_utilisation.push_back(u);
  }
  if (r.noc_bytes.empty()) r.noc_bytes.assign(TimeHistogram().sums().size(), 0.0);
  const double per_tile = static_cast<double>(arch.logicalCrossbarsPerTile());
  for (const auto& [index, t] : built) {
    r.tile_index.push_back(index);
    TimeHistogram h = busy[index];
    h.widenTo(bin);
    std::vector<double> u;
    for (const double b : h.sums()) u.push_back(b / (per_tile * static_cast<double>(bin)));
    r.tile_utilisation.push_back(u);
    TimeHistogram occ = t->input_buffer.occupancy();
    occ.widenTo(bin);
    std::vector<double> o;
    for (const double b : occ.sums()) o.push_back(b / static_cast<double>(bin));
    r.input_buffer_occupancy.push_back(o);
  }
}

}  // namespace

SimResult simulate(const Network& net, const ArchSpec& arch, const Plan& plan,
                   const SimOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  SimResult r;
  std::unique_ptr<ExecutionMode> mode = makeMode(plan.mode);
  mode->check(net, plan, arch);
  const LayerGraph graph = buildLayerGraph(net, plan, arch.chip.tile.pe.apu.crossbar.cols);
  r.mode = plan.mode;
  r.selection = plan.selection;
  r.not_simulated = graph.not_simulated;
  // Buffer partitions are sized as a mapping compiler would size them: from a profiling run
  // with unbounded buffers and ideal data movement, each layer gets a share of its tiles'
  // buffers in proportion to the most it held there.
  const ActivationSource activations(options.seed);
  const WeightSource weights = options.weights_path.empty()
                                   ? WeightSource(options.seed)
                                   : WeightSource(options.weights_path, options.seed);
  // With operation units smaller than the crossbar, which OUs hold a nonzero weight: the
  // others are never activated.
  std::vector<std::vector<std::vector<std::uint8_t>>> ou_masks(plan.layers.size());
  std::vector<std::vector<OuLoad>> ou_shared(plan.layers.size());
  for (std::size_t i = 0; i < plan.layers.size(); ++i) {
    const PlanLayer& l = plan.layers[i];
    if (l.dataflow != "ws") continue;
    if (plan.ou_sharing.on()) {
      // The copy's physical OUs, their activations spread evenly over its logical crossbars.
      const SharedLayer s = shareOus(weights, net, arch, l, plan.ou_sharing);
      if (s.crossbars != l.set)
        throw ConfigError("layer '" + l.name + "': its shared OUs take " +
                          std::to_string(s.crossbars) + " crossbars, the plan gives it " +
                          std::to_string(l.set) + " (plan it with the same OU sharing)");
      const OuSpec& ou = arch.chip.tile.pe.apu.ou;
      const auto part = [&](std::int64_t total, std::int64_t b) {
        return total / l.set + (b < total % l.set ? 1 : 0);
      };
      for (std::int64_t b = 0; b < l.set; ++b) {
        const std::int64_t n = part(s.activations, b);
        ou_shared[i].push_back(
            {n, n * ou.rows, n * ou.cols, n * ou.rows * ou.cols, part(s.scatter_adds, b)});
      }
    } else if (arch.chip.tile.pe.apu.ousPerRead() > 1) {
      ou_masks[i] = activeOus(weights, net, arch, l);
    }
  }
  std::vector<std::pair<double, double>> needs;
  if (options.bandwidth && mode->partitionsBuffers()) {
    KernelContext profile;
    Tracer off(false);
    EnergyLedger scratch(graph.nodes.size());
    Chip ideal("chip", arch, graph, plan, true, {}, scratch, off);
    ideal.env.activations = &activations;
    ideal.env.ou_masks = &ou_masks;
    ideal.env.ou_shared = &ou_shared;
    ideal.runInference();
    needs = ideal.bufferPeaks();
  }
  KernelContext context;
  Tracer tracer(options.trace, options.trace_hardware_limit);
  EnergyLedger ledger(graph.nodes.size());
  auto chip =
      std::make_unique<Chip>("chip", arch, graph, plan, !options.bandwidth, needs, ledger, tracer);
  chip->env.activations = &activations;
  chip->env.ou_masks = &ou_masks;
  chip->env.ou_shared = &ou_shared;
  r.weights = weights.description();
  r.wall.setup_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  ModeContext ctx{*chip, graph, net, plan, weights, tracer, r};
  mode->run(ctx);
  r.kernel = chip->env.kernel;
  r.kernel.delta_cycles = static_cast<std::int64_t>(sc_core::sc_delta_count());

  collect(*chip, graph, arch, ledger, r);
  r.layers = stepView(r, plan.layers.size());
  mode->report(net, arch, r);
  r.endurance_writes = arch.reram.endurance_writes;
  r.lifespan_programmings = arch.reram.endurance_writes / mode->cellWritesPerRun();
  r.trace = tracer.events();
  r.trace_components = tracer.components();
  r.trace_component_kinds = tracer.componentKinds();
  r.trace_dropped = tracer.dropped();
  chip.reset();
  r.wall.total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace xbarsim::sim
