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
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "fidelity",
      "Check that the simulator, with data movement free, computes every layer's steps exactly "
      "as the exact step model at lag 1 predicts: for the DP's allocation and N seeded random "
      "allocations of each network (main-path convolutions, isaac-like with twice the crossbars "
      "they need, at least 2304).",
      "xbarsim fidelity --workloads alexnet,vgg-a --samples 20", [o](CLI::App& cmd) {
        cmd.add_option("--workloads", o->workloads, "Networks (default: every zoo CNN)")
            ->delimiter(',');
        cmd.add_option("--samples", o->samples, "Random allocations per network")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        cmd.add_option("--seed", o->seed, "Seed of the random allocations")->capture_default_str();
        cmd.add_flag("--json", o->json, "Print one JSON object on stdout");
        return [o] {
          nlohmann::json rows = nlohmann::json::array();
          std::int64_t mismatches = 0;
          if (!o->json)
            std::printf("%-14s %10s %12s %11s %9s %8s\n", "network", "crossbars", "allocations",
                        "mismatches", "max diff", "wall s");
          for (const std::string& w : o->workloads) {
            const auto c = validation::checkFidelity(
                w, o->samples, o->seed, [&](std::int64_t done, std::int64_t total) {
                  if (!o->json)
                    std::fprintf(stderr, "\r%s: %lld/%lld", w.c_str(), static_cast<long long>(done),
                                 static_cast<long long>(total));
                });
            if (!o->json) std::fprintf(stderr, "\r%*s\r", 40, "");
            mismatches += c.mismatches;
            rows.push_back({{"workload", c.workload},
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
          }
          if (o->json) printJson({{"networks", rows}, {"mismatches", mismatches}});
          if (mismatches > 0) throw Error(std::to_string(mismatches) + " allocations differ");
        };
      });
}

}  // namespace xbarsim::cli
