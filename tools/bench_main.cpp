// xbarsim-bench: speed figures (Google Benchmark; `--benchmark_format=json` for machine-readable
// output, `--benchmark_filter=REGEX` to pick cases):
//   dp/...     the DP on the crossbar-allocation paper's Table 7 cases
//   model/...  one evaluation of Algorithm 1 / the exact step model
//   sim/...    full simulations (events per second, peak memory, tracing on and off)
// Entered through SystemC (sc_elab_and_sim -> sc_main), like the xbarsim command.
#include <benchmark/benchmark.h>
#include <sysc/kernel/sc_externs.h>

#include <cstdlib>

namespace xbarsim {
void registerSolverBenchmarks();
void registerSimBenchmarks();
}  // namespace xbarsim

extern "C" int sc_main(int argc, char** argv) {
  xbarsim::registerSolverBenchmarks();
  xbarsim::registerSimBenchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
