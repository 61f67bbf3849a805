// Runs an experiment's tasks on every core: J worker processes (fork), each computing its share
// of the tasks and sending result rows to the parent over a pipe, where `collect` receives them
// as they arrive. Processes, not threads, because the SystemC kernel is one per process.
// With jobs = 1 everything runs in this process.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "validation/table.h"

namespace xbarsim::validation {

using TaskFn = std::function<std::vector<Row>(std::int64_t task)>;
using CollectFn = std::function<void(std::int64_t task, std::vector<Row> rows)>;

// Throws Error with the worker's message if a task fails.
void runTasks(const std::vector<std::int64_t>& tasks, int jobs, const std::vector<Column>& schema,
              const TaskFn& compute, const CollectFn& collect);

// The wire form of results, as worker processes and MPI ranks send them: a head line and one
// tab-separated line per row (reals with 17 digits, so they arrive bit for bit).
std::string encodeResult(std::int64_t task, const std::vector<Row>& rows);
std::string encodeFailure(const std::string& message);
struct Message {
  bool failed = false;
  std::string failure;
  std::int64_t task = 0;
  std::vector<Row> rows;
};
// Takes the first whole message off the front of `buffer`; false while there is none.
bool takeMessage(std::string& buffer, const std::vector<Column>& schema, Message& out);

}  // namespace xbarsim::validation
