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

}  // namespace xbarsim::validation
