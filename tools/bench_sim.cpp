// Speed and memory of the simulator on full inferences (every layer allocated, isaac-like, the
// DP's allocation): wall time split into set-up, programming and inference, the work done
// (crossbar MVMs: input vectors through an APU's crossbars), the SystemC kernel's activity,
// and the process's peak RSS so far (run one case per process, --benchmark_filter, for a
// figure of that case alone). ResNet-18 on 57 tiles (4104 crossbars) is the case compared with
// pimsim-nn in the README.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "alloc/allocator.h"
#include "alloc/scheduler.h"
#include "model/plan.h"
#include "sim/simulator.h"

namespace xbarsim {
namespace {

void runSim(benchmark::State& state, const char* workload, int tiles, bool trace) {
  const Network net = loadNetwork(workload);
  const FusedView view(net, 128, 128);
  if (tiles == 0) {  // twice the crossbars every weight layer needs
    const ArchSpec probe = loadArchSpec("isaac-like");
    const std::int64_t need =
        Problem(net, view, probe, LayerSelection::kAll, 1 << 30).minCrossbars();
    tiles = static_cast<int>((2 * need + 71) / 72);
  }
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", tiles}});
  const Problem p(net, view, arch, LayerSelection::kAll, arch.logicalCrossbars());
  const Plan plan = makePlan(p, makeAllocator("dp")->allocate(p, {}).r);
  sim::SimOptions o;
  o.trace = trace;
  sim::SimResult r;
  for (auto _ : state) {
    r = sim::simulate(net, arch, plan, o);
    benchmark::DoNotOptimize(r.cycles);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto set = [&](const char* name, double v) { state.counters[name] = v; };
  set("tiles", tiles);
  set("cycles", static_cast<double>(r.cycles));
  set("crossbar_mvms", static_cast<double>(r.kernel.crossbar_mvms));
  set("mvms_per_inference_s", static_cast<double>(r.kernel.crossbar_mvms) / r.wall.inference_s);
  set("delta_cycles", static_cast<double>(r.kernel.delta_cycles));
  set("activations", static_cast<double>(r.kernel.activations));
  set("timed_notifications", static_cast<double>(r.kernel.timed_notifications));
  set("messages", static_cast<double>(r.kernel.messages));
  set("wall_setup_s", r.wall.setup_s);
  set("wall_programming_s", r.wall.programming_s);
  set("wall_inference_s", r.wall.inference_s);
  set("wall_total_s", r.wall.total_s);
  set("max_rss_mb", static_cast<double>(usage.ru_maxrss) / 1024.0);
}

// Layer-sequential on aras (ARAS): one inference with the aras scheduler. Figures: simulated
// cycles, crossbar row writes and level steps written (the work: every cell rewritten), cells'
// write events per wall second, wall time and peak RSS. On a chip of `tiles` tiles (0: the
// arch's own), every one of them built.
void runSequential(benchmark::State& state, const char* workload, const char* arch_name,
                   int tiles) {
  const Network net = loadNetwork(workload);
  const ArchSpec arch =
      tiles > 0 ? loadArchSpec(arch_name, {{"tiles", tiles}}) : loadArchSpec(arch_name);
  const Plan plan = sequentialPlan(net, arch, "aras", 1);
  sim::SimResult r;
  for (auto _ : state) {
    r = sim::simulate(net, arch, plan, {});
    benchmark::DoNotOptimize(r.cycles);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto set = [&](const char* name, double v) { state.counters[name] = v; };
  set("cycles", static_cast<double>(r.cycles));
  set("instructions", static_cast<double>(plan.schedule.ops.size()));
  set("row_writes", static_cast<double>(r.sequential.row_writes));
  set("row_writes_per_s", static_cast<double>(r.sequential.row_writes) / r.wall.inference_s);
  set("level_steps", static_cast<double>(r.sequential.level_steps));
  set("crossbar_mvms", static_cast<double>(r.kernel.crossbar_mvms));
  set("wall_setup_s", r.wall.setup_s);
  set("wall_simulation_s", r.wall.inference_s);
  set("wall_total_s", r.wall.total_s);
  set("max_rss_mb", static_cast<double>(usage.ru_maxrss) / 1024.0);
}

}  // namespace

void registerSimBenchmarks() {
  for (const char* w : {"resnet-50", "bert-large"})
    benchmark::RegisterBenchmark((std::string("seq/aras/") + w).c_str(), runSequential, w, "aras",
                                 0)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  // Elaboration and teardown linear in the blocks built: every tile of the chip is built.
  for (const int tiles : {1000, 4000})
    benchmark::RegisterBenchmark(("seq/lenet/" + std::to_string(tiles) + "-tiles").c_str(),
                                 runSequential, "lenet", "isaac-like", tiles)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  struct Case {
    const char* workload;
    int tiles;  // 0: twice what every layer needs
  };
  for (const Case c : {Case{"lenet", 32}, Case{"vgg-a", 0}, Case{"resnet-18", 57},
                       Case{"resnet-50", 0}, Case{"vgg-e", 0}, Case{"bert-base", 0}})
    benchmark::RegisterBenchmark((std::string("sim/") + c.workload).c_str(), runSim, c.workload,
                                 c.tiles, false)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  // Cost follows the work: lenet on a chip 3,000x larger than it needs (unused tiles are never
  // built); compare with sim/lenet.
  benchmark::RegisterBenchmark("sim/lenet/100000-tiles", runSim, "lenet", 100000, false)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1)
      ->UseRealTime();
  benchmark::RegisterBenchmark("sim/resnet-18/trace", runSim, "resnet-18", 57, true)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1)
      ->UseRealTime();
}

}  // namespace xbarsim
