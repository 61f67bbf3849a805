#include "sim/execution_mode.h"

#include "io/registry.h"

namespace xbarsim::sim {

bool registerMode(ModeInfo info) {
  return Registry<ModeInfo>::add(std::move(info));
}

const std::vector<ModeInfo>& modes() {
  return Registry<ModeInfo>::all();
}

std::unique_ptr<ExecutionMode> makeMode(const std::string& name) {
  return Registry<ModeInfo>::find(name, "execution mode").make();
}

}  // namespace xbarsim::sim
