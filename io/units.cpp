#include "io/units.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "io/error.h"

namespace xbarsim {
namespace {

struct Unit {
  const char* symbol;
  double scale;
};

const std::vector<Unit>& unitsOf(Dim dim) {
  static const std::vector<Unit> kTime = {
      {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}};
  static const std::vector<Unit> kFreq = {{"Hz", 1.0}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}};
  static const std::vector<Unit> kBw = {
      {"B/s", 1.0},      {"KB/s", 1e3},        {"kB/s", 1e3},
      {"MB/s", 1e6},     {"GB/s", 1e9},        {"TB/s", 1e12},
      {"KiB/s", 1024.0}, {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0}};
  static const std::vector<Unit> kSize = {{"B", 1.0},         {"KB", 1e3},          {"kB", 1e3},
                                          {"MB", 1e6},        {"GB", 1e9},          {"KiB", 1024.0},
                                          {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
  static const std::vector<Unit> kPower = {{"W", 1.0}, {"mW", 1e-3}, {"uW", 1e-6}, {"nW", 1e-9}};
  static const std::vector<Unit> kEnergy = {{"J", 1.0},   {"mJ", 1e-3},  {"uJ", 1e-6},
                                            {"nJ", 1e-9}, {"pJ", 1e-12}, {"fJ", 1e-15}};
  switch (dim) {
    case Dim::kTime:
      return kTime;
    case Dim::kFrequency:
      return kFreq;
    case Dim::kBandwidth:
      return kBw;
    case Dim::kSize:
      return kSize;
    case Dim::kPower:
      return kPower;
    case Dim::kEnergy:
      return kEnergy;
  }
  return kTime;
}

}  // namespace

const char* dimName(Dim dim) {
  switch (dim) {
    case Dim::kTime:
      return "time";
    case Dim::kFrequency:
      return "frequency";
    case Dim::kBandwidth:
      return "bandwidth";
    case Dim::kSize:
      return "size";
    case Dim::kPower:
      return "power";
    case Dim::kEnergy:
      return "energy";
  }
  return "quantity";
}

std::string dimUnits(Dim dim) {
  std::string out;
  for (const Unit& u : unitsOf(dim)) {
    if (!out.empty()) out += ", ";
    out += u.symbol;
  }
  return out;
}

double parseQuantity(const std::string& text, Dim dim) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  const auto fail = [&](const std::string& why) {
    return UnitError("'" + text + "' is not a " + dimName(dim) + " (" + why + "; write e.g. '" +
                     formatQuantity(dim == Dim::kTime ? 1e-7 : 1.0, dim) +
                     "' with one of: " + dimUnits(dim) + ")");
  };
  if (end == begin) throw fail("no number");
  if (!std::isfinite(number)) throw fail("not a finite number");
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  while (!unit.empty() && unit.back() == ' ') unit.pop_back();
  if (unit.empty()) throw fail("no unit");
  for (const Unit& u : unitsOf(dim)) {
    if (unit == u.symbol) return number * u.scale;
  }
  throw fail("unknown unit '" + unit + "'");
}

namespace {

// The largest unit whose scale keeps the mantissa >= 1 (decimal units only).
const Unit& readableUnit(double value, Dim dim) {
  const Unit* best = nullptr;
  for (const Unit& u : unitsOf(dim)) {
    const std::string sym = u.symbol;
    const bool binary = sym.find('i') != std::string::npos;
    const bool lower_k_alias = sym.rfind("kB", 0) == 0;
    if (binary || lower_k_alias) continue;
    if (std::fabs(value) >= u.scale && (best == nullptr || u.scale > best->scale)) best = &u;
  }
  if (best == nullptr) {
    for (const Unit& u : unitsOf(dim)) {
      if (best == nullptr || u.scale < best->scale) best = &u;
    }
  }
  return *best;
}

std::string formatWith(double value, const Unit& unit, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g%s", digits, value / unit.scale, unit.symbol);
  return buf;
}

}  // namespace

std::string formatQuantity(double value, Dim dim) {
  return formatWith(value, readableUnit(value, dim), 6);
}

std::string formatQuantityExact(double value, Dim dim) {
  // The shortest text in any unit that parses back to exactly `value` (the base unit, scale 1,
  // always does at 17 digits); among equals, the readable unit.
  const Unit& readable = readableUnit(value, dim);
  std::string best = formatWith(value, readable, 17);
  for (const Unit& u : unitsOf(dim))
    for (int digits = 1; digits <= 17; ++digits) {
      const std::string text = formatWith(value, u, digits);
      if (parseQuantity(text, dim) != value) continue;
      if (text.size() < best.size() || (text.size() == best.size() && &u == &readable)) best = text;
      break;
    }
  return best;
}

}  // namespace xbarsim
