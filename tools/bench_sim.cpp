// Speed and memory of the simulator: events per wall second, a full VGG-E inference on
// isaac-like with 8192 crossbars, and the cost of tracing.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "alloc/allocator.h"
#include "sim/simulator.h"

namespace xbarsim {
namespace {

void runSim(benchmark::State& state, const char* workload, std::int64_t crossbars, bool trace) {
  const Network net = loadNetwork(workload);
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", (crossbars + 71) / 72}});
  const FusedView view(net, 128, 128);
  const Problem p(net, view, arch, LayerSelection::kPaper, crossbars);
  const Plan plan = makePlan(p, makeAllocator("dp")->allocate(p, {}).r);
  sim::SimOptions o;
  o.trace = trace;
  sim::SimResult r;
  for (auto _ : state) {
    r = sim::simulate(p, plan, o);
    benchmark::DoNotOptimize(r.cycles);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["events"] = static_cast<double>(r.events);
  state.counters["events_per_s"] = benchmark::Counter(
      static_cast<double>(r.events), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["max_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  state.counters["cycles"] = static_cast<double>(r.cycles);
}

}  // namespace

void registerSimBenchmarks() {
  for (const bool trace : {false, true}) {
    const std::string suffix = trace ? "/trace" : "";
    benchmark::RegisterBenchmark(("sim/vgg-a/2304" + suffix).c_str(), runSim, "vgg-a", 2304, trace)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(3)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("sim/vgg-e/8192" + suffix).c_str(), runSim, "vgg-e", 8192, trace)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  }
}

}  // namespace xbarsim
