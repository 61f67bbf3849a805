// Execution modes: how a Plan's weights get into the crossbars and how layers take turns. A mode
// is one class implementing ExecutionMode plus one registration line:
//   XBARSIM_REGISTER_MODE(PipelinedMode, "pipelined", "every layer's weights resident ...");
// The Plan names its mode; simulate() looks it up here.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/chip.h"
#include "sim/sim_result.h"
#include "weights/weight_source.h"

namespace xbarsim::sim {

struct ModeContext {
  Chip& chip;
  const LayerGraph& graph;
  const Network& net;
  const Plan& plan;
  const WeightSource& weights;
  Tracer& tracer;
  SimResult& result;  // the mode fills programming, wall.programming_s, wall.inference_s
};

class ExecutionMode {
 public:
  virtual ~ExecutionMode() = default;
  // Rejects, before anything is elaborated, a Plan this mode cannot run, with the numbers.
  virtual void check(const Network& net, const Plan& plan, const ArchSpec& arch) const = 0;
  // Programs the weights and runs one inference on the elaborated chip.
  virtual void run(ModeContext& ctx) = 0;
  // Most writes one cell takes per run of this mode (for the lifespan figure).
  virtual double cellWritesPerRun() const = 0;
  // Whether layers hold partitions of their tiles' buffers while they all run at once (then
  // the simulator sizes the partitions from a profiling run first).
  virtual bool partitionsBuffers() const { return true; }
  // After the run's figures are collected: the mode's own figures derived from them.
  virtual void report(const Network&, const ArchSpec&, SimResult&) const {}
};

struct ModeInfo {
  std::string name, description;
  std::function<std::unique_ptr<ExecutionMode>()> make;
};

bool registerMode(ModeInfo info);
std::unique_ptr<ExecutionMode> makeMode(const std::string& name);  // throws ConfigError
const std::vector<ModeInfo>& modes();

#define XBARSIM_REGISTER_MODE(Class, name, description)                \
  static const bool registered_##Class = ::xbarsim::sim::registerMode( \
      {name, description,                                              \
       [] { return std::unique_ptr<::xbarsim::sim::ExecutionMode>(new Class); }})

}  // namespace xbarsim::sim
