// Pieces every xbarsim subcommand shares: the --arch/--workload/--param/--xbar-size/--json
// options, loading what they name, and number formatting for tables.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/network.h"

namespace xbarsim::cli {

// The inputs a command works on. Fill by add(), then call load().
struct Inputs {
  std::string arch = "isaac-like";
  std::string workload;
  std::vector<std::string> params;  // name=value, routed to whichever file declares `name`
  int xbar_size = 0;                // 0: the arch's crossbar rows x cols
  bool json = false;

  void add(CLI::App& cmd);
  struct Loaded {
    ArchSpec arch;
    Network net;
    std::int64_t xbar_rows, xbar_cols;
  };
  Loaded load() const;
};

// Registers a subcommand; `run` executes after parsing.
using Runner = std::function<void()>;
void addCommand(CLI::App& app, const std::string& name, const std::string& summary,
                const std::string& example, const std::function<Runner(CLI::App&)>& setup);

// 1234567 -> "1,234,567".
std::string grouped(std::int64_t n);
// 7.6e9 -> "7.61 G".
std::string engineering(double x);

void printJson(const nlohmann::json& j);

}  // namespace xbarsim::cli
