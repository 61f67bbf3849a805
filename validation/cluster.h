// The MPI job this process is one rank of, when mpirun or srun started it; otherwise a job of
// one rank. MPI starts on the first call of cluster() and stops when the process exits, so a
// command that never asks (simulate, run, ...) never touches it. Experiments and sweeps shard
// their tasks over the ranks; rank 0 gathers the results and writes every file.
#pragma once

#include <cstdint>
#include <vector>

#include "validation/worker_pool.h"

namespace xbarsim::validation {

class Cluster {
 public:
  virtual ~Cluster() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool root() const { return rank() == 0; }
  // Rank 0's `values` on every rank (collective: every rank calls it).
  virtual std::vector<std::int64_t> broadcast(std::vector<std::int64_t> values) const = 0;
  // Runs `tasks` on every rank (task k on rank k mod size), each rank's share on `jobs` local
  // worker processes. `collect` receives every task's rows on rank 0 only. Throws on rank 0
  // when a task failed on any rank; the other ranks return once their share is sent.
  virtual void runTasks(const std::vector<std::int64_t>& tasks, int jobs,
                        const std::vector<Column>& schema, const TaskFn& compute,
                        const CollectFn& collect) const = 0;
};

const Cluster& cluster();

// Whether an MPI launcher started this process with more than one rank (from its environment).
bool launchedByMpi();

}  // namespace xbarsim::validation
