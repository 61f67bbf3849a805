#include "model/exact_steps.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

#include "model/algorithm1.h"
#include "tests/model/random_network.h"

namespace xbarsim {
namespace {

// The paper's Figure 5: layers 2 and 3 are 5x5 with a 3x3 kernel, stride 1, padding 1 and one
// channel; layer 1 (R = 3) makes layer 2 (R = 2) start at step 3.
struct Figure5 {
  Network net{"figure5", Shape{1, 5, 5}, [] {
                std::vector<LayerSpec> l(3);
                for (int i = 0; i < 3; ++i) {
                  l[i].name = "layer" + std::to_string(i + 1);
                  l[i].type = LayerType::kConv;
                  l[i].out = 1;
                  l[i].kernel = 3;
                  l[i].pad = 1;
                }
                return l;
              }()};
  ArchSpec arch = loadArchSpec("isaac-like");
  FusedView view{net, 128, 128};
  Problem problem{net, view, arch, LayerSelection::kAll, 100};
  Allocation r{3, 2, 3};
};

TEST(ExactSteps, Figure5WalkThrough) {
  Figure5 f;
  const ExactResult x = exactSteps(f.problem, f.r, 0);
  EXPECT_EQ(x.layers[1].first_step, 3);
  EXPECT_EQ(x.layers[1].last_step, 15);
  EXPECT_EQ(x.layers[1].stalls, 0);
  EXPECT_EQ(x.layers[2].first_step, 7);
  EXPECT_EQ(x.layers[2].last_step, 17);
  EXPECT_EQ(x.layers[2].stalls, 2);
  EXPECT_EQ(x.steps, 17);
  // The stalls fall on steps 9 and 13.
  Timeline t1, t2, t3;
  const Timeline* none[1] = {nullptr};
  exactLayer(f.problem, 0, f.r.data(), none, 0, t1);
  const Timeline* from1[1] = {&t1};
  exactLayer(f.problem, 1, f.r.data(), from1, 0, t2);
  const Timeline* from2[1] = {&t2};
  exactLayer(f.problem, 2, f.r.data(), from2, 0, t3);
  std::vector<std::int64_t> steps;
  for (std::int64_t g = 0; g < t3.groups(); ++g) steps.push_back(t3.stepOf(g));
  EXPECT_EQ(steps, (std::vector<std::int64_t>{7, 8, 10, 11, 12, 14, 15, 16, 17}));
}

TEST(Algorithm1, Figure5WalkThrough) {
  Figure5 f;
  const Alg1Result a = algorithm1(f.problem, f.r);
  EXPECT_EQ(a.layers[1].pre_op, 2);
  EXPECT_EQ(a.layers[1].op, 15);
  EXPECT_EQ(a.layers[2].pre_op, 6);     // "PreOp^3 = 6"
  EXPECT_EQ(a.layers[2].normal_op, 9);  // ceil(25 / 3)
  EXPECT_EQ(a.layers[2].tail, 2);       // ceil(5 floor(1 / 1) / 3)
  EXPECT_EQ(a.layers[2].op, 17);        // max(9 + 6, 15 + 2)
  EXPECT_EQ(a.steps, 17);
}

TEST(ExactSteps, LagDelaysEveryDependentStep) {
  Figure5 f;
  const ExactResult lag1 = exactSteps(f.problem, f.r, 1);
  EXPECT_EQ(lag1.layers[1].first_step, 4);  // one step after layer 1's needed outputs
  EXPECT_GT(lag1.steps, 17);
}

// ---- Brute force: a step-by-step simulation on the network graph itself, with explicit sets
// of the producer elements each output needs. It shares nothing with the model but the
// Problem's choice of allocated layers.

using Element = std::tuple<int, std::int64_t, std::int64_t>;  // allocated layer, row, col

class BruteForce {
 public:
  BruteForce(const Network& net, const Problem& p) : net_(net), p_(p) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      owner_[p[i].fused.vertex] = static_cast<int>(i);
      if (!p[i].fused.pool.empty()) pooled_[net.find(p[i].fused.pool)] = static_cast<int>(i);
    }
  }

  // Elements of allocated layers that output (row, col) of vertex v needs, by walking back.
  void needs(Vertex v, std::int64_t row, std::int64_t col, std::set<Element>& out) const {
    const Layer& l = net_.layer(v);
    const std::vector<Vertex> prods = net_.producers(v);
    for (std::size_t port = 0; port < prods.size(); ++port) {
      const Vertex u = prods[port];
      const Shape in = net_.layer(u).out;
      std::int64_t r0 = row, r1 = row, c0 = col, c1 = col;  // input window, inclusive
      switch (l.spec.type) {
        case LayerType::kConv:
        case LayerType::kDwConv:
        case LayerType::kMaxPool:
        case LayerType::kAvgPool:
          if (l.spec.global) {
            r0 = c0 = 0;
            r1 = in.h - 1;
            c1 = in.w - 1;
          } else {
            r0 = row * l.spec.stride - l.spec.pad;
            r1 = r0 + l.spec.kernel - 1;
            c0 = col * l.spec.stride - l.spec.pad;
            c1 = c0 + l.spec.kernel - 1;
          }
          break;
        case LayerType::kFc:
          r0 = c0 = 0;
          r1 = in.h - 1;
          c1 = in.w - 1;
          break;
        default:
          break;
      }
      for (std::int64_t r = std::max<std::int64_t>(r0, 0); r <= std::min(r1, in.h - 1); ++r)
        for (std::int64_t c = std::max<std::int64_t>(c0, 0); c <= std::min(c1, in.w - 1); ++c)
          reach(u, r, c, out);
    }
  }

  // Element (r, c) of vertex u's output: an allocated layer's own output, or glue to walk.
  void reach(Vertex u, std::int64_t r, std::int64_t c, std::set<Element>& out) const {
    if (u == 0) return;
    if (const auto it = owner_.find(u); it != owner_.end()) {
      out.insert({it->second, r, c});
      return;
    }
    // A fused pool's elements come from its conv's outputs: walk it as glue, stopping there.
    needs(u, r, c, out);
  }

  std::vector<ExactLayer> run(const Allocation& R, std::int64_t lag) const {
    const std::size_t n = p_.size();
    // For every group, the elements it needs.
    std::vector<std::vector<std::set<Element>>> group_needs(n);
    for (std::size_t i = 0; i < n; ++i) {
      const FusedLayer& f = p_[i].fused;
      const std::int64_t positions = f.wo * f.ho;
      for (std::int64_t first = 0; first < positions; first += R[i]) {
        std::set<Element> need;
        for (std::int64_t q = first; q < std::min(first + R[i], positions); ++q)
          needs(f.vertex, q / f.wo, q % f.wo, need);
        group_needs[i].push_back(need);
      }
    }
    std::vector<std::vector<std::int64_t>> produced(n, std::vector<std::int64_t>(1, 0));
    std::vector<std::size_t> next(n, 0);
    std::vector<ExactLayer> res(n);
    bool done = false;
    for (std::int64_t t = 1; !done; ++t) {
      done = true;
      for (std::size_t i = 0; i < n; ++i) {  // Problem order is topological
        std::int64_t count = produced[i].back();
        if (next[i] < group_needs[i].size()) {
          bool ready = true;
          for (const auto& [k, row, col] : group_needs[i][next[i]]) {
            const std::int64_t seen =
                t - lag >= 0 ? produced[k][static_cast<std::size_t>(t - lag)] : 0;
            if (row * p_[k].fused.wo + col >= seen) ready = false;
          }
          if (ready) {
            if (next[i] == 0) res[i].first_step = t;
            res[i].last_step = t;
            count = std::min(count + R[i], p_[i].fused.wo * p_[i].fused.ho);
            ++next[i];
          } else if (next[i] > 0) {
            ++res[i].stalls;
          }
        }
        produced[i].push_back(count);
        done = done && next[i] == group_needs[i].size();
      }
    }
    return res;
  }

 private:
  const Network& net_;
  const Problem& p_;
  std::map<Vertex, int> owner_;
  std::map<Vertex, int> pooled_;
};

TEST(ExactSteps, EqualsBruteForceOnRandomNetworksAndAllocations) {
  std::mt19937_64 rng(2024);
  const ArchSpec arch = loadArchSpec("isaac-like");
  int cases = 0;
  for (int n = 0; n < 150; ++n) {
    const Network net = testing::randomNetwork(rng, 1 + n % 6);
    const FusedView view(net, 128, 128);
    for (const LayerSelection sel : {LayerSelection::kAll, LayerSelection::kPaper}) {
      std::unique_ptr<Problem> p;
      try {
        p = std::make_unique<Problem>(net, view, arch, sel, 1 << 20);
      } catch (const WorkloadError&) {
        continue;  // nothing to allocate under this selection
      }
      const BruteForce brute(net, *p);
      for (int a = 0; a < 3; ++a) {
        Allocation r;
        for (const ProblemLayer& l : p->layers())
          r.push_back(std::uniform_int_distribution<std::int64_t>(1, l.max_r)(rng));
        const std::int64_t lag = a;
        const ExactResult x = exactSteps(*p, r, lag);
        const std::vector<ExactLayer> b = brute.run(r, lag);
        for (std::size_t i = 0; i < p->size(); ++i) {
          EXPECT_EQ(x.layers[i].first_step, b[i].first_step) << "network " << n << " layer " << i;
          EXPECT_EQ(x.layers[i].last_step, b[i].last_step) << "network " << n << " layer " << i;
          EXPECT_EQ(x.layers[i].stalls, b[i].stalls) << "network " << n << " layer " << i;
        }
        ++cases;
      }
    }
  }
  EXPECT_GT(cases, 600);
}

}  // namespace
}  // namespace xbarsim
