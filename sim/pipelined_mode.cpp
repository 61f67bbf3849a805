// Pipelined execution (ISAAC, PipeLayer, the crossbar-allocation paper): every layer's weights
// are resident, programmed once before the first inference (timed and reported apart), and all
// layers compute at once, each as soon as its inputs are in its buffers.
#include <chrono>

#include "sim/execution_mode.h"

namespace xbarsim::sim {
namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

class PipelinedMode : public ExecutionMode {
 public:
  void check(const Network&, const Plan& plan, const ArchSpec& arch) const override {
    std::int64_t used = 0;
    for (const PlanLayer& l : plan.layers) used += l.crossbars();
    if (used > arch.logicalCrossbars())
      throw ConfigError("pipelined mode keeps every weight resident: the plan needs " +
                        std::to_string(used) + " logical crossbars, " + arch.name + " has " +
                        std::to_string(arch.logicalCrossbars()));
  }

  void run(ModeContext& ctx) override {
    auto t0 = std::chrono::steady_clock::now();
    // The trace names a layer by its graph node.
    std::vector<std::int32_t> node_of_layer(ctx.plan.layers.size(), -1);
    for (std::size_t n = 0; n < ctx.graph.nodes.size(); ++n)
      if (ctx.graph.nodes[n].plan_layer >= 0)
        node_of_layer[static_cast<std::size_t>(ctx.graph.nodes[n].plan_layer)] =
            static_cast<std::int32_t>(n);
    ctx.result.programming =
        ctx.chip.write_driver.program(ctx.net, ctx.plan, ctx.weights, ctx.tracer,
                                      ctx.tracer.component("chip.write_driver"), node_of_layer);
    ctx.chip.main_memory.restartTimeline();
    ctx.result.wall.programming_s = since(t0);
    t0 = std::chrono::steady_clock::now();
    ctx.chip.runInference();
    ctx.result.wall.inference_s = since(t0);
  }

  double cellWritesPerRun() const override { return 1; }  // programmed once
};

}  // namespace

XBARSIM_REGISTER_MODE(PipelinedMode, "pipelined",
                      "every layer's weights resident, programmed once before the inference; "
                      "all layers compute concurrently as their inputs arrive");

}  // namespace xbarsim::sim
