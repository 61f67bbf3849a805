// Runs one full inference of a Plan on the SystemC model of the chip: first the ReRAM
// programming of every weight (pipelined mode: all weights resident), then the inference.
// Each call elaborates a fresh SystemC context, so one process can run many simulations
// (sweeps, tests) one after another.
#pragma once

#include "model/plan.h"
#include "sim/sim_result.h"

namespace xbarsim::sim {

SimResult simulate(const Problem& p, const Plan& plan, const SimOptions& options);

}  // namespace xbarsim::sim
