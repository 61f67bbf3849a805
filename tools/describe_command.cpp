// `xbarsim describe`: a network's layers, its fused-layer view (the crossbar-allocation paper's
// parameter model), weights, MACs, crossbar sets and the minimum crossbars to hold it.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "tools/cli.h"
#include "workloads/fused_view.h"

namespace xbarsim::cli {
namespace {

std::string inputNames(const Network& net, Vertex v) {
  std::string s;
  for (const Vertex p : net.producers(v)) s += (s.empty() ? "" : ",") + net.layer(p).spec.name;
  return s;
}

nlohmann::json fusedJson(const FusedLayer& f, const FusedView& view) {
  std::vector<std::string> producers;
  for (const int p : f.producers) producers.push_back(view.layers()[p].name);
  return {{"name", f.name},
          {"type", layerTypeName(f.type)},
          {"pool", f.pool},
          {"shortcut", f.shortcut},
          {"Ci", f.ci},
          {"Co", f.co},
          {"Wo", f.wo},
          {"Ho", f.ho},
          {"Kc", f.kc},
          {"Kp", f.kp},
          {"Sc", f.sc},
          {"Sp", f.sp},
          {"Pc", f.pc},
          {"Pp", f.pp},
          {"weights", f.weights},
          {"macs", f.macs},
          {"set", f.set},
          {"static_weights", f.staticWeights()},
          {"producers", producers},
          {"via", f.via}};
}

void printText(const Inputs::Loaded& in, const FusedView& view) {
  const Network& net = in.net;
  const ArchSpec& arch = in.arch;
  std::printf("network %s: %zu layers, %s weights, %s MACs, input %s\n", net.name().c_str(),
              net.topoOrder().size(), grouped(net.totalWeights()).c_str(),
              engineering(static_cast<double>(net.totalMacs())).c_str(),
              toString(net.inputShape()).c_str());
  // Columns as wide as their longest entry (imported ONNX names run long).
  int name_w = 16, inputs_w = 22;
  for (const Vertex v : net.topoOrder()) {
    name_w = std::max(name_w, static_cast<int>(net.layer(v).spec.name.size()));
    inputs_w = std::max(inputs_w, static_cast<int>(inputNames(net, v).size()));
  }
  std::printf("\nlayers\n%4s  %-*s %-8s %-*s %-18s %14s %16s\n", "#", name_w, "name", "type",
              inputs_w, "inputs", "output [C,H,W]", "weights", "MACs");
  int i = 0;
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    std::printf("%4d  %-*s %-8s %-*s %-18s %14s %16s\n", ++i, name_w, l.spec.name.c_str(),
                layerTypeName(l.spec.type), inputs_w, inputNames(net, v).c_str(),
                toString(l.out).c_str(), grouped(l.weights).c_str(), grouped(l.macs).c_str());
  }
  std::printf(
      "\nfused layers (parameter model of Li, Han, Chen 2024, sec. 3.1; set = eq. 2 for "
      "%lldx%lld crossbars)\n",
      static_cast<long long>(view.xbarRows()), static_cast<long long>(view.xbarCols()));
  int pool_w = 10;
  for (const FusedLayer& f : view.layers())
    pool_w = std::max(pool_w, static_cast<int>(f.pool.size()));
  std::printf("%4s  %-*s %-*s %6s %6s %5s %5s %3s %3s %3s %3s %3s %3s %6s  %s\n", "#", name_w,
              "layer", pool_w, "pool", "Ci", "Co", "Wo", "Ho", "Kc", "Kp", "Sc", "Sp", "Pc", "Pp",
              "set", "producers");
  i = 0;
  for (const FusedLayer& f : view.layers()) {
    std::string prods;
    for (const int p : f.producers) prods += (prods.empty() ? "" : ",") + std::to_string(p + 1);
    if (prods.empty()) prods = "input";
    std::string tag = f.shortcut ? " (shortcut)" : !f.staticWeights() ? " (run-time operand)" : "";
    std::printf(
        "%4d  %-*s %-*s %6lld %6lld %5lld %5lld %3lld %3lld %3lld %3lld %3lld %3lld %6lld  "
        "%s%s\n",
        ++i, name_w, f.name.c_str(), pool_w, f.pool.empty() ? "-" : f.pool.c_str(),
        static_cast<long long>(f.ci), static_cast<long long>(f.co), static_cast<long long>(f.wo),
        static_cast<long long>(f.ho), static_cast<long long>(f.kc), static_cast<long long>(f.kp),
        static_cast<long long>(f.sc), static_cast<long long>(f.sp), static_cast<long long>(f.pc),
        static_cast<long long>(f.pp), static_cast<long long>(f.set), prods.c_str(), tag.c_str());
  }
  const std::int64_t need = view.minCrossbars();
  const std::int64_t have = arch.logicalCrossbars();
  std::printf("\nminimum crossbars to hold all weights: %s logical %lldx%lld crossbars\n",
              grouped(need).c_str(), static_cast<long long>(view.xbarRows()),
              static_cast<long long>(view.xbarCols()));
  std::printf("  of which the main-path convolutions (the layers of the paper's Table 2): %s\n",
              grouped(view.paperMinCrossbars()).c_str());
  if (view.dynamicCrossbars() > 0)
    std::printf("run-time matmul operands would need another %s\n",
                grouped(view.dynamicCrossbars()).c_str());
  std::printf("arch %s: %d tiles x %lld = %s logical crossbars (%d physical per logical): %s\n",
              arch.name.c_str(), arch.chip.tiles,
              static_cast<long long>(arch.logicalCrossbarsPerTile()), grouped(have).c_str(),
              arch.physicalPerLogical(),
              need <= have ? "the weights fit (pipelined mode possible)"
                           : "the weights do not fit (weights must be rewritten at run time)");
}

}  // namespace

void registerDescribe(CLI::App& app) {
  auto inputs = std::make_shared<Inputs>();
  addCommand(
      app, "describe",
      "Show a network's layers, its fused-layer view, weights, MACs, crossbar sets per fused "
      "layer, and the minimum crossbars to hold all weights; with --resolved, the arch (and "
      "network) fully resolved as YAML.",
      "xbarsim describe --workload resnet-18 --arch isaac-like --xbar-size 256 --json",
      [inputs](CLI::App& cmd) {
        inputs->workload_optional = true;
        inputs->add(cmd);
        auto resolved = std::make_shared<bool>(false);
        cmd.add_flag("--resolved", *resolved,
                     "Print the arch fully resolved as YAML (bases laid over, --param and "
                     "--xbar-size applied, defaults filled in, quantities with units), which "
                     "loads back to the same spec; with --workload, the network follows as a "
                     "second YAML document (an ONNX model becomes YAML)");
        return [inputs, resolved] {
          if (*resolved && inputs->workload.empty()) {
            std::cout << inputs->loadArch().resolved_yaml;
            return;
          }
          if (inputs->workload.empty())
            throw ConfigError("--workload is required (or --resolved to print the arch alone)");
          const Inputs::Loaded in = inputs->load();
          if (*resolved) {
            std::cout << in.arch.resolved_yaml << "---\n" << networkYaml(in.net);
            return;
          }
          const FusedView view(in.net, in.xbar_rows, in.xbar_cols);
          if (!inputs->json) {
            printText(in, view);
            return;
          }
          nlohmann::json layers = nlohmann::json::array();
          for (const Vertex v : in.net.topoOrder()) {
            const Layer& l = in.net.layer(v);
            std::vector<std::string> ins;
            for (const Vertex p : in.net.producers(v)) ins.push_back(in.net.layer(p).spec.name);
            layers.push_back({{"name", l.spec.name},
                              {"type", layerTypeName(l.spec.type)},
                              {"inputs", ins},
                              {"output", {l.out.c, l.out.h, l.out.w}},
                              {"weights", l.weights},
                              {"macs", l.macs}});
          }
          nlohmann::json fused = nlohmann::json::array();
          for (const FusedLayer& f : view.layers()) fused.push_back(fusedJson(f, view));
          // Parameter values: counts as numbers, names as text.
          nlohmann::json params = nlohmann::json::object();
          for (const auto& [name, value] : in.net.params) {
            char* end = nullptr;
            const long long n = std::strtoll(value.text().c_str(), &end, 10);
            params[name] = *end == '\0' && !value.text().empty() ? nlohmann::json(n)
                                                                 : nlohmann::json(value.text());
          }
          printJson(
              {{"workload", in.net.name()},
               {"arch", in.arch.name},
               {"params", params},
               {"xbar_rows", view.xbarRows()},
               {"xbar_cols", view.xbarCols()},
               {"input", {in.net.inputShape().c, in.net.inputShape().h, in.net.inputShape().w}},
               {"layers", layers},
               {"fused_layers", fused},
               {"total_weights", in.net.totalWeights()},
               {"total_macs", in.net.totalMacs()},
               {"min_crossbars", view.minCrossbars()},
               {"paper_min_crossbars", view.paperMinCrossbars()},
               {"dynamic_crossbars", view.dynamicCrossbars()},
               {"arch_crossbars", in.arch.logicalCrossbars()},
               {"fits", view.minCrossbars() <= in.arch.logicalCrossbars()}});
        };
      });
}

}  // namespace xbarsim::cli
