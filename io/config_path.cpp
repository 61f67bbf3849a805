#include "io/config_path.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/error.h"

namespace fs = std::filesystem;

namespace xbarsim {

std::string configDir() {
  if (const char* env = std::getenv("XBARSIM_CONFIG_DIR"); env != nullptr && *env != '\0')
    return env;
  return XBARSIM_DEFAULT_CONFIG_DIR;
}

std::vector<std::string> presetNames(const std::string& kind) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(configDir()) / kind, ec)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string resolveConfig(const std::string& kind, const std::string& name_or_path) {
  const bool looks_like_path = name_or_path.find('/') != std::string::npos ||
                               fs::path(name_or_path).extension() == ".yaml" ||
                               fs::path(name_or_path).extension() == ".onnx";
  if (looks_like_path) {
    if (!fs::exists(name_or_path)) throw ConfigError(name_or_path + ": no such file");
    return name_or_path;
  }
  const fs::path preset = fs::path(configDir()) / kind / (name_or_path + ".yaml");
  if (fs::exists(preset)) return preset.string();
  std::string known;
  for (const std::string& n : presetNames(kind)) known += (known.empty() ? "" : ", ") + n;
  throw ConfigError("no " + kind + " preset named '" + name_or_path + "' in " + configDir() + "/" +
                    kind + " (presets: " + known + "; or give a path to a .yaml file)");
}

std::string readTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open file (does it exist?)");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void prepareOutput(const std::string& path, bool create_directory) {
  const fs::path p(path);
  std::error_code ec;
  if (path.empty() || fs::is_directory(p, ec))
    throw Error("'" + path + "' cannot be an output file: it " +
                (path.empty() ? "is empty" : "is a directory"));
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (create_directory) fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec))
    throw Error(path + ": the directory " + dir.string() + " does not exist" +
                (ec ? " and cannot be created (" + ec.message() + ")" : ""));
  if (::access(dir.c_str(), W_OK) != 0)
    throw Error(path + ": the directory " + dir.string() + " is not writable (" +
                std::strerror(errno) + ")");
}

void writeTextFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write (" + ec.message() + ")");
  }
}

}  // namespace xbarsim
