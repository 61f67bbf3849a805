#include "io/params.h"

#include <cerrno>
#include <cstdlib>

namespace xbarsim {

Params readParams(StrictMap& root, const Params& overrides) {
  Params params;
  if (root.has("params")) {
    const YAML::Node block = root.node("params");
    if (!block.IsMap()) throw root.error(block, "'params' must be a mapping of name: value");
    for (const auto& entry : block) {
      const std::string name = keyText(root.file(), entry.first);
      params.insert_or_assign(name, root.scalarAt(entry.second, "params." + name));
    }
  }
  for (const auto& [name, value] : overrides) {
    if (params.count(name) == 0) {
      std::string declared;
      for (const auto& p : params) declared += (declared.empty() ? "" : ", ") + p.first;
      throw ConfigError(
          root.file() + ": --param " + name + " names no parameter of this file" +
          (declared.empty() ? " (it declares none)" : " (declared: " + declared + ")"));
    }
    params.insert_or_assign(name, value);
  }
  return params;
}

Params parseParamOverrides(const std::vector<std::string>& assignments) {
  Params out;
  for (const std::string& a : assignments) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("--param '" + a + "' must look like name=value");
    const std::string value = a.substr(eq + 1);
    if (value.empty()) throw ConfigError("--param '" + a + "' must look like name=value");
    out.insert_or_assign(a.substr(0, eq), value);
  }
  return out;
}

Params selectParams(const Params& overrides, const YAML::Node& root) {
  Params out;
  const YAML::Node block = root.IsMap() ? root["params"] : YAML::Node();
  for (const auto& [name, value] : overrides) {
    if (block && block.IsMap() && block[name]) out.insert_or_assign(name, value);
  }
  return out;
}

std::string resolvedText(const std::string& yaml_text, const Params& params) {
  std::string out = yaml_text, header = "# resolved with";
  for (const auto& [name, value] : params) {
    const std::string key = "${" + name + "}", v = value.text();
    for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + v.size()))
      out.replace(at, key.size(), v);
    header += " " + name + "=" + v;
  }
  return params.empty() ? out : header + "\n" + out;
}

}  // namespace xbarsim
