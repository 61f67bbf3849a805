#include "tools/cli.h"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "io/config_path.h"
#include "io/params.h"

namespace xbarsim::cli {

void Inputs::add(CLI::App& cmd) {
  cmd.add_option(
         "--workload,-w", workload,
         "Network: a preset name from configs/workloads (" +
             [] {
               std::string s;
               for (const auto& n : presetNames("workloads")) s += (s.empty() ? "" : ", ") + n;
               return s;
             }() +
             ") or a path to a network .yaml")
      ->required();
  cmd.add_option("--arch,-a", arch,
                 "Hardware: a preset name from configs/arch or a path to an arch .yaml")
      ->capture_default_str();
  cmd.add_option("--param,-p", params,
                 "Set a parameter declared in the arch or workload file's params: block, "
                 "e.g. --param tiles=64 --param seq=256");
  cmd.add_option("--xbar-size", xbar_size,
                 "Crossbar size M for an M x M crossbar (default: the arch's crossbar)")
      ->check(CLI::PositiveNumber);
  cmd.add_flag("--json", json, "Print one JSON object on stdout instead of tables");
}

Inputs::Loaded Inputs::load() const {
  const Params overrides = parseParamOverrides(params);
  const std::string arch_path = resolveConfig("arch", arch);
  const std::string net_path = resolveConfig("workloads", workload);
  const std::string arch_text = readTextFile(arch_path);
  const std::string net_text = readTextFile(net_path);
  const Params arch_params = selectParams(overrides, loadYamlText(arch_text, arch_path));
  const Params net_params = selectParams(overrides, loadYamlText(net_text, net_path));
  for (const auto& [name, value] : overrides) {
    if (arch_params.count(name) == 0 && net_params.count(name) == 0)
      throw ConfigError("--param " + name + ": neither " + arch_path + " nor " + net_path +
                        " declares a parameter of that name in its params: block");
  }
  Loaded out{parseArchSpec(arch_text, arch_path, arch_params),
             parseNetwork(net_text, net_path, net_params), 0, 0};
  const CrossbarSpec& xb = out.arch.chip.tile.pe.apu.crossbar;
  out.xbar_rows = xbar_size > 0 ? xbar_size : xb.rows;
  out.xbar_cols = xbar_size > 0 ? xbar_size : xb.cols;
  return out;
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
