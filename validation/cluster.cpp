#include "validation/cluster.h"

#include <mpi.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "io/error.h"

namespace xbarsim::validation {
namespace {

enum Tag : int { kResult = 1, kFailure = 2, kDone = 3 };

// A process started alone.
class Solo : public Cluster {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::int64_t> broadcast(std::vector<std::int64_t> values) const override {
    return values;
  }
  void runTasks(const std::vector<std::int64_t>& tasks, int jobs, const std::vector<Column>& schema,
                const TaskFn& compute, const CollectFn& collect) const override {
    validation::runTasks(tasks, jobs, schema, compute, collect);
  }
};

void check(int code, const char* what) {
  if (code != MPI_SUCCESS)
    throw Error(std::string("MPI: ") + what + " failed (code " + std::to_string(code) + ")");
}

class Mpi : public Cluster {
 public:
  Mpi() {
    int ready = 0;
    check(MPI_Initialized(&ready), "MPI_Initialized");
    if (!ready) check(MPI_Init(nullptr, nullptr), "MPI_Init");
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  }
  ~Mpi() override {
    int done = 0;
    MPI_Finalized(&done);
    if (!done) MPI_Finalize();
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::int64_t> broadcast(std::vector<std::int64_t> values) const override {
    std::int64_t n = static_cast<std::int64_t>(values.size());
    check(MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
    values.resize(static_cast<std::size_t>(n));
    if (n > 0)
      check(MPI_Bcast(values.data(), static_cast<int>(n), MPI_INT64_T, 0, MPI_COMM_WORLD),
            "MPI_Bcast");
    return values;
  }

  void runTasks(const std::vector<std::int64_t>& tasks, int jobs, const std::vector<Column>& schema,
                const TaskFn& compute, const CollectFn& collect) const override {
    std::vector<std::int64_t> share;
    for (std::size_t k = static_cast<std::size_t>(rank_); k < tasks.size();
         k += static_cast<std::size_t>(size_))
      share.push_back(tasks[k]);
    if (root())
      gather(share, jobs, schema, compute, collect);
    else
      send(share, jobs, schema, compute);
  }

 private:
  // Rank 0: its own share, taking the other ranks' messages as they come.
  void gather(const std::vector<std::int64_t>& share, int jobs, const std::vector<Column>& schema,
              const TaskFn& compute, const CollectFn& collect) const {
    int running = size_ - 1;
    std::string failure;
    const auto take = [&](bool wait) {
      while (running > 0) {
        int waiting = 0;
        MPI_Status st;
        if (wait)
          check(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "MPI_Probe");
        else
          check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &st),
                "MPI_Iprobe");
        if (!wait && !waiting) return;
        int bytes = 0;
        MPI_Get_count(&st, MPI_CHAR, &bytes);
        std::string text(static_cast<std::size_t>(bytes), '\0');
        check(MPI_Recv(text.data(), bytes, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
                       MPI_STATUS_IGNORE),
              "MPI_Recv");
        if (st.MPI_TAG == kDone) {
          --running;
          continue;
        }
        Message m;
        while (takeMessage(text, schema, m)) {
          if (m.failed && failure.empty())
            failure = "rank " + std::to_string(st.MPI_SOURCE) + ": " + m.failure;
          else if (!m.failed)
            collect(m.task, std::move(m.rows));
        }
      }
    };
    try {
      validation::runTasks(share, jobs, schema, compute, [&](std::int64_t t, std::vector<Row> r) {
        collect(t, std::move(r));
        take(false);
      });
    } catch (const std::exception& e) {
      failure = std::string("rank 0: ") + e.what();
    }
    take(true);
    if (!failure.empty()) throw Error("a task failed: " + failure);
  }

  // Every other rank: its share, each result sent to rank 0 as it is done.
  void send(const std::vector<std::int64_t>& share, int jobs, const std::vector<Column>& schema,
            const TaskFn& compute) const {
    std::vector<std::unique_ptr<std::string>> buffers;
    std::vector<MPI_Request> requests;
    const auto post = [&](std::string text, int tag) {
      buffers.push_back(std::make_unique<std::string>(std::move(text)));
      requests.emplace_back();
      check(MPI_Isend(buffers.back()->data(), static_cast<int>(buffers.back()->size()), MPI_CHAR, 0,
                      tag, MPI_COMM_WORLD, &requests.back()),
            "MPI_Isend");
    };
    try {
      validation::runTasks(share, jobs, schema, compute, [&](std::int64_t t, std::vector<Row> r) {
        post(encodeResult(t, r), kResult);
      });
    } catch (const std::exception& e) {
      post(encodeFailure(e.what()), kFailure);
    }
    post("", kDone);
    check(MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE),
          "MPI_Waitall");
  }

  int rank_ = 0, size_ = 1;
};

}  // namespace

bool launchedByMpi() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    const char* v = std::getenv(var);
    if (v && std::atoi(v) > 1) return true;
  }
  return std::getenv("PMIX_RANK") != nullptr && std::getenv("SLURM_NTASKS") &&
         std::atoi(std::getenv("SLURM_NTASKS")) > 1;
}

const Cluster& cluster() {
  static const std::unique_ptr<Cluster> c =
      launchedByMpi() ? std::unique_ptr<Cluster>(std::make_unique<Mpi>())
                      : std::unique_ptr<Cluster>(std::make_unique<Solo>());
  return *c;
}

}  // namespace xbarsim::validation
