// Runs one full inference of a Plan on the SystemC model of the chip, in the Plan's execution
// mode (sim/execution_mode.h): ReRAM programming, then the inference, every layer of the
// network simulated. Reads only the network graph, the arch and the Plan. Each call
// elaborates a fresh SystemC context, so one process can run many simulations (sweeps, tests)
// one after another.
#pragma once

#include "plan/plan.h"
#include "sim/sim_result.h"
#include "workloads/network.h"

namespace xbarsim::sim {

SimResult simulate(const Network& net, const ArchSpec& arch, const Plan& plan,
                   const SimOptions& options);

}  // namespace xbarsim::sim
