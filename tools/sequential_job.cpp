// Layer-sequential `simulate` and `run`: the scheduler's Plan, the simulation, the run file,
// and the summary: per layer compute, write and stall time and pulses; inferences per second
// against the paper's upper bound; energy split; global-buffer banks; lifespan.
#include <cstdio>
#include <filesystem>

#include "tools/cli.h"

namespace xbarsim::cli {
namespace {

nlohmann::json sequentialJson(const sim::SequentialResult& s) {
  nlohmann::json layers = nlohmann::json::array();
  for (const sim::SeqLayerResult& l : s.layers)
    layers.push_back({{"layer", l.layer},
                      {"inference", l.inference},
                      {"hardware", l.hardware},
                      {"start", l.start},
                      {"end", l.end},
                      {"compute_cycles", l.compute_cycles},
                      {"stall_cycles", l.stall_cycles},
                      {"write_start", l.write_start},
                      {"write_end", l.write_end},
                      {"parts", l.parts},
                      {"max_copies", l.max_copies},
                      {"level_steps", l.level_steps},
                      {"write_energy_j", l.write_energy_j},
                      {"examined_cells", l.examined_cells},
                      {"kept_cells", l.kept_cells}});
  nlohmann::json banks = nlohmann::json::array();
  for (const sim::BankResult& b : s.banks)
    banks.push_back({{"bank", b.bank},
                     {"size_bytes", b.size_bytes},
                     {"static_power_w", b.static_power_w},
                     {"powered_cycles", b.powered_cycles},
                     {"static_energy_j", b.static_energy_j}});
  return {{"scheduler", s.scheduler},
          {"inferences", s.inferences},
          {"inference_end_cycles", s.inference_end},
          {"seconds_per_inference", s.seconds_per_inference},
          {"inferences_per_s", s.inferences_per_s},
          {"upper_bound_s", s.upper_bound_s},
          {"fraction_of_upper_bound", s.fraction_of_upper_bound},
          {"pulses", s.pulses},
          {"level_steps", s.level_steps},
          {"row_writes", s.row_writes},
          {"delta_bytes", s.delta_bytes},
          {"energy_j",
           {{"compute", s.energy_compute_j},
            {"write", s.energy_write_j},
            {"static", s.energy_static_j},
            {"main_memory", s.energy_main_memory_j}}},
          {"rewrites_per_inference", s.rewrites_per_inference},
          {"real_time_rate", s.real_time_rate},
          {"lifespan_years",
           {{"real_time", s.lifespan_real_time_years},
            {"max_throughput", s.lifespan_max_throughput_years}}},
          {"ops", s.ops.size()},
          {"kept_fraction", s.kept_fraction},
          {"layers", layers},
          {"banks", banks}};
}

nlohmann::json reuseJson(const Plan& plan) {
  const WeightReuse& r = plan.schedule.reuse;
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < r.shift.size(); ++i)
    layers.push_back({{"layer", plan.layers[i].name},
                      {"shift", r.shift[i]},
                      {"clipping", r.clipping[i]},
                      {"predicted_skip", r.skip[i]}});
  return {{"center", r.center},
          {"score", r.score},
          {"clipped_fraction", r.clipped_fraction},
          {"layers", layers}};
}

void printSequential(const sim::SimResult& res, const ArchSpec& arch) {
  const sim::SequentialResult& s = res.sequential;
  std::printf("%-24s %3s %-11s %5s %6s %13s %13s %13s %14s\n", "layer", "inf", "hardware", "parts",
              "copies", "compute cyc", "stall cyc", "write cyc", "pulses");
  for (const sim::SeqLayerResult& l : s.layers)
    std::printf("%-24s %3d %-11s %5lld %6lld %13s %13s %13s %14s\n", l.layer.c_str(), l.inference,
                l.hardware.c_str(), static_cast<long long>(l.parts),
                static_cast<long long>(l.max_copies), grouped(l.compute_cycles).c_str(),
                grouped(l.stall_cycles).c_str(),
                grouped(l.write_start < 0 ? 0 : l.write_end - l.write_start).c_str(),
                grouped(l.level_steps * arch.reram.pulses_per_level_step).c_str());
  const double total =
      s.energy_compute_j + s.energy_write_j + s.energy_static_j + s.energy_main_memory_j;
  const auto pct = [&](double j) { return total > 0 ? 100 * j / total : 0.0; };
  std::printf(
      "%lld inference(s) in %s cycles = %.6g s; steady state %.6g s per inference = "
      "%.4g inferences/s\n",
      static_cast<long long>(s.inferences), grouped(res.cycles).c_str(), res.seconds,
      s.seconds_per_inference, s.inferences_per_s);
  std::printf(
      "upper bound (every weight written once, %lld APU rows at once): %.6g s per "
      "inference = %.4g inferences/s; reached %.1f %% of it\n",
      static_cast<long long>(arch.apuRows()), s.upper_bound_s,
      s.upper_bound_s > 0 ? 1 / s.upper_bound_s : 0, 100 * s.fraction_of_upper_bound);
  std::printf(
      "energy %.6g J: compute %.1f %%, ReRAM writing %.1f %%, static %.1f %%, main "
      "memory %.1f %%\n",
      total, pct(s.energy_compute_j), pct(s.energy_write_j), pct(s.energy_static_j),
      pct(s.energy_main_memory_j));
  std::printf("writing: %s pulses in %s row writes, %s bytes of deltas from main memory\n",
              grouped(s.pulses).c_str(), grouped(s.row_writes).c_str(),
              grouped(s.delta_bytes).c_str());
  std::printf(
      "cells rewritten that kept their level, per cell position (least significant "
      "first, padding included):");
  for (const double f : s.kept_fraction) std::printf(" %.3f", f);
  std::printf("\n");
  std::printf("global buffer: ");
  for (const sim::BankResult& b : s.banks)
    if (b.powered_cycles > 0)
      std::printf("bank %d (%s B) on %.1f %%; ", b.bank,
                  grouped(static_cast<std::int64_t>(b.size_bytes)).c_str(),
                  res.cycles > 0 ? 100.0 * static_cast<double>(b.powered_cycles) /
                                       static_cast<double>(res.cycles)
                                 : 0.0);
  std::printf(
      "\nlifespan (endurance %.3g writes, most rewritten crossbar %.3g times per "
      "inference): %.3g years at %.0f inferences/s, %.3g years at full throughput\n",
      arch.reram.endurance_writes, s.rewrites_per_inference, s.lifespan_real_time_years,
      s.real_time_rate, s.lifespan_max_throughput_years);
  std::printf("wall: %.3f s = set-up %.3f + simulation %.3f (+ results)\n", res.wall.total_s,
              res.wall.setup_s, res.wall.inference_s);
}

}  // namespace

void simulateSequential(const ProblemInputs::Loaded& loaded, const AllocationInputs& allocation,
                        sim::SimOptions options, const std::string& out, bool json,
                        const std::string& plot_png, const TraceInputs& trace) {
  options.seed = allocation.seed;
  const WeightSource weights = options.weights_path.empty()
                                   ? WeightSource(options.seed)
                                   : WeightSource(options.weights_path, options.seed);
  const Plan plan = allocation.sequentialPlan(loaded.in, weights);
  const sim::SimResult res = simulatePlan(loaded, plan, options, json);
  if (!out.empty()) {
    const validation::RunRecord record =
        runRecord(loaded, plan, res, allocation.scheduler, allocation.seed);
    validation::writeRunFile(out, record);
    trace.write(out, record, json);
  }
  const bool drawn = !out.empty() && !plot_png.empty() && plotRun(out, plot_png);
  if (json) {
    nlohmann::json j = simJson(res);
    j["sequential"] = sequentialJson(res.sequential);
    if (plan.schedule.reuse.center > 0) j["weight_reuse"] = reuseJson(plan);
    j["workload"] = loaded.in.net.name();
    j["arch"] = loaded.in.arch.name;
    printJson(j);
    return;
  }
  std::printf(
      "%s on %s, layer-sequential, scheduler %s: %zu instructions for %lld inference(s) "
      "on %lld APU rows\n",
      loaded.in.net.name().c_str(), loaded.in.arch.name.c_str(), allocation.scheduler.c_str(),
      plan.schedule.ops.size(), static_cast<long long>(allocation.inferences),
      static_cast<long long>(loaded.in.arch.apuRows()));
  const WeightReuse& reuse = plan.schedule.reuse;
  if (reuse.center > 0) {
    std::printf(
        "partial weight reuse: codes moved to centre %lld (first layer kept), %.3f %% of "
        "the weights clipped, predicted skipping ratio of the two top cells %.3f\n",
        static_cast<long long>(reuse.center), 100 * reuse.clipped_fraction, reuse.score);
  }
  printSequential(res, loaded.in.arch);
  if (!out.empty())
    std::printf("wrote %s%s%s\n", out.c_str(), drawn ? " and " : "", drawn ? plot_png.c_str() : "");
}

}  // namespace xbarsim::cli
