#include "model/algorithm1.h"

#include <algorithm>

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

Alg1Layer algorithm1Layer(const Problem& p, std::size_t i, const std::int64_t* r,
                          const Alg1Layer* earlier) {
  const ProblemLayer& li = p[i];
  const FusedLayer& fi = li.fused;
  Alg1Layer out;
  out.normal_op = ceilDiv(fi.wo * fi.ho, r[i]);                   // line 20
  out.tail = ceilDiv(fi.wo * (fi.pc / fi.sc), r[i]);              // line 22
  std::int64_t latest_producer_op = 0;
  for (const int q : li.producers) {
    latest_producer_op = std::max(latest_producer_op, earlier[q].op);
    // PreOpInterval(i, k) for every k on the chain i <- q <- primary(q) <- ... (lines 1-14),
    // in one backward sweep: iteration (cur, prev) is the loop body for j = cur.
    std::int64_t product = r[i];
    std::size_t cur = i;
    int prev = q;
    while (prev >= 0) {
      const ProblemLayer& lj = p[cur];
      const ProblemLayer& lp = p[static_cast<std::size_t>(prev)];
      const FusedLayer& fj = lj.fused;
      const FusedLayer& fp = lp.fused;
      const std::int64_t row = ceilDiv(product, fj.wo);                               // line 6
      const std::int64_t col = product - (row - 1) * fj.wo;                           // line 7
      const std::int64_t pro_w = (row - 1) * fj.sc + lj.kc_alg1 - lj.pc_alg1;         // line 8
      const std::int64_t pcol = std::min((col - 1) * fj.sc + lj.kc_alg1 - lj.pc_alg1, lp.wp);
      const std::int64_t crow = fp.kp + fp.sp * (pro_w - 1) - fp.pp;                  // line 10
      const std::int64_t ccol = std::min(fp.kp + fp.sp * (pcol - 1) - fp.pp, fp.wo);  // line 11
      const std::int64_t need = std::max<std::int64_t>((crow - 1) * fp.wo + ccol, 1);
      const std::int64_t rp = r[prev];
      const std::int64_t pre = ceilDiv(need, rp) - 1;                                 // line 13
      out.pre_op = std::max(out.pre_op, pre + earlier[prev].pre_op);                  // line 21
      product = ceilDiv(need, rp) * rp;                                               // line 12
      cur = static_cast<std::size_t>(prev);
      prev = lp.primary;
    }
  }
  out.op = li.producers.empty()
               ? out.normal_op + out.pre_op
               : std::max(out.normal_op + out.pre_op, latest_producer_op + out.tail);  // line 23
  return out;
}

Alg1Result algorithm1(const Problem& p, const Allocation& r) {
  Alg1Result res;
  res.layers.resize(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    res.layers[i] = algorithm1Layer(p, i, r.data(), res.layers.data());
    res.steps = std::max(res.steps, res.layers[i].op);
  }
  return res;
}

}  // namespace xbarsim
