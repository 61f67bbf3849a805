// ARAS's bank selection as an exact ILP solved with GLPK (see bank_selection.h for the model).
#include "alloc/bank_selection.h"

#include <glpk.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "io/error.h"

namespace xbarsim {
namespace {

// Byte counts above 2^53 are no longer whole numbers in a double.
constexpr double kMaxBytes = 9007199254740992.0;
// Two selections whose powers agree to this (relative) have the same power: sums of the same
// reals in another order differ by a few ulps, never by this much.
constexpr double kPowerTie = 1e-13;

// Owns one GLPK problem: freed on every path, exceptions included.
class GlpProblem {
 public:
  GlpProblem() : p_(glp_create_prob()) {}
  ~GlpProblem() { glp_delete_prob(p_); }
  GlpProblem(const GlpProblem&) = delete;
  GlpProblem& operator=(const GlpProblem&) = delete;
  glp_prob* get() const { return p_; }

 private:
  glp_prob* p_;
};

// GLPK prints to stdout unless told not to; restore the caller's setting afterwards, since the
// switch is GLPK-wide (per thread) and not ours alone.
class QuietGlpk {
 public:
  QuietGlpk() : previous_(glp_term_out(GLP_OFF)) {}
  ~QuietGlpk() { glp_term_out(previous_); }
  QuietGlpk(const QuietGlpk&) = delete;
  QuietGlpk& operator=(const QuietGlpk&) = delete;

 private:
  int previous_;
};

enum class Role : unsigned char { kNone, kInput, kOutput };

// The banks worth modelling (nonzero size), in spec order, with capacities in units of the
// gcd of their sizes and powers scaled so the least positive one is 1: small integers and
// O(1) values keep GLPK's tolerances, which are partly absolute, far from the data.
struct Instance {
  std::vector<int> bank;                 // spec index
  std::vector<std::int64_t> units;       // capacity / unit_bytes
  std::vector<double> power;             // static power / least positive static power
  std::vector<int> next_twin;            // next bank of the same size and power, -1 if none
  std::vector<std::int64_t> units_desc;  // units, largest first
  std::int64_t unit_bytes = 1;
  std::int64_t total_units = 0;
};

using Assignment = std::vector<Role>;  // one role per Instance bank

std::string bytesText(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v << " B";
  return s.str();
}

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

std::int64_t wholeBytes(double v, const char* what) {
  if (!std::isfinite(v) || v < 0 || v > kMaxBytes)
    throw ConfigError(std::string("bank selection: ") + what + " must be a finite byte count in " +
                      "[0, 2^53], got " + bytesText(v));
  return static_cast<std::int64_t>(std::ceil(v));
}

Instance makeInstance(const GlobalBufferSpec& spec) {
  Instance inst;
  double least_power = 0;
  for (std::size_t b = 0; b < spec.banks.size(); ++b) {
    const BankSpec& bank = spec.banks[b];
    if (!std::isfinite(bank.size_bytes) || bank.size_bytes < 0 || bank.size_bytes > kMaxBytes)
      throw ConfigError("global buffer bank " + std::to_string(b) + ": size " +
                        bytesText(bank.size_bytes) + " is not a byte count in [0, 2^53]");
    if (!std::isfinite(bank.static_power_w) || bank.static_power_w < 0)
      throw ConfigError("global buffer bank " + std::to_string(b) + ": static power " +
                        std::to_string(bank.static_power_w) + " W is not finite and >= 0");
    // A bank holds whole bytes; one that holds none can never help.
    const auto bytes = static_cast<std::int64_t>(std::floor(bank.size_bytes));
    if (bytes == 0) continue;
    if (inst.total_units > INT64_MAX - bytes)
      throw ConfigError("global buffer: total size overflows 2^63 bytes");
    inst.total_units += bytes;
    inst.bank.push_back(static_cast<int>(b));
    inst.units.push_back(bytes);
    inst.power.push_back(bank.static_power_w);
    if (bank.static_power_w > 0 && (least_power == 0 || bank.static_power_w < least_power))
      least_power = bank.static_power_w;
  }
  // Twins are found on the spec's own values, before any scaling could merge near-equal ones.
  std::map<std::pair<std::int64_t, double>, int> last_of_kind;
  inst.next_twin.assign(inst.bank.size(), -1);
  for (std::size_t i = 0; i < inst.bank.size(); ++i) {
    const auto [it, first] =
        last_of_kind.try_emplace({inst.units[i], inst.power[i]}, static_cast<int>(i));
    if (!first) {
      inst.next_twin[it->second] = static_cast<int>(i);
      it->second = static_cast<int>(i);
    }
  }
  std::int64_t g = 0;
  for (const std::int64_t u : inst.units) g = std::gcd(g, u);
  if (g > 0) {
    inst.unit_bytes = g;
    for (std::int64_t& u : inst.units) u /= g;
    inst.total_units /= g;
  }
  if (least_power > 0)
    for (double& p : inst.power) p /= least_power;
  inst.units_desc = inst.units;
  std::sort(inst.units_desc.begin(), inst.units_desc.end(), std::greater<>());
  return inst;
}

// The two passes of the lexicographic objective.
enum class Pass { kPower, kCapacity };

// One ILP: Pass::kPower minimises power; Pass::kCapacity minimises selected capacity with the
// power at most `power_bound` (scaled units). Needs are in capacity units. nullopt when no
// selection fits; Error when GLPK fails or returns a selection that does not fit. Every
// argument handed to GLPK is valid by construction: GLPK aborts the process on a bad one.
std::optional<Assignment> solveIlp(const Instance& inst, std::int64_t need_in,
                                   std::int64_t need_out, Pass pass, double power_bound) {
  const int n = static_cast<int>(inst.bank.size());
  if (need_in == 0 && need_out == 0) return Assignment(n, Role::kNone);
  // Exact shortcuts for what plainly cannot fit (disjoint sides share the total).
  if (need_in + need_out > inst.total_units) return std::nullopt;
  const QuietGlpk quiet;
  const GlpProblem prob;
  glp_prob* lp = prob.get();
  glp_set_obj_dir(lp, GLP_MIN);

  // Columns: x_b for banks that may hold inputs, y_b for outputs (none for a side of 0 bytes).
  std::vector<int> col_x(n, 0), col_y(n, 0);
  int cols = 0;
  for (int i = 0; i < n; ++i) {
    if (need_in > 0) col_x[i] = ++cols;
    if (need_out > 0) col_y[i] = ++cols;
  }
  glp_add_cols(lp, cols);
  for (int i = 0; i < n; ++i) {
    const double cost = pass == Pass::kPower ? inst.power[i] : static_cast<double>(inst.units[i]);
    for (const int j : {col_x[i], col_y[i]}) {
      if (j == 0) continue;
      glp_set_col_kind(lp, j, GLP_BV);
      glp_set_obj_coef(lp, j, cost);
    }
  }

  // GLPK's arrays are 1-based: element 0 is unused.
  std::vector<int> ind(1);
  std::vector<double> val(1);
  const auto addRow = [&](int type, double lb, double ub) {
    const int r = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, r, type, lb, ub);
    glp_set_mat_row(lp, r, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
    ind.resize(1);
    val.resize(1);
  };
  // Capacity rows: sums of integer units, so ">= need - 1/2" admits exactly the sums >= need,
  // with half a unit of room for GLPK's feasibility tolerance.
  for (const auto& [need, col] : {std::pair{need_in, &col_x}, std::pair{need_out, &col_y}}) {
    if (need == 0) continue;
    for (int i = 0; i < n; ++i) {
      ind.push_back((*col)[i]);
      val.push_back(static_cast<double>(inst.units[i]));
    }
    addRow(GLP_LO, static_cast<double>(need) - 0.5, 0.0);
  }
  // Cardinality rows: a side needs at least as many banks as the largest banks it takes to
  // reach its need, and both sides together at least as many as for the sum of the needs.
  // Valid for every selection, so exact; they close most of the gap between the knapsack rows'
  // LP relaxation and the integers (near-identical banks otherwise take GLPK seconds).
  const auto leastBanks = [&](std::int64_t need) {
    int m = 0;
    for (std::int64_t held = 0; held < need && m < n; ++m) held += inst.units_desc[m];
    return m;
  };
  for (const auto& [need, cols_of] : {std::pair{need_in, &col_x}, std::pair{need_out, &col_y}}) {
    if (need == 0) continue;
    for (int i = 0; i < n; ++i) {
      ind.push_back((*cols_of)[i]);
      val.push_back(1.0);
    }
    addRow(GLP_LO, leastBanks(need), 0.0);
  }
  if (need_in > 0 && need_out > 0) {
    for (int i = 0; i < n; ++i) {
      ind.push_back(col_x[i]);
      val.push_back(1.0);
      ind.push_back(col_y[i]);
      val.push_back(1.0);
    }
    addRow(GLP_LO, leastBanks(need_in + need_out), 0.0);
    for (int i = 0; i < n; ++i) {
      ind = {0, col_x[i], col_y[i]};
      val = {0.0, 1.0, 1.0};
      addRow(GLP_UP, 0.0, 1.0);
    }
  }
  // Symmetry breaking between identical banks i < j (next twins): x_i >= x_j and
  // x_i + y_i >= x_j + y_j. Interchangeable banks can always be permuted into this order, so
  // no optimum is lost; the lowest-indexed twins get used, inputs before outputs, which makes
  // ties among them deterministic, and branch and bound need not explore the permutations
  // (15 identical banks took GLPK half a minute without these rows).
  for (int i = 0; i < n; ++i) {
    const int j = inst.next_twin[i];
    if (j < 0) continue;
    if (need_in > 0 && need_out > 0) {
      ind = {0, col_x[i], col_x[j]};
      val = {0.0, 1.0, -1.0};
      addRow(GLP_LO, 0.0, 0.0);
    }
    for (const auto& [bank, sign] : {std::pair{i, 1.0}, std::pair{j, -1.0}})
      for (const int c : {col_x[bank], col_y[bank]}) {
        if (c == 0) continue;
        ind.push_back(c);
        val.push_back(sign);
      }
    addRow(GLP_LO, 0.0, 0.0);
  }
  if (pass == Pass::kCapacity) {
    for (int i = 0; i < n; ++i)
      for (const int j : {col_x[i], col_y[i]}) {
        if (j == 0) continue;
        ind.push_back(j);
        val.push_back(inst.power[i]);
      }
    addRow(GLP_UP, 0.0, power_bound);
  }

  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.mip_gap = 0.0;
  // A binary within tol_int of 0 counts as 0, dropping up to tol_int of its capacity; keep
  // the whole row's loss well under the half unit of room above (GLPK wants 0 < tol < 1).
  parm.tol_int = std::clamp(0.1 / static_cast<double>(std::max<std::int64_t>(inst.total_units, 1)),
                            1e-12, 1e-5);
  // GLPK prunes a node whose bound is within tol_obj * (1 + |incumbent|) of the incumbent;
  // the default 1e-7 could hide a strictly better selection.
  parm.tol_obj = 1e-13;
  // Mixed-integer rounding cuts strengthen the knapsack rows: with them GLPK solves 15
  // near-identical banks in a millisecond, without them in minutes. (Cover cuts stay off:
  // GLPK 5.0 aborted inside them on some small random instances of this model.)
  parm.mir_cuts = GLP_ON;
  const int rc = glp_intopt(lp, &parm);
  if (rc == GLP_ENOPFS) return std::nullopt;  // the presolver proved no selection fits
  if (rc != 0)
    throw Error("bank selection: GLPK glp_intopt failed with code " + std::to_string(rc) + " (" +
                std::to_string(n) + " banks, need " + std::to_string(need_in) + " + " +
                std::to_string(need_out) + " units of " + std::to_string(inst.unit_bytes) + " B)");
  const int status = glp_mip_status(lp);
  if (status == GLP_NOFEAS) return std::nullopt;
  if (status != GLP_OPT)
    throw Error("bank selection: GLPK ended without a proven optimum (status " +
                std::to_string(status) + ")");

  Assignment a(n, Role::kNone);
  std::int64_t got_in = 0, got_out = 0;
  for (int i = 0; i < n; ++i) {
    const bool x = col_x[i] != 0 && glp_mip_col_val(lp, col_x[i]) > 0.5;
    const bool y = col_y[i] != 0 && glp_mip_col_val(lp, col_y[i]) > 0.5;
    if (x && y)
      throw Error("bank selection: GLPK put inputs and outputs in bank " +
                  std::to_string(inst.bank[i]));
    if (x) {
      a[i] = Role::kInput;
      got_in += inst.units[i];
    }
    if (y) {
      a[i] = Role::kOutput;
      got_out += inst.units[i];
    }
  }
  // The check in integers that tolerances cannot blur.
  if (got_in < need_in || got_out < need_out)
    throw Error("bank selection: GLPK returned banks of " + std::to_string(got_in) + " + " +
                std::to_string(got_out) + " units for a need of " + std::to_string(need_in) +
                " + " + std::to_string(need_out) + " (numerical trouble)");
  return a;
}

double scaledPower(const Instance& inst, const Assignment& a) {
  double p = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != Role::kNone) p += inst.power[i];
  return p;
}

}  // namespace

BankChoice selectLayerBanks(const GlobalBufferSpec& spec, double in_bytes, double out_bytes) {
  const std::int64_t in = wholeBytes(in_bytes, "input bytes");
  const std::int64_t out = wholeBytes(out_bytes, "output bytes");
  const Instance inst = makeInstance(spec);
  BankChoice choice;
  if (in == 0 && out == 0) return choice;

  // A side's need at k parts, in capacity units: ceil(ceil(bytes / k) / unit).
  const auto need = [&](std::int64_t bytes, std::int64_t k) {
    return ceilDiv(ceilDiv(bytes, k), inst.unit_bytes);
  };
  const auto leastPower = [&](std::int64_t k) {
    return solveIlp(inst, need(in, k), need(out, k), Pass::kPower, 0.0);
  };

  std::int64_t parts = 1;
  std::optional<Assignment> best = leastPower(1);
  if (!best) {
    // At k = max(in, out) a side needs at most one byte, which any bank of nonzero size holds:
    // it fits iff there is one such bank per side that needs any. More parts change nothing.
    const std::int64_t k_max = std::max<std::int64_t>({in, out, 2});
    const std::size_t sides = (in > 0 ? 1 : 0) + (out > 0 ? 1 : 0);
    if (inst.bank.size() < sides)
      throw ConfigError("global buffer cannot hold a layer's activations in any number of parts: " +
                        bytesText(in_bytes) + " in, " + bytesText(out_bytes) + " out, " +
                        std::to_string(spec.banks.size()) + " banks of " +
                        bytesText(spec.totalBytes()) + ", of which " +
                        std::to_string(inst.bank.size()) +
                        " hold a byte; inputs and outputs need disjoint banks");
    if (k_max > INT_MAX)
      throw ConfigError("bank selection: the activations (" + bytesText(in_bytes) + " in, " +
                        bytesText(out_bytes) + " out) would need more than 2^31 parts");
    // Fitting is monotone in k (needs only shrink), so bisect for the least k that fits.
    std::int64_t lo = 2, hi = k_max;
    std::optional<Assignment> at_hi;
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (auto a = leastPower(mid)) {
        hi = mid;
        at_hi = std::move(a);
      } else {
        lo = mid + 1;
      }
    }
    if (!at_hi) at_hi = leastPower(hi);
    if (!at_hi)
      throw Error("bank selection: GLPK found no selection for " + std::to_string(hi) +
                  " parts, though one exists");
    parts = hi;
    best = std::move(at_hi);
  }

  // Second pass: least capacity among the least-power selections. The bound (scaled powers,
  // the least positive one 1) leaves GLPK room for rounding, so the first pass's own selection
  // satisfies it; a result that GLPK's tolerances let cost more power than that is discarded.
  const std::int64_t need_in = need(in, parts), need_out = need(out, parts);
  const double power = scaledPower(inst, *best);
  const double bound = power * (1 + 1e-12) + 1e-12;
  std::optional<Assignment> lean = solveIlp(inst, need_in, need_out, Pass::kCapacity, bound);
  if (!lean)
    throw Error(
        "bank selection: GLPK found no selection of least power in the tie-break pass, "
        "though the first pass returned one");
  if (scaledPower(inst, *lean) <= power * (1 + kPowerTie)) best = std::move(lean);

  choice.parts = static_cast<int>(parts);
  for (std::size_t i = 0; i < best->size(); ++i) {
    if ((*best)[i] == Role::kInput) choice.input_banks.push_back(inst.bank[i]);
    if ((*best)[i] == Role::kOutput) choice.output_banks.push_back(inst.bank[i]);
    // Summed in bank order from the spec's own values, not GLPK's scaled objective.
    if ((*best)[i] != Role::kNone) choice.static_power_w += spec.banks[inst.bank[i]].static_power_w;
  }
  return choice;
}

}  // namespace xbarsim
