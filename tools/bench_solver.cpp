// Speed of the analytical models and the DP allocator on the crossbar-allocation paper's
// Table 7 cases, and the DP's memory on a chip far larger than the network uses.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <memory>
#include <string>

#include "alloc/allocator.h"

namespace xbarsim {
namespace {

struct Case {
  const char* workload;
  std::int64_t crossbars;
  int xbar;
};

// Table 7 of the paper: (network, crossbars, crossbar size).
const Case kTable7[] = {{"alexnet", 2048, 128},      {"alexnet", 4096, 256},
                        {"vgg-a", 2048, 128},        {"vgg-a", 4096, 256},
                        {"vgg-e", 4096, 128},        {"vgg-e", 8192, 256},
                        {"resnet-18", 4096, 256},    {"resnet-18", 8192, 128},
                        {"mobilenet-v1", 2048, 128}, {"mobilenet-v1", 4096, 128}};

struct Loaded {
  Loaded(const char* workload, std::int64_t crossbars, int xbar)
      : net(loadNetwork(workload)),
        arch(loadArchSpec("isaac-like")),
        view(net, xbar, xbar),
        problem(net, view, arch, LayerSelection::kPaper, crossbars) {}
  Network net;
  ArchSpec arch;
  FusedView view;
  Problem problem;
};

void runDp(benchmark::State& state, Case c, StepModel model, bool bandwidth) {
  const Loaded l(c.workload, c.crossbars, c.xbar);
  AllocOptions o;
  o.objective = {model, bandwidth, 0};
  const auto dp = makeAllocator("dp");
  AllocResult res;
  for (auto _ : state) {
    res = dp->allocate(l.problem, o);
    benchmark::DoNotOptimize(res.r.data());
  }
  const Estimate e = estimate(l.problem, res.r, o.objective);
  state.counters["steps"] = static_cast<double>(e.steps);
  state.counters["cycles"] = static_cast<double>(e.cycles);
  state.counters["evaluations"] = static_cast<double>(res.evaluations);
}

// `allocate -a isaac-like --param tiles=N --allocator dp` (every layer, bandwidth): the DP's
// peak RSS (the process's so far: run one case per process, --benchmark_filter) should not
// grow with tiles the network does not use.
void runDpOnChip(benchmark::State& state, const char* workload, int tiles) {
  const Network net = loadNetwork(workload);
  const FusedView view(net, 128, 128);
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", tiles}});
  const Problem p(net, view, arch, LayerSelection::kAll, arch.logicalCrossbars());
  const auto dp = makeAllocator("dp");
  AllocResult res;
  for (auto _ : state) {
    res = dp->allocate(p, {});
    benchmark::DoNotOptimize(res.r.data());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["tiles"] = tiles;
  state.counters["crossbars_used"] = static_cast<double>(crossbarsUsed(p, res.r));
  state.counters["evaluations"] = static_cast<double>(res.evaluations);
  state.counters["max_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void runModel(benchmark::State& state, const char* workload, StepModel model) {
  const Loaded l(workload, 8192, 128);
  const Allocation r = makeAllocator("dp")->allocate(l.problem, {}).r;
  for (auto _ : state) {
    const std::int64_t steps =
        model == StepModel::kAlg1 ? algorithm1(l.problem, r).steps : exactSteps(l.problem, r).steps;
    benchmark::DoNotOptimize(steps);
  }
}

}  // namespace

void registerSolverBenchmarks() {
  for (const Case& c : kTable7) {
    const std::string name =
        std::string(c.workload) + "/" + std::to_string(c.crossbars) + "/" + std::to_string(c.xbar);
    for (const bool bw : {false, true})
      benchmark::RegisterBenchmark(("dp/alg1/" + name + (bw ? "/bandwidth" : "")).c_str(), runDp, c,
                                   StepModel::kAlg1, bw)
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1);
    const std::string w = c.workload;
    if (w == "alexnet" || w == "vgg-a")
      for (const bool bw : {false, true})
        benchmark::RegisterBenchmark(("dp/exact/" + name + (bw ? "/bandwidth" : "")).c_str(), runDp,
                                     c, StepModel::kExact, bw)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(1);
  }
  for (const int tiles : {1000, 100000})
    benchmark::RegisterBenchmark(("dp/densenet-161/" + std::to_string(tiles) + "-tiles").c_str(),
                                 runDpOnChip, "densenet-161", tiles)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  for (const char* w : {"vgg-e", "resnet-18", "alexnet"}) {
    benchmark::RegisterBenchmark((std::string("model/alg1/") + w).c_str(), runModel, w,
                                 StepModel::kAlg1)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string("model/exact/") + w).c_str(), runModel, w,
                                 StepModel::kExact)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace xbarsim
