#include <gtest/gtest.h>

#include <random>

#include "alloc/allocator.h"
#include "tests/model/random_network.h"

namespace xbarsim {
namespace {

struct Case {
  std::string workload;
  std::int64_t crossbars;
  int xbar;
  LayerSelection layers;
};

struct Loaded {
  explicit Loaded(const Case& c)
      : net(loadNetwork(c.workload)),
        arch(loadArchSpec("isaac-like")),
        view(net, c.xbar, c.xbar),
        problem(net, view, arch, c.layers, c.crossbars) {}
  Network net;
  ArchSpec arch;
  FusedView view;
  Problem problem;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> k = {{"lenet", 40, 128, LayerSelection::kAll},
                                      {"alexnet", 2304, 128, LayerSelection::kPaper},
                                      {"vgg-a", 2304, 128, LayerSelection::kPaper},
                                      {"resnet-18", 2304, 128, LayerSelection::kPaper},
                                      {"resnet-18", 1024, 128, LayerSelection::kAll},
                                      {"mobilenet-v1", 1024, 128, LayerSelection::kPaper},
                                      {"vgg-8", 1200, 128, LayerSelection::kAll}};
  return k;
}

std::vector<Objective> objectives() {
  std::vector<Objective> out;
  for (const StepModel m : {StepModel::kAlg1, StepModel::kExact})
    for (const bool bw : {false, true}) out.push_back({m, bw, 0});
  return out;
}

TEST(Allocators, EveryOutputSatisfiesEquations3To6) {
  for (const Case& c : cases()) {
    const Loaded l(c);
    for (const std::string& name : allocatorNames()) {
      if (name == "exhaustive" && c.workload != "lenet") continue;
      AllocOptions o;
      o.samples = 200;
      o.min_cosine = 0.5;
      AllocResult res;
      try {
        res = makeAllocator(name)->allocate(l.problem, o);
      } catch (const AllocationError&) {
        continue;  // a heuristic that cannot fit says so (tested below)
      }
      SCOPED_TRACE(c.workload + " " + name);
      EXPECT_NO_THROW(checkAllocation(l.problem, res.r));
      for (std::size_t i = 0; i < l.problem.size(); ++i) {
        EXPECT_GE(res.r[i], 1);
        EXPECT_LE(res.r[i], l.problem[i].fused.outputPositions());
        if (l.problem[i].fused.isFc()) {
          EXPECT_EQ(res.r[i], 1);
        }
      }
      EXPECT_LE(crossbarsUsed(l.problem, res.r), c.crossbars);
    }
  }
}

TEST(Allocators, DpIsNeverWorseThanAHeuristic) {
  for (const Case& c : cases()) {
    const Loaded l(c);
    for (const Objective& obj : objectives()) {
      if (obj.steps == StepModel::kExact && c.workload == "vgg-a") continue;  // seconds
      AllocOptions o;
      o.objective = obj;
      const ObjectiveEvaluator eval(l.problem, obj);
      const std::int64_t dp = eval(makeAllocator("dp")->allocate(l.problem, o).r);
      for (const char* h : {"wo-ho", "sc2", "identical"}) {
        try {
          const std::int64_t v = eval(makeAllocator(h)->allocate(l.problem, o).r);
          EXPECT_LE(dp, v) << c.workload << " " << h << " " << stepModelName(obj.steps)
                           << (obj.bandwidth ? " bw" : "");
        } catch (const AllocationError&) {
        }
      }
    }
  }
}

// Small random networks with budgets a little above their minimum, every objective. The DP with
// a beam of prefixes per state must match exhaustive search everywhere; Algorithm 2 as printed
// (beam 1) matches it almost everywhere, and the cases where it does not are counted.
TEST(Allocators, DpEqualsExhaustiveOnSmallNetworks) {
  std::mt19937_64 rng(7);
  const ArchSpec arch = loadArchSpec("isaac-like");
  int compared = 0, printed_algorithm_misses = 0;
  for (int n = 0; n < 40; ++n) {
    const Network net = testing::randomNetwork(rng, 2 + n % 3);
    const FusedView view(net, 16, 16);
    std::unique_ptr<Problem> p;
    try {
      Problem probe(net, view, arch, LayerSelection::kAll, 1 << 20);
      const std::int64_t budget = probe.minCrossbars() + 2 + n % 9;
      p = std::make_unique<Problem>(net, view, arch, LayerSelection::kAll, budget);
    } catch (const Error&) {
      continue;
    }
    for (const Objective& obj : objectives()) {
      AllocOptions o;
      o.objective = obj;
      o.exhaustive_limit = 200000;
      AllocResult ex;
      try {
        ex = makeAllocator("exhaustive")->allocate(*p, o);
      } catch (const AllocationError&) {
        continue;
      }
      const ObjectiveEvaluator eval(*p, obj);
      o.beam = 16;
      EXPECT_EQ(eval(makeAllocator("dp")->allocate(*p, o).r), eval(ex.r))
          << "network " << n << " " << stepModelName(obj.steps) << (obj.bandwidth ? " bw" : "");
      o.beam = 1;
      const std::int64_t printed = eval(makeAllocator("dp")->allocate(*p, o).r);
      EXPECT_GE(printed, eval(ex.r));
      printed_algorithm_misses += printed != eval(ex.r);
      ++compared;
    }
  }
  EXPECT_GT(compared, 60);
  EXPECT_EQ(printed_algorithm_misses, 8);  // 2 networks x 4 objectives, see the next test
}

// Algorithm 2 as printed, written plainly: a full table over every (layer, budget), each state
// extended by every R from the smallest (the first of equals wins, as in the printed loop) and
// judged by its prefix's steps x step cycles; the answer is the best final state, the smallest
// budget among equals. A second implementation of what dp.cpp computes with its bounded
// passes, trimmed budget ranges and compact states.
Allocation plainAlgorithmTwo(const Problem& p, bool bandwidth) {
  const std::size_t n = p.size();
  const std::int64_t total = p.total();
  const StepTimeModel time(p, bandwidth);
  const auto prefixObjective = [&](Allocation r, std::size_t last) {
    for (std::size_t k = last + 1; k < n; ++k) r[k] = 1;  // later layers do not matter
    const Alg1Result a = algorithm1(p, r);
    std::int64_t steps = 0, cycles = 0;
    for (std::size_t k = 0; k <= last; ++k) {
      steps = std::max(steps, a.layers[k].op);
      cycles = std::max(cycles, time.layerStepCycles(k, r[k], time.producerTraffic(k, r.data())));
    }
    return steps * cycles;
  };
  // best[i][G]: the prefix allocation for exactly G crossbars (empty: none).
  std::vector<std::vector<Allocation>> best(n, std::vector<Allocation>(total + 1));
  std::vector<std::vector<std::int64_t>> value(n, std::vector<std::int64_t>(total + 1, -1));
  for (std::size_t i = 0; i < n; ++i)
    for (std::int64_t g = 0; g <= total; ++g)
      for (std::int64_t r = 1; r <= p[i].max_r && r * p[i].fused.set <= g; ++r) {
        const std::int64_t rest = g - r * p[i].fused.set;
        Allocation cand(n, 0);
        if (i > 0) {
          if (value[i - 1][rest] < 0) continue;
          cand = best[i - 1][rest];
        } else if (rest != 0) {
          continue;
        }
        cand[i] = r;
        const std::int64_t v = prefixObjective(cand, i);
        if (value[i][g] < 0 || v < value[i][g]) {
          value[i][g] = v;
          best[i][g] = cand;
        }
      }
  std::int64_t answer = -1;
  for (std::int64_t g = 0; g <= total; ++g)
    if (value[n - 1][g] >= 0 && (answer < 0 || value[n - 1][g] < value[n - 1][answer])) answer = g;
  return best[n - 1][answer];
}

// Budgets from 3 to 60 times what the network needs at R = 1, so that the DP runs from one to
// four bounded passes: the same allocation as the plain table, with and without bandwidth.
TEST(Allocators, DpEqualsAPlainAlgorithmTwoOverLargeBudgets) {
  std::mt19937_64 rng(11);
  const ArchSpec arch = loadArchSpec("isaac-like");
  int compared = 0;
  for (int n = 0; n < 30; ++n) {
    const Network net = testing::randomNetwork(rng, 2 + n % 3);
    const FusedView view(net, 16, 16);
    std::unique_ptr<Problem> p;
    try {
      const Problem probe(net, view, arch, LayerSelection::kAll, 1 << 20);
      const std::int64_t budget = probe.minCrossbars() * (3 + (n * 7) % 58);
      if (budget > 3000) continue;
      p = std::make_unique<Problem>(net, view, arch, LayerSelection::kAll, budget);
    } catch (const Error&) {
      continue;
    }
    for (const bool bw : {false, true}) {
      AllocOptions o;
      o.objective = {StepModel::kAlg1, bw, 0};
      EXPECT_EQ(makeAllocator("dp")->allocate(*p, o).r, plainAlgorithmTwo(*p, bw))
          << "network " << n << " budget " << p->total() << (bw ? " bw" : "");
      ++compared;
    }
  }
  EXPECT_GT(compared, 30);
}

// A chip far larger than the network uses: the same answer as one that just holds the DP's
// answer, for every objective and a beam.
TEST(Allocators, DpAnswerDoesNotDependOnBudgetItCannotUse) {
  const Network net = loadNetwork("lenet");
  const ArchSpec arch = loadArchSpec("isaac-like");
  const FusedView view(net, 128, 128);
  for (const Objective& obj : objectives())
    for (const std::int64_t beam : {1, 3}) {
      AllocOptions o;
      o.objective = obj;
      o.beam = beam;
      const Problem big(net, view, arch, LayerSelection::kAll, std::int64_t{1} << 40);
      const Allocation r = makeAllocator("dp")->allocate(big, o).r;
      const Problem fits(net, view, arch, LayerSelection::kAll, crossbarsUsed(big, r));
      EXPECT_EQ(makeAllocator("dp")->allocate(fits, o).r, r)
          << stepModelName(obj.steps) << (obj.bandwidth ? " bw" : "") << " beam " << beam;
    }
}

// Why Algorithm 2 is not exact: a prefix that is best for its own (layer, budget) state can be
// a worse base for the layers after it than one it displaced, so Algorithm 2 misses the optimum
// that exhaustive search (and the DP with a beam of prefixes) finds.
TEST(Allocators, AlgorithmTwoLacksOptimalSubstructure) {
  std::vector<LayerSpec> l(6);
  const auto conv = [](LayerSpec& s, const char* name, int k, int pad) {
    s.name = name;
    s.type = LayerType::kConv;
    s.out = 1;
    s.kernel = k;
    s.pad = pad;
  };
  const auto pool = [](LayerSpec& s, const char* name, int k) {
    s.name = name;
    s.type = LayerType::kMaxPool;
    s.kernel = k;
    s.stride = 2;
  };
  conv(l[0], "a", 1, 0);
  pool(l[1], "pa", 3);
  conv(l[2], "b", 2, 1);
  conv(l[3], "c", 1, 0);
  pool(l[4], "pc", 2);
  conv(l[5], "d", 1, 0);
  const Network net("counterexample", Shape{1, 10, 10}, l);
  const ArchSpec arch = loadArchSpec("isaac-like");
  const FusedView view(net, 16, 16);
  const Problem p(net, view, arch, LayerSelection::kAll, 8);
  AllocOptions o;
  o.objective = {StepModel::kExact, false, 0};
  const ObjectiveEvaluator eval(p, o.objective);
  const Allocation printed = makeAllocator("dp")->allocate(p, o).r;
  const Allocation best = makeAllocator("exhaustive")->allocate(p, o).r;
  EXPECT_LT(eval(best), eval(printed));
  o.beam = 4;
  EXPECT_EQ(eval(makeAllocator("dp")->allocate(p, o).r), eval(best));
}

TEST(Allocators, AHeuristicThatCannotFitSaysSoWithTheNumbers) {
  const Loaded l({"vgg-a", 2304, 128, LayerSelection::kPaper});
  try {
    makeAllocator("wo-ho")->allocate(l.problem, {});
    FAIL();
  } catch (const AllocationError& e) {
    EXPECT_NE(std::string(e.what()).find("R = 256,64,16,16,4,4,1,1 needs 2592 crossbars but only "
                                         "2304 are available"),
              std::string::npos)
        << e.what();
  }
}

TEST(Allocators, HeuristicsFollowTheirRules) {
  const Loaded vgg({"vgg-a", 4096, 128, LayerSelection::kPaper});
  const Allocation woho = makeAllocator("wo-ho")->allocate(vgg.problem, {}).r;
  EXPECT_EQ(woho, (Allocation{256, 64, 16, 16, 4, 4, 1, 1}));  // k = 1 is the largest that fits
  const Loaded res({"resnet-18", 4096, 128, LayerSelection::kPaper});
  const Allocation sc2 = makeAllocator("sc2")->allocate(res.problem, {}).r;
  // R^(i-1) = Sc_i^2 R^i: stride-2 convs quadruple their producer's R.
  for (std::size_t i = 1; i < res.problem.size(); ++i) {
    const std::int64_t sc = res.problem[i].fused.sc;
    const int q = res.problem[i].primary;
    if (static_cast<std::size_t>(q) == i - 1 && sc2[q] < res.problem[q].max_r) {
      EXPECT_EQ(sc2[q], sc * sc * sc2[i]) << i;
    }
  }
  const Allocation same = makeAllocator("identical")->allocate(res.problem, {}).r;
  for (const std::int64_t r : same) EXPECT_EQ(r, same.front());
  EXPECT_GT(crossbarsUsed(res.problem, same) + res.problem.minCrossbars(), 4096);  // maximal
}

TEST(Allocators, RandomSearchIsSeededAndPrunes) {
  const Loaded l({"alexnet", 2304, 128, LayerSelection::kPaper});
  AllocOptions o;
  o.samples = 300;
  const AllocResult a = makeAllocator("random")->allocate(l.problem, o);
  const AllocResult b = makeAllocator("random")->allocate(l.problem, o);
  EXPECT_EQ(a.r, b.r);
  EXPECT_EQ(a.evaluations, 300);
  o.seed = 99;
  const AllocResult c = makeAllocator("random")->allocate(l.problem, o);
  EXPECT_NE(a.note, c.note);
  EXPECT_THROW(makeAllocator("nonesuch"), ConfigError);
}

}  // namespace
}  // namespace xbarsim
