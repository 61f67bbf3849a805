#include "sim/run_file.h"

#include "io/h5_file.h"

namespace xbarsim::sim {
namespace {

// One column of a table of structs.
template <typename Row, typename Field>
auto pluck(const std::vector<Row>& rows, Field field) {
  std::vector<decltype(field(rows.front()))> out;
  for (const Row& r : rows) out.push_back(field(r));
  return out;
}

}  // namespace

void writeRunFile(const std::string& path, const RunRecord& run) {
  const Problem& p = *run.problem;
  const ArchSpec& arch = p.arch();
  const SimResult& s = *run.sim;
  H5Out f(path);
  f.attr("/", "format", std::string("xbarsim-run"));
  f.attr("/", "format_version", kRunFormatVersion);

  f.attr("/meta", "version", run.version);
  f.attr("/meta", "command", run.command);
  f.attr("/meta", "seed", static_cast<std::int64_t>(run.seed));
  f.attr("/meta", "workload", run.network->name());
  f.attr("/meta", "arch", arch.name);
  f.attr("/meta", "allocator", run.allocator);
  f.attr("/meta", "layers_allocated", std::string(layerSelectionName(p.selection())));
  f.attr("/meta", "objective",
         std::string(run.estimate ? stepModelName(run.estimate->objective.steps) : "none"));
  f.attr("/meta", "bandwidth",
         static_cast<std::int64_t>(
             s.step_cycles > 0 && run.estimate ? run.estimate->objective.bandwidth : 1));
  f.attr("/meta", "sim_lag", kSimulatorLag);
  f.attr("/meta", "crossbars_total", p.total());
  f.text("/meta/arch_yaml", arch.yaml_text);
  f.text("/meta/workload_yaml", run.network->yaml_text);

  std::vector<std::string> names;
  std::vector<std::int64_t> r, set, crossbars, first_tile, tiles, wo_ho;
  for (std::size_t i = 0; i < p.size(); ++i) {
    names.push_back(p[i].fused.name);
    r.push_back(run.plan->r[i]);
    set.push_back(p[i].fused.set);
    crossbars.push_back(run.plan->r[i] * p[i].fused.set);
    first_tile.push_back(run.plan->layers[i].tiles.front());
    tiles.push_back(static_cast<std::int64_t>(run.plan->layers[i].tiles.size()));
    wo_ho.push_back(p[i].fused.outputPositions());
  }
  f.column("/plan/name", names);
  f.column("/plan/R", r);
  f.column("/plan/set", set);
  f.column("/plan/crossbars", crossbars);
  f.column("/plan/first_tile", first_tile);
  f.column("/plan/tiles", tiles);
  f.column("/plan/wo_ho", wo_ho);
  f.attr("/plan", "mode", std::string(executionModeName(run.plan->mode)));

  if (run.estimate) {
    const Estimate& e = *run.estimate;
    f.attr("/estimate", "alg1_steps", e.alg1_steps);
    f.attr("/estimate", "exact_steps_lag0", e.exact_steps);
    f.attr("/estimate", "step_cycles", e.step_cycles);
    f.attr("/estimate", "cycles", e.cycles);
    f.attr("/estimate", "seconds", e.seconds);
    f.attr("/estimate", "sim_lag", kSimulatorLag);
    if (run.exact_sim_lag) {
      const std::vector<ExactLayer>& x = run.exact_sim_lag->layers;
      f.attr("/estimate", "exact_steps", run.exact_sim_lag->steps);
      f.column("/estimate/exact_first_step",
               pluck(x, [](const ExactLayer& l) { return l.first_step; }));
      f.column("/estimate/exact_last_step",
               pluck(x, [](const ExactLayer& l) { return l.last_step; }));
      f.column("/estimate/exact_stalls", pluck(x, [](const ExactLayer& l) { return l.stalls; }));
    }
    f.column("/estimate/alg1_op",
             pluck(e.layers, [](const LayerEstimate& l) { return l.alg1.op; }));
    f.column("/estimate/alg1_pre_op",
             pluck(e.layers, [](const LayerEstimate& l) { return l.alg1.pre_op; }));
    f.column("/estimate/alg1_normal_op",
             pluck(e.layers, [](const LayerEstimate& l) { return l.alg1.normal_op; }));
  }

  f.attr("/sim", "steps", s.steps);
  f.attr("/sim", "cycles", s.cycles);
  f.attr("/sim", "seconds", s.seconds);
  f.attr("/sim", "step_cycles", s.step_cycles);
  f.attr("/sim", "energy_j", s.energy_j);
  f.attr("/sim", "programming_cycles", s.programming.cycles);
  f.attr("/sim", "programming_energy_j", s.programming.energy_j);
  f.attr("/sim", "programming_pulses", s.programming.pulses);
  f.attr("/sim", "events", s.events);
  f.attr("/sim", "wall_s", s.wall_s);
  const std::vector<SimLayer>& layers = s.layers;
  f.column("/sim/group_count", pluck(layers, [](const SimLayer& l) { return l.groups; }));
  f.column("/sim/first_step", pluck(layers, [](const SimLayer& l) { return l.first_step; }));
  f.column("/sim/last_step", pluck(layers, [](const SimLayer& l) { return l.last_step; }));
  f.column("/sim/stalls", pluck(layers, [](const SimLayer& l) { return l.stalls; }));
  f.column("/sim/first_cycle", pluck(layers, [](const SimLayer& l) { return l.first_cycle; }));
  f.column("/sim/last_cycle", pluck(layers, [](const SimLayer& l) { return l.last_cycle; }));
  std::vector<std::string> comp;
  std::vector<double> joules;
  for (const auto& [name, j] : s.energy_by_component) {
    comp.push_back(name);
    joules.push_back(j);
  }
  f.column("/sim/energy/component", comp);
  f.column("/sim/energy/joules", joules);
  f.column("/sim/groups/layer",
           pluck(s.groups, [](const GroupRecord& g) { return std::int64_t{g.layer}; }));
  f.column("/sim/groups/start_cycle",
           pluck(s.groups, [](const GroupRecord& g) { return g.start; }));
  f.column("/sim/groups/end_cycle", pluck(s.groups, [](const GroupRecord& g) { return g.end; }));
  const std::vector<ResourceStats>& res = s.resources;
  f.column("/sim/resources/name", pluck(res, [](const ResourceStats& r) { return r.name; }));
  f.column("/sim/resources/busy_cycles",
           pluck(res, [](const ResourceStats& r) { return r.busy_cycles; }));
  f.column("/sim/resources/wait_cycles",
           pluck(res, [](const ResourceStats& r) { return r.wait_cycles; }));
  f.column("/sim/resources/requests",
           pluck(res, [](const ResourceStats& r) { return r.requests; }));
  std::vector<std::int64_t> banks(s.powered_banks.begin(), s.powered_banks.end());
  f.column("/sim/powered_banks", banks);

  f.attr("/timeseries", "bin_cycles", s.bin_cycles);
  f.matrix("/timeseries/tile_utilisation", s.tile_utilisation);
  f.column("/timeseries/noc_bytes", s.noc_bytes);

  if (!s.trace_components.empty() && !s.trace.empty()) {
    const std::vector<TraceEvent>& ev = s.trace;
    f.column("/trace/events/start", pluck(ev, [](const TraceEvent& e) { return e.start; }));
    f.column("/trace/events/end", pluck(ev, [](const TraceEvent& e) { return e.end; }));
    f.column("/trace/events/component",
             pluck(ev, [](const TraceEvent& e) { return std::int64_t{e.component}; }));
    f.column("/trace/events/layer",
             pluck(ev, [](const TraceEvent& e) { return std::int64_t{e.layer}; }));
    f.column("/trace/events/kind",
             pluck(ev, [](const TraceEvent& e) { return static_cast<std::int64_t>(e.kind); }));
    std::vector<std::string> kinds;
    for (int k = 0; k < kEventKinds; ++k) kinds.push_back(eventKindName(static_cast<EventKind>(k)));
    f.column("/trace/kinds", kinds);
    f.column("/trace/components", s.trace_components);
  }
  f.commit();
}

}  // namespace xbarsim::sim
