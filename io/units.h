// Quantities with units, written as strings in YAML ("100ns", "1.2GHz", "128GB/s", "2mW",
// "1.56pJ", "64KiB") and converted once, on load, to SI base units held as doubles.
#pragma once

#include <string>

namespace xbarsim {

// The physical dimension a quantity must have. Each dimension has one base unit.
enum class Dim {
  kTime,       // seconds:  s, ms, us, ns, ps
  kFrequency,  // hertz:    Hz, kHz, MHz, GHz
  kBandwidth,  // bytes/s:  B/s, KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s
  kSize,       // bytes:    B, KB, MB, GB, KiB, MiB, GiB
  kPower,      // watts:    W, mW, uW, nW
  kEnergy,     // joules:   J, mJ, uJ, nJ, pJ, fJ
};

// Human name of a dimension, for messages ("bandwidth").
const char* dimName(Dim dim);

// Comma-separated list of the units accepted for a dimension, for messages.
std::string dimUnits(Dim dim);

// Parses "<number><unit>" (spaces allowed between them) into the dimension's base unit.
// Decimal prefixes (K/k, M, G, T) are powers of 1000, binary ones (Ki, Mi, Gi) of 1024.
// Throws UnitError naming the text and the units accepted.
double parseQuantity(const std::string& text, Dim dim);

// Formats a base-unit value with a readable prefix ("128 GB/s", "100 ns").
std::string formatQuantity(double value, Dim dim);

// The same with as many digits as parseQuantity needs to give `value` back exactly.
std::string formatQuantityExact(double value, Dim dim);

}  // namespace xbarsim
