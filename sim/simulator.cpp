#include "sim/simulator.h"

#include <systemc>

#include <chrono>
#include <memory>

#include "sim/chip.h"

namespace xbarsim::sim {
namespace {

// A fresh kernel context for one simulation, removed with everything elaborated in it.
class KernelContext {
 public:
  KernelContext() {
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
    sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  }
  ~KernelContext() {
    delete sc_core::sc_curr_simcontext;
    sc_core::sc_curr_simcontext = nullptr;
    sc_core::sc_default_global_context = nullptr;
  }
  KernelContext(const KernelContext&) = delete;
  KernelContext& operator=(const KernelContext&) = delete;
};

void addResource(SimResult& r, const std::string& name, const Reservation& res) {
  r.resources.push_back({name, res.busyCycles(), res.waitCycles(), res.requests()});
}

}  // namespace

SimResult simulate(const Problem& p, const Plan& plan, const SimOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const ArchSpec& arch = p.arch();
  SimResult r;
  KernelContext context;
  Tracer tracer(options.trace);
  auto chip = std::make_unique<Chip>("chip", p, plan, options, tracer);

  const WeightSource weights = options.weights_path.empty()
                                   ? WeightSource(options.seed)
                                   : WeightSource(options.weights_path, options.seed);
  r.programming =
      chip->write_driver.program(p, plan, weights, tracer, tracer.component("chip.write_driver"));
  const std::int64_t programming_memory_bytes = chip->main_memory.link().bytes();
  chip->main_memory.restartTimeline();

  sc_core::sc_start();

  // Timing.
  const Controller& ctl = *chip->controller;
  std::vector<Apu*> apus = chip->apus();
  r.step_cycles = arch.computeStageCycles();
  for (const Apu* a : apus)
    if (a->stats().computes > 0) {
      r.step_cycles = a->stats().busy_cycles / a->stats().computes;
      break;
    }
  r.cycles = ctl.doneCycle();
  r.steps = (r.cycles + r.step_cycles - 1) / r.step_cycles;
  r.seconds = static_cast<double>(r.cycles) * arch.clock_period_s;
  r.layers = ctl.layerStats(r.step_cycles);
  r.groups = ctl.groups();

  // Energy, from the action counts of every block.
  const ApuSpec& apu = arch.chip.tile.pe.apu;
  const EnergySpec& e = arch.energy;
  double reads = 0, adc_wait = 0;
  std::int64_t apu_actions = 0;
  for (const Apu* a : apus) {
    reads += static_cast<double>(a->stats().reads);
    adc_wait += static_cast<double>(a->stats().adc_wait_cycles);
    apu_actions += a->stats().computes * a->actionsPerCompute();
  }
  const double crossbar_reads = reads * apu.crossbars;
  const double columns = crossbar_reads * apu.crossbar.cols;
  double buffer_bytes = 0, bus_bytes = 0;
  std::int64_t tiles_used = 0;
  std::int64_t bus_busy = 0, bus_wait = 0, bus_requests = 0;
  for (const auto& t : chip->tiles) {
    buffer_bytes +=
        static_cast<double>(t->input_buffer.accessedBytes() + t->output_buffer.accessedBytes());
    bus_bytes += static_cast<double>(t->bus.link().bytes());
    bus_busy += t->bus.link().reservation().busyCycles();
    bus_wait += t->bus.link().reservation().waitCycles();
    bus_requests += t->bus.link().reservation().requests();
  }
  for (const TimeHistogram& h : ctl.tileBusy()) {
    double busy = 0;
    for (const double b : h.sums()) busy += b;
    tiles_used += busy > 0;
  }
  const double mem_bytes =
      static_cast<double>(chip->main_memory.link().bytes() - programming_memory_bytes);
  auto& by = r.energy_by_component;
  by["dac"] = crossbar_reads * apu.dac.per_crossbar * e.dac_conversion_j;
  by["crossbar"] = crossbar_reads * e.crossbar_read_j;
  by["sample_hold"] = columns * e.sample_hold_j;
  by["adc"] = columns * e.adc_conversion_j;
  by["shift_add"] = columns * e.shift_add_j;
  by["tile_buffers"] = buffer_bytes * e.buffer_byte_j;
  by["tile_bus"] = bus_bytes * e.bus_byte_j;
  by["noc"] = static_cast<double>(chip->noc.link().bytes()) * e.noc_byte_j;
  by["global_buffer"] =
      static_cast<double>(chip->global_buffer.link().bytes()) * e.global_buffer_byte_j;
  by["global_buffer_static"] = chip->global_buffer.staticPowerW() * r.seconds;
  by["main_memory"] = mem_bytes * e.main_memory_byte_j;
  by["tile_static"] = static_cast<double>(tiles_used) * e.tile_static_w * r.seconds;
  for (const auto& [name, joules] : by) r.energy_j += joules;
  r.powered_banks = chip->global_buffer.poweredBanks();

  // Contention.
  r.resources.push_back({"tile_buses", bus_busy, bus_wait, bus_requests});
  addResource(r, "noc", chip->noc.link().reservation());
  addResource(r, "global_buffer", chip->global_buffer.link().reservation());
  addResource(r, "main_memory", chip->main_memory.link().reservation());
  r.resources.push_back(
      {"adc_pools", 0, static_cast<std::int64_t>(adc_wait), static_cast<std::int64_t>(reads)});

  // Time series on common bins.
  std::int64_t bin = chip->noc.link().traffic().binCycles();
  for (const TimeHistogram& h : ctl.tileBusy()) bin = std::max(bin, h.binCycles());
  TimeHistogram noc = chip->noc.link().traffic();
  noc.widenTo(bin);
  r.bin_cycles = bin;
  r.noc_bytes = noc.sums();
  const double apus_per_tile =
      static_cast<double>(arch.chip.tile.pes) * static_cast<double>(arch.chip.tile.pe.apus);
  for (TimeHistogram h : ctl.tileBusy()) {
    h.widenTo(bin);
    std::vector<double> u;
    for (const double busy : h.sums())
      u.push_back(busy / (apus_per_tile * static_cast<double>(bin)));
    r.tile_utilisation.push_back(u);
  }

  r.events = ctl.events() + apu_actions + r.programming.events;
  r.trace = tracer.events();
  r.trace_components = tracer.components();
  chip.reset();
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace xbarsim::sim
