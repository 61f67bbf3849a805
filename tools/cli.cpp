#include "tools/cli.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "alloc/allocator.h"
#include "alloc/scheduler.h"
#include "io/config_path.h"
#include "io/params.h"
#include "io/process.h"
#include "model/plan.h"
#include "sim/execution_mode.h"
#include "tools/version.h"
#include "validation/perfetto_trace.h"
#include "workloads/fused_view.h"

namespace xbarsim::cli {
namespace {

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(item);
  return out;
}

}  // namespace

CLI::Validator wholeNumber(std::int64_t min, std::int64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        errno = 0;
        char* end = nullptr;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno != 0 || v < min || v > max)
          return "must be a whole number from " + std::to_string(min) + " to " +
                 std::to_string(max) + ", got '" + text + "'";
        return "";
      },
      "INT in " + std::to_string(min) + ".." + std::to_string(max));
}

void Inputs::add(CLI::App& cmd) {
  cmd.add_option(
         "--workload,-w", workload,
         "Network: a preset name from configs/workloads (" +
             [] {
               std::string s;
               for (const auto& n : presetNames("workloads")) s += (s.empty() ? "" : ", ") + n;
               return s;
             }() +
             ") or a path to a network .yaml or an ONNX model .onnx")
      ->required(!workload_optional);
  cmd.add_option("--arch,-a", arch,
                 "Hardware: a preset name from configs/arch or a path to an arch .yaml")
      ->capture_default_str();
  cmd.add_option("--param,-p", params,
                 "Set a parameter declared in the arch or workload file's params: block, "
                 "e.g. --param tiles=64 --param seq=256 --param topology=mesh");
  cmd.add_option("--xbar-size", xbar_size,
                 "Replace the arch's crossbar by an M x M one (OUs and DACs per crossbar "
                 "clipped to it), for the set counts and the simulation alike")
      ->check(wholeNumber(2, 4096));
  cmd.add_flag("--json", json, "Print one JSON object on stdout instead of tables");
}

ArchSpec Inputs::loadArch() const {
  const Params overrides = parseParamOverrides(params);
  const std::string path = resolveConfig("arch", arch);
  const std::string text = readTextFile(path);
  const Params declared = selectArchParams(overrides, text, path);
  for (const auto& [name, value] : overrides)
    if (declared.count(name) == 0)
      throw ConfigError("--param " + name + ": " + path +
                        " declares no parameter of that name in its params: block");
  ArchSpec spec = parseArchSpec(text, path, declared);
  if (xbar_size > 0) spec.resizeCrossbar(xbar_size);
  return spec;
}

Inputs::Loaded Inputs::load() const {
  const Params overrides = parseParamOverrides(params);
  const std::string arch_path = resolveConfig("arch", arch);
  const std::string net_path = resolveConfig("workloads", workload);
  const std::string arch_text = readTextFile(arch_path);
  const std::string net_text = readTextFile(net_path);
  const Params arch_params = selectArchParams(overrides, arch_text, arch_path);
  const bool onnx = isOnnxFile(net_path);
  const Params net_params =
      onnx ? Params{} : selectParams(overrides, loadYamlText(net_text, net_path));
  for (const auto& [name, value] : overrides) {
    if (arch_params.count(name) == 0 && net_params.count(name) == 0)
      throw ConfigError("--param " + name + ": neither " + arch_path + " nor " + net_path +
                        " declares a parameter of that name in its params: block");
  }
  Loaded out{parseArchSpec(arch_text, arch_path, arch_params),
             onnx ? parseOnnx(net_text, net_path) : parseNetwork(net_text, net_path, net_params), 0,
             0};
  if (xbar_size > 0) out.arch.resizeCrossbar(xbar_size);
  const CrossbarSpec& xb = out.arch.chip.tile.pe.apu.crossbar;
  out.xbar_rows = xb.rows;
  out.xbar_cols = xb.cols;
  return out;
}

void ProblemInputs::add(CLI::App& cmd) {
  base.add(cmd);
  cmd.add_option("--crossbars", crossbars,
                 "Crossbar budget (logical crossbars; default: all of the arch's)")
      ->check(wholeNumber(1, std::int64_t{1} << 40));
  cmd.add_option("--layers", layers,
                 "Layers that get crossbars: 'all' (every weight layer: convolutions, residual "
                 "shortcut convs, fc) or 'paper' (main-path convolutions only, as the "
                 "crossbar-allocation paper's experiments; the simulator then passes the other "
                 "weight layers through in zero time, holding no buffers, and names them)")
      ->capture_default_str()
      ->check(CLI::IsMember({"paper", "all"}));
  cmd.add_option("--objective", objective,
                 "Step model: 'alg1' (the paper's Algorithm 1) or 'exact' (the exact step model)")
      ->capture_default_str()
      ->check(CLI::IsMember({"alg1", "exact"}));
  cmd.add_flag("--no-bandwidth", no_bandwidth,
               "Ignore data access: a step takes the computation stage T_C only");
}

std::unique_ptr<ProblemInputs::Loaded> ProblemInputs::load(bool with_problem) const {
  auto out = std::make_unique<Loaded>(Loaded{base.load(), nullptr, nullptr, {}});
  if (!with_problem) return out;
  out->view = std::make_unique<FusedView>(out->in.net, out->in.xbar_rows, out->in.xbar_cols);
  const std::int64_t budget = crossbars > 0 ? crossbars : out->in.arch.logicalCrossbars();
  out->problem = std::make_unique<Problem>(out->in.net, *out->view, out->in.arch,
                                           parseLayerSelection(layers), budget);
  out->objective.steps = parseStepModel(objective);
  out->objective.bandwidth = !no_bandwidth;
  return out;
}

void AllocationInputs::add(CLI::App& cmd, const std::string& default_allocator) {
  allocator = default_allocator;
  auto* given = cmd.add_option("--allocation", allocation,
                               "R per allocated layer, comma-separated (eq. 3-6 are checked)");
  auto* named = cmd.add_option("--allocator", allocator,
                               "Allocator to choose R (see 'xbarsim allocate --help')");
  if (!default_allocator.empty()) named->capture_default_str();
  given->excludes(named);
  named->excludes(given);
  cmd.add_option("--beam", beam, "dp: prefixes kept per (layer, budget) state")
      ->capture_default_str()
      ->check(wholeNumber(1, 1000));
  cmd.add_option("--seed", seed, "Seed for the random allocator and synthetic weights")
      ->capture_default_str();
  std::string strategies;
  std::vector<std::string> names;
  for (const PlacementInfo& s : placements()) {
    strategies += (strategies.empty() ? "" : "; ") + s.name + ": " + s.description;
    names.push_back(s.name);
  }
  cmd.add_option("--placement", placement,
                 "How layers are placed on the tiles, in Plan order (" + strategies + ")")
      ->capture_default_str()
      ->check(CLI::IsMember(names));
  std::vector<std::string> dataflow_names = dataflows();
  dataflow_names.push_back("hybrid");
  cmd.add_option(
         "--dataflow", dataflow,
         "Every layer's dataflow: ws (weights in the cells, inputs streamed), is "
         "(input patches written into the cells each inference, weights streamed; R = "
         "column groups of crossbar-columns positions; depthwise convs stay ws), or "
         "hybrid (the hybrid allocator chooses each layer's dataflow and R); with --allocation "
         "also a comma-separated list, one per allocated layer (ws,is,ws,...)")
      ->capture_default_str()
      ->check([dataflow_names](const std::string& v) -> std::string {
        // One name for every layer, or with --allocation one per allocated layer.
        for (const std::string& d : splitList(v)) {
          if (std::find(dataflow_names.begin(), dataflow_names.end(), d) == dataflow_names.end())
            return "'" + d + "' is not ws, is or hybrid";
          if (d == "hybrid" && v != d) return "a list of dataflows names ws or is per layer";
        }
        return "";
      });
  cmd.add_flag("--ou-share", ou_sharing.share,
               "pipelined: store identical OU blocks of a layer once, with an index table "
               "(OU-level weight sharing, README 'OU sharing'); the sets shrink to the "
               "crossbars the physical OUs take");
  cmd.add_option("--ou-tolerance", ou_sharing.tolerance,
                 "--ou-share: blocks whose every cell level falls in the same bin of this many "
                 "+ 1 levels share one OU (0: identical only)")
      ->capture_default_str()
      ->check(CLI::Range(0, 255));
  cmd.add_option("--ou-prune", ou_sharing.prune,
                 "pipelined: prune this fraction of each layer's OUs (the smallest sum of "
                 "|code - zero point|) before sharing")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.99));
  cmd.add_option("--minimise", minimise,
                 "hybrid: what its search minimises, the timeline model's inference time or its "
                 "energy (model/dataflow.h)")
      ->capture_default_str()
      ->check(CLI::IsMember({"time", "energy"}));
  std::vector<std::string> mode_names;
  std::string mode_help;
  for (const sim::ModeInfo& m : sim::modes()) {
    mode_names.push_back(m.name);
    mode_help += "; " + m.name + ": " + m.description;
  }
  cmd.add_option("--mode", mode, "Execution mode" + mode_help)
      ->capture_default_str()
      ->check(CLI::IsMember(mode_names));
  std::vector<std::string> scheduler_names;
  std::string scheduler_help;
  for (const SchedulerInfo& s : schedulers()) {
    scheduler_names.push_back(s.name);
    scheduler_help += "; " + s.name + ": " + s.description;
  }
  cmd.add_option("--scheduler", scheduler, "layer-sequential: the scheduler" + scheduler_help)
      ->capture_default_str()
      ->check(CLI::IsMember(scheduler_names));
  cmd.add_option("--inferences", inferences,
                 "layer-sequential: inferences in a row (throughput is measured between the "
                 "ends of the first and the last)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000}));
  cmd.add_flag("--weight-reuse", weight_reuse,
               "layer-sequential: ARAS's partial weight reuse, every layer's codes moved to a "
               "common centre (the first layer kept) so that overwritten cells keep their values "
               "more often");
}

bool plotRun(const std::string& h5, const std::string& png) {
  // No shell: any character in a path is safe. The script's output is discarded, its errors
  // are ours.
  const bool drawn = runProgram({"/usr/bin/python3",
                                 std::string(XBARSIM_TOOLS_DIR) + "/plot_run.py", h5, "-o", png}) &&
                     std::filesystem::exists(png);
  if (!drawn)
    std::fprintf(stderr,
                 "xbarsim: warning: could not draw %s (tools/plot_run.py needs /usr/bin/python3 "
                 "with python3-matplotlib and python3-h5py)\n",
                 png.c_str());
  return drawn;
}

Plan AllocationInputs::sequentialPlan(const Inputs::Loaded& in, const WeightSource& weights) const {
  Plan plan = xbarsim::sequentialPlan(in.net, in.arch, scheduler, inferences,
                                      weight_reuse ? &weights : nullptr);
  plan.ou_sharing = ou_sharing;  // the mode refuses it
  return plan;
}

Plan AllocationInputs::plan(const Problem& p, const Resolved& a) const {
  Plan plan =
      !a.dataflows.empty() ? makePlan(p, a.r, a.dataflows, placement) : makePlan(p, a.r, placement);
  if (a.dataflows.empty() && dataflow != "ws")
    plan = withDataflow(p.network(), p.arch(), plan, dataflow);
  plan.ou_sharing = ou_sharing;
  return plan;
}

void AllocationInputs::shareOus(Problem& p, const std::string& weights_path, bool quiet) const {
  if (!ou_sharing.on()) return;
  if (dataflow != "ws")
    throw ConfigError(
        "OU sharing stores weights: it goes with weight-stationary layers, not "
        "--dataflow " +
        dataflow);
  const WeightSource weights =
      weights_path.empty() ? WeightSource(seed) : WeightSource(weights_path, seed);
  std::int64_t before = 0;
  for (std::size_t i = 0; i < p.size(); ++i) before += p[i].fused.set;
  const SharingTotals t = sharingTotals(shareProblemOus(p, weights, ou_sharing),
                                        p.arch().chip.tile.pe.apu.crossbar.bits_per_cell);
  if (!quiet)
    std::printf(
        "OU sharing (tolerance %d, prune %.2f): %lld logical OU blocks in %lld physical, "
        "index table %lld bits; compression %.2fx; crossbars per copy of every layer "
        "%lld -> %lld\n",
        ou_sharing.tolerance, ou_sharing.prune, static_cast<long long>(t.logical),
        static_cast<long long>(t.physical), static_cast<long long>(t.index_bits), t.compression,
        static_cast<long long>(before), static_cast<long long>(t.crossbars));
}

AllocationInputs::Resolved AllocationInputs::resolve(const Problem& p,
                                                     const Objective& objective) const {
  const bool hybrid = dataflow == "hybrid";
  if (hybrid && !allocation.empty())
    throw ConfigError("--dataflow hybrid chooses the allocation itself: drop --allocation");
  if (dataflow.find(',') != std::string::npos) {
    if (allocation.empty())
      throw ConfigError("a list of dataflows (--dataflow " + dataflow +
                        ") goes with --allocation R1,R2,...");
    std::vector<std::string> list = splitList(dataflow);
    if (list.size() != p.size())
      throw ConfigError("--dataflow lists " + std::to_string(list.size()) + " dataflows for " +
                        std::to_string(p.size()) + " allocated layers");
    return {parseRList(allocation), "given", std::move(list)};  // makePlan checks them
  }
  if (!allocation.empty()) return {parseAllocation(p, allocation), "given", {}};
  if (allocator.empty() && !hybrid)
    throw ConfigError("give --allocation R1,R2,... or --allocator NAME");
  const std::string name = hybrid ? "hybrid" : allocator;
  AllocOptions o;
  o.objective = objective;
  o.beam = beam;
  o.seed = seed;
  o.energy = minimise == "energy";
  AllocResult res = makeAllocator(name)->allocate(p, o);
  if (!res.dataflows.empty() && dataflow == "is")
    throw ConfigError("--allocator " + name +
                      " chooses every layer's dataflow: drop --dataflow is");
  return {std::move(res.r), name, std::move(res.dataflows)};
}

sim::SimResult simulatePlan(const ProblemInputs::Loaded& loaded, const Plan& plan,
                            const sim::SimOptions& options, bool quiet) {
  sim::SimResult res = sim::simulate(loaded.in.net, loaded.in.arch, plan, options);
  if (!quiet && !res.not_simulated.empty()) {
    std::string names;
    for (const std::string& n : res.not_simulated) names += (names.empty() ? "" : ", ") + n;
    std::fprintf(stderr,
                 "xbarsim: note: --layers %s gives %zu weight layer(s) no crossbars; they pass "
                 "their inputs through in zero time and are not simulated: %s\n",
                 plan.selection.c_str(), res.not_simulated.size(), names.c_str());
  }
  return res;
}

validation::RunRecord runRecord(const ProblemInputs::Loaded& loaded, const Plan& plan,
                                const sim::SimResult& res, const std::string& allocator,
                                std::uint64_t seed) {
  validation::RunRecord run;
  run.problem = loaded.problem.get();
  run.arch = &loaded.in.arch;
  run.network = &loaded.in.net;
  run.plan = &plan;
  run.sim = &res;
  run.allocator = allocator;
  run.command = commandLine();
  run.version = XBARSIM_VERSION;
  run.seed = seed;
  return run;
}

nlohmann::json estimateJson(const Problem& p, const Estimate& e) {
  nlohmann::json layers = nlohmann::json::array();
  Allocation r;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const LayerEstimate& l = e.layers[i];
    r.push_back(l.r);
    layers.push_back({{"name", p[i].fused.name},
                      {"R", l.r},
                      {"set", p[i].fused.set},
                      {"crossbars", l.crossbars},
                      {"wo_ho", p[i].fused.outputPositions()},
                      {"normal_op", l.alg1.normal_op},
                      {"pre_op", l.alg1.pre_op},
                      {"tail", l.alg1.tail},
                      {"op", l.alg1.op},
                      {"first_step", l.exact.first_step},
                      {"last_step", l.exact.last_step},
                      {"stalls", l.exact.stalls},
                      {"access_cycles", l.access_cycles}});
  }
  return {{"allocation", r},
          {"crossbars_used", e.crossbars_used},
          {"crossbars_total", p.total()},
          {"crossbars_left", p.total() - e.crossbars_used},
          {"layers_allocated", layerSelectionName(p.selection())},
          {"objective", stepModelName(e.objective.steps)},
          {"bandwidth", e.objective.bandwidth},
          {"steps", e.steps},
          {"alg1_steps", e.alg1_steps},
          {"exact_steps", e.exact_steps},
          {"compute_cycles", e.compute_cycles},
          {"step_cycles", e.step_cycles},
          {"cycles", e.cycles},
          {"seconds", e.seconds},
          {"layers", layers}};
}

void printEstimate(const Problem& p, const Estimate& e) {
  std::printf("%4s  %-14s %5s %6s %9s %8s %9s %8s %7s %8s %8s %8s %6s %9s\n", "#", "layer", "set",
              "R", "crossbars", "WoHo", "WoHo/R", "PreOp", "Op", "first", "last", "stalls", "tail",
              "T_A cyc");
  for (std::size_t i = 0; i < p.size(); ++i) {
    const LayerEstimate& l = e.layers[i];
    const FusedLayer& f = p[i].fused;
    std::printf(
        "%4zu  %-14s %5lld %6lld %9lld %8lld %9.1f %8lld %7lld %8lld %8lld %8lld %6lld %9.2f\n",
        i + 1, f.name.c_str(), static_cast<long long>(f.set), static_cast<long long>(l.r),
        static_cast<long long>(l.crossbars), static_cast<long long>(f.outputPositions()),
        static_cast<double>(f.outputPositions()) / static_cast<double>(l.r),
        static_cast<long long>(l.alg1.pre_op), static_cast<long long>(l.alg1.op),
        static_cast<long long>(l.exact.first_step), static_cast<long long>(l.exact.last_step),
        static_cast<long long>(l.exact.stalls), static_cast<long long>(l.alg1.tail),
        l.access_cycles);
  }
  std::printf("crossbars: %s of %s used (%s left)\n", grouped(e.crossbars_used).c_str(),
              grouped(p.total()).c_str(), grouped(p.total() - e.crossbars_used).c_str());
  std::printf("steps: %s by Algorithm 1, %s by the exact step model (objective: %s)\n",
              grouped(e.alg1_steps).c_str(), grouped(e.exact_steps).c_str(),
              stepModelName(e.objective.steps));
  std::printf("step: %lld cycles (T_C = %lld%s); inference: %s cycles = %.6g s\n",
              static_cast<long long>(e.step_cycles), static_cast<long long>(e.compute_cycles),
              e.objective.bandwidth ? ", with bandwidth" : ", bandwidth ignored",
              grouped(e.cycles).c_str(), e.seconds);
}

void addCommand(CLI::App& app, const std::string& name, const std::string& summary,
                const std::string& example, const std::function<Runner(CLI::App&)>& setup) {
  CLI::App* cmd = app.add_subcommand(name, summary);
  cmd->footer("Example:\n  " + example + "\n");
  Runner run = setup(*cmd);
  cmd->callback(run);
}

std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string engineering(double x) {
  static const char* kPrefix[] = {"", " k", " M", " G", " T", " P"};
  int p = 0;
  while (std::fabs(x) >= 1000 && p < 5) {
    x /= 1000;
    ++p;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%s", x, kPrefix[p]);
  return buf;
}

void printJson(const nlohmann::json& j) {
  std::cout << j.dump(2) << "\n";
}

}  // namespace xbarsim::cli

namespace xbarsim::cli {
namespace {

std::string& commandLineStorage() {
  static std::string line;
  return line;
}

}  // namespace

std::string commandLine() {
  return commandLineStorage();
}

void setCommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  commandLineStorage() = line;
}

void TraceInputs::add(CLI::App& cmd) {
  cmd.add_flag("--trace", on, "Record the event trace into the run file");
  cmd.add_option("--trace-format", format,
                 "hdf5: the trace in the run file only; perfetto: also as Chrome/Perfetto "
                 "trace-event JSON beside it (RUN.perfetto.json, for ui.perfetto.dev); implies "
                 "--trace")
      ->capture_default_str()
      ->check(CLI::IsMember({"hdf5", "perfetto"}));
  cmd.add_option("--trace-limit", limit,
                 "The most events of tiles, interconnect links and global-buffer banks the trace "
                 "keeps (one per transfer); later ones are counted, not kept")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

bool TraceInputs::check(const std::string& out) const {
  if (format == "perfetto" && out.empty())
    throw ConfigError("--trace-format perfetto writes beside the run file: give --out");
  return on || format == "perfetto";
}

void TraceInputs::write(const std::string& out, const validation::RunRecord& run,
                        bool quiet) const {
  if (run.sim != nullptr && run.sim->trace_dropped > 0)
    std::fprintf(stderr,
                 "warning: the trace kept the first %lld events of tiles, links and banks and "
                 "dropped %lld more (--trace-limit)\n",
                 static_cast<long long>(limit), static_cast<long long>(run.sim->trace_dropped));
  if (format != "perfetto") return;
  const std::string path = std::filesystem::path(out).replace_extension(".perfetto.json").string();
  validation::writePerfettoTrace(path, run);
  if (!quiet) std::printf("wrote %s (open it in ui.perfetto.dev)\n", path.c_str());
}

}  // namespace xbarsim::cli
