#include "validation/experiment.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "io/config_path.h"
#include "io/process.h"
#include "io/strict_map.h"
#include "validation/cluster.h"
#include "validation/task_run.h"

namespace xbarsim::validation {
namespace {

constexpr std::int64_t kTaskStride = std::int64_t{1} << 32;

std::vector<Column> pointSchema(const Kind& kind) {
  std::vector<Column> s = {{"task", ColumnType::kInt}, {"case", ColumnType::kInt}};
  for (const Column& c : kind.pointColumns()) s.push_back(c);
  return s;
}

// A list value or a single value of an integer/real key, for case expansion.
template <typename T, typename Read>
std::vector<T> listOr(StrictMap& m, const std::string& key, T fallback, Read read) {
  if (!m.has(key)) return {fallback};
  const YAML::Node n = m.node(key);
  std::vector<T> out;
  if (n.IsSequence()) {
    for (const auto& item : n) out.push_back(read(item));
  } else {
    out.push_back(read(n));
  }
  return out;
}

std::string identity(const ExperimentConfig& cfg) {
  return cfg.yaml_text + "\n# samples: " + std::to_string(cfg.samples);
}

}  // namespace

std::vector<Column> caseSchema() {
  return {{"workload", ColumnType::kText}, {"layers", ColumnType::kText},
          {"crossbars", ColumnType::kInt}, {"xbar", ColumnType::kInt},
          {"bandwidth", ColumnType::kInt}, {"tiles", ColumnType::kInt},
          {"scale", ColumnType::kReal},    {"paper_seconds", ColumnType::kReal},
          {"topology", ColumnType::kText}};
}

std::map<std::string, std::unique_ptr<Kind>>& kindRegistry() {
  static std::map<std::string, std::unique_ptr<Kind>> registry;
  return registry;
}

bool registerKind(const std::string& name, std::unique_ptr<Kind> kind) {
  kindRegistry()[name] = std::move(kind);
  return true;
}

const Kind& findKind(const std::string& name) {
  const auto it = kindRegistry().find(name);
  if (it == kindRegistry().end()) {
    std::string known;
    for (const auto& k : kindRegistry()) known += (known.empty() ? "" : ", ") + k.first;
    throw ConfigError("no experiment kind '" + name + "' (kinds: " + known + ")");
  }
  return *it->second;
}

ExperimentConfig loadExperiment(const std::string& name_or_path) {
  ExperimentConfig cfg;
  cfg.path = resolveConfig("experiments", name_or_path);
  cfg.yaml_text = readTextFile(cfg.path);
  StrictMap root(loadYamlText(cfg.yaml_text, cfg.path), cfg.path, "experiment");
  cfg.name = root.string("name");
  cfg.kind = root.string("kind");
  findKind(cfg.kind);
  cfg.paper = root.stringOr("paper", "");
  cfg.description = root.stringOr("description", "");
  cfg.arch = root.stringOr("arch", "isaac-like");
  cfg.seed = static_cast<std::uint64_t>(root.integerOr("seed", 1, 0));
  cfg.samples = root.integerOr("samples", 0, 0);
  cfg.sim_samples = root.integerOr("sim_samples", 0, 0);
  cfg.baseline_arch = root.stringOr("baseline_arch", cfg.arch);
  cfg.reference = root.stringOr("reference", "");
  cfg.cases = Table(caseSchema());
  const YAML::Node list = root.sequence("cases");
  for (std::size_t i = 0; i < list.size(); ++i) {
    StrictMap c(list[i], cfg.path, "cases[" + std::to_string(i) + "]");
    const std::string workload = c.string("workload");
    const std::string layers = c.stringOr("layers", "paper");
    const auto ints = [&](const YAML::Node& n) { return c.integerAt(n, "cases value", 1); };
    const auto reals = [&](const YAML::Node& n) { return n.as<double>(); };
    const std::vector<std::int64_t> crossbars = listOr<std::int64_t>(c, "crossbars", 0, ints);
    const std::vector<std::int64_t> tiles = listOr<std::int64_t>(c, "tiles", 0, ints);
    const std::vector<double> scales = listOr<double>(c, "scale", 1.0, reals);
    const std::int64_t xbar = c.integerOr("xbar", 128);
    const std::vector<std::int64_t> bandwidths =
        c.has("bandwidth") ? std::vector<std::int64_t>{c.flagOr("bandwidth", false)}
                           : std::vector<std::int64_t>{0};
    const double paper_seconds = c.has("paper_seconds") ? c.number("paper_seconds") : 0.0;
    // The interconnect: the arch's own, or each named topology in turn.
    const std::vector<std::string> topologies = listOr<std::string>(
        c, "topology", "", [&](const YAML::Node& n) { return n.as<std::string>(); });
    c.finish();
    for (const std::string& topology : topologies)
      for (const std::int64_t x : crossbars)
        for (const std::int64_t t : tiles)
          for (const double s : scales)
            for (const std::int64_t b : bandwidths)
              cfg.cases.add(
                  {workload, layers, x > 0 ? x : t * 72, xbar, b, t, s, paper_seconds, topology});
  }
  root.finish();
  return cfg;
}

Outcome runExperiment(ExperimentConfig cfg, const RunOptions& options) {
  const Kind& kind = findKind(cfg.kind);
  if (options.samples >= 0) cfg.samples = options.samples;
  Outcome outcome;
  outcome.h5 = (std::filesystem::path(options.out_dir) / (cfg.name + ".h5")).string();
  outcome.png = (std::filesystem::path(options.out_dir) / (cfg.name + ".png")).string();
  outcome.markdown = (std::filesystem::path(options.out_dir) / (cfg.name + ".md")).string();

  TaskRun run;
  run.label = cfg.name;
  run.path = outcome.h5;
  run.identity = identity(cfg);
  run.identity_hint = "configuration of '" + cfg.name +
                      "' (or --samples); remove it or choose "
                      "another --out";
  run.schema = pointSchema(kind);
  for (std::size_t c = 0; c < cfg.cases.size(); ++c)
    for (std::int64_t k = 0; k < kind.tasksPerCase(cfg, c); ++k)
      run.tasks.push_back(static_cast<std::int64_t>(c) * kTaskStride + k);
  run.jobs = options.jobs;
  run.progress = options.progress;
  run.compute = [&](std::int64_t id) {
    const std::size_t c = static_cast<std::size_t>(id / kTaskStride);
    std::vector<Row> rows = kind.compute(cfg, c, id % kTaskStride);
    for (Row& row : rows) {
      row.insert(row.begin(), Value{static_cast<std::int64_t>(c)});
      row.insert(row.begin(), Value{id});
    }
    return rows;
  };
  run.header = [&](H5Out& out) {
    out.attr("/", "format", std::string("xbarsim-experiment"));
    out.attr("/", "format_version", std::int64_t{1});
    out.attr("/", "experiment", cfg.name);
    out.attr("/", "kind", cfg.kind);
    out.attr("/", "paper", cfg.paper);
    out.attr("/", "seed", static_cast<std::int64_t>(cfg.seed));
    out.attr("/", "samples", cfg.samples);
    out.text("/config_yaml", cfg.yaml_text);
    cfg.cases.write(out, "/cases");
  };
  if (cluster().root()) std::filesystem::create_directories(options.out_dir);
  const TaskRunResult done = runTaskRun(run);
  outcome.tasks = done.total;
  outcome.resumed = done.resumed;
  outcome.wall_s = done.wall_s;
  outcome.root = done.root;
  if (!done.root) return outcome;

  const Table summary = kind.summary(cfg, done.points);
  writeTaskFile(run, done.points, true, outcome.wall_s, [&](H5Out& out) {
    if (!summary.schema().empty()) summary.write(out, "/summary");
  });
  if (options.plot &&
      !runProgram({"/usr/bin/python3", std::string(XBARSIM_TOOLS_DIR) + "/plot_validation.py",
                   outcome.h5, "-o", outcome.png}))
    std::fprintf(stderr, "xbarsim: warning: could not draw %s\n", outcome.png.c_str());
  std::string md = kind.report(cfg, done.points, summary, "results/" + cfg.name + ".png");
  char line[160];
  std::snprintf(
      line, sizeof line,
      "\n*%lld tasks, wall time %s on this machine (2 cores)%s; data: `results/%s.h5`.*\n",
      static_cast<long long>(outcome.tasks), duration(outcome.wall_s).c_str(),
      outcome.resumed > 0 && outcome.resumed < outcome.tasks ? ", over more than one session" : "",
      cfg.name.c_str());
  writeTextFile(outcome.markdown, md + line);
  return outcome;
}

void writeReport(const std::string& report_path, const std::string& out_dir,
                 const std::vector<std::string>& names) {
  std::ostringstream out;
  out << "# Validation report\n\n"
         "Generated by `xbarsim validate` from the experiments in `configs/experiments/`; each "
         "section is rewritten when its experiment runs. Figures and HDF5 data are in "
         "`results/`. Unless a section names another, the paper is W. Li, Y. Han, X. "
         "Chen, "
         "\"Mathematical Framework for Optimizing Crossbar Allocation for ReRAM-based CNN "
         "Accelerators\", ACM TODAES 2024 (section 4).\n";
  for (const std::string& n : names) {
    const auto md = std::filesystem::path(out_dir) / (n + ".md");
    if (!std::filesystem::exists(md)) continue;
    out << "\n" << readTextFile(md.string());
  }
  writeTextFile(report_path, out.str());
}

}  // namespace xbarsim::validation
