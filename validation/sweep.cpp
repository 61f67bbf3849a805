#include "validation/sweep.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "io/config_path.h"
#include "io/process.h"
#include "io/strict_map.h"
#include "validation/cluster.h"
#include "validation/task_run.h"

namespace xbarsim::validation {
namespace {

struct CommandInfo {
  std::vector<std::string> figures;  // the default figures
  bool run_file;                     // takes --out RUN.h5
};

const std::map<std::string, CommandInfo>& commands() {
  static const std::map<std::string, CommandInfo> k = {
      {"simulate", {{"cycles", "energy_j"}, true}},
      {"run", {{"simulation.cycles", "simulation.energy_j", "alg1_error_pct"}, true}},
      {"model", {{}, false}},
      {"allocate", {{}, false}},
      {"systolic", {{}, false}},
  };
  return k;
}

// Options a sweep sets itself.
const std::set<std::string>& reserved() {
  static const std::set<std::string> k = {"json", "out", "help", "no-plot"};
  return k;
}

void addOption(std::vector<std::string>& args, const std::string& key, const std::string& value) {
  if (key.rfind("param.", 0) == 0) {
    args.push_back("--param");
    args.push_back(key.substr(6) + "=" + value);
  } else if (value == "true") {
    args.push_back("--" + key);
  } else if (value != "false") {
    args.push_back("--" + key);
    args.push_back(value);
  }
}

std::string oneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// What a failed point said: its last line, without the program's prefix.
std::string failureOf(const ProgramOutput& out) {
  std::string err = out.err;
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  std::string last = err.substr(err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
  for (const std::string prefix : {"xbarsim: error: ", "xbarsim: internal error: "})
    if (last.rfind(prefix, 0) == 0) last = last.substr(prefix.size());
  if (last.empty()) last = "exited with status " + std::to_string(out.status);
  return oneLine(last);
}

// The number at dotted `path` of a command's JSON output.
double figure(const nlohmann::json& j, const std::string& path, const std::string& command) {
  const nlohmann::json* at = &j;
  std::string walked;
  std::istringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '.')) {
    const nlohmann::json* next = nullptr;
    if (at->is_object() && at->contains(part)) {
      next = &(*at)[part];
    } else if (at->is_array() && !part.empty() &&
               part.find_first_not_of("0123456789") == std::string::npos &&
               std::stoull(part) < at->size()) {
      next = &(*at)[std::stoull(part)];
    }
    if (!next) {
      std::string have;
      if (at->is_object())
        for (const auto& [k, v] : at->items())
          have += (have.empty() ? "" : ", ") + k + (v.is_structured() ? "." : "");
      else if (at->is_array())
        have = "indices 0 to " + std::to_string(at->size()) + " - 1";
      throw ConfigError("figure '" + path + "': " + command + "'s output has no '" + part + "'" +
                        (walked.empty() ? "" : " in '" + walked + "'") + " (it has: " + have + ")");
    }
    at = next;
    walked += (walked.empty() ? "" : ".") + part;
  }
  if (at->is_boolean()) return at->get<bool>() ? 1 : 0;
  if (!at->is_number())
    throw ConfigError("figure '" + path + "' of " + command + "'s output is not a number");
  return at->get<double>();
}

std::vector<std::string> scalarList(StrictMap& m, const YAML::Node& n, const std::string& what) {
  std::vector<std::string> out;
  if (n.IsSequence()) {
    for (const YAML::Node& item : n) out.push_back(m.scalarAt(item, what));
  } else {
    out.push_back(m.scalarAt(n, what));
  }
  if (out.empty()) throw m.error(n, "'" + what + "' has no values");
  return out;
}

std::vector<SweepAxis> axesOf(StrictMap& root, const std::string& key, bool single) {
  std::vector<SweepAxis> out;
  if (!root.has(key)) return out;
  const YAML::Node n = root.node(key);
  if (!n.IsMap()) throw root.error(n, "'" + key + "' must be a mapping of option: value");
  for (const auto& kv : n) {
    SweepAxis a{keyText(root.file(), kv.first), scalarList(root, kv.second, key)};
    if (single && a.values.size() != 1)
      throw root.error(kv.second, "'" + key + "." + a.key +
                                      "' takes one value (put options with several in 'axes')");
    out.push_back(std::move(a));
  }
  return out;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv(const Table& t) {
  std::ostringstream out;
  out.precision(17);
  for (std::size_t c = 0; c < t.schema().size(); ++c)
    out << (c ? "," : "") << csvField(t.schema()[c].name);
  out << "\n";
  for (const Row& row : t.rows()) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out << ",";
      if (const auto* s = std::get_if<std::string>(&row[c]))
        out << csvField(*s);
      else if (const auto* d = std::get_if<double>(&row[c]); d && *d != *d)
        out << "";  // NaN: a failed point has no figures
      else
        std::visit([&](const auto& v) { out << v; }, row[c]);
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace

std::size_t SweepSpec::points() const {
  std::size_t n = 1;
  for (const SweepAxis& a : axes) n *= a.values.size();
  return n;
}

std::vector<std::string> SweepSpec::pointValues(std::size_t p) const {
  std::vector<std::string> v(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {
    v[i] = axes[i].values[p % axes[i].values.size()];
    p /= axes[i].values.size();
  }
  return v;
}

std::vector<std::string> SweepSpec::pointArgs(std::size_t p) const {
  std::vector<std::string> args = {command};
  for (const SweepAxis& s : set) addOption(args, s.key, s.values.front());
  const std::vector<std::string> v = pointValues(p);
  for (std::size_t i = 0; i < axes.size(); ++i) addOption(args, axes[i].key, v[i]);
  args.push_back("--json");
  return args;
}

std::string SweepSpec::identity() const {
  std::ostringstream out;
  out << "command: " << command << "\nruns: " << runs << "\n";
  for (const auto* group : {&set, &axes})
    for (const SweepAxis& a : *group) {
      out << (group == &set ? "set " : "axis ") << a.key << ":";
      for (const std::string& v : a.values) out << " " << v;
      out << "\n";
    }
  for (const std::string& f : figures) out << "figure: " << f << "\n";
  return out.str();
}

void SweepSpec::put(SweepAxis a, bool axis) {
  for (auto* group : {&set, &axes})
    group->erase(std::remove_if(group->begin(), group->end(),
                                [&](const SweepAxis& x) { return x.key == a.key; }),
                 group->end());
  (axis ? axes : set).push_back(std::move(a));
}

void SweepSpec::check() {
  const auto it = commands().find(command);
  if (it == commands().end()) {
    std::string known;
    for (const auto& [k, v] : commands()) known += (known.empty() ? "" : ", ") + k;
    throw ConfigError(source + ": a sweep runs one of " + known + ", not '" + command + "'");
  }
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name[0] == '.')
    throw ConfigError(source + ": the sweep's name '" + name +
                      "' names its files, so it must be a plain file name");
  std::set<std::string> seen;
  for (const auto* group : {&set, &axes})
    for (const SweepAxis& a : *group) {
      if (a.key.empty() || a.key[0] == '-' || a.key == "param.")
        throw ConfigError(source + ": '" + a.key +
                          "' is not an option name (write workload, allocator, param.tiles, ...)");
      if (reserved().count(a.key))
        throw ConfigError(source + ": the sweep sets --" + a.key + " itself; remove '" + a.key +
                          "'");
      if (!seen.insert(a.key).second)
        throw ConfigError(source + ": '" + a.key + "' is given twice");
      if (a.values.empty()) throw ConfigError(source + ": '" + a.key + "' has no values");
    }
  if (axes.empty())
    throw ConfigError(source + ": a sweep needs at least one axis (an option with its values)");
  if (figures.empty()) figures = it->second.figures;
  if (figures.empty())
    throw ConfigError(source + ": name the figures to collect from " + command +
                      " --json (e.g. figures: [cycles])");
  if (runs && !it->second.run_file)
    throw ConfigError(source + ": " + command + " writes no run file to keep ('runs')");
  if (plot_x.empty()) plot_x = axes.front().key;
  if (std::none_of(axes.begin(), axes.end(), [&](const SweepAxis& a) { return a.key == plot_x; }))
    throw ConfigError(source + ": the plot's x '" + plot_x + "' is not one of the axes");
}

SweepAxis parseAxis(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw ConfigError("'" + text + "': write KEY=VALUE[,VALUE...] (e.g. param.tiles=32,64)");
  SweepAxis a{text.substr(0, eq), {}};
  std::istringstream values(text.substr(eq + 1));
  std::string v;
  while (std::getline(values, v, ','))
    if (!v.empty()) a.values.push_back(v);
  return a;
}

SweepSpec loadSweep(const std::string& name_or_path) {
  SweepSpec spec;
  spec.source = resolveConfig("sweeps", name_or_path);
  StrictMap root(loadYamlFile(spec.source), spec.source, "sweep");
  spec.name = root.stringOr("name", std::filesystem::path(spec.source).stem().string());
  spec.description = root.stringOr("description", "");
  spec.command = root.stringOr("command", "simulate");
  spec.set = axesOf(root, "set", true);
  spec.axes = axesOf(root, "axes", false);
  if (root.has("figures")) spec.figures = scalarList(root, root.node("figures"), "figures");
  spec.runs = root.flagOr("runs", false);
  if (root.has("plot")) {
    StrictMap plot = root.map("plot");
    spec.plot_x = plot.stringOr("x", "");
    spec.log_x = plot.flagOr("log_x", false);
    plot.finish();
  }
  root.finish();
  spec.check();
  return spec;
}

SweepOutcome runSweep(const SweepSpec& spec, const SweepOptions& options) {
  namespace fs = std::filesystem;
  SweepOutcome outcome;
  const fs::path dir(options.out_dir);
  outcome.h5 = (dir / (spec.name + ".h5")).string();
  outcome.csv = (dir / (spec.name + ".csv")).string();
  outcome.png = (dir / (spec.name + ".png")).string();
  const fs::path runs_dir = dir / (spec.name + "-runs");
  // Points of `run` always write a run file; of simulate only to keep it.
  const bool run_file = spec.runs || spec.command == "run";

  TaskRun run;
  run.label = spec.name;
  run.path = outcome.h5;
  run.identity = spec.identity();
  run.identity_hint = "sweep than '" + spec.name +
                      "' now is (its command, options, axes or figures changed); remove it or "
                      "choose another --out";
  run.schema = {{"task", ColumnType::kInt}};
  for (const SweepAxis& a : spec.axes) run.schema.push_back({a.key, ColumnType::kText});
  for (const std::string& f : spec.figures) run.schema.push_back({f, ColumnType::kReal});
  run.schema.push_back({"error", ColumnType::kText});
  run.schema.push_back({"wall_s", ColumnType::kReal});
  run.schema.push_back({"run_file", ColumnType::kText});
  for (std::size_t p = 0; p < spec.points(); ++p) run.tasks.push_back(static_cast<std::int64_t>(p));
  run.jobs = options.jobs;
  run.progress = options.progress;
  run.compute = [&](std::int64_t task) {
    const std::size_t p = static_cast<std::size_t>(task);
    std::vector<std::string> args = spec.pointArgs(p);
    char stem[32];
    std::snprintf(stem, sizeof stem, "point-%05zu.h5", p);
    const std::string file = run_file ? (runs_dir / stem).string() : "";
    if (run_file) {
      args.insert(args.end(), {"--out", file});
      if (spec.command == "run") args.push_back("--no-plot");
    }
    args.insert(args.begin(), options.program);
    const auto start = std::chrono::steady_clock::now();
    const ProgramOutput out = captureProgram(args);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!out.started) throw Error("cannot run " + options.program);
    Row row = {Value{task}};
    for (const std::string& v : spec.pointValues(p)) row.emplace_back(v);
    std::string error;
    if (out.status != 0) {
      error = failureOf(out);
      for (std::size_t f = 0; f < spec.figures.size(); ++f) row.emplace_back(std::nan(""));
    } else {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(out.out);
      } catch (const nlohmann::json::exception& e) {
        throw Error("point " + std::to_string(p) + ": " + spec.command +
                    " --json printed no JSON (" + e.what() + ")");
      }
      for (const std::string& f : spec.figures) row.emplace_back(figure(j, f, spec.command));
    }
    const bool kept = spec.runs && out.status == 0;
    if (!spec.runs && !file.empty()) fs::remove(file);
    row.emplace_back(error);
    row.emplace_back(wall);
    row.emplace_back(kept ? file : std::string());
    return std::vector<Row>{row};
  };
  run.header = [&](H5Out& out) {
    out.attr("/", "format", std::string("xbarsim-sweep"));
    out.attr("/", "format_version", std::int64_t{1});
    out.attr("/", "name", spec.name);
    out.attr("/", "description", spec.description);
    out.attr("/", "command", spec.command);
    out.attr("/", "source", spec.source);
    out.attr("/plot", "x", spec.plot_x);
    out.attr("/plot", "log_x", std::int64_t{spec.log_x});
    std::vector<std::string> keys, values;
    for (const SweepAxis& a : spec.axes) {
      keys.push_back(a.key);
      std::string joined;
      for (const std::string& v : a.values) joined += (joined.empty() ? "" : ",") + v;
      values.push_back(joined);
    }
    out.column("/axes/key", keys);
    out.column("/axes/values", values);
    out.column("/figures", spec.figures);
    std::vector<std::string> fixed;
    for (const SweepAxis& s : spec.set) fixed.push_back(s.key + "=" + s.values.front());
    out.column("/set", fixed);
  };
  if (cluster().root()) {
    fs::create_directories(dir);
    if (run_file) fs::create_directories(runs_dir);
  }
  TaskRunResult done = runTaskRun(run);
  outcome.root = done.root;
  outcome.total = done.total;
  outcome.resumed = done.resumed;
  outcome.wall_s = done.wall_s;
  if (!done.root) return outcome;
  for (std::size_t r = 0; r < done.points.size(); ++r)
    if (!done.points.text(r, "error").empty()) {
      if (outcome.failed++ == 0)
        outcome.first_failure = "point " + std::to_string(done.points.integer(r, "task")) + ": " +
                                done.points.text(r, "error");
    }
  writeTaskFile(run, done.points, true, done.wall_s);
  writeTextFile(outcome.csv, csv(done.points));
  outcome.points = std::move(done.points);
  outcome.drawn = options.plot && outcome.failed < outcome.total &&
                  runProgram({"/usr/bin/python3", std::string(XBARSIM_TOOLS_DIR) + "/plot_sweep.py",
                              outcome.h5, "-o", outcome.png});
  if (options.plot && !outcome.drawn && outcome.failed < outcome.total)
    std::fprintf(stderr, "xbarsim: warning: could not draw %s\n", outcome.png.c_str());
  return outcome;
}

}  // namespace xbarsim::validation
