#include "validation/fidelity.h"

#include <chrono>
#include <random>

#include "alloc/allocator.h"
#include "model/exact_steps.h"
#include "validation/run_file.h"

namespace xbarsim::validation {

std::vector<std::string> zooCnns() {
  return {"lenet", "vgg-8",     "alexnet",   "vgg-a",        "vgg-16",
          "vgg-e", "resnet-18", "resnet-50", "mobilenet-v1", "densenet-161"};
}

FidelityCase checkFidelity(const std::string& workload, LayerSelection layers, std::int64_t samples,
                           std::uint64_t seed,
                           const std::function<void(std::int64_t, std::int64_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  const Network net = loadNetwork(workload);
  const FusedView view(net, 128, 128);
  const ArchSpec probe_arch = loadArchSpec("isaac-like");
  const std::int64_t need = Problem(net, view, probe_arch, layers, 1 << 30).minCrossbars();
  FidelityCase c;
  c.workload = workload;
  c.layers = layerSelectionName(layers);
  c.crossbars = std::max<std::int64_t>(2304, 2 * need);
  const ArchSpec arch = loadArchSpec("isaac-like", {{"tiles", (c.crossbars + 71) / 72}});
  const Problem p(net, view, arch, layers, c.crossbars);
  for (const ProblemLayer& l : p.layers())
    c.per_layer.push_back({l.fused.name, layerTypeName(l.fused.type), 0, 0});
  std::vector<Allocation> allocations;
  AllocOptions o;
  o.objective = {StepModel::kAlg1, false, 0};
  allocations.push_back(makeAllocator("dp")->allocate(p, o).r);
  std::mt19937_64 rng(seed);
  for (std::int64_t k = 0; k < samples; ++k) allocations.push_back(sampleAllocation(p, rng));
  sim::SimOptions options;
  options.bandwidth = false;
  for (const Allocation& r : allocations) {
    const sim::SimResult s = simulateAllocation(p, r, options);
    const ExactResult x = exactSteps(p, r, kSimulatorLag);
    bool same = s.steps == x.steps;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const bool layer_same = s.layers[i].first_step == x.layers[i].first_step &&
                              s.layers[i].last_step == x.layers[i].last_step &&
                              s.layers[i].stalls == x.layers[i].stalls;
      FidelityLayer& fl = c.per_layer[i];
      fl.mismatches += !layer_same;
      fl.max_step_diff =
          std::max(fl.max_step_diff, std::abs(s.layers[i].last_step - x.layers[i].last_step));
      same = same && layer_same;
    }
    c.mismatches += !same;
    c.max_step_diff = std::max(c.max_step_diff, std::abs(s.steps - x.steps));
    ++c.allocations;
    if (progress) progress(c.allocations, static_cast<std::int64_t>(allocations.size()));
  }
  c.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return c;
}

}  // namespace xbarsim::validation
