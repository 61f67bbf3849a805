#include "validation/perfetto_trace.h"

#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "io/config_path.h"

namespace xbarsim::validation {
namespace {

using nlohmann::json;
using sim::ComponentKind;

// Process ids of the track groups.
constexpr int kLayers = 1, kBlocks = 2, kTiles = 3, kInterconnect = 4, kBanks = 5;

json meta(const char* what, int pid, int tid, const std::string& name) {
  json e = {{"ph", "M"}, {"name", what}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}};
  return e;
}

// Viewers sort tracks by name unless told: processes in the order of their ids, threads in
// the order of theirs (layers in graph order, hardware in index order).
json sortIndex(const char* what, int pid, int tid, int index) {
  return {
      {"ph", "M"}, {"name", what}, {"pid", pid}, {"tid", tid}, {"args", {{"sort_index", index}}}};
}

// Picoseconds as microseconds, exactly: the integer part, then up to six decimals.
void appendMicroseconds(std::string& out, long long ps) {
  if (ps < 0) {
    out += '-';
    ps = -ps;
  }
  out += std::to_string(ps / 1000000);
  long long frac = ps % 1000000;
  if (frac == 0) return;
  char digits[7] = "000000";
  for (int i = 5; i >= 0; --i, frac /= 10) digits[i] = static_cast<char>('0' + frac % 10);
  int n = 6;
  while (digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, static_cast<std::size_t>(n));
}

void appendNumber(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

void writePerfettoTrace(const std::string& path, const RunRecord& run) {
  const sim::SimResult& s = *run.sim;
  const ArchSpec& arch = run.arch ? *run.arch : run.problem->arch();
  // Times in whole picoseconds (the kernel's resolution), written as exact decimal
  // microseconds: a slice's duration is its rounded end less its rounded start, so slices that
  // follow each other on a track (a link's transfers, packed several to a cycle) never overlap
  // by a rounding.
  const double period_ps = static_cast<double>(std::llround(arch.clock_period_s * 1e12));
  const auto ps = [&](double cycle) { return std::llround(cycle * period_ps); };
  const auto at = [&](double cycle) { return static_cast<double>(ps(cycle)) / 1e6; };
  // Pipelined runs program every weight before the inference starts at its cycle 0: programming
  // events stay where they are and the inference follows them on the same axis.
  const bool programmed_first = s.mode == "pipelined";
  const std::int64_t inference_start = programmed_first ? s.programming.cycles : 0;
  const std::size_t components = s.trace_components.size();
  std::int32_t programmer = -1;
  for (std::size_t c = 0; c < components; ++c)
    if (s.trace_components[c] == "chip.write_driver") programmer = static_cast<std::int32_t>(c);
  const auto kindOf = [&](std::int32_t c) {
    return c >= 0 && static_cast<std::size_t>(c) < s.trace_component_kinds.size()
               ? s.trace_component_kinds[static_cast<std::size_t>(c)]
               : ComponentKind::kBlock;
  };
  const auto layerName = [&](std::int32_t l) -> std::string {
    return l >= 0 && static_cast<std::size_t>(l) < s.nodes.size()
               ? s.nodes[static_cast<std::size_t>(l)].name
               : "";
  };

  // The document is written as it goes, one event at a time: a run's trace can hold a million
  // transfers, too many to build as a JSON tree first.
  std::string out = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
  bool first_event = true;
  const auto add = [&](const json& e) {
    if (!first_event) out += ',';
    first_event = false;
    out += e.dump();
  };
  const auto thread = [&](int pid, int tid, const std::string& name) {
    add(meta("thread_name", pid, tid, name));
    add(sortIndex("thread_sort_index", pid, tid, tid));
  };
  for (const auto& [pid, name] :
       std::vector<std::pair<int, const char*>>{{kLayers, "layers"},
                                                {kBlocks, "blocks"},
                                                {kTiles, "tiles"},
                                                {kInterconnect, "interconnect"},
                                                {kBanks, "global buffer"}}) {
    add(meta("process_name", pid, 0, name));
    add(sortIndex("process_sort_index", pid, 0, pid));
  }
  for (std::size_t l = 0; l < s.nodes.size(); ++l)
    thread(kLayers, static_cast<int>(l) + 1, s.nodes[l].name);
  for (std::size_t c = 0; c < components; ++c)
    if (kindOf(static_cast<std::int32_t>(c)) == ComponentKind::kBlock)
      thread(kBlocks, static_cast<int>(c) + 1, s.trace_components[c]);

  // The hardware tracks: links and banks one each, tiles one per layer computing there; in
  // component order (tiles, links and banks in index order as the chip made them).
  std::map<std::pair<std::int32_t, std::int32_t>, int> hardware;  // (component, layer) -> tid
  for (const sim::TraceEvent& e : s.trace) {
    const ComponentKind k = kindOf(e.component);
    if (k != ComponentKind::kBlock)
      hardware.emplace(std::make_pair(e.component, k == ComponentKind::kTile ? e.layer : -1), 0);
  }
  const auto pidOf = [](ComponentKind k) {
    return k == ComponentKind::kTile   ? kTiles
           : k == ComponentKind::kLink ? kInterconnect
           : k == ComponentKind::kBank ? kBanks
                                       : kBlocks;
  };
  std::map<int, int> next_tid;  // per process
  for (auto& [key, tid] : hardware) {
    const int pid = pidOf(kindOf(key.first));
    tid = ++next_tid[pid];
    const std::string layer = layerName(key.second);
    thread(pid, tid,
           s.trace_components[static_cast<std::size_t>(key.first)] +
               (layer.empty() ? "" : " " + layer));
  }

  // Slices: every traced action on its layer's track, or its block's when it has no layer;
  // the hardware's on theirs. Names as JSON strings, escaped once.
  std::vector<std::string> component_text, layer_text;
  for (const std::string& c : s.trace_components) component_text.push_back(json(c).dump());
  for (const sim::NodeResult& n : s.nodes) layer_text.push_back(json(n.name).dump());
  std::vector<std::string> kind_text;
  for (int k = 0; k < sim::kEventKinds; ++k)
    kind_text.push_back(json(sim::eventKindName(static_cast<sim::EventKind>(k))).dump());
  // A pipelined run's programming is traced per physical crossbar, many at once per layer: on
  // the layer's track it is one slice, from its first crossbar's first fetch to its last
  // crossbar's last write, with the crossbars counted.
  struct Programming {
    double from = -1, to = 0;
    std::int64_t crossbars = 0;
  };
  std::vector<Programming> programmed(s.nodes.size());
  for (const sim::TraceEvent& e : s.trace) {
    const bool known = e.component >= 0 && static_cast<std::size_t>(e.component) < components;
    const ComponentKind k = kindOf(e.component);
    const bool programming = programmed_first && e.component == programmer;
    const bool on_layer = e.layer >= 0 && static_cast<std::size_t>(e.layer) < s.nodes.size();
    if (programming && on_layer) {
      Programming& p = programmed[static_cast<std::size_t>(e.layer)];
      p.from = p.from < 0 ? e.start : std::min(p.from, e.start);
      p.to = std::max(p.to, e.end);
      ++p.crossbars;
      continue;
    }
    const double shift = static_cast<double>(programming ? 0 : inference_start);
    const double start = e.start + shift;
    const long long from = ps(start), to = ps(e.end + shift);
    int pid = kLayers, tid = 0;
    if (k == ComponentKind::kBlock) {
      pid = on_layer ? kLayers : kBlocks;
      tid = (on_layer ? e.layer : e.component) + 1;
    } else {
      pid = pidOf(k);
      tid = hardware.at(std::make_pair(e.component, k == ComponentKind::kTile ? e.layer : -1));
    }
    out += first_event ? "{\"ph\":\"X\",\"name\":" : ",{\"ph\":\"X\",\"name\":";
    first_event = false;
    // A link carries transfers only: its slices are named after the layer that sent them.
    if (k == ComponentKind::kLink && on_layer)
      out += layer_text[static_cast<std::size_t>(e.layer)];
    else
      out += kind_text[static_cast<std::size_t>(e.kind)];
    out += ",\"cat\":\"";
    out += programming ? "programming" : sim::isStall(e.kind) ? "stall" : "inference";
    out += "\",\"ts\":";
    appendMicroseconds(out, from);
    out += ",\"dur\":";
    appendMicroseconds(out, std::max(0LL, to - from));
    out += ",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid);
    out += ",\"args\":{\"block\":";
    out += known ? component_text[static_cast<std::size_t>(e.component)] : "\"?\"";
    out += ",\"start_cycle\":";
    appendNumber(out, start);
    if (k != ComponentKind::kBlock) {
      if (on_layer) out += ",\"layer\":" + layer_text[static_cast<std::size_t>(e.layer)];
      if (k == ComponentKind::kTile) {
        out += ",\"crossbars\":" + std::to_string(e.amount);
        out += ",\"positions\":" + std::to_string(e.positions);
      } else {
        out += ",\"bytes\":" + std::to_string(e.amount);
      }
    }
    out += "}}";
  }
  for (std::size_t l = 0; l < programmed.size(); ++l) {
    const Programming& p = programmed[l];
    if (p.crossbars == 0) continue;
    add({{"ph", "X"},
         {"name", "program"},
         {"cat", "programming"},
         {"ts", at(p.from)},
         {"dur", static_cast<double>(ps(p.to) - ps(p.from)) / 1e6},
         {"pid", kLayers},
         {"tid", static_cast<int>(l) + 1},
         {"args",
          {{"block", "chip.write_driver"}, {"start_cycle", p.from}, {"crossbars", p.crossbars}}}});
  }
  // Each layer's span, its first to its last cycle, around its actions and stalls, with its
  // wait totals.
  for (std::size_t l = 0; l < s.nodes.size(); ++l) {
    const sim::NodeResult& n = s.nodes[l];
    if (n.last_cycle <= n.first_cycle) continue;
    const auto first = static_cast<double>(n.first_cycle + inference_start);
    const auto last = static_cast<double>(n.last_cycle + inference_start);
    add({{"ph", "X"},
         {"name", n.name},
         {"cat", "layer"},
         {"ts", at(first)},
         {"dur", static_cast<double>(ps(last) - ps(first)) / 1e6},
         {"pid", kLayers},
         {"tid", static_cast<int>(l) + 1},
         {"args",
          {{"hardware", n.hardware},
           {"input_wait_cycles", n.input_wait_cycles},
           {"backpressure_cycles", n.backpressure_cycles},
           {"energy_j", n.energy_j}}}});
  }
  // Counters: per built tile its utilisation and input-buffer occupancy, per link its
  // utilisation, and the interconnect's bytes, one value per time-series bin up to the end of
  // the inference, where each drops to zero.
  const auto counter = [&](int pid, const std::string& name, const std::string& series,
                           const std::vector<double>& values) {
    const auto sample = [&](std::int64_t cycle, double value) {
      add({{"ph", "C"},
           {"name", name},
           {"pid", pid},
           {"tid", 0},
           {"ts", at(static_cast<double>(cycle + inference_start))},
           {"args", {{series, value}}}});
    };
    for (std::size_t b = 0; b < values.size(); ++b) {
      const std::int64_t from = static_cast<std::int64_t>(b) * s.bin_cycles;
      if (from >= s.cycles) break;
      sample(from, values[b]);
    }
    sample(s.cycles, 0);
  };
  for (std::size_t t = 0; t < s.tile_index.size(); ++t) {
    const std::string tile = "tile " + std::to_string(s.tile_index[t]);
    if (t < s.tile_utilisation.size())
      counter(kTiles, tile + " utilisation", "fraction", s.tile_utilisation[t]);
    if (t < s.input_buffer_occupancy.size())
      counter(kTiles, tile + " input buffer", "bytes", s.input_buffer_occupancy[t]);
  }
  for (std::size_t k = 0; k < s.noc_links.size() && k < s.noc_link_utilisation.size(); ++k)
    counter(kInterconnect, s.noc_links[k].name + " utilisation", "fraction",
            s.noc_link_utilisation[k]);
  counter(kInterconnect, "interconnect bytes", "bytes", s.noc_bytes);

  const json other = {{"workload", run.network->name()},
                      {"arch", arch.name},
                      {"mode", s.mode},
                      {"topology", s.topology},
                      {"clock_period_s", arch.clock_period_s},
                      {"programming_cycles", s.programming.cycles},
                      {"inference_cycles", s.cycles},
                      {"hardware_events_dropped", s.trace_dropped}};
  out += "],\"otherData\":" + other.dump() + "}\n";
  prepareOutput(path, true);
  writeTextFile(path, out);
}

}  // namespace xbarsim::validation
