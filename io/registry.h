// Named entries that register themselves from static initialisers: execution modes,
// interconnect topologies, schedulers. `Info` has a `name`.
#pragma once

#include <string>
#include <vector>

#include "io/error.h"

namespace xbarsim {

template <class Info>
class Registry {
 public:
  static bool add(Info info) {
    entries().push_back(std::move(info));
    return true;
  }
  static const std::vector<Info>& all() { return entries(); }
  // The entry called `name`; throws ConfigError naming `what` and the known names.
  static const Info& find(const std::string& name, const std::string& what) {
    std::string known;
    for (const Info& i : entries()) {
      if (i.name == name) return i;
      known += (known.empty() ? "" : ", ") + i.name;
    }
    throw ConfigError("unknown " + what + " '" + name + "' (known: " + known + ")");
  }

 private:
  static std::vector<Info>& entries() {
    static std::vector<Info> e;
    return e;
  }
};

}  // namespace xbarsim
