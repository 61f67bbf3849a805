// Every hardware key takes effect: for each preset, every value in its YAML (each leaf of the
// tree, the `params:` a `${name}` refers to included) is perturbed in turn, down and up
// (quantities by 64, counts by 4 and 2, flags flipped, names swapped for another), and a full
// inference, pipelined or layer-sequential, must change some simulated figure: cycles, energy by
// component, programming, lifespan, or a block's counter. lenet first (fast); keys it does not
// exercise (buffer sizes its small maps never fill, banks its small input does not need) are
// retried on a small network over a 224 x 224 image, whose large maps do. A capacity too small for
// the run is an effect too when the simulator rejects it, with the numbers, while the preset ran. A
// key that appears in several list entries (the banks of a heterogeneous global buffer) takes
// effect if it does in one of them: a bank the run never powers may well not matter.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <functional>
#include <map>
#include <regex>
#include <sstream>

#include "sim/simulator.h"
#include "workloads/fused_view.h"

namespace xbarsim::sim {
namespace {

// A layer-sequential Plan written here (not by a scheduler: the simulator's tests do not link
// them): each weight layer in parts of at most every APU row, written into the first rows
// once the part before has computed; every global-buffer bank holds every layer's data.
Plan writeThenCompute(const Network& net, const ArchSpec& arch) {
  Plan plan;
  plan.mode = "layer-sequential";
  LayerBanks all;
  for (std::size_t b = 0; b < arch.chip.global_buffer.banks.size(); ++b)
    all.input_banks.push_back(static_cast<int>(b));
  std::int32_t last = -1;
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    all.layer = l.spec.name;
    plan.schedule.banks.push_back(all);
    if (l.weights == 0 || l.spec.type == LayerType::kMatmul) continue;
    const int layer = static_cast<int>(plan.layers.size());
    plan.layers.push_back({l.spec.name, v, 1, 1, {}, {}, {}});
    const std::int64_t units = unitsPerCopy(arch, l);
    for (std::int64_t first = 0, part = 0; first < units; first += arch.apuRows(), ++part) {
      SeqOp op;
      op.layer = layer;
      op.part = static_cast<int>(part);
      op.first_unit = first;
      op.units = std::min(arch.apuRows(), units - first);
      for (std::int64_t r = 0; r < op.units; ++r) op.rows.push_back(static_cast<std::int32_t>(r));
      if (last >= 0) op.after = {last};
      plan.schedule.ops.push_back(op);
      op.kind = SeqOp::Kind::kCompute;
      op.after.push_back(static_cast<std::int32_t>(plan.schedule.ops.size() - 1));
      plan.schedule.ops.push_back(op);
      last = static_cast<std::int32_t>(plan.schedule.ops.size() - 1);
    }
  }
  return plan;
}

// What a run produced, as one vector of numbers; empty if the simulator rejected the chip.
// Both execution modes run: pipelined, and layer-sequential (keys only it uses count too).
std::vector<double> fingerprint(const Network& net, const ArchSpec& arch) {
  const FusedView view(net, arch.chip.tile.pe.apu.crossbar.rows,
                       arch.chip.tile.pe.apu.crossbar.cols);
  std::vector<PlanLayer> layers;
  const std::int64_t total = arch.logicalCrossbars();
  std::int64_t sets = 0;
  for (const FusedLayer& f : view.layers()) sets += f.set;
  for (const FusedLayer& f : view.layers()) {
    // Copies in proportion to the chip's crossbars, so that its size matters.
    const std::int64_t r =
        f.isFc() ? 1 : std::clamp<std::int64_t>(total / sets, 1, f.outputPositions());
    layers.push_back({f.name, f.vertex, r, f.set, {}, {}, {}});
  }
  std::vector<double> out;
  for (const bool sequential : {false, true}) {
    SimResult r;
    try {
      r = simulate(net, arch,
                   sequential ? writeThenCompute(net, arch) : placeLayers(arch, layers, "all"), {});
    } catch (const Error&) {
      return {};
    }
    for (const double x :
         {static_cast<double>(r.cycles), r.seconds, r.energy_j, static_cast<double>(r.step_cycles),
          static_cast<double>(r.programming.cycles), static_cast<double>(r.programming.pulses),
          r.programming.energy_j, r.lifespan_programmings})
      out.push_back(x);
    for (const auto& [name, j] : r.energy_by_component) out.push_back(j);
    for (const StatRow& s : r.stats) out.push_back(s.value);
  }
  return out;
}

bool differs(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return true;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::fabs(a[i] - b[i]) > 1e-12 * std::max(std::fabs(a[i]), std::fabs(b[i]))) return true;
  return false;
}

// The value scaled by `factor`: booleans flip, integers stay integers (at least 1), quantities
// keep their unit.
std::string scaled(const std::string& v, double factor) {
  if (v == "true") return "false";
  if (v == "false") return "true";
  // Names from a fixed list: another one.
  static const std::map<std::string, std::string> other{{"bus", "per-layer"},
                                                        {"per-layer", "bus"},
                                                        {"mesh", "bus"},
                                                        {"cmesh", "mesh"},
                                                        {"cut-through", "store-and-forward"}};
  if (other.count(v)) return factor < 1 ? other.at(v) : v;
  static const std::regex number(R"(^([0-9.]+(?:e[0-9+-]+)?)(.*)$)");
  std::smatch m;
  if (!std::regex_match(v, m, number)) return v;
  const double x = std::stod(m[1].str());
  const bool integer = m[2].str().empty() && v.find_first_of(".e") == std::string::npos;
  std::ostringstream os;
  if (integer && x == 0)
    os << (factor < 1 ? 0 : 2);  // a zero (a latency) can only go up
  else if (integer)
    os << std::max<long long>(0, std::llround(x * (factor < 1 ? 0.25 : 2.0)));
  else
    os << x * factor << m[2].str();
  return os.str();
}

// Every scalar leaf: a path of keys and sequence indices.
using Path = std::vector<std::string>;
void leaves(const YAML::Node& n, Path& at, std::vector<Path>& out) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      at.push_back(kv.first.as<std::string>());
      leaves(kv.second, at, out);
      at.pop_back();
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      at.push_back("#" + std::to_string(i));
      leaves(n[i], at, out);
      at.pop_back();
    }
  } else {
    out.push_back(at);
  }
}

YAML::Node at(YAML::Node n, const Path& path) {
  for (const std::string& k : path) n.reset(k[0] == '#' ? n[std::stoi(k.substr(1))] : n[k]);
  return n;
}

// The key a leaf is an instance of: list indices become '*'.
std::string keyOf(const Path& p) {
  std::string s;
  for (const std::string& k : p) s += (s.empty() ? "" : ".") + (k[0] == '#' ? "*" : k);
  return s;
}

class HardwareKeys : public ::testing::TestWithParam<const char*> {};

TEST_P(HardwareKeys, EveryKeyChangesSomeSimulatedFigure) {
  const std::vector<Network> nets = {
      loadNetwork("lenet"),
      parseNetwork("name: wide\ninput: [3, 224, 224]\nlayers:\n"
                   "  - {name: c1, type: conv, out: 32, kernel: 3, stride: 2, pad: 1}\n"
                   "  - {name: c2, type: conv, out: 64, kernel: 3, pad: 1}\n"
                   "  - {name: p, type: maxpool, kernel: 2}\n"
                   "  - {name: c3, type: conv, out: 64, kernel: 3, pad: 1}\n"
                   "  - {name: sum, type: add, inputs: [c3, p]}\n"
                   "  - {name: gap, type: avgpool, global: true}\n"
                   "  - {name: fc, type: fc, out: 10}\n",
                   "wide.yaml")};
  const std::string text = loadArchSpec(GetParam()).yaml_text;
  const YAML::Node doc = YAML::Load(text);
  std::vector<std::vector<double>> base;
  for (const Network& net : nets) {
    base.push_back(fingerprint(net, parseArchSpec(text, GetParam())));
    ASSERT_FALSE(base.back().empty()) << net.name();
  }
  std::vector<Path> paths;
  Path here;
  leaves(doc, here, paths);
  std::map<std::string, bool> effect;  // per key: some instance changed a figure
  for (Path path : paths) {
    if (path[0] == "name" || path[0] == "source" || path[0] == "params") continue;
    // A field that says ${p} is perturbed through its parameter.
    const std::string value = at(YAML::Clone(doc), path).as<std::string>();
    if (value.rfind("${", 0) == 0) path = {"params", value.substr(2, value.size() - 3)};
    bool changed = false;
    for (std::size_t w = 0; w < nets.size() && !changed; ++w)
      for (const double factor : {1.0 / 64, 64.0}) {
        YAML::Node copy = YAML::Clone(doc);
        YAML::Node leaf = at(copy, path);
        const std::string next = scaled(leaf.as<std::string>(), factor);
        if (next == leaf.as<std::string>()) continue;
        leaf = next;
        if (keyOf(path) == "chip.noc.topology") {
          // Another topology does not take this one's keys: keep its bandwidth only.
          YAML::Node noc;
          noc["topology"] = next;
          noc["bandwidth"] = copy["chip"]["noc"]["bandwidth"];
          copy["chip"]["noc"] = noc;
        }
        YAML::Emitter out;
        out << copy;
        ArchSpec perturbed;
        try {
          perturbed = parseArchSpec(out.c_str(), "perturbed.yaml");
        } catch (const Error&) {
          continue;  // not a valid chip that way (e.g. more DACs than rows); try the other way
        }
        changed = differs(base[w], fingerprint(nets[w], perturbed));
        if (changed) break;
      }
    effect[keyOf(path)] = effect[keyOf(path)] || changed;
  }
  EXPECT_GT(effect.size(), 40u);
  std::string list;
  for (const auto& [key, changed] : effect)
    if (!changed) list += " " + key;
  EXPECT_TRUE(list.empty()) << GetParam() << ": keys without effect:" << list;
}

INSTANTIATE_TEST_SUITE_P(Presets, HardwareKeys, ::testing::Values("isaac-like", "isaac", "aras"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s)
                             if (c == '-') c = '_';
                           return s;
                         });

}  // namespace
}  // namespace xbarsim::sim
