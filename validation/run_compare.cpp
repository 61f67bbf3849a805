#include "validation/run_compare.h"

#include <cmath>
#include <map>

#include "io/error.h"
#include "io/h5_file.h"

namespace xbarsim::validation {
namespace {

// The run's totals compared, in this order: attributes of /sim.
struct TotalKey {
  const char* group;
  const char* name;
  const char* unit;
};
constexpr TotalKey kTotals[] = {
    {"/sim", "cycles", "cycles"},
    {"/sim", "seconds", "s"},
    {"/sim", "energy_j", "J"},
    {"/sim", "steps", "steps"},
    {"/sim", "step_cycles", "cycles"},
    {"/sim", "programming_cycles", "cycles"},
    {"/sim", "programming_energy_j", "J"},
    {"/sim", "programming_pulses", "pulses"},
    {"/sim", "messages", "messages"},
    {"/sim", "crossbar_mvms", "MVMs"},
    {"/sim/sequential", "seconds_per_inference", "s"},
    {"/sim/sequential", "inferences_per_s", "1/s"},
    {"/sim/sequential", "energy_write_j", "J"},
    {"/sim/sequential", "pulses", "pulses"},
    {"/estimate", "cycles", "cycles"},
};

struct Layer {
  double end, wait, energy;
};

struct RunData {
  RunHeader header;
  std::map<std::string, double> totals;  // "group@name"
  std::vector<std::string> components;
  std::map<std::string, double> energy;
  std::vector<std::string> order;
  std::map<std::string, Layer> layers;
};

RunData read(const std::string& path) {
  const H5In f(path);
  if (!f.hasAttr("/", "format") || f.attrText("/", "format") != "xbarsim-run")
    throw Error(path +
                ": not an xbarsim run file (written by 'xbarsim simulate --out' or "
                "'xbarsim run')");
  RunData d;
  d.header = {path,
              f.attrText("/meta", "workload"),
              f.attrText("/meta", "arch"),
              f.attrText("/meta", "allocator"),
              f.attrText("/sim", "mode"),
              f.hasAttr("/sim/noc", "topology") ? f.attrText("/sim/noc", "topology") : ""};
  for (const TotalKey& k : kTotals)
    if (f.hasAttr(k.group, k.name))
      d.totals[std::string(k.group) + "@" + k.name] = f.attrReal(k.group, k.name);
  d.components = f.texts("/sim/energy/component");
  const std::vector<double> joules = f.reals("/sim/energy/joules");
  for (std::size_t i = 0; i < d.components.size() && i < joules.size(); ++i)
    d.energy[d.components[i]] = joules[i];
  d.order = f.texts("/sim/layers/name");
  const std::vector<double> end = f.reals("/sim/layers/last_cycle");
  const std::vector<double> wait = f.reals("/sim/layers/input_wait_cycles");
  const std::vector<double> energy = f.reals("/sim/layers/energy_j");
  if (end.size() != d.order.size() || wait.size() != d.order.size() ||
      energy.size() != d.order.size())
    throw Error(path + ": /sim/layers columns differ in length");
  for (std::size_t i = 0; i < d.order.size(); ++i)
    d.layers[d.order[i]] = {end[i], wait[i], energy[i]};
  return d;
}

template <typename Map>
double valueOr(const Map& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? std::nan("") : it->second;
}

// A's names in order, then B's that A lacks.
std::vector<std::string> merged(const std::vector<std::string>& a,
                                const std::vector<std::string>& b,
                                const std::map<std::string, bool>& in_a) {
  std::vector<std::string> out = a;
  for (const std::string& n : b)
    if (!in_a.count(n)) out.push_back(n);
  return out;
}

}  // namespace

RunComparison compareRuns(const std::string& a_path, const std::string& b_path) {
  const RunData a = read(a_path), b = read(b_path);
  RunComparison c;
  c.a = a.header;
  c.b = b.header;
  for (const TotalKey& k : kTotals) {
    const std::string key = std::string(k.group) + "@" + k.name;
    if (!a.totals.count(key) && !b.totals.count(key)) continue;
    const std::string name = std::string(k.group) == "/sim" ? k.name
                             : std::string(k.group) == "/estimate"
                                 ? std::string("model_") + k.name
                                 : std::string("sequential_") + k.name;
    c.totals.push_back({name, k.unit, valueOr(a.totals, key), valueOr(b.totals, key)});
  }
  std::map<std::string, bool> in_a;
  for (const std::string& n : a.components) in_a[n] = true;
  for (const std::string& n : merged(a.components, b.components, in_a))
    c.energy.push_back({n, "J", valueOr(a.energy, n), valueOr(b.energy, n)});
  in_a.clear();
  for (const std::string& n : a.order) in_a[n] = true;
  const double nan = std::nan("");
  for (const std::string& n : merged(a.order, b.order, in_a)) {
    const auto la = a.layers.find(n), lb = b.layers.find(n);
    const bool ha = la != a.layers.end(), hb = lb != b.layers.end();
    c.layers.push_back({n, ha ? la->second.end : nan, hb ? lb->second.end : nan,
                        ha ? la->second.wait : nan, hb ? lb->second.wait : nan,
                        ha ? la->second.energy : nan, hb ? lb->second.energy : nan});
  }
  return c;
}

}  // namespace xbarsim::validation
