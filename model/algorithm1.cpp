#include "model/algorithm1.h"

#include <algorithm>

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// One iteration of PreOpInterval's loop (lines 6-12) for j = cur with producer prev: the
// producer output count needed, given `product` outputs of cur.
std::int64_t neededFromProducer(const ProblemLayer& lj, const ProblemLayer& lp,
                                std::int64_t product) {
  const FusedLayer& fj = lj.fused;
  const FusedLayer& fp = lp.fused;
  const std::int64_t row = ceilDiv(product, fj.wo);                        // line 6
  const std::int64_t col = product - (row - 1) * fj.wo;                    // line 7
  const std::int64_t pro_w = (row - 1) * fj.sc + lj.kc_alg1 - lj.pc_alg1;  // line 8
  const std::int64_t pcol = std::min((col - 1) * fj.sc + lj.kc_alg1 - lj.pc_alg1, lp.wp);
  const std::int64_t crow = fp.kp + fp.sp * (pro_w - 1) - fp.pp;                  // line 10
  const std::int64_t ccol = std::min(fp.kp + fp.sp * (pcol - 1) - fp.pp, fp.wo);  // line 11
  return std::max<std::int64_t>((crow - 1) * fp.wo + ccol, 1);
}

}  // namespace

Alg1LayerEvaluator::Alg1LayerEvaluator(const Problem& p, std::size_t i, const std::int64_t* r,
                                       const Alg1Layer* earlier)
    : p_(&p), i_(i), r_(r), earlier_(earlier) {}

std::int64_t Alg1LayerEvaluator::deeper(int q, std::int64_t product) const {
  std::int64_t best = 0;
  std::size_t cur = static_cast<std::size_t>(q);
  int prev = (*p_)[cur].primary;
  while (prev >= 0) {
    const std::int64_t need = neededFromProducer((*p_)[cur], (*p_)[prev], product);
    const std::int64_t rp = r_[prev];
    best = std::max(best, ceilDiv(need, rp) - 1 + earlier_[prev].pre_op);  // lines 13, 21
    product = ceilDiv(need, rp) * rp;                                      // line 12
    cur = static_cast<std::size_t>(prev);
    prev = (*p_)[cur].primary;
  }
  return best;
}

Alg1Layer Alg1LayerEvaluator::operator()(std::int64_t r_i) {
  const ProblemLayer& li = (*p_)[i_];
  const FusedLayer& fi = li.fused;
  Alg1Layer out;
  out.normal_op = ceilDiv(fi.wo * fi.ho, r_i);       // line 20
  out.tail = ceilDiv(fi.wo * (fi.pc / fi.sc), r_i);  // line 22
  std::int64_t latest_producer_op = 0;
  // PreOpInterval(i, k) for every k on the chain i <- q <- primary(q) <- ... (lines 1-14), in
  // one backward sweep per direct producer q.
  for (std::size_t n = 0; n < li.producers.size(); ++n) {
    const int q = li.producers[n];
    latest_producer_op = std::max(latest_producer_op, earlier_[q].op);
    const std::int64_t need = neededFromProducer(li, (*p_)[q], r_i);
    const std::int64_t rq = r_[q];
    const std::int64_t product = ceilDiv(need, rq) * rq;
    std::int64_t behind = 0;
    if (n > 0) {
      behind = deeper(q, product);
    } else {
      if (cache_.product != product) cache_ = {product, deeper(q, product)};
      behind = cache_.value;
    }
    out.pre_op = std::max({out.pre_op, ceilDiv(need, rq) - 1 + earlier_[q].pre_op, behind});
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
    res.layers[i] = Alg1LayerEvaluator(p, i, r.data(), res.layers.data())(r[i]);
    res.steps = std::max(res.steps, res.layers[i].op);
  }
  return res;
}

}  // namespace xbarsim
