// The checkpointed task engine: what a failed run keeps, what a rerun computes, and a file
// that does not depend on how many workers computed it.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "io/error.h"
#include "io/h5_file.h"
#include "validation/task_run.h"

namespace xbarsim::validation {
namespace {

namespace fs = std::filesystem;

// Tasks 0..9; task t gives t % 3 + 1 rows of (t, k, t / 7 + k / 3); `fail_at` throws there.
TaskRun run(const std::string& name, int jobs, int* calls, std::int64_t fail_at = -1) {
  TaskRun r;
  r.label = name;
  r.path = (fs::temp_directory_path() / ("xbarsim_taskrun_" + name + ".h5")).string();
  r.identity = "test identity";
  r.identity_hint = "test";
  r.schema = {{"task", ColumnType::kInt}, {"k", ColumnType::kInt}, {"x", ColumnType::kReal}};
  for (std::int64_t t = 0; t < 10; ++t) r.tasks.push_back(t);
  r.jobs = jobs;
  r.progress = false;
  r.compute = [calls, fail_at](std::int64_t t) {
    if (calls) ++*calls;
    if (t == fail_at) throw Error("task " + std::to_string(t) + " fails");
    std::vector<Row> rows;
    for (std::int64_t k = 0; k <= t % 3; ++k)
      rows.push_back({t, k, static_cast<double>(t) / 7 + static_cast<double>(k) / 3});
    return rows;
  };
  r.header = [](H5Out& out) { out.attr("/", "format", std::string("test")); };
  return r;
}

TEST(TaskRun, AFailedRunKeepsWhatFinishedAndTheRerunComputesTheRest) {
  const TaskRun fresh = run("fresh", 1, nullptr);
  fs::remove(fresh.path);
  const TaskRunResult whole = runTaskRun(fresh);
  EXPECT_EQ(whole.points.size(), 19u);  // 4 x 1 + 3 x 2 + 3 x 3

  int calls = 0;
  const TaskRun failing = run("resumed", 1, &calls, 6);
  fs::remove(failing.path);
  EXPECT_THROW(runTaskRun(failing), Error);
  EXPECT_EQ(calls, 7);
  {
    const H5In kept(failing.path);
    EXPECT_EQ(kept.attrInt("/", "complete"), 0);
    EXPECT_EQ(kept.ints("/points/task"),
              (std::vector<std::int64_t>{0, 1, 1, 2, 2, 2, 3, 4, 4, 5, 5, 5}));
  }
  calls = 0;
  const TaskRunResult rest = runTaskRun(run("resumed", 2, &calls));
  EXPECT_EQ(rest.resumed, 6);
  EXPECT_EQ(rest.total, 10);
  EXPECT_EQ(calls, 0);  // computed in the worker processes, not here
  EXPECT_EQ(rest.points.rows(), whole.points.rows());
}

TEST(TaskRun, TheFileDoesNotDependOnTheWorkers) {
  std::vector<std::vector<Row>> tables;
  for (const int jobs : {1, 2, 3}) {
    const TaskRun r = run("jobs" + std::to_string(jobs), jobs, nullptr);
    fs::remove(r.path);
    tables.push_back(runTaskRun(r).points.rows());
    writeTaskFile(r, Table::read(r.path, "/points", r.schema), true, 0);
    EXPECT_EQ(Table::read(r.path, "/points", r.schema).rows(), tables.back());
  }
  EXPECT_EQ(tables[0], tables[1]);
  EXPECT_EQ(tables[0], tables[2]);
  EXPECT_EQ(tables[0].front(), (Row{std::int64_t{0}, std::int64_t{0}, 0.0}));
  EXPECT_EQ(tables[0].back(), (Row{std::int64_t{9}, std::int64_t{0}, 9.0 / 7}));
}

TEST(TaskRun, RefusesAFileOfAnotherIdentity) {
  TaskRun r = run("identity", 1, nullptr);
  fs::remove(r.path);
  runTaskRun(r);
  r.identity = "another";
  r.identity_hint = "thing; remove it";
  try {
    runTaskRun(r);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), r.path + " holds results of a different thing; remove it");
  }
}

}  // namespace
}  // namespace xbarsim::validation
