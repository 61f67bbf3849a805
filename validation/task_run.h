// A checkpointed, resumable run of independent tasks, the engine under `validate` and `sweep`:
// the tasks run on every core (and every MPI rank), the results go to one HDF5 file that is
// rewritten whole every few seconds (so an interrupted run leaves a readable file), and a rerun
// with the same identity computes only the tasks the file lacks. Results are ordered by task,
// so the file does not depend on how many processes or ranks computed it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "validation/table.h"
#include "validation/worker_pool.h"

namespace xbarsim::validation {

struct TaskRun {
  std::string label;                // names the run in the progress line and in errors
  std::string path;                 // the HDF5 file
  std::string identity;             // what a file must hold to be resumed
  std::string identity_hint;        // how to get a matching file, for the error message
  std::vector<Column> schema;       // the rows' columns; the first is the int "task"
  std::vector<std::int64_t> tasks;  // every task of the run
  int jobs = 1;
  bool progress = true;
  TaskFn compute;  // a task's rows, each starting with the task's id
  // Writes the file's own groups and attributes (all but /identity, /points and the root's
  // `complete` and `wall_s`, which the run writes).
  std::function<void(H5Out&)> header;
};

struct TaskRunResult {
  bool root = true;  // false on MPI ranks other than 0, which hold no results
  Table points;      // every task's rows, by task
  std::int64_t total = 0, resumed = 0;
  double wall_s = 0;  // over every session of this run
};

// Runs the tasks the file lacks and writes it, marked incomplete; the caller finishes it with
// writeTaskFile(..., true, ...) once it has added what depends on every result.
TaskRunResult runTaskRun(const TaskRun& run);

// Writes the whole file; `extra` adds groups computed from the results (a summary).
void writeTaskFile(const TaskRun& run, const Table& points, bool complete, double wall_s,
                   const std::function<void(H5Out&)>& extra = {});

// 75 -> "1m15s".
std::string duration(double seconds);

}  // namespace xbarsim::validation
