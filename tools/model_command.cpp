// `xbarsim model`: evaluate a given allocation with Algorithm 1 and the exact step model.
#include <cstdio>

#include "tools/cli.h"

namespace xbarsim::cli {

void registerModel(CLI::App& app) {
  struct Options {
    ProblemInputs inputs;
    std::string allocation;
    std::int64_t lag = 0;
  };
  auto o = std::make_shared<Options>();
  addCommand(
      app, "model",
      "Estimate the inference time of a given allocation R (crossbar sets per allocated layer, "
      "in the order 'describe' lists them) with the paper's Algorithm 1 and the exact step "
      "model, with or without bandwidth.",
      "xbarsim model --arch isaac-like --workload alexnet --allocation 200,50,13,13,13",
      [o](CLI::App& cmd) {
        o->inputs.add(cmd);
        cmd.add_option("--allocation", o->allocation,
                       "R per allocated layer, comma-separated (eq. 3-6 are checked)")
            ->required();
        cmd.add_option("--lag", o->lag,
                       "Exact step model: steps between a producer's output and its first use "
                       "(0 = the paper's convention)")
            ->capture_default_str()
            ->check(wholeNumber(0, 1000000));
        return [o] {
          const auto loaded = o->inputs.load();
          const Problem& p = *loaded->problem;
          loaded->objective.lag = o->lag;
          const Allocation r = parseAllocation(p, o->allocation);
          const Estimate e = estimate(p, r, loaded->objective);
          if (o->inputs.base.json) {
            nlohmann::json j = estimateJson(p, e);
            j["workload"] = loaded->in.net.name();
            j["arch"] = loaded->in.arch.name;
            j["lag"] = o->lag;
            printJson(j);
            return;
          }
          printEstimate(p, e);
        };
      });
}

}  // namespace xbarsim::cli
