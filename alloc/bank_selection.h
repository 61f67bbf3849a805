// ARAS's adaptive global-buffer bank selection (ARAS paper, section V-A): for one layer, pick
// the banks that hold its input and its output activations so that the static power of the
// powered banks is least; every other bank is power-gated while the layer runs.
//
// The integer linear program (ARAS eq. 1-2 plus its disjointness constraints), over the banks
// b = 0..n-1 with capacity C_b bytes and static power P_b watts, for I input and O output bytes:
//
//   minimise    sum_b P_b (x_b + y_b)
//   subject to  sum_b C_b x_b >= I            (the inputs fit in the input banks)
//               sum_b C_b y_b >= O            (the outputs fit in the output banks)
//               x_b + y_b <= 1   for every b  (a bank holds inputs or outputs, never both)
//               x_b, y_b in {0, 1}
//
// x_b = 1: bank b holds inputs; y_b = 1: it holds outputs. A side with 0 bytes gets no
// variables, hence no banks.
//
// Exact, not a heuristic: GLPK's branch and bound (glp_intopt, MIP presolver on, relative
// gap 0) proves optimality. Rows added only to speed it up cut off no optimum: cardinality
// rows (a side needs at least as many banks as its need takes of the largest ones),
// symmetry breaking between identical banks (same size and power: the lower-indexed one is
// used first), and GLPK's MIR cuts. ARAS's 10-15 banks solve in about a millisecond.
// Floating point cannot silently break exactness: sizes are whole bytes divided by their
// greatest common divisor, so the capacity rows have integer coefficients and are asked to
// reach (need - 1/2), which no integer sum short of the need can; the integrality and
// objective tolerances are tightened from GLPK's defaults; and every selection GLPK returns
// is checked again in integer arithmetic (a failed check throws xbarsim::Error rather than
// return banks that do not fit).
//
// Ties, so the result is deterministic: among the selections of least power, the one of least
// total selected capacity, found by a second ILP (minimise sum_b C_b (x_b + y_b) with the
// power held at the first ILP's optimum; a second pass rather than an epsilon term, because
// no epsilon is safe for arbitrary powers). Among identical banks the lowest-indexed are used,
// inputs before outputs. Whatever tie remains (different banks, equal power and capacity) is
// settled by GLPK's branching, which is deterministic for a given input.
//
// Too large a layer: when no disjoint selection holds I and O, the activations are processed
// in `parts` = the smallest k >= 2 for which one holds ceil(I/k) and ceil(O/k) bytes, and the
// selection is the least-power one for that k. Feasibility only grows with k, so k is found by
// bisection between 2 and max(I, O) (where a side needs at most one byte; beyond it nothing
// changes). If even that fails (too few banks of nonzero size) it throws xbarsim::ConfigError.
#pragma once

#include <vector>

#include "arch/arch_spec.h"

namespace xbarsim {

struct BankChoice {
  std::vector<int> input_banks, output_banks;  // ascending bank indices
  double static_power_w = 0;                   // of the selected banks
  int parts = 1;                               // activations processed in this many parts
};

// in_bytes and out_bytes: activations of one layer (>= 0; a fraction of a byte rounds up).
// Bank sizes count in whole bytes (rounded down). Throws ConfigError on negative or
// non-finite inputs, and when no number of parts fits; Error when GLPK fails.
BankChoice selectLayerBanks(const GlobalBufferSpec& spec, double in_bytes, double out_bytes);

}  // namespace xbarsim
