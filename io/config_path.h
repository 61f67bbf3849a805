// Finds configuration files: a preset name ("isaac-like") is looked up in the config
// directory's sub-folder (configs/arch, configs/workloads); anything that looks like a path is
// used as is.
#pragma once

#include <string>
#include <vector>

namespace xbarsim {

// The config directory: $XBARSIM_CONFIG_DIR if set, else the source tree's configs/.
std::string configDir();

// Preset names (file stems) available in configDir()/kind.
std::vector<std::string> presetNames(const std::string& kind);

// Resolves a preset name or path to a file path; throws ConfigError listing the presets of
// `kind` when neither exists.
std::string resolveConfig(const std::string& kind, const std::string& name_or_path);

// Reads a whole file; throws ConfigError when it cannot be opened.
std::string readTextFile(const std::string& path);

// Writes `text` to a unique temporary name beside `path`, then renames it over `path`: the file
// is whole or absent. Throws Error naming the path when writing fails.
void writeTextFile(const std::string& path, const std::string& text);

// Checks, before any work, that `path` can be written: its directory must exist (or is created
// when `create_directory`) and be writable, and `path` must not be a directory. Throws Error
// naming what is wrong.
void prepareOutput(const std::string& path, bool create_directory);

}  // namespace xbarsim
