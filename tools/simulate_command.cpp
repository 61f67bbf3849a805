// `xbarsim simulate`: one full inference on the SystemC model (ReRAM programming first, then the
// pipelined inference), optionally writing an HDF5 run file with the event trace.
#include <cstdio>

#include "io/config_path.h"
#include "sim/simulator.h"
#include "tools/cli.h"
#include "validation/run_file.h"

namespace xbarsim::cli {

nlohmann::json simJson(const sim::SimResult& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (const sim::SimLayer& l : r.layers)
    layers.push_back({{"groups", l.groups},
                      {"first_step", l.first_step},
                      {"last_step", l.last_step},
                      {"stalls", l.stalls},
                      {"first_cycle", l.first_cycle},
                      {"last_cycle", l.last_cycle},
                      {"wait_cycles", l.wait_cycles}});
  nlohmann::json nodes = nlohmann::json::array();
  for (const sim::NodeResult& n : r.nodes)
    nodes.push_back({{"name", n.name},
                     {"type", n.type},
                     {"hardware", n.hardware},
                     {"positions", n.positions},
                     {"chunks", n.chunks},
                     {"first_cycle", n.first_cycle},
                     {"last_cycle", n.last_cycle},
                     {"input_wait_cycles", n.input_wait_cycles},
                     {"output_full_cycles", n.output_full_cycles},
                     {"backpressure_cycles", n.backpressure_cycles},
                     {"energy_j", n.energy_j}});
  nlohmann::json resources = nlohmann::json::array();
  for (const sim::ResourceStats& s : r.resources)
    resources.push_back({{"name", s.name},
                         {"busy_cycles", s.busy_cycles},
                         {"wait_cycles", s.wait_cycles},
                         {"requests", s.requests}});
  const sim::KernelActivity& k = r.kernel;
  nlohmann::json links = nlohmann::json::array();
  for (const sim::NocLinkStats& l : r.noc_links)
    links.push_back({{"link", l.name},
                     {"bytes", l.bytes},
                     {"busy_cycles", l.busy_cycles},
                     {"wait_cycles", l.wait_cycles},
                     {"requests", l.requests}});
  return {{"mode", r.mode},
          {"topology", r.topology},
          {"noc_links", links},
          {"layers_allocated", r.selection},
          {"weights", r.weights},
          {"not_simulated", r.not_simulated},
          {"steps", r.steps},
          {"cycles", r.cycles},
          {"step_cycles", r.step_cycles},
          {"seconds", r.seconds},
          {"energy_j", r.energy_j},
          {"energy_by_component", r.energy_by_component},
          {"programming_cycles", r.programming.cycles},
          {"programming_seconds", r.programming.seconds},
          {"programming_energy_j", r.programming.energy_j},
          {"programming_pulses", r.programming.pulses},
          {"lifespan_programmings", r.lifespan_programmings},
          {"kernel",
           {{"delta_cycles", k.delta_cycles},
            {"activations", k.activations},
            {"timed_notifications", k.timed_notifications},
            {"delta_notifications", k.delta_notifications},
            {"messages", k.messages},
            {"crossbar_mvms", k.crossbar_mvms}}},
          {"wall_s",
           {{"setup", r.wall.setup_s},
            {"programming", r.wall.programming_s},
            {"inference", r.wall.inference_s},
            {"total", r.wall.total_s}}},
          {"layers", layers},
          {"all_layers", nodes},
          {"resources", resources}};
}

// The per-layer table and summary lines `simulate` and `run` print.
void printSimulation(const sim::SimResult& res) {
  std::printf("%-22s %-8s %-13s %8s %12s %12s %11s %11s %10s\n", "layer", "type", "hardware",
              "chunks", "first cycle", "last cycle", "input wait", "backpress.", "energy J");
  for (std::size_t i = 1; i < res.nodes.size(); ++i) {
    const sim::NodeResult& n = res.nodes[i];
    std::printf("%-22s %-8s %-13s %8lld %12lld %12lld %11.0f %11.0f %10.3g\n", n.name.c_str(),
                n.type.c_str(), n.hardware.c_str(), static_cast<long long>(n.chunks),
                static_cast<long long>(n.first_cycle), static_cast<long long>(n.last_cycle),
                n.input_wait_cycles, n.backpressure_cycles, n.energy_j);
  }
  std::printf("inference: %s cycles = %s steps of %lld cycles = %.6g s, %.6g J\n",
              grouped(res.cycles).c_str(), grouped(res.steps).c_str(),
              static_cast<long long>(res.step_cycles), res.seconds, res.energy_j);
  std::printf("programming: %s cycles = %.6g s, %s pulses, %.6g J; cells last %.3g programmings\n",
              grouped(res.programming.cycles).c_str(), res.programming.seconds,
              grouped(res.programming.pulses).c_str(), res.programming.energy_j,
              res.lifespan_programmings);
  if (!res.noc_links.empty()) {
    const sim::NocLinkStats* busiest = &res.noc_links.front();
    std::int64_t waiting = 0;
    for (const sim::NocLinkStats& l : res.noc_links) {
      if (l.busy_cycles > busiest->busy_cycles) busiest = &l;
      waiting += l.wait_cycles;
    }
    std::printf(
        "interconnect (%s): %zu links carried data; busiest %s, busy %s cycles; transfers "
        "waited %s cycles for links in all\n",
        res.topology.c_str(), res.noc_links.size(), busiest->name.c_str(),
        grouped(busiest->busy_cycles).c_str(), grouped(waiting).c_str());
  }
  const sim::KernelActivity& k = res.kernel;
  std::printf(
      "kernel: %s delta cycles, %s activations, %s timed notifications, %s messages, %s "
      "crossbar MVMs\n",
      grouped(k.delta_cycles).c_str(), grouped(k.activations).c_str(),
      grouped(k.timed_notifications).c_str(), grouped(k.messages).c_str(),
      grouped(k.crossbar_mvms).c_str());
  std::printf("wall: %.3f s = set-up %.3f + programming %.3f + inference %.3f (+ results)\n",
              res.wall.total_s, res.wall.setup_s, res.wall.programming_s, res.wall.inference_s);
}

void registerSimulate(CLI::App& app) {
  struct Options {
    ProblemInputs inputs;
    AllocationInputs allocation;
    sim::SimOptions sim;
    std::string out;
    TraceInputs trace;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "simulate",
      "Simulate one full inference cycle by cycle on the SystemC model: program every weight "
      "into the ReRAM crossbars, then run every layer of the network (crossbar layers on their "
      "crossbars, pools, adds, concats and attention matmuls on the tiles' vector units), data "
      "moving through buffers, buses and the NoC with back-pressure. Reports cycles, energy by "
      "component and by layer, per layer its chunks, first and last cycle and waits, "
      "programming time and energy, the SystemC kernel's activity and the wall-time split.",
      "xbarsim simulate --arch isaac-like --workload vgg-a --allocator dp --out run.h5 --trace",
      [o](CLI::App& cmd) {
        o->inputs.add(cmd);
        o->allocation.add(cmd, "");
        cmd.add_option("--out", o->out, "Write an HDF5 run file (layout in the README)");
        o->trace.add(cmd);
        cmd.add_option("--weights", o->sim.weights_path,
                       "HDF5 file with one dataset of weights per allocated layer (default: "
                       "seeded synthetic weights)");
        return [o] {
          if (!o->out.empty()) prepareOutput(o->out, false);
          o->sim.trace = o->trace.check(o->out);
          o->sim.trace_hardware_limit = o->trace.limit;
          const auto loaded = o->inputs.load(!o->allocation.sequential());
          if (o->allocation.sequential()) {
            simulateSequential(*loaded, o->allocation, o->sim, o->out, o->inputs.base.json, "",
                               o->trace);
            return;
          }
          o->allocation.shareOus(*loaded->problem, o->sim.weights_path, o->inputs.base.json);
          const Problem& p = *loaded->problem;
          const AllocationInputs::Resolved resolved = o->allocation.resolve(p, loaded->objective);
          const Allocation& r = resolved.r;
          const std::string& allocator = resolved.allocator;
          o->sim.bandwidth = loaded->objective.bandwidth;
          o->sim.seed = o->allocation.seed;
          const Plan plan = o->allocation.plan(p, resolved);
          const sim::SimResult res = simulatePlan(*loaded, plan, o->sim, o->inputs.base.json);
          if (!o->out.empty()) {
            const validation::RunRecord record =
                runRecord(*loaded, plan, res, allocator, o->allocation.seed);
            validation::writeRunFile(o->out, record);
            o->trace.write(o->out, record, o->inputs.base.json);
          }
          nlohmann::json j = simJson(res);
          j["allocation"] = r;
          j["allocator"] = allocator;
          std::vector<std::string> flows;
          std::int64_t used = 0, inputs = 0;
          for (const PlanLayer& l : plan.layers) {
            flows.push_back(l.dataflow);
            used += l.crossbars();
            inputs += l.dataflow == "is";
          }
          j["dataflows"] = flows;
          j["workload"] = loaded->in.net.name();
          j["arch"] = loaded->in.arch.name;
          j["bandwidth"] = o->sim.bandwidth;
          if (o->inputs.base.json) {
            printJson(j);
            return;
          }
          std::printf(
              "%s on %s, allocation %s (%s crossbars), mode %s, layers %s, dataflows: %lld ws, "
              "%lld is\n",
              loaded->in.net.name().c_str(), loaded->in.arch.name.c_str(), allocator.c_str(),
              grouped(used).c_str(), res.mode.c_str(), res.selection.c_str(),
              static_cast<long long>(plan.layers.size()) - static_cast<long long>(inputs),
              static_cast<long long>(inputs));
          std::printf("interconnect %s, placement %s\n", res.topology.c_str(),
                      plan.placement.c_str());
          printSimulation(res);
          if (!o->out.empty()) std::printf("wrote %s\n", o->out.c_str());
        };
      });
}

}  // namespace xbarsim::cli
