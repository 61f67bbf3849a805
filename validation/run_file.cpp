#include "validation/run_file.h"

#include "io/h5_file.h"
#include "io/params.h"

namespace xbarsim::validation {
namespace {

// One column of a table of structs.
template <typename Row, typename Field>
auto pluck(const std::vector<Row>& rows, Field field) {
  std::vector<decltype(field(rows.front()))> out;
  for (const Row& r : rows) out.push_back(field(r));
  return out;
}

// Numbers joined by spaces (one cell of a variable-length list).
template <typename T>
std::string joined(const std::vector<T>& v) {
  std::string out;
  for (const T& x : v) out += (out.empty() ? "" : " ") + std::to_string(x);
  return out;
}

// A layer-sequential Plan: its layers and the scheduler's instruction list and bank choices.
void writeSchedule(H5Out& f, const Plan& plan) {
  f.column("/plan/name", pluck(plan.layers, [](const PlanLayer& l) { return l.name; }));
  f.column("/plan/set", pluck(plan.layers, [](const PlanLayer& l) { return l.set; }), "crossbars");
  f.attr("/plan", "mode", plan.mode);
  const Schedule& s = plan.schedule;
  f.attr("/schedule", "scheduler", s.scheduler);
  f.attr("/schedule", "inferences", s.inferences);
  f.column("/schedule/kind",
           pluck(s.ops, [](const SeqOp& o) { return std::string(seqOpKindName(o.kind)); }));
  const auto ints = [&](const std::string& name, auto field, const std::string& unit) {
    f.column("/schedule/" + name,
             pluck(s.ops, [&](const SeqOp& o) { return static_cast<std::int64_t>(field(o)); }),
             unit);
  };
  ints(
      "inference", [](const SeqOp& o) { return o.inference; }, "1");
  ints(
      "layer", [](const SeqOp& o) { return o.layer; }, "1");
  ints(
      "part", [](const SeqOp& o) { return o.part; }, "1");
  ints(
      "first_unit", [](const SeqOp& o) { return o.first_unit; }, "rows");
  ints(
      "units", [](const SeqOp& o) { return o.units; }, "rows");
  ints(
      "copies", [](const SeqOp& o) { return o.copies; }, "1");
  f.column("/schedule/rows", pluck(s.ops, [](const SeqOp& o) { return joined(o.rows); }));
  f.column("/schedule/after", pluck(s.ops, [](const SeqOp& o) { return joined(o.after); }));
  f.column("/schedule/banks/layer", pluck(s.banks, [](const LayerBanks& b) { return b.layer; }));
  f.column("/schedule/banks/input_banks",
           pluck(s.banks, [](const LayerBanks& b) { return joined(b.input_banks); }));
  f.column("/schedule/banks/output_banks",
           pluck(s.banks, [](const LayerBanks& b) { return joined(b.output_banks); }));
  f.column("/schedule/banks/parts",
           pluck(s.banks, [](const LayerBanks& b) { return static_cast<std::int64_t>(b.parts); }),
           "1");
  f.column("/schedule/banks/input_bytes",
           pluck(s.banks, [](const LayerBanks& b) { return b.input_bytes; }), "B");
  f.column("/schedule/banks/output_bytes",
           pluck(s.banks, [](const LayerBanks& b) { return b.output_bytes; }), "B");
  if (s.reuse.center > 0) {
    f.attr("/schedule/reuse", "center", s.reuse.center);
    f.attr("/schedule/reuse", "score", s.reuse.score);
    f.column("/schedule/reuse/shift", s.reuse.shift, "codes");
    f.column("/schedule/reuse/clipping", s.reuse.clipping, "1");
    std::vector<std::vector<double>> skip = s.reuse.skip;
    const std::size_t cells = skip.empty() ? 0 : skip.back().size();
    for (std::vector<double>& row : skip) row.resize(cells, 0);  // the first layer: none
    f.matrix("/schedule/reuse/predicted_skip", skip, "1");
  }
}

// What a layer-sequential run measured.
void writeSequential(H5Out& f, const sim::SequentialResult& s) {
  const std::string g = "/sim/sequential";
  f.column(g + "/op_start", pluck(s.ops, [](const sim::SeqOpTiming& t) { return t.start; }),
           "cycles");
  f.column(g + "/op_end", pluck(s.ops, [](const sim::SeqOpTiming& t) { return t.end; }), "cycles");
  using L = sim::SeqLayerResult;
  f.column(g + "/layers/layer", pluck(s.layers, [](const L& l) { return l.layer; }));
  f.column(g + "/layers/hardware", pluck(s.layers, [](const L& l) { return l.hardware; }));
  f.column(g + "/layers/inference",
           pluck(s.layers, [](const L& l) { return static_cast<std::int64_t>(l.inference); }), "1");
  f.column(g + "/layers/start", pluck(s.layers, [](const L& l) { return l.start; }), "cycles");
  f.column(g + "/layers/end", pluck(s.layers, [](const L& l) { return l.end; }), "cycles");
  f.column(g + "/layers/compute_cycles",
           pluck(s.layers, [](const L& l) { return l.compute_cycles; }), "cycles");
  f.column(g + "/layers/stall_cycles", pluck(s.layers, [](const L& l) { return l.stall_cycles; }),
           "cycles");
  f.column(g + "/layers/write_start", pluck(s.layers, [](const L& l) { return l.write_start; }),
           "cycles");
  f.column(g + "/layers/write_end", pluck(s.layers, [](const L& l) { return l.write_end; }),
           "cycles");
  f.column(g + "/layers/parts", pluck(s.layers, [](const L& l) { return l.parts; }), "1");
  f.column(g + "/layers/max_copies", pluck(s.layers, [](const L& l) { return l.max_copies; }), "1");
  f.column(g + "/layers/level_steps", pluck(s.layers, [](const L& l) { return l.level_steps; }),
           "level steps");
  f.column(g + "/layers/write_energy", pluck(s.layers, [](const L& l) { return l.write_energy_j; }),
           "J");
  std::vector<std::vector<double>> kept;
  const std::size_t slices = s.layers.empty() ? 0 : [&] {
    std::size_t n = 0;
    for (const L& l : s.layers) n = std::max(n, l.kept_cells.size());
    return n;
  }();
  for (const L& l : s.layers) {
    std::vector<double> row(slices, 0);
    for (std::size_t i = 0; i < l.kept_cells.size(); ++i)
      row[i] = l.examined_cells[i] > 0
                   ? static_cast<double>(l.kept_cells[i]) / static_cast<double>(l.examined_cells[i])
                   : 0;
    kept.push_back(row);
  }
  f.matrix(g + "/layers/kept_fraction", kept, "1");
  using B = sim::BankResult;
  f.column(g + "/banks/size", pluck(s.banks, [](const B& b) { return b.size_bytes; }), "B");
  f.column(g + "/banks/static_power", pluck(s.banks, [](const B& b) { return b.static_power_w; }),
           "W");
  f.column(g + "/banks/powered_cycles", pluck(s.banks, [](const B& b) { return b.powered_cycles; }),
           "cycles");
  f.column(g + "/banks/static_energy", pluck(s.banks, [](const B& b) { return b.static_energy_j; }),
           "J");
  f.column(g + "/inference_end", s.inference_end, "cycles");
  f.attr(g, "scheduler", s.scheduler);
  f.attr(g, "inferences", s.inferences);
  f.attr(g, "pulses", s.pulses);
  f.attr(g, "row_writes", s.row_writes);
  f.attr(g, "delta_bytes", s.delta_bytes);
  f.attr(g, "seconds_per_inference", s.seconds_per_inference);
  f.attr(g, "inferences_per_s", s.inferences_per_s);
  f.attr(g, "upper_bound_s", s.upper_bound_s);
  f.attr(g, "fraction_of_upper_bound", s.fraction_of_upper_bound);
  f.attr(g, "energy_compute_j", s.energy_compute_j);
  f.attr(g, "energy_write_j", s.energy_write_j);
  f.attr(g, "energy_static_j", s.energy_static_j);
  f.attr(g, "energy_main_memory_j", s.energy_main_memory_j);
  f.attr(g, "rewrites_per_inference", s.rewrites_per_inference);
  f.attr(g, "real_time_rate", s.real_time_rate);
  f.attr(g, "lifespan_real_time_years", s.lifespan_real_time_years);
  f.attr(g, "lifespan_max_throughput_years", s.lifespan_max_throughput_years);
}

void writePlan(H5Out& f, const Plan& plan, const Problem& p) {
  std::vector<std::string> names;
  std::vector<std::int64_t> r, set, crossbars, first_tile, tiles, wo_ho;
  for (std::size_t i = 0; i < plan.layers.size(); ++i) {
    const PlanLayer& l = plan.layers[i];
    names.push_back(l.name);
    r.push_back(l.r);
    set.push_back(l.set);
    crossbars.push_back(l.crossbars());
    first_tile.push_back(l.tiles.front());
    tiles.push_back(static_cast<std::int64_t>(l.tiles.size()));
    wo_ho.push_back(p[i].fused.outputPositions());
  }
  f.column("/plan/name", names);
  f.column("/plan/R", r, "1");
  f.column("/plan/set", set, "crossbars");
  f.column("/plan/crossbars", crossbars, "crossbars");
  f.column("/plan/first_tile", first_tile);
  f.column("/plan/tiles", tiles, "tiles");
  f.column("/plan/wo_ho", wo_ho, "positions");
  f.column("/plan/hops_from_previous",
           pluck(plan.layers, [](const PlanLayer& l) { return l.hops_from_previous; }), "hops");
  f.column("/plan/dataflow", pluck(plan.layers, [](const PlanLayer& l) { return l.dataflow; }));
  f.attr("/plan", "mode", plan.mode);
  f.attr("/plan", "placement", plan.placement);
  f.attr("/plan", "layers_allocated", plan.selection);
}

void writeEstimate(H5Out& f, const RunRecord& run) {
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
             pluck(x, [](const ExactLayer& l) { return l.first_step; }), "steps");
    f.column("/estimate/exact_last_step", pluck(x, [](const ExactLayer& l) { return l.last_step; }),
             "steps");
    f.column("/estimate/exact_stalls", pluck(x, [](const ExactLayer& l) { return l.stalls; }),
             "steps");
  }
  f.column("/estimate/alg1_op", pluck(e.layers, [](const LayerEstimate& l) { return l.alg1.op; }),
           "steps");
  f.column("/estimate/alg1_pre_op",
           pluck(e.layers, [](const LayerEstimate& l) { return l.alg1.pre_op; }), "steps");
  f.column("/estimate/alg1_normal_op",
           pluck(e.layers, [](const LayerEstimate& l) { return l.alg1.normal_op; }), "steps");
}

void writeSim(H5Out& f, const sim::SimResult& s) {
  f.attr("/sim", "mode", s.mode);
  f.attr("/sim", "layers_allocated", s.selection);
  f.attr("/sim", "weights", s.weights);
  std::string skipped;
  for (const std::string& n : s.not_simulated) skipped += (skipped.empty() ? "" : ",") + n;
  f.attr("/sim", "not_simulated", skipped);
  f.attr("/sim", "steps", s.steps);
  f.attr("/sim", "cycles", s.cycles);
  f.attr("/sim", "seconds", s.seconds);
  f.attr("/sim", "step_cycles", s.step_cycles);
  f.attr("/sim", "energy_j", s.energy_j);
  f.attr("/sim", "programming_cycles", s.programming.cycles);
  f.attr("/sim", "programming_energy_j", s.programming.energy_j);
  f.attr("/sim", "programming_pulses", s.programming.pulses);
  f.attr("/sim", "endurance_writes", s.endurance_writes);
  f.attr("/sim", "lifespan_programmings", s.lifespan_programmings);
  f.attr("/sim", "kernel_delta_cycles", s.kernel.delta_cycles);
  f.attr("/sim", "kernel_activations", s.kernel.activations);
  f.attr("/sim", "kernel_timed_notifications", s.kernel.timed_notifications);
  f.attr("/sim", "kernel_delta_notifications", s.kernel.delta_notifications);
  f.attr("/sim", "messages", s.kernel.messages);
  f.attr("/sim", "crossbar_mvms", s.kernel.crossbar_mvms);
  f.attr("/sim", "wall_setup_s", s.wall.setup_s);
  f.attr("/sim", "wall_programming_s", s.wall.programming_s);
  f.attr("/sim", "wall_inference_s", s.wall.inference_s);
  f.attr("/sim", "wall_s", s.wall.total_s);

  using sim::SimLayer;
  const std::vector<SimLayer>& layers = s.layers;
  f.column("/sim/group_count", pluck(layers, [](const SimLayer& l) { return l.groups; }), "1");
  f.column("/sim/first_step", pluck(layers, [](const SimLayer& l) { return l.first_step; }),
           "steps");
  f.column("/sim/last_step", pluck(layers, [](const SimLayer& l) { return l.last_step; }), "steps");
  f.column("/sim/stalls", pluck(layers, [](const SimLayer& l) { return l.stalls; }), "steps");
  f.column("/sim/first_cycle", pluck(layers, [](const SimLayer& l) { return l.first_cycle; }),
           "cycles");
  f.column("/sim/last_cycle", pluck(layers, [](const SimLayer& l) { return l.last_cycle; }),
           "cycles");

  using sim::NodeResult;
  const std::vector<NodeResult>& n = s.nodes;
  f.column("/sim/layers/name", pluck(n, [](const NodeResult& x) { return x.name; }));
  f.column("/sim/layers/type", pluck(n, [](const NodeResult& x) { return x.type; }));
  f.column("/sim/layers/hardware", pluck(n, [](const NodeResult& x) { return x.hardware; }));
  f.column("/sim/layers/positions", pluck(n, [](const NodeResult& x) { return x.positions; }),
           "positions");
  f.column("/sim/layers/chunks", pluck(n, [](const NodeResult& x) { return x.chunks; }), "1");
  f.column("/sim/layers/first_cycle", pluck(n, [](const NodeResult& x) { return x.first_cycle; }),
           "cycles");
  f.column("/sim/layers/last_cycle", pluck(n, [](const NodeResult& x) { return x.last_cycle; }),
           "cycles");
  f.column("/sim/layers/input_wait_cycles",
           pluck(n, [](const NodeResult& x) { return x.input_wait_cycles; }), "cycles");
  f.column("/sim/layers/output_full_cycles",
           pluck(n, [](const NodeResult& x) { return x.output_full_cycles; }), "cycles");
  f.column("/sim/layers/backpressure_cycles",
           pluck(n, [](const NodeResult& x) { return x.backpressure_cycles; }), "cycles");
  f.column("/sim/layers/energy_j", pluck(n, [](const NodeResult& x) { return x.energy_j; }), "J");

  std::vector<std::string> comp;
  std::vector<double> joules;
  for (const auto& [name, j] : s.energy_by_component) {
    comp.push_back(name);
    joules.push_back(j);
  }
  f.column("/sim/energy/component", comp);
  f.column("/sim/energy/joules", joules, "J");

  using sim::GroupRecord;
  f.column("/sim/groups/layer",
           pluck(s.groups, [](const GroupRecord& g) { return std::int64_t{g.layer}; }));
  f.column("/sim/groups/start_cycle", pluck(s.groups, [](const GroupRecord& g) { return g.start; }),
           "cycles");
  f.column("/sim/groups/end_cycle", pluck(s.groups, [](const GroupRecord& g) { return g.end; }),
           "cycles");

  using sim::ResourceStats;
  const std::vector<ResourceStats>& res = s.resources;
  f.column("/sim/resources/name", pluck(res, [](const ResourceStats& r) { return r.name; }));
  f.column("/sim/resources/busy_cycles",
           pluck(res, [](const ResourceStats& r) { return r.busy_cycles; }), "cycles");
  f.column("/sim/resources/wait_cycles",
           pluck(res, [](const ResourceStats& r) { return r.wait_cycles; }), "cycles");
  f.column("/sim/resources/requests", pluck(res, [](const ResourceStats& r) { return r.requests; }),
           "1");

  using sim::StatRow;
  f.column("/sim/stats/block", pluck(s.stats, [](const StatRow& r) { return r.block; }));
  f.column("/sim/stats/name", pluck(s.stats, [](const StatRow& r) { return r.name; }));
  f.column("/sim/stats/unit", pluck(s.stats, [](const StatRow& r) { return r.unit; }));
  f.column("/sim/stats/description",
           pluck(s.stats, [](const StatRow& r) { return r.description; }));
  f.column("/sim/stats/value", pluck(s.stats, [](const StatRow& r) { return r.value; }));

  std::vector<std::int64_t> banks(s.powered_banks.begin(), s.powered_banks.end());
  f.column("/sim/powered_banks", banks);

  f.attr("/timeseries", "bin_cycles", s.bin_cycles);
  f.column("/timeseries/tile_index", s.tile_index);
  f.matrix("/timeseries/tile_utilisation", s.tile_utilisation, "1");
  f.matrix("/timeseries/input_buffer_occupancy", s.input_buffer_occupancy, "B");
  f.column("/timeseries/noc_bytes", s.noc_bytes, "B");
  f.matrix("/timeseries/noc_link_utilisation", s.noc_link_utilisation, "1");

  using sim::NocLinkStats;
  const std::vector<NocLinkStats>& links = s.noc_links;
  f.attr("/sim/noc", "topology", s.topology);
  f.column("/sim/noc/link", pluck(links, [](const NocLinkStats& l) { return l.name; }));
  f.column("/sim/noc/bytes", pluck(links, [](const NocLinkStats& l) { return l.bytes; }), "B");
  f.column("/sim/noc/busy_cycles",
           pluck(links, [](const NocLinkStats& l) { return l.busy_cycles; }), "cycles");
  f.column("/sim/noc/wait_cycles",
           pluck(links, [](const NocLinkStats& l) { return l.wait_cycles; }), "cycles");
  f.column("/sim/noc/requests", pluck(links, [](const NocLinkStats& l) { return l.requests; }),
           "1");

  if (!s.trace_components.empty() && !s.trace.empty()) {
    using sim::TraceEvent;
    const std::vector<TraceEvent>& ev = s.trace;
    f.column("/trace/events/start", pluck(ev, [](const TraceEvent& e) { return e.start; }),
             "cycles");
    f.column("/trace/events/end", pluck(ev, [](const TraceEvent& e) { return e.end; }), "cycles");
    f.column("/trace/events/component",
             pluck(ev, [](const TraceEvent& e) { return std::int64_t{e.component}; }));
    f.column("/trace/events/layer",
             pluck(ev, [](const TraceEvent& e) { return std::int64_t{e.layer}; }));
    f.column("/trace/events/kind",
             pluck(ev, [](const TraceEvent& e) { return static_cast<std::int64_t>(e.kind); }));
    f.column("/trace/events/amount", pluck(ev, [](const TraceEvent& e) { return e.amount; }));
    f.column("/trace/events/positions",
             pluck(ev, [](const TraceEvent& e) { return std::int64_t{e.positions}; }));
    std::vector<std::string> kinds;
    for (int k = 0; k < sim::kEventKinds; ++k)
      kinds.push_back(sim::eventKindName(static_cast<sim::EventKind>(k)));
    f.column("/trace/kinds", kinds);
    f.column("/trace/components", s.trace_components);
    f.attr("/trace", "hardware_events_dropped", s.trace_dropped);
    f.column("/trace/component_kinds", pluck(s.trace_component_kinds, [](sim::ComponentKind k) {
               return std::string(sim::componentKindName(k));
             }));
  }
}

}  // namespace

sim::SimResult simulateAllocation(const Problem& p, const Allocation& r, const sim::SimOptions& o) {
  return sim::simulate(p.network(), p.arch(), makePlan(p, r), o);
}

void writeRunFile(const std::string& path, const RunRecord& run) {
  const ArchSpec& arch = run.arch ? *run.arch : run.problem->arch();
  H5Out f(path);
  f.attr("/", "format", std::string("xbarsim-run"));
  f.attr("/", "format_version", kRunFormatVersion);
  f.attr("/meta", "version", run.version);
  f.attr("/meta", "command", run.command);
  f.attr("/meta", "seed", static_cast<std::int64_t>(run.seed));
  f.attr("/meta", "workload", run.network->name());
  f.attr("/meta", "arch", arch.name);
  f.attr("/meta", "allocator", run.allocator);
  f.attr("/meta", "layers_allocated",
         std::string(run.problem ? layerSelectionName(run.problem->selection()) : "all"));
  f.attr("/meta", "objective",
         std::string(run.estimate ? stepModelName(run.estimate->objective.steps) : "none"));
  f.attr("/meta", "bandwidth",
         static_cast<std::int64_t>(run.estimate ? run.estimate->objective.bandwidth : 1));
  f.attr("/meta", "sim_lag", kSimulatorLag);
  f.attr("/meta", "crossbars_total", run.problem ? run.problem->total() : arch.logicalCrossbars());
  f.text("/meta/arch_yaml", resolvedText(arch.yaml_text, arch.params));
  f.text("/meta/workload_yaml", resolvedText(run.network->yaml_text, run.network->params));
  f.text("/meta/arch_resolved_yaml", arch.resolved_yaml);
  f.text("/meta/workload_resolved_yaml", networkYaml(*run.network));
  if (run.problem)
    writePlan(f, *run.plan, *run.problem);
  else
    writeSchedule(f, *run.plan);
  if (run.estimate) writeEstimate(f, run);
  writeSim(f, *run.sim);
  if (run.sim->sequential.inferences > 0) writeSequential(f, run.sim->sequential);
  f.commit();
}

}  // namespace xbarsim::validation
