// `xbarsim allocate`: run a crossbar allocator and report its allocation with both models.
#include <chrono>
#include <cstdio>

#include "alloc/allocator.h"
#include "model/dataflow.h"
#include "tools/cli.h"

namespace xbarsim::cli {
namespace {

// An allocation with a dataflow per layer, as the mixed-dataflow timeline model sees it.
void printDataflows(const Problem& p, const AllocResult& res, const std::string& allocator,
                    double runtime, bool json) {
  std::vector<LayerChoice> choice;
  for (std::size_t i = 0; i < p.size(); ++i) choice.push_back({res.dataflows[i], res.r[i]});
  const DataflowTimeline t = dataflowTimeline(p, choice);
  nlohmann::json layers = nlohmann::json::array();
  std::int64_t used = 0;
  if (!json)
    std::printf(
        "%s on %s, %s crossbars, allocator %s (%.3f s)\n%4s  %-16s %-8s %6s %9s %8s %8s %12s %12s "
        "%12s\n",
        p.network().name().c_str(), p.arch().name.c_str(), grouped(p.total()).c_str(),
        allocator.c_str(), runtime, "#", "layer", "dataflow", "R", "crossbars", "chunks", "steps",
        "own cycles", "first cycle", "last cycle");
  for (std::size_t i = 0; i < p.size(); ++i) {
    const DataflowCounts c = dataflowCounts(p[i].fused, p.arch(), choice[i].dataflow, choice[i].r);
    used += c.crossbars;
    layers.push_back({{"layer", p[i].fused.name},
                      {"dataflow", choice[i].dataflow},
                      {"r", choice[i].r},
                      {"crossbars", c.crossbars},
                      {"chunks", c.rounds},
                      {"steps", c.steps},
                      {"cycles", c.cycles},
                      {"first_cycle", t.spans[i].first},
                      {"last_cycle", t.spans[i].second}});
    if (!json)
      std::printf("%4zu  %-16s %-8s %6lld %9lld %8lld %8lld %12s %12s %12s\n", i + 1,
                  p[i].fused.name.c_str(), choice[i].dataflow.c_str(),
                  static_cast<long long>(choice[i].r), static_cast<long long>(c.crossbars),
                  static_cast<long long>(c.rounds), static_cast<long long>(c.steps),
                  grouped(c.cycles).c_str(), grouped(t.spans[i].first).c_str(),
                  grouped(t.spans[i].second).c_str());
  }
  if (json) {
    printJson({{"allocator", allocator},
               {"runtime_s", runtime},
               {"evaluations", res.evaluations},
               {"workload", p.network().name()},
               {"arch", p.arch().name},
               {"crossbars_used", used},
               {"timeline_cycles", t.cycles},
               {"timeline_energy_j", dataflowEnergy(p, choice, t.cycles)},
               {"layers", layers}});
    return;
  }
  std::printf(
      "crossbars: %s of %s used\ninference (mixed-dataflow timeline model, ideal data "
      "movement): %s cycles = %.6g s, %.6g J\n",
      grouped(used).c_str(), grouped(p.total()).c_str(), grouped(t.cycles).c_str(),
      static_cast<double>(t.cycles) * p.arch().clock_period_s, dataflowEnergy(p, choice, t.cycles));
}

}  // namespace

void registerAllocate(CLI::App& app) {
  struct Options {
    ProblemInputs inputs;
    std::string allocator = "dp";
    std::string minimise = "time";
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
            ->check(wholeNumber(1, 1000));
        cmd.add_option("--seed", o->alloc.seed, "random: seed")->capture_default_str();
        cmd.add_option("--samples", o->alloc.samples, "random: samples to evaluate")
            ->capture_default_str()
            ->check(wholeNumber(1, 100000000));
        cmd.add_option("--min-cosine", o->alloc.min_cosine,
                       "random: prune samples with cos(R, WoHo) below this")
            ->capture_default_str()
            ->check(CLI::Range(-1.0, 1.0));
        cmd.add_option("--minimise", o->minimise,
                       "hybrid: what its search minimises, the timeline model's inference time "
                       "or its energy")
            ->capture_default_str()
            ->check(CLI::IsMember({"time", "energy"}));
        return [o] {
          const auto loaded = o->inputs.load();
          o->alloc.energy = o->minimise == "energy";
          const Problem& p = *loaded->problem;
          o->alloc.objective = loaded->objective;
          const auto allocator = makeAllocator(o->allocator);
          const auto start = std::chrono::steady_clock::now();
          const AllocResult res = allocator->allocate(p, o->alloc);
          const double runtime =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          if (!res.dataflows.empty()) {  // the allocator chose dataflows: the timeline model
            printDataflows(p, res, o->allocator, runtime, o->inputs.base.json);
            return;
          }
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
