#include "validation/perfetto_trace.h"

#include <nlohmann/json.hpp>

#include "io/config_path.h"

namespace xbarsim::validation {
namespace {

using nlohmann::json;

// Process ids of the track groups.
constexpr int kLayers = 1, kBlocks = 2, kTiles = 3, kInterconnect = 4;

json meta(const char* what, int pid, int tid, const std::string& name) {
  json e = {{"ph", "M"}, {"name", what}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}};
  return e;
}

}  // namespace

void writePerfettoTrace(const std::string& path, const RunRecord& run) {
  const sim::SimResult& s = *run.sim;
  const ArchSpec& arch = run.arch ? *run.arch : run.problem->arch();
  const double us_per_cycle = arch.clock_period_s * 1e6;
  // Pipelined runs program every weight before the inference starts at its cycle 0: programming
  // events stay where they are and the inference follows them on the same axis.
  const bool programmed_first = s.mode == "pipelined";
  const std::int64_t inference_start = programmed_first ? s.programming.cycles : 0;
  std::int32_t programmer = -1;
  for (std::size_t c = 0; c < s.trace_components.size(); ++c)
    if (s.trace_components[c] == "chip.write_driver") programmer = static_cast<std::int32_t>(c);
  const auto at = [&](std::int64_t cycle) { return static_cast<double>(cycle) * us_per_cycle; };

  json events = json::array();
  events.push_back(meta("process_name", kLayers, 0, "layers"));
  events.push_back(meta("process_name", kBlocks, 0, "blocks"));
  events.push_back(meta("process_name", kTiles, 0, "tiles"));
  events.push_back(meta("process_name", kInterconnect, 0, "interconnect"));
  for (std::size_t l = 0; l < s.nodes.size(); ++l)
    events.push_back(meta("thread_name", kLayers, static_cast<int>(l) + 1, s.nodes[l].name));
  for (std::size_t c = 0; c < s.trace_components.size(); ++c)
    events.push_back(meta("thread_name", kBlocks, static_cast<int>(c) + 1, s.trace_components[c]));

  // Slices: every traced action on its layer's track, or its block's when it has no layer.
  for (const sim::TraceEvent& e : s.trace) {
    const bool programming = programmed_first && e.component == programmer;
    const bool stall = e.kind >= sim::EventKind::kInputWait;
    const std::int64_t shift = programming ? 0 : inference_start;
    const bool on_layer = e.layer >= 0 && static_cast<std::size_t>(e.layer) < s.nodes.size();
    const std::string block = static_cast<std::size_t>(e.component) < s.trace_components.size()
                                  ? s.trace_components[static_cast<std::size_t>(e.component)]
                                  : "?";
    events.push_back({{"ph", "X"},
                      {"name", sim::eventKindName(e.kind)},
                      {"cat", programming ? "programming"
                              : stall     ? "stall"
                                          : "inference"},
                      {"ts", at(e.start + shift)},
                      {"dur", at(e.end - e.start)},
                      {"pid", on_layer ? kLayers : kBlocks},
                      {"tid", (on_layer ? e.layer : e.component) + 1},
                      {"args", {{"block", block}, {"start_cycle", e.start + shift}}}});
  }
  // Each layer's span, its first to its last cycle, around its actions and stalls, with its
  // wait totals.
  for (std::size_t l = 0; l < s.nodes.size(); ++l) {
    const sim::NodeResult& n = s.nodes[l];
    if (n.last_cycle <= n.first_cycle) continue;
    events.push_back({{"ph", "X"},
                      {"name", n.name},
                      {"cat", "layer"},
                      {"ts", at(n.first_cycle + inference_start)},
                      {"dur", at(n.last_cycle - n.first_cycle)},
                      {"pid", kLayers},
                      {"tid", static_cast<int>(l) + 1},
                      {"args",
                       {{"hardware", n.hardware},
                        {"input_wait_cycles", n.input_wait_cycles},
                        {"backpressure_cycles", n.backpressure_cycles},
                        {"energy_j", n.energy_j}}}});
  }
  // Counters: per built tile its utilisation and input-buffer occupancy, per link its
  // utilisation, and the interconnect's bytes, one value per time-series bin.
  const auto counter = [&](int pid, const std::string& name, const std::string& series,
                           const std::vector<double>& values) {
    for (std::size_t b = 0; b < values.size(); ++b)
      events.push_back({{"ph", "C"},
                        {"name", name},
                        {"pid", pid},
                        {"tid", 0},
                        {"ts", at(static_cast<std::int64_t>(b) * s.bin_cycles + inference_start)},
                        {"args", {{series, values[b]}}}});
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

  const json doc = {{"displayTimeUnit", "ns"},
                    {"traceEvents", events},
                    {"otherData",
                     {{"workload", run.network->name()},
                      {"arch", arch.name},
                      {"mode", s.mode},
                      {"topology", s.topology},
                      {"clock_period_s", arch.clock_period_s},
                      {"programming_cycles", s.programming.cycles},
                      {"inference_cycles", s.cycles}}}};
  prepareOutput(path, true);
  writeTextFile(path, doc.dump() + "\n");
}

}  // namespace xbarsim::validation
