// Strict reading of YAML mappings: every key a reader asks for (required or optional) becomes
// "known"; finish() rejects any other key, naming file:line:column, the key, and the keys
// allowed there. Values are checked on the way in (ranges, units) with the same location.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/error.h"
#include "io/units.h"

namespace xbarsim {

// Loads a YAML file; a missing file or a syntax error becomes a ConfigError with location.
YAML::Node loadYamlFile(const std::string& path);

// Parses YAML text; `name` stands for the file in messages.
YAML::Node loadYamlText(const std::string& text, const std::string& name);

// A node as block-style YAML text, ending in a newline.
std::string emitYaml(const YAML::Node& node);

// "file:line:column" of a node (1-based), or just "file" when the node has no mark.
std::string locationOf(const std::string& file, const YAML::Node& node);

// The text of a mapping key. A key that is not a single value (a list or a mapping used as a
// key: "[a, b]: 1", "? {a: 1}") is a ConfigError at its file:line:column.
std::string keyText(const std::string& file, const YAML::Node& key);

// The value of a parameter, as the file or the command line wrote it: a count (`tiles: 32`)
// or a name (`topology: mesh`). A field that says "${name}" reads it as its own type.
class ParamValue {
 public:
  ParamValue(std::int64_t v) : text_(std::to_string(v)) {}  // NOLINT: {{"tiles", 64}}
  ParamValue(int v) : text_(std::to_string(v)) {}           // NOLINT
  ParamValue(std::string text) : text_(std::move(text)) {}  // NOLINT
  ParamValue(const char* text) : text_(text) {}             // NOLINT
  const std::string& text() const { return text_; }
  bool operator==(const ParamValue& o) const { return text_ == o.text_; }

 private:
  std::string text_;
};

// Parameters a file may reference as "${name}" in any field.
using Params = std::map<std::string, ParamValue>;

class StrictMap {
 public:
  // `what` names the mapping in messages ("tile.pe.apu"). Throws if `node` is not a mapping.
  StrictMap(const YAML::Node& node, std::string file, std::string what,
            const Params* params = nullptr);

  bool has(const std::string& key);

  // Integers are at most kMaxInteger (2^31 - 1): every count, size and index of a spec fits an
  // int, and their products fit 64 bits; a larger value is an error at its location, never
  // silently truncated.
  // A key with a narrower range states it (`max`).
  static constexpr std::int64_t kMaxInteger = 2147483647;
  std::int64_t integer(const std::string& key, std::int64_t min = 1,
                       std::int64_t max = kMaxInteger);
  std::int64_t integerOr(const std::string& key, std::int64_t fallback, std::int64_t min = 1,
                         std::int64_t max = kMaxInteger);
  // A quantity with a unit; must be > 0 (or >= 0 when allow_zero) and at most `max` (in the
  // dimension's base unit).
  double quantity(const std::string& key, Dim dim, bool allow_zero = false,
                  double max = kMaxQuantity);
  double quantityOr(const std::string& key, Dim dim, double fallback, bool allow_zero = false,
                    double max = kMaxQuantity);
  // A quantity within [min, max]: the physical range a key is meaningful in.
  double quantityIn(const std::string& key, Dim dim, double min, double max);
  static constexpr double kMaxQuantity = 1e30;
  // A unitless positive real number.
  double number(const std::string& key);
  double numberOr(const std::string& key, double fallback);
  std::string string(const std::string& key);
  std::string stringOr(const std::string& key, const std::string& fallback);
  bool flagOr(const std::string& key, bool fallback);
  // A nested mapping, strict in turn; finish() it when done.
  StrictMap map(const std::string& key);
  // Element i of the list under `key` (sequence() checks it is one), a mapping, strict in turn.
  StrictMap mapAt(const std::string& key, std::size_t i);
  // A required sequence node.
  YAML::Node sequence(const std::string& key);
  // The raw node of a required key.
  YAML::Node node(const std::string& key);

  // Reads an integer from any scalar node of this file (resolving "${param}").
  std::int64_t integerAt(const YAML::Node& value, const std::string& what, std::int64_t min,
                         std::int64_t max = kMaxInteger);

  // Throws ConfigError on the first key nobody asked for.
  void finish() const;

  // A ConfigError located at `at` (or at this mapping when `at` has no mark).
  ConfigError error(const YAML::Node& at, const std::string& message) const;

  // The text of a scalar node of this file, "${param}" replaced by the parameter's value.
  std::string scalarAt(const YAML::Node& value, const std::string& what) const;

  // Records every value read from here on into `out` (a mapping): defaults included, "${param}"
  // resolved, quantities with units and every digit they need; map() and mapAt() children
  // record into its sub-mappings. Read back, `out` gives the same values: the resolved spec.
  void recordInto(YAML::Node out);
  // Records a value read by hand (through node() or integerAt()).
  template <class T>
  void record(const std::string& key, const T& value) {
    if (recording_) out_[key] = value;
  }

  const std::string& file() const { return file_; }
  const std::string& what() const { return what_; }
  const YAML::Node& yaml() const { return node_; }

 private:
  YAML::Node require(const std::string& key);

  YAML::Node node_;
  std::string file_;
  std::string what_;
  const Params* params_;
  std::vector<std::string> known_;
  YAML::Node out_;
  bool recording_ = false;
};

}  // namespace xbarsim
