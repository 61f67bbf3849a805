#include "sim/run_file.h"

#include "io/h5_file.h"

namespace xbarsim::sim {

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
    std::vector<std::int64_t> op, pre, normal, first, last, stalls;
    for (const LayerEstimate& l : e.layers) {
      op.push_back(l.alg1.op);
      pre.push_back(l.alg1.pre_op);
      normal.push_back(l.alg1.normal_op);
    }
    if (run.exact_sim_lag) {
      f.attr("/estimate", "exact_steps", run.exact_sim_lag->steps);
      for (const ExactLayer& l : run.exact_sim_lag->layers) {
        first.push_back(l.first_step);
        last.push_back(l.last_step);
        stalls.push_back(l.stalls);
      }
      f.column("/estimate/exact_first_step", first);
      f.column("/estimate/exact_last_step", last);
      f.column("/estimate/exact_stalls", stalls);
    }
    f.column("/estimate/alg1_op", op);
    f.column("/estimate/alg1_pre_op", pre);
    f.column("/estimate/alg1_normal_op", normal);
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
  std::vector<std::int64_t> groups, first, last, stalls, first_cycle, last_cycle;
  for (const SimLayer& l : s.layers) {
    groups.push_back(l.groups);
    first.push_back(l.first_step);
    last.push_back(l.last_step);
    stalls.push_back(l.stalls);
    first_cycle.push_back(l.first_cycle);
    last_cycle.push_back(l.last_cycle);
  }
  f.column("/sim/group_count", groups);
  f.column("/sim/first_step", first);
  f.column("/sim/last_step", last);
  f.column("/sim/stalls", stalls);
  f.column("/sim/first_cycle", first_cycle);
  f.column("/sim/last_cycle", last_cycle);
  std::vector<std::string> comp;
  std::vector<double> joules;
  for (const auto& [name, j] : s.energy_by_component) {
    comp.push_back(name);
    joules.push_back(j);
  }
  f.column("/sim/energy/component", comp);
  f.column("/sim/energy/joules", joules);
  std::vector<std::int64_t> g_layer, g_start, g_end;
  for (const GroupRecord& g : s.groups) {
    g_layer.push_back(g.layer);
    g_start.push_back(g.start);
    g_end.push_back(g.end);
  }
  f.column("/sim/groups/layer", g_layer);
  f.column("/sim/groups/start_cycle", g_start);
  f.column("/sim/groups/end_cycle", g_end);
  std::vector<std::string> res_name;
  std::vector<std::int64_t> busy, wait, requests;
  for (const ResourceStats& rs : s.resources) {
    res_name.push_back(rs.name);
    busy.push_back(rs.busy_cycles);
    wait.push_back(rs.wait_cycles);
    requests.push_back(rs.requests);
  }
  f.column("/sim/resources/name", res_name);
  f.column("/sim/resources/busy_cycles", busy);
  f.column("/sim/resources/wait_cycles", wait);
  f.column("/sim/resources/requests", requests);
  std::vector<std::int64_t> banks(s.powered_banks.begin(), s.powered_banks.end());
  f.column("/sim/powered_banks", banks);

  f.attr("/timeseries", "bin_cycles", s.bin_cycles);
  f.matrix("/timeseries/tile_utilisation", s.tile_utilisation);
  f.column("/timeseries/noc_bytes", s.noc_bytes);

  if (!s.trace_components.empty() && !s.trace.empty()) {
    std::vector<std::int64_t> start, end, component, layer, kind;
    for (const TraceEvent& e : s.trace) {
      start.push_back(e.start);
      end.push_back(e.end);
      component.push_back(e.component);
      layer.push_back(e.layer);
      kind.push_back(static_cast<std::int64_t>(e.kind));
    }
    f.column("/trace/events/start", start);
    f.column("/trace/events/end", end);
    f.column("/trace/events/component", component);
    f.column("/trace/events/layer", layer);
    f.column("/trace/events/kind", kind);
    std::vector<std::string> kinds;
    for (int k = 0; k < kEventKinds; ++k) kinds.push_back(eventKindName(static_cast<EventKind>(k)));
    f.column("/trace/kinds", kinds);
    f.column("/trace/components", s.trace_components);
  }
  f.commit();
}

}  // namespace xbarsim::sim
