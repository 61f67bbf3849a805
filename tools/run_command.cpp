// `xbarsim run`: the whole job in one command. Allocate crossbars, estimate with Algorithm 1 and
// the exact step model, simulate cycle by cycle, compare, and write one HDF5 run file with
// model and simulation side by side plus a PNG drawn by tools/plot_run.py.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "io/config_path.h"
#include "model/dataflow.h"
#include "sim/simulator.h"
#include "tools/cli.h"
#include "validation/run_file.h"

namespace xbarsim::cli {

namespace {

double errorPct(double model, double truth) {
  return truth > 0 ? 100.0 * (model - truth) / truth : 0;
}

// A plan with input-stationary layers: the mixed-dataflow timeline model (ideal data movement)
// beside the simulation.
void runMixed(const ProblemInputs::Loaded& loaded, const Plan& plan, const sim::SimResult& res,
              const std::string& allocator, bool json) {
  const Problem& p = *loaded.problem;
  std::vector<LayerChoice> choice;
  for (const PlanLayer& l : plan.layers) choice.push_back({l.dataflow, l.r});
  const DataflowTimeline t = dataflowTimeline(p, choice);
  const double sim_cycles = static_cast<double>(res.cycles);
  if (json) {
    nlohmann::json j = simJson(res);
    j["allocator"] = allocator;
    j["timeline_cycles"] = t.cycles;
    j["timeline_error_pct"] = errorPct(static_cast<double>(t.cycles), sim_cycles);
    nlohmann::json layers = nlohmann::json::array();
    for (std::size_t i = 0; i < p.size(); ++i)
      layers.push_back({{"layer", p[i].fused.name},
                        {"dataflow", choice[i].dataflow},
                        {"r", choice[i].r},
                        {"model_last_cycle", t.spans[i].second},
                        {"sim_last_cycle", res.layers[i].last_cycle}});
    j["layers"] = layers;
    printJson(j);
    return;
  }
  std::printf("%s on %s (%s crossbars), allocator %s, bandwidth %s\n", loaded.in.net.name().c_str(),
              loaded.in.arch.name.c_str(), grouped(p.total()).c_str(), allocator.c_str(),
              "modelled by the simulation only");
  std::printf("%4s  %-16s %-8s %6s %14s %14s\n", "#", "layer", "dataflow", "R", "model end",
              "sim end");
  for (std::size_t i = 0; i < p.size(); ++i)
    std::printf("%4zu  %-16s %-8s %6lld %14s %14s\n", i + 1, p[i].fused.name.c_str(),
                choice[i].dataflow.c_str(), static_cast<long long>(choice[i].r),
                grouped(t.spans[i].second).c_str(), grouped(res.layers[i].last_cycle).c_str());
  std::printf(
      "(cycles: a layer's last output; the model is the mixed-dataflow timeline, ideal data "
      "movement)\ntimeline model %s cycles, simulation %s cycles: error %+.2f %%\n",
      grouped(t.cycles).c_str(), grouped(res.cycles).c_str(),
      errorPct(static_cast<double>(t.cycles), sim_cycles));
  printSimulation(res);
}

}  // namespace

void registerRun(CLI::App& app) {
  struct Options {
    ProblemInputs inputs;
    AllocationInputs allocation;
    sim::SimOptions sim;
    std::string out = "out/run.h5";
    bool no_plot = false;
    TraceInputs trace;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "run",
      "The whole job: allocate crossbars (dp by default), estimate with Algorithm 1 and the exact "
      "step model, simulate one inference cycle by cycle, print model against simulation, and "
      "write one HDF5 run file plus a PNG. Defaults: resnet-18 (every layer) on isaac-like with 32 "
      "tiles.",
      "xbarsim run --workload vgg-a --arch isaac-like --param tiles=128 --out out/vgg-a.h5",
      [o](CLI::App& cmd) {
        o->inputs.base.workload = "resnet-18";
        o->inputs.add(cmd);
        cmd.get_option("--workload")->required(false)->default_str("resnet-18");
        o->allocation.add(cmd, "dp");
        cmd.add_option("--out", o->out, "HDF5 run file; the PNG goes next to it")
            ->capture_default_str();
        o->trace.add(cmd);
        cmd.add_flag("--no-plot", o->no_plot, "Do not draw the PNG");
        cmd.add_option("--weights", o->sim.weights_path,
                       "HDF5 file with one dataset of weights per allocated layer");
        return [o] {
          prepareOutput(o->out, true);
          o->sim.trace = o->trace.check(o->out);
          o->sim.trace_hardware_limit = o->trace.limit;
          const auto loaded = o->inputs.load(!o->allocation.sequential());
          if (o->allocation.sequential()) {
            const std::string png =
                std::filesystem::path(o->out).replace_extension(".png").string();
            simulateSequential(*loaded, o->allocation, o->sim, o->out, o->inputs.base.json,
                               o->no_plot ? "" : png, o->trace);
            return;
          }
          o->allocation.shareOus(*loaded->problem, o->sim.weights_path, o->inputs.base.json);
          const Problem& p = *loaded->problem;
          const AllocationInputs::Resolved resolved = o->allocation.resolve(p, loaded->objective);
          const Allocation& r = resolved.r;
          const std::string& allocator = resolved.allocator;
          // Input-stationary layers: Algorithm 1 and the exact step model do not apply.
          const bool mixed = !resolved.dataflows.empty() || o->allocation.dataflow != "ws";
          std::optional<Estimate> estimated;
          std::optional<ExactResult> exact;
          if (!mixed) {
            estimated = estimate(p, r, loaded->objective);
            exact = exactSteps(p, r, validation::kSimulatorLag);
          }
          o->sim.bandwidth = loaded->objective.bandwidth;
          o->sim.seed = o->allocation.seed;
          const Plan plan = o->allocation.plan(p, resolved);
          const sim::SimResult res = simulatePlan(*loaded, plan, o->sim, o->inputs.base.json);

          validation::RunRecord run = runRecord(*loaded, plan, res, allocator, o->allocation.seed);
          if (!mixed) {
            run.estimate = &*estimated;
            run.exact_sim_lag = &*exact;
          }
          validation::writeRunFile(o->out, run);
          o->trace.write(o->out, run, o->inputs.base.json);
          const std::string png = std::filesystem::path(o->out).replace_extension(".png").string();
          const bool drawn = !o->no_plot && plotRun(o->out, png);
          if (mixed) {
            runMixed(*loaded, plan, res, allocator, o->inputs.base.json);
            if (!o->inputs.base.json)
              std::printf("wrote %s%s%s\n", o->out.c_str(), drawn ? " and " : "",
                          drawn ? png.c_str() : "");
            return;
          }
          const Estimate& est = *estimated;
          const ExactResult& at_sim_lag = *exact;

          const double alg1_cycles = static_cast<double>(est.alg1_steps * est.step_cycles);
          const double sim_cycles = static_cast<double>(res.cycles);
          if (o->inputs.base.json) {
            nlohmann::json j = estimateJson(p, est);
            j["allocator"] = allocator;
            j["simulation"] = simJson(res);
            j["exact_steps_sim_lag"] = at_sim_lag.steps;
            j["sim_lag"] = validation::kSimulatorLag;
            j["alg1_error_pct"] = errorPct(alg1_cycles, sim_cycles);
            j["exact_error_pct"] =
                errorPct(static_cast<double>(at_sim_lag.steps * est.step_cycles), sim_cycles);
            j["out"] = o->out;
            printJson(j);
            return;
          }
          std::printf("%s on %s (%s crossbars of %lldx%lld), allocator %s, bandwidth %s\n",
                      loaded->in.net.name().c_str(), loaded->in.arch.name.c_str(),
                      grouped(p.total()).c_str(), static_cast<long long>(loaded->in.xbar_rows),
                      static_cast<long long>(loaded->in.xbar_cols), allocator.c_str(),
                      o->sim.bandwidth ? "modelled" : "ignored");
          const NocSpec& noc = loaded->in.arch.chip.noc;
          std::printf("simulated interconnect: %s, %.4g GB/s %s; placement %s",
                      noc.topology.c_str(), noc.bandwidth_bps / 1e9,
                      noc.topology == "bus"         ? "shared"
                      : noc.topology == "per-layer" ? "per layer's channel"
                                                    : "per link",
                      plan.placement.c_str());
          if (noc.routed()) std::printf(", %.2f hops between consecutive layers", plan.meanHops());
          std::printf("\nthe models' eq. 12 assumes a channel per layer (per-layer)\n");
          std::printf("%4s  %-14s %6s %5s %12s %12s %12s %12s\n", "#", "layer", "R", "tiles",
                      "alg1 end", "exact end", "sim end", "sim waits");
          for (std::size_t i = 0; i < p.size(); ++i)
            std::printf("%4zu  %-14s %6lld %5zu %12s %12s %12s %12s\n", i + 1,
                        p[i].fused.name.c_str(), static_cast<long long>(r[i]),
                        plan.layers[i].tiles.size(),
                        grouped(est.layers[i].alg1.op * est.step_cycles).c_str(),
                        grouped(at_sim_lag.layers[i].last_step * est.step_cycles).c_str(),
                        grouped(res.layers[i].last_cycle).c_str(),
                        grouped(res.layers[i].wait_cycles).c_str());
          std::printf(
              "(cycles: a layer's last output, and the cycles it waited beyond its "
              "groups' computation)\n");
          std::printf("\n%-34s %12s %14s\n", "", "steps", "cycles");
          std::printf("%-34s %12s %14s\n", "Algorithm 1 (lag 0)", grouped(est.alg1_steps).c_str(),
                      grouped(est.alg1_steps * est.step_cycles).c_str());
          std::printf("%-34s %12s %14s\n", "exact step model, lag 0",
                      grouped(est.exact_steps).c_str(),
                      grouped(est.exact_steps * est.step_cycles).c_str());
          std::printf("%-34s %12s %14s\n", "exact step model, lag 1 (hardware)",
                      grouped(at_sim_lag.steps).c_str(),
                      grouped(at_sim_lag.steps * est.step_cycles).c_str());
          std::printf("%-34s %12s %14s\n", "simulation", grouped(res.steps).c_str(),
                      grouped(res.cycles).c_str());
          std::printf("Algorithm 1 error against the simulation: %+.2f %% (cycles)\n",
                      errorPct(alg1_cycles, sim_cycles));
          std::printf(
              "exact model (lag 1) error against the simulation: %+.2f %% (cycles)\n",
              errorPct(static_cast<double>(at_sim_lag.steps * est.step_cycles), sim_cycles));
          printSimulation(res);
          std::printf("wrote %s%s%s\n", o->out.c_str(), drawn ? " and " : "",
                      drawn ? png.c_str() : "");
        };
      });
}

}  // namespace xbarsim::cli
