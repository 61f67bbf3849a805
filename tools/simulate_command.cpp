// `xbarsim simulate`: one full inference on the SystemC model (ReRAM programming first, then the
// pipelined inference), optionally writing an HDF5 run file with the event trace.
#include <cstdio>

#include "sim/run_file.h"
#include "sim/simulator.h"
#include "tools/cli.h"

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
  nlohmann::json resources = nlohmann::json::array();
  for (const sim::ResourceStats& s : r.resources)
    resources.push_back({{"name", s.name},
                         {"busy_cycles", s.busy_cycles},
                         {"wait_cycles", s.wait_cycles},
                         {"requests", s.requests}});
  return {{"steps", r.steps},
          {"cycles", r.cycles},
          {"step_cycles", r.step_cycles},
          {"seconds", r.seconds},
          {"energy_j", r.energy_j},
          {"energy_by_component", r.energy_by_component},
          {"programming_cycles", r.programming.cycles},
          {"programming_seconds", r.programming.seconds},
          {"programming_energy_j", r.programming.energy_j},
          {"programming_pulses", r.programming.pulses},
          {"events", r.events},
          {"wall_s", r.wall_s},
          {"events_per_s", r.wall_s > 0 ? static_cast<double>(r.events) / r.wall_s : 0.0},
          {"layers", layers},
          {"resources", resources}};
}

void registerSimulate(CLI::App& app) {
  struct Options {
    ProblemInputs inputs;
    AllocationInputs allocation;
    sim::SimOptions sim;
    std::string out;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "simulate",
      "Simulate one full inference cycle by cycle on the SystemC model: program every weight "
      "into the ReRAM crossbars, then run the layer pipeline. Reports steps, cycles, energy by "
      "component, programming time and energy, and per layer its first and last step and stalls.",
      "xbarsim simulate --arch isaac-like --workload vgg-a --allocator dp --out run.h5 --trace",
      [o](CLI::App& cmd) {
        o->inputs.add(cmd);
        o->allocation.add(cmd, "");
        cmd.add_option("--out", o->out, "Write an HDF5 run file (layout in the README)");
        cmd.add_flag("--trace", o->sim.trace, "Record the event trace into the run file");
        cmd.add_option("--weights", o->sim.weights_path,
                       "HDF5 file with one dataset of weights per allocated layer (default: "
                       "seeded synthetic weights)");
        return [o] {
          const auto loaded = o->inputs.load();
          const Problem& p = *loaded->problem;
          const auto [r, allocator] = o->allocation.resolve(p, loaded->objective);
          o->sim.bandwidth = loaded->objective.bandwidth;
          o->sim.seed = o->allocation.seed;
          const Plan plan = makePlan(p, r);
          const sim::SimResult res = sim::simulate(p, plan, o->sim);
          if (!o->out.empty())
            sim::writeRunFile(o->out, runRecord(*loaded, plan, res, allocator, o->allocation.seed));
          nlohmann::json j = simJson(res);
          j["allocation"] = r;
          j["allocator"] = allocator;
          j["workload"] = loaded->in.net.name();
          j["arch"] = loaded->in.arch.name;
          j["bandwidth"] = o->sim.bandwidth;
          if (o->inputs.base.json) {
            printJson(j);
            return;
          }
          std::printf("%s on %s, allocation %s (%s crossbars)\n", loaded->in.net.name().c_str(),
                      loaded->in.arch.name.c_str(), allocator.c_str(),
                      grouped(crossbarsUsed(p, r)).c_str());
          std::printf("%4s  %-14s %6s %8s %8s %8s %8s\n", "#", "layer", "R", "groups", "first",
                      "last", "stalls");
          for (std::size_t i = 0; i < p.size(); ++i)
            std::printf("%4zu  %-14s %6lld %8lld %8lld %8lld %8lld\n", i + 1,
                        p[i].fused.name.c_str(), static_cast<long long>(r[i]),
                        static_cast<long long>(res.layers[i].groups),
                        static_cast<long long>(res.layers[i].first_step),
                        static_cast<long long>(res.layers[i].last_step),
                        static_cast<long long>(res.layers[i].stalls));
          std::printf("inference: %s steps of %lld cycles = %s cycles = %.6g s, %.6g J\n",
                      grouped(res.steps).c_str(), static_cast<long long>(res.step_cycles),
                      grouped(res.cycles).c_str(), res.seconds, res.energy_j);
          std::printf("programming: %s cycles = %.6g s, %s pulses, %.6g J\n",
                      grouped(res.programming.cycles).c_str(), res.programming.seconds,
                      grouped(res.programming.pulses).c_str(), res.programming.energy_j);
          std::printf("simulated %s events in %.3f s (%.3g events/s)%s%s\n",
                      grouped(res.events).c_str(), res.wall_s, j["events_per_s"].get<double>(),
                      o->out.empty() ? "" : "; wrote ", o->out.c_str());
        };
      });
}

}  // namespace xbarsim::cli
