// `xbarsim fidelity`: the simulator against the exact step model on the zoo's CNNs.
#include <chrono>
#include <cstdio>

#include "tools/cli.h"
#include "validation/fidelity.h"

namespace xbarsim::cli {

void registerFidelity(CLI::App& app) {
  struct Options {
    std::vector<std::string> workloads = validation::zooCnns();
    std::int64_t samples = 100;
    std::uint64_t seed = 1;
    std::string layers = "all";
    bool by_layer = false;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "fidelity",
      "Compare the two independent implementations of the pipeline's timing: the simulator "
      "(with ideal data movement) against the exact step model at lag 1, layer by layer, for the "
      "DP's allocation and N seeded random allocations of each network (every layer allocated "
      "by default: residual, concat, depthwise and fc included; isaac-like with twice the "
      "crossbars they need, at least 2304). Exits non-zero if any layer differs.",
      "xbarsim fidelity --workloads alexnet,vgg-a --samples 20", [o](CLI::App& cmd) {
        cmd.add_option("--workloads", o->workloads, "Networks (default: every zoo CNN)")
            ->delimiter(',');
        cmd.add_option("--samples", o->samples, "Random allocations per network")
            ->capture_default_str()
            ->check(wholeNumber(0, 1000000));
        cmd.add_option("--seed", o->seed, "Seed of the random allocations")->capture_default_str();
        cmd.add_option("--layers", o->layers,
                       "Which layers get crossbars: all, or paper (main-path convolutions)")
            ->capture_default_str();
        cmd.add_flag("--by-layer", o->by_layer,
                     "Print every layer's row (default: only layers that differ)");
        cmd.add_flag("--json", o->json, "Print one JSON object on stdout");
        return [o] {
          nlohmann::json rows = nlohmann::json::array();
          std::int64_t mismatches = 0;
          if (!o->json)
            std::printf("%-14s %10s %12s %11s %9s %8s\n", "network", "crossbars", "allocations",
                        "mismatches", "max diff", "wall s");
          const LayerSelection selection = parseLayerSelection(o->layers);
          for (const std::string& w : o->workloads) {
            const auto c = validation::checkFidelity(
                w, selection, o->samples, o->seed, [&](std::int64_t done, std::int64_t total) {
                  if (!o->json)
                    std::fprintf(stderr, "\r%s: %lld/%lld", w.c_str(), static_cast<long long>(done),
                                 static_cast<long long>(total));
                });
            if (!o->json) std::fprintf(stderr, "\r%*s\r", 40, "");
            mismatches += c.mismatches;
            nlohmann::json per_layer = nlohmann::json::array();
            for (const auto& l : c.per_layer)
              per_layer.push_back({{"layer", l.name},
                                   {"type", l.type},
                                   {"mismatches", l.mismatches},
                                   {"max_last_step_diff", l.max_step_diff}});
            rows.push_back({{"workload", c.workload},
                            {"layers", c.layers},
                            {"per_layer", per_layer},
                            {"crossbars", c.crossbars},
                            {"allocations", c.allocations},
                            {"mismatches", c.mismatches},
                            {"max_step_diff", c.max_step_diff},
                            {"wall_s", c.wall_s}});
            if (!o->json)
              std::printf("%-14s %10lld %12lld %11lld %9lld %8.1f\n", c.workload.c_str(),
                          static_cast<long long>(c.crossbars),
                          static_cast<long long>(c.allocations),
                          static_cast<long long>(c.mismatches),
                          static_cast<long long>(c.max_step_diff), c.wall_s);
            if (!o->json)
              for (const auto& l : c.per_layer)
                if (o->by_layer || l.mismatches > 0)
                  std::printf("  %-22s %-8s %11lld %9lld\n", l.name.c_str(), l.type.c_str(),
                              static_cast<long long>(l.mismatches),
                              static_cast<long long>(l.max_step_diff));
          }
          if (o->json) printJson({{"networks", rows}, {"mismatches", mismatches}});
          if (mismatches > 0) throw Error(std::to_string(mismatches) + " allocations differ");
        };
      });
}

}  // namespace xbarsim::cli
