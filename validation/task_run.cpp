#include "validation/task_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "io/error.h"
#include "validation/cluster.h"

namespace xbarsim::validation {
namespace {

constexpr std::int64_t kStopped = -1;  // broadcast instead of the task list when rank 0 failed

struct Stored {
  bool exists = false;
  double wall_s = 0;
  Table points;
};

Stored readStored(const TaskRun& run) {
  Stored s;
  if (!std::filesystem::exists(run.path)) return s;
  try {
    const H5In f(run.path);
    if (f.text("/identity") != run.identity)
      throw ConfigError(run.path + " holds results of a different " + run.identity_hint);
    s.wall_s = f.attrReal("/", "wall_s");
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw ConfigError(std::string(e.what()) + ": not a results file of " + run.label +
                      "; remove it to start over");
  }
  s.exists = true;
  s.points = Table::read(run.path, "/points", run.schema);
  return s;
}

// The stored rows and the new ones, by task (a stable sort keeps a task's rows in order).
Table byTask(const Table& t) {
  std::vector<std::size_t> order(t.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return t.integer(a, "task") < t.integer(b, "task");
  });
  Table sorted(t.schema());
  for (const std::size_t i : order) sorted.add(t.rows()[i]);
  return sorted;
}

}  // namespace

std::string duration(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) % 3600 / 60);
  return buf;
}

void writeTaskFile(const TaskRun& run, const Table& points, bool complete, double wall_s,
                   const std::function<void(H5Out&)>& extra) {
  H5Out out(run.path);
  run.header(out);
  out.attr("/", "complete", std::int64_t{complete});
  out.attr("/", "wall_s", wall_s);
  out.text("/identity", run.identity);
  points.write(out, "/points");
  if (extra) extra(out);
  out.commit();
}

TaskRunResult runTaskRun(const TaskRun& run) {
  const Cluster& ranks = cluster();
  TaskRunResult result;
  result.root = ranks.root();
  result.total = static_cast<std::int64_t>(run.tasks.size());
  Stored stored;
  std::vector<std::int64_t> todo;
  if (ranks.root()) {
    try {
      stored = readStored(run);
    } catch (...) {
      ranks.broadcast({kStopped});
      throw;
    }
    std::set<std::int64_t> done;
    for (std::size_t r = 0; r < stored.points.size(); ++r)
      done.insert(stored.points.integer(r, "task"));
    for (const std::int64_t t : run.tasks)
      if (!done.count(t)) todo.push_back(t);
  }
  todo = ranks.broadcast(todo);
  if (todo.size() == 1 && todo.front() == kStopped)
    throw Error(run.label + ": rank 0 stopped (its message says why)");
  result.resumed = result.total - static_cast<std::int64_t>(todo.size());
  Table points = stored.exists ? stored.points : Table(run.schema);

  const auto start = std::chrono::steady_clock::now();
  auto last_save = start, last_print = start;
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::int64_t finished = 0;
  const auto collect = [&](std::int64_t, std::vector<Row> rows) {
    for (Row& row : rows) points.add(std::move(row));
    ++finished;
    const auto now = std::chrono::steady_clock::now();
    if (run.progress && now - last_print > std::chrono::milliseconds(500)) {
      last_print = now;
      const double rate = static_cast<double>(finished) / std::max(elapsed(), 1e-9);
      const std::int64_t have = result.resumed + finished;
      std::fprintf(
          stderr, "\r%s: %lld/%lld tasks (%.0f%%), ETA %s   ", run.label.c_str(),
          static_cast<long long>(have), static_cast<long long>(result.total),
          100.0 * static_cast<double>(have) / static_cast<double>(result.total),
          duration(static_cast<double>(static_cast<std::int64_t>(todo.size()) - finished) / rate)
              .c_str());
    }
    if (now - last_save > std::chrono::seconds(10)) {
      last_save = now;
      writeTaskFile(run, points, false, stored.wall_s + elapsed());
    }
  };
  try {
    ranks.runTasks(todo, run.jobs, run.schema, run.compute, collect);
  } catch (...) {
    // Keep what did finish: the rerun resumes from it.
    if (ranks.root()) writeTaskFile(run, byTask(points), false, stored.wall_s + elapsed());
    throw;
  }
  if (!ranks.root()) return result;
  if (run.progress) std::fprintf(stderr, "\r%*s\r", 70, "");
  if (finished != static_cast<std::int64_t>(todo.size()))
    throw Error(run.label + ": " + std::to_string(finished) + " of " + std::to_string(todo.size()) +
                " tasks reported a result; the file stays incomplete (rerun to resume)");
  result.wall_s = stored.wall_s + elapsed();
  result.points = byTask(points);
  writeTaskFile(run, result.points, false, result.wall_s);
  return result;
}

}  // namespace xbarsim::validation
