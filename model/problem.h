// The crossbar-allocation problem as the models and allocators see it: the fused layers to
// allocate (in topological order), how each one's outputs depend on its producers' outputs,
// and the few architecture numbers the inference-time model needs. Built once from a Network,
// its FusedView and an ArchSpec; cheap to query inside allocator loops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "workloads/fused_view.h"

namespace xbarsim {

// Which fused layers get crossbars.
enum class LayerSelection {
  kPaper,  // main-path convolutions (depthwise included), as the paper's Table 2 and experiments
  kAll,    // every layer with static weights: also fc layers and residual shortcut convs
};

LayerSelection parseLayerSelection(const std::string& text);  // "paper" | "all"
const char* layerSelectionName(LayerSelection s);

// A sliding window along both axes, mapping the last output coordinate a consumer needs to the
// last input coordinate it reads (padding is always available, so coordinates clip).
struct Window {
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0;
  std::int64_t in_h = 1, in_w = 1;  // input extent
  // Last input row needed for output rows 0..r (-1: only padding).
  std::int64_t lastRow(std::int64_t r) const;
  std::int64_t lastCol(std::int64_t c) const;
};

// How layer i's outputs depend on one producer's conv outputs: the windows to apply, from the
// consumer's own kernel through glue (pools, adds, concats, unallocated layers) to the
// producer's fused pool.
struct InputPath {
  int producer = -1;  // index into Problem::layers
  std::vector<Window> windows;
};

struct ProblemLayer {
  FusedLayer fused;
  std::vector<InputPath> inputs;  // paths to allocated producers (none: reads the network input)
  std::vector<int> producers;     // distinct producers, ascending
  int primary = -1;               // producer on port 0, Algorithm 1's "layer i-1"
  std::int64_t wp = 1;            // width after the fused pool (Algorithm 1's W_p)
  std::int64_t kc_alg1 = 1, pc_alg1 = 0;  // kernel/padding Algorithm 1 uses (fc: whole input)
  std::int64_t max_r = 1;                 // eq. 5: W_o H_o, and 1 for fc layers
};

class Problem {
 public:
  Problem(const Network& net, const FusedView& view, const ArchSpec& arch, LayerSelection selection,
          std::int64_t total_crossbars);

  const std::vector<ProblemLayer>& layers() const { return layers_; }
  std::size_t size() const { return layers_.size(); }
  const ProblemLayer& operator[](std::size_t i) const { return layers_[i]; }
  std::int64_t total() const { return total_; }
  std::int64_t minCrossbars() const;  // sum of set: every layer at R = 1
  bool isChain() const { return chain_; }
  LayerSelection selection() const { return selection_; }
  const ArchSpec& arch() const { return *arch_; }
  const Network& network() const { return *net_; }
  std::int64_t xbarRows() const { return rows_; }
  std::int64_t inputElements() const { return input_elements_; }  // the network input tensor
  // A mapping that stores layer i's weights in other crossbars than eq. 2's (OU sharing,
  // model/plan.h) sets the logical crossbars one copy takes.
  void setSet(std::size_t i, std::int64_t set) { layers_[i].fused.set = set; }

 private:
  std::vector<ProblemLayer> layers_;
  std::int64_t total_;
  bool chain_ = true;
  LayerSelection selection_;
  const ArchSpec* arch_;
  const Network* net_;
  std::int64_t rows_;
  std::int64_t input_elements_;
};

// One crossbar-set count per allocated layer, in Problem order.
using Allocation = std::vector<std::int64_t>;

// Crossbars an allocation uses: sum of R x set (eq. 3-4).
std::int64_t crossbarsUsed(const Problem& p, const Allocation& r);

// Throws ConfigError naming the layer and numbers if r breaks eq. 3-6 for p.
void checkAllocation(const Problem& p, const Allocation& r);

// Parses "200,50,13,..." with one entry per allocated layer.
Allocation parseAllocation(const Problem& p, const std::string& text);
// The integers of "R1,R2,..." alone (ConfigError for anything else), unchecked.
Allocation parseRList(const std::string& text);

}  // namespace xbarsim
