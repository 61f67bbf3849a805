#include "alloc/weight_reuse.h"

#include <algorithm>
#include <cmath>

namespace xbarsim {
namespace {

double meanCode(const std::vector<double>& histogram) {
  double n = 0, sum = 0;
  for (std::size_t q = 0; q < histogram.size(); ++q) {
    n += histogram[q];
    sum += histogram[q] * static_cast<double>(q);
  }
  return n > 0 ? sum / n : 0;
}

double total(const std::vector<double>& histogram) {
  double n = 0;
  for (const double h : histogram) n += h;
  return n;
}

}  // namespace

std::vector<std::vector<double>> codeHistograms(const Network& net, const ArchSpec& arch,
                                                const Plan& plan, const WeightSource& source) {
  const std::size_t codes = std::size_t{1} << arch.data.weight_bits;
  std::vector<std::vector<double>> out;
  for (const PlanLayer& layer : plan.layers) {
    PlanLayer unshifted = layer;
    unshifted.weight_shift = 0;
    std::vector<double> h(codes, 0);
    const LayerShape shape = source.shape(net, arch, unshifted);
    for (std::int64_t br = 0; br < shape.block_rows; ++br)
      for (std::int64_t bc = 0; bc < shape.block_cols; ++bc)
        for (const std::uint32_t q : source.block(net, arch, unshifted, br, bc)) ++h[q];
    // Padding cells hold code 0 and no weight.
    h[0] -= static_cast<double>(shape.blocks() * shape.xbar_rows * shape.xbar_cols -
                                net.layer(layer.vertex).weights);
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<double> shiftedHistogram(const std::vector<double>& histogram, std::int64_t shift,
                                     double* clipped) {
  const auto top = static_cast<std::int64_t>(histogram.size()) - 1;
  std::vector<double> out(histogram.size(), 0);
  double beyond = 0;
  for (std::int64_t q = 0; q <= top; ++q) {
    const std::int64_t to = q + shift;
    if (to < 0 || to > top) beyond += histogram[static_cast<std::size_t>(q)];
    out[static_cast<std::size_t>(std::clamp<std::int64_t>(to, 0, top))] +=
        histogram[static_cast<std::size_t>(q)];
  }
  if (clipped) *clipped = beyond;
  return out;
}

std::vector<double> skippingRatios(const std::vector<double>& before,
                                   const std::vector<double>& after, int cell_bits) {
  const auto bits = static_cast<int>(std::lround(std::log2(static_cast<double>(before.size()))));
  const int cells = (bits + cell_bits - 1) / cell_bits;
  const std::size_t levels = std::size_t{1} << cell_bits;
  const double nb = total(before), na = total(after);
  std::vector<double> out;
  for (int i = 0; i < cells; ++i) {
    std::vector<double> pb(levels, 0), pa(levels, 0);
    for (std::size_t q = 0; q < before.size(); ++q) {
      const std::size_t v = (q >> (i * cell_bits)) & (levels - 1);
      pb[v] += before[q] / nb;
      pa[v] += after[q] / na;
    }
    double s = 0;
    for (std::size_t v = 0; v < levels; ++v) s += pb[v] * pa[v];
    out.push_back(s);
  }
  return out;
}

WeightReuse chooseWeightReuse(const std::vector<std::vector<double>>& histograms, int weight_bits,
                              int cell_bits) {
  const double scale = std::ldexp(1.0, weight_bits - 8);
  std::vector<WeightReuse> candidates;
  std::vector<double> rate;  // per candidate: the fraction of the shifted layers' weights clipped
  for (const int c8 : {88, 104, 96, 160, 152, 168}) {
    WeightReuse r;
    r.center = std::llround(c8 * scale);
    double clipped = 0, weights = 0, score = 0, all_weights = 0;
    std::vector<double> previous;
    for (std::size_t l = 0; l < histograms.size(); ++l) {
      const std::int64_t shift =
          l == 0 ? 0 : r.center - std::llround(meanCode(histograms[l]));  // first layer kept
      double beyond = 0;
      const std::vector<double> h = shiftedHistogram(histograms[l], shift, &beyond);
      const double n = total(histograms[l]);
      r.shift.push_back(shift);
      r.clipping.push_back(n > 0 ? beyond / n : 0);
      all_weights += n;
      if (l > 0) {
        clipped += beyond;
        weights += n;
      }
      r.skip.push_back(l == 0 ? std::vector<double>{} : skippingRatios(previous, h, cell_bits));
      if (l > 0 && r.skip.back().size() >= 2) {
        const std::vector<double>& s = r.skip.back();
        score += (s[s.size() - 1] + s[s.size() - 2]) / 2;
      }
      previous = h;
    }
    r.score = histograms.size() > 1 ? score / static_cast<double>(histograms.size() - 1) : 0;
    r.clipped_fraction = all_weights > 0 ? clipped / all_weights : 0;
    candidates.push_back(std::move(r));
    rate.push_back(weights > 0 ? clipped / weights : 0);
  }
  const double lowest = *std::min_element(rate.begin(), rate.end());
  std::size_t best = candidates.size();
  for (std::size_t c = 0; c < candidates.size(); ++c)
    if (rate[c] <= lowest + 1e-3 &&
        (best == candidates.size() || candidates[c].score > candidates[best].score))
      best = c;
  return candidates[best];
}

}  // namespace xbarsim
