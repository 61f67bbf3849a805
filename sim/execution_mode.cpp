#include "sim/execution_mode.h"

namespace xbarsim::sim {
namespace {

std::vector<ModeInfo>& registry() {
  static std::vector<ModeInfo> r;
  return r;
}

}  // namespace

bool registerMode(ModeInfo info) {
  registry().push_back(std::move(info));
  return true;
}

const std::vector<ModeInfo>& modes() {
  return registry();
}

std::unique_ptr<ExecutionMode> makeMode(const std::string& name) {
  std::string known;
  for (const ModeInfo& m : registry()) {
    if (m.name == name) return m.make();
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw ConfigError("unknown execution mode '" + name + "' (known: " + known + ")");
}

}  // namespace xbarsim::sim
