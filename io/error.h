// Typed exceptions shared by every library. Library code throws these with enough context
// (file:line:column, layer, block, value) for the CLI to print one clear message.
#pragma once

#include <stdexcept>
#include <string>

namespace xbarsim {

// Base of every error xbarsim reports to a user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A configuration file is missing, malformed, or holds a bad value. The message starts with
// "file:line:column:" whenever the location is known.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A quantity string has the wrong unit or no number ("12 parsecs" for a bandwidth).
class UnitError : public Error {
 public:
  using Error::Error;
};

// A network is inconsistent: a shape mismatch, a cycle, an unknown input name.
class WorkloadError : public Error {
 public:
  using Error::Error;
};

// A simulation cannot go on: it deadlocked (a buffer too small for what a layer must hold at
// once), or the Plan asks for what the hardware cannot do. The message names the layer, the
// block and the numbers.
class SimError : public Error {
 public:
  using Error::Error;
};

}  // namespace xbarsim
