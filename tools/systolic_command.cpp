// `xbarsim systolic`: a network on the TPU-like weight-stationary systolic array (the ARAS
// paper's baseline, model/systolic.h): per layer its product, folds, cycles and main-memory
// bytes; the inference's time and energy split.
#include <cstdio>

#include "io/params.h"
#include "model/systolic.h"
#include "tools/cli.h"

namespace xbarsim::cli {

void registerSystolic(CLI::App& app) {
  struct Options {
    std::string workload;
    std::string spec = "tpu-like";
    std::vector<std::string> params;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "systolic",
      "Run a network on the TPU-like baseline of the ARAS paper (section VII-E): a "
      "weight-stationary systolic array modelled analytically in the style of SCALE-Sim "
      "(folds of the weight matrix, fill and drain per fold, main-memory traffic), with its "
      "time and energy (MACs, buffer, main memory, vector unit, static).",
      "xbarsim systolic --workload resnet-50 --spec tpu-like", [o](CLI::App& cmd) {
        cmd.add_option("--workload,-w", o->workload, "Network: a preset name or a YAML path")
            ->required();
        cmd.add_option("--spec", o->spec,
                       "Array: a preset of configs/baselines (tpu-like) or a YAML path")
            ->capture_default_str();
        cmd.add_option("--param", o->params, "name=value for the workload's params:");
        cmd.add_flag("--json", o->json, "Print one JSON object");
        return [o] {
          const Network net = loadNetwork(o->workload, parseParamOverrides(o->params));
          const SystolicSpec spec = loadSystolicSpec(o->spec);
          const SystolicResult r = runSystolic(net, spec);
          if (o->json) {
            nlohmann::json layers = nlohmann::json::array();
            for (const SystolicLayer& l : r.layers)
              layers.push_back({{"name", l.name},
                                {"unit", l.unit},
                                {"m", l.m},
                                {"k", l.k},
                                {"n", l.n},
                                {"products", l.products},
                                {"folds", l.folds},
                                {"compute_cycles", l.compute_cycles},
                                {"memory_bytes", l.memory_bytes},
                                {"cycles", l.cycles},
                                {"energy_j", l.energy_j}});
            printJson({{"workload", net.name()},
                       {"spec", spec.name},
                       {"cycles", r.cycles},
                       {"seconds", r.seconds},
                       {"inferences_per_s", r.seconds > 0 ? 1 / r.seconds : 0},
                       {"energy_j",
                        {{"total", r.energy_j},
                         {"mac", r.energy_mac_j},
                         {"buffer", r.energy_buffer_j},
                         {"memory", r.energy_memory_j},
                         {"vector", r.energy_vector_j},
                         {"static", r.energy_static_j}}},
                       {"layers", layers}});
            return;
          }
          std::printf("%s on %s (%lldx%lld weight-stationary array, %s)\n", net.name().c_str(),
                      spec.name.c_str(), static_cast<long long>(spec.rows),
                      static_cast<long long>(spec.cols), spec.source.c_str());
          std::printf("%-22s %-6s %8s %8s %8s %6s %8s %14s %14s %14s\n", "layer", "unit", "M", "K",
                      "N", "x", "folds", "compute cyc", "memory B", "cycles");
          for (const SystolicLayer& l : r.layers)
            std::printf("%-22s %-6s %8lld %8lld %8lld %6lld %8lld %14s %14s %14s\n", l.name.c_str(),
                        l.unit.c_str(), static_cast<long long>(l.m), static_cast<long long>(l.k),
                        static_cast<long long>(l.n), static_cast<long long>(l.products),
                        static_cast<long long>(l.folds), grouped(l.compute_cycles).c_str(),
                        grouped(l.memory_bytes).c_str(), grouped(l.cycles).c_str());
          std::printf(
              "inference: %s cycles = %.6g s = %.4g inferences/s; energy %.6g J (MACs "
              "%.3g, buffer %.3g, main memory %.3g, vector %.3g, static %.3g)\n",
              grouped(r.cycles).c_str(), r.seconds, 1 / r.seconds, r.energy_j, r.energy_mac_j,
              r.energy_buffer_j, r.energy_memory_j, r.energy_vector_j, r.energy_static_j);
        };
      });
}

}  // namespace xbarsim::cli
