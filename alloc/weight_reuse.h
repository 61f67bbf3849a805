// ARAS's partial weight reuse (section V-C): the scheduler moves every weight code of a layer
// by a shift so that the layer's mean lands on a common centre, one of the paper's six (88, 104,
// 96, 160, 152, 168 for 8-bit codes; scaled by 2^(weight_bits - 8) otherwise), the first layer
// never shifted. Layers that overwrite each other then share the values of their most
// significant cells more often, and a cell that already holds its new level takes no pulse.
// Codes pushed beyond the range are clipped; the zero point moves with the shift, so
// de-quantised dot products are unchanged except where a weight was clipped
// (weights/weight_source.h).
//
// The choice, per candidate centre: each layer's shift is the centre minus its rounded mean
// code; the clipping rate is the fraction of the shifted layers' weights clipped; the score is
// the skipping ratio of eq. 3 of the two most significant cells, S_i = sum_v P_prev(cell_i = v)
// P_this(cell_i = v), between each layer and the one before it in execution order, averaged over
// layers and the two cells. Among the centres whose clipping rate is within 0.1 percentage
// point of the lowest, the one with the highest score (the paper: "the lowest accuracy loss
// and the highest skipping ratio"); ties go to the earlier in the paper's list.
#pragma once

#include <cstdint>
#include <vector>

#include "plan/schedule.h"
#include "weights/weight_source.h"

namespace xbarsim {

// Histogram of the codes of every planned layer (weights only: padding cells excluded).
std::vector<std::vector<double>> codeHistograms(const Network& net, const ArchSpec& arch,
                                                const Plan& plan, const WeightSource& source);

// `histogram` with every code moved by `shift` and clipped to the codes; `clipped` gets the
// count moved beyond either end.
std::vector<double> shiftedHistogram(const std::vector<double>& histogram, std::int64_t shift,
                                     double* clipped);

// Eq. 3: per cell position (least significant first), the probability that a cell of a layer
// with code histogram `after` holds the value one of a layer with `before` held.
std::vector<double> skippingRatios(const std::vector<double>& before,
                                   const std::vector<double>& after, int cell_bits);

// The choice (see above) for layers with these code histograms, in execution order.
WeightReuse chooseWeightReuse(const std::vector<std::vector<double>>& histograms, int weight_bits,
                              int cell_bits);

}  // namespace xbarsim
