#include "io/strict_map.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "io/config_path.h"

namespace xbarsim {
namespace {

// Levenshtein distance, for spotting misspelled keys.
std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

YAML::Node loadYamlText(const std::string& text, const std::string& name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(name + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
}

YAML::Node loadYamlFile(const std::string& path) {
  return loadYamlText(readTextFile(path), path);
}

std::string locationOf(const std::string& file, const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().is_null()) return file;
  return file + ":" + std::to_string(node.Mark().line + 1) + ":" +
         std::to_string(node.Mark().column + 1);
}

std::string keyText(const std::string& file, const YAML::Node& key) {
  if (key.IsScalar()) return key.Scalar();
  if (key.IsNull()) return "null";  // "~: 1" or "? : 1"
  throw ConfigError(locationOf(file, key) +
                    ": a key must be a single name, not a list or a mapping");
}

StrictMap::StrictMap(const YAML::Node& node, std::string file, std::string what,
                     const Params* params)
    : node_(node), file_(std::move(file)), what_(std::move(what)), params_(params) {
  if (!node_.IsMap()) throw error(node_, "'" + what_ + "' must be a mapping of key: value");
}

std::string emitYaml(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

ConfigError StrictMap::error(const YAML::Node& at, const std::string& message) const {
  const YAML::Node& where = (at.IsDefined() && !at.Mark().is_null()) ? at : node_;
  return ConfigError(locationOf(file_, where) + ": " + message);
}

bool StrictMap::has(const std::string& key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  return static_cast<bool>(node_[key]);
}

YAML::Node StrictMap::require(const std::string& key) {
  if (has(key)) return node_[key];
  // A missing key is often a misspelled one: point at a present key that is a near miss.
  for (const auto& entry : node_) {
    const std::string k = keyText(file_, entry.first);
    if (editDistance(k, key) <= 2)
      throw error(entry.first, "'" + what_ + "' is missing the required key '" + key + "'; is '" +
                                   k + "' a misspelling of it?");
  }
  throw error(node_, "'" + what_ + "' is missing the required key '" + key + "'");
}

YAML::Node StrictMap::node(const std::string& key) {
  return require(key);
}

std::string StrictMap::scalarAt(const YAML::Node& value, const std::string& what) const {
  if (!value.IsScalar()) throw error(value, "'" + what + "' must be a single value");
  const std::string& text = value.Scalar();
  if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}') {
    const std::string name = text.substr(2, text.size() - 3);
    if (params_ == nullptr || params_->count(name) == 0)
      throw error(value, "'" + what + "' uses the undefined parameter '" + name + "'");
    return params_->at(name).text();
  }
  return text;
}

std::int64_t StrictMap::integerAt(const YAML::Node& value, const std::string& what,
                                  std::int64_t min, std::int64_t max) {
  const std::string text = scalarAt(value, what);
  errno = 0;
  char* end = nullptr;
  const long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0)
    throw error(value, "'" + what + "' must be an integer, got '" + text + "'");
  const std::int64_t result = parsed;
  if (result < min)
    throw error(value, "'" + what + "' must be >= " + std::to_string(min) + ", got " +
                           std::to_string(result));
  if (result > std::min(max, kMaxInteger))
    throw error(value, "'" + what + "' must be <= " + std::to_string(std::min(max, kMaxInteger)) +
                           ", got " + std::to_string(result));
  return result;
}

void StrictMap::recordInto(YAML::Node out) {
  out_ = out;
  recording_ = true;
}

std::int64_t StrictMap::integer(const std::string& key, std::int64_t min, std::int64_t max) {
  const std::int64_t v = integerAt(require(key), what_ + "." + key, min, max);
  record(key, v);
  return v;
}

std::int64_t StrictMap::integerOr(const std::string& key, std::int64_t fallback, std::int64_t min,
                                  std::int64_t max) {
  if (has(key)) return integer(key, min, max);
  record(key, fallback);
  return fallback;
}

double StrictMap::quantity(const std::string& key, Dim dim, bool allow_zero, double max) {
  const YAML::Node value = require(key);
  const std::string text = scalarAt(value, what_ + "." + key);
  double result = 0;
  try {
    result = parseQuantity(text, dim);
  } catch (const UnitError& e) {
    throw error(value, "'" + what_ + "." + key + "': " + e.what());
  }
  if (result < 0 || (result == 0 && !allow_zero))
    throw error(value, "'" + what_ + "." + key + "' must be " + (allow_zero ? ">= 0" : "> 0") +
                           ", got '" + text + "'");
  if (!(result <= max))
    throw error(value, "'" + what_ + "." + key + "' must be at most " + formatQuantity(max, dim) +
                           ", got '" + text + "'");
  record(key, formatQuantityExact(result, dim));
  return result;
}

double StrictMap::quantityOr(const std::string& key, Dim dim, double fallback, bool allow_zero,
                             double max) {
  if (has(key)) return quantity(key, dim, allow_zero, max);
  record(key, formatQuantityExact(fallback, dim));
  return fallback;
}

double StrictMap::quantityIn(const std::string& key, Dim dim, double min, double max) {
  const double result = quantity(key, dim, min <= 0, max);
  if (result < min)
    throw error(node_[key], "'" + what_ + "." + key + "' must be at least " +
                                formatQuantity(min, dim) + ", got '" +
                                scalarAt(node_[key], what_ + "." + key) + "'");
  return result;
}

double StrictMap::number(const std::string& key) {
  const YAML::Node value = require(key);
  const std::string text = scalarAt(value, what_ + "." + key);
  char* end = nullptr;
  const double result = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0')
    throw error(value, "'" + what_ + "." + key + "' must be a plain number, got '" + text + "'");
  if (!(result > 0))
    throw error(value, "'" + what_ + "." + key + "' must be > 0, got '" + text + "'");
  record(key, result);
  return result;
}

double StrictMap::numberOr(const std::string& key, double fallback) {
  if (has(key)) return number(key);
  record(key, fallback);
  return fallback;
}

std::string StrictMap::string(const std::string& key) {
  const std::string v = scalarAt(require(key), what_ + "." + key);
  record(key, v);
  return v;
}

std::string StrictMap::stringOr(const std::string& key, const std::string& fallback) {
  if (has(key)) return string(key);
  record(key, fallback);
  return fallback;
}

bool StrictMap::flagOr(const std::string& key, bool fallback) {
  bool v = fallback;
  if (has(key)) {
    const YAML::Node value = node_[key];
    const std::string text = scalarAt(value, what_ + "." + key);
    if (text != "true" && text != "false")
      throw error(value, "'" + what_ + "." + key + "' must be true or false, got '" + text + "'");
    v = text == "true";
  }
  record(key, v);
  return v;
}

StrictMap StrictMap::map(const std::string& key) {
  StrictMap child(require(key), file_, what_.empty() ? key : what_ + "." + key, params_);
  if (recording_) child.recordInto(out_[key]);
  return child;
}

StrictMap StrictMap::mapAt(const std::string& key, std::size_t i) {
  StrictMap child(sequence(key)[i], file_, what_ + "." + key + "[" + std::to_string(i) + "]",
                  params_);
  if (recording_) {
    YAML::Node list = out_[key];
    while (list.size() <= i) list.push_back(YAML::Node(YAML::NodeType::Map));
    child.recordInto(list[i]);
  }
  return child;
}

YAML::Node StrictMap::sequence(const std::string& key) {
  const YAML::Node value = require(key);
  if (!value.IsSequence()) throw error(value, "'" + what_ + "." + key + "' must be a list");
  return value;
}

void StrictMap::finish() const {
  for (const auto& entry : node_) {
    const std::string key = keyText(file_, entry.first);
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string allowed;
    for (const std::string& k : known_) allowed += (allowed.empty() ? "" : ", ") + k;
    throw error(entry.first,
                "unknown key '" + key + "' in '" + what_ + "' (allowed here: " + allowed + ")");
  }
}

}  // namespace xbarsim
