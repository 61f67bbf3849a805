// `xbarsim allocate`: run a crossbar allocator and report its allocation with both models.
#include <chrono>
#include <cstdio>

#include "alloc/allocator.h"
#include "tools/cli.h"

namespace xbarsim::cli {

void registerAllocate(CLI::App& app) {
  struct Options {
    ProblemInputs inputs;
    std::string allocator = "dp";
    AllocOptions alloc;
  };
  auto o = std::make_shared<Options>();
  std::string names;
  for (const auto& [name, info] : allocatorRegistry())
    names += "\n    " + name + ": " + info.description;
  addCommand(
      app, "allocate",
      "Choose R, the crossbar sets of every layer, with an allocator, under the budget and "
      "eq. 3-6 of the crossbar-allocation paper; report the allocation, its steps by Algorithm "
      "1 and by the exact step model, and its inference time.",
      "xbarsim allocate --arch isaac-like --workload vgg-a --allocator dp --objective exact",
      [o, names](CLI::App& cmd) {
        o->inputs.add(cmd);
        cmd.add_option("--allocator", o->allocator, "Allocator:" + names)->capture_default_str();
        cmd.add_option("--beam", o->alloc.beam,
                       "dp: prefixes kept per (layer, budget) state; 1 is Algorithm 2 as "
                       "printed, more trades time for optimality")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        cmd.add_option("--seed", o->alloc.seed, "random: seed")->capture_default_str();
        cmd.add_option("--samples", o->alloc.samples, "random: samples to evaluate")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        cmd.add_option("--min-cosine", o->alloc.min_cosine,
                       "random: prune samples with cos(R, WoHo) below this")
            ->capture_default_str()
            ->check(CLI::Range(-1.0, 1.0));
        return [o] {
          const auto loaded = o->inputs.load();
          const Problem& p = *loaded->problem;
          o->alloc.objective = loaded->objective;
          const auto allocator = makeAllocator(o->allocator);
          const auto start = std::chrono::steady_clock::now();
          const AllocResult res = allocator->allocate(p, o->alloc);
          const double runtime =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          const Estimate e = estimate(p, res.r, loaded->objective);
          if (o->inputs.base.json) {
            nlohmann::json j = estimateJson(p, e);
            j["allocator"] = o->allocator;
            j["runtime_s"] = runtime;
            j["evaluations"] = res.evaluations;
            j["note"] = res.note;
            j["workload"] = loaded->in.net.name();
            j["arch"] = loaded->in.arch.name;
            printJson(j);
            return;
          }
          std::printf("%s on %s, %s crossbars of %lldx%lld, allocator %s (%.3f s)%s%s\n",
                      loaded->in.net.name().c_str(), loaded->in.arch.name.c_str(),
                      grouped(p.total()).c_str(), static_cast<long long>(loaded->in.xbar_rows),
                      static_cast<long long>(loaded->in.xbar_cols), o->allocator.c_str(), runtime,
                      res.note.empty() ? "" : ": ", res.note.c_str());
          printEstimate(p, e);
        };
      });
}

}  // namespace xbarsim::cli
