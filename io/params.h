// Parameters of a config file: its `params:` block gives defaults (counts or names) that fields
// reference as "${name}"; the command line overrides them with --param name=value. A field
// reads the value as its own type: an integer field needs an integer.
#pragma once

#include <string>
#include <vector>

#include "io/strict_map.h"

namespace xbarsim {

// Reads the optional `params:` block of `root` and applies `overrides`. An override naming
// a parameter the file does not declare is an error listing the declared ones.
Params readParams(StrictMap& root, const Params& overrides);

// Parses "name=value" strings from the command line.
Params parseParamOverrides(const std::vector<std::string>& assignments);

// Keeps the overrides whose names `declared` has (used when one --param list feeds two files).
Params selectParams(const Params& overrides, const YAML::Node& root);

// The config text with every "${name}" replaced by the parameter's value in force, and a first
// line saying which values those were: the file as it was actually used, loadable as it is.
std::string resolvedText(const std::string& yaml_text, const Params& params);

}  // namespace xbarsim
