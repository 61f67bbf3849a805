#include "validation/worker_pool.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "io/error.h"

namespace xbarsim::validation {
namespace {

Row decodeRow(const std::string& line, const std::vector<Column>& schema) {
  Row row;
  std::size_t start = 0;
  for (const Column& col : schema) {
    const std::size_t tab = line.find('\t', start);
    const std::string field = line.substr(start, tab == std::string::npos ? tab : tab - start);
    start = tab == std::string::npos ? line.size() : tab + 1;
    if (col.type == ColumnType::kInt)
      row.emplace_back(static_cast<std::int64_t>(std::stoll(field)));
    else if (col.type == ColumnType::kReal)
      row.emplace_back(std::stod(field));
    else
      row.emplace_back(field);
  }
  return row;
}

void writeAll(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) _exit(3);
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void runTasks(const std::vector<std::int64_t>& tasks, int jobs, const std::vector<Column>& schema,
              const TaskFn& compute, const CollectFn& collect) {
  if (jobs <= 1 || tasks.size() <= 1) {
    for (const std::int64_t t : tasks) collect(t, compute(t));
    return;
  }
  std::fflush(nullptr);
  struct Worker {
    pid_t pid;
    int fd;
    std::string buffer;
    bool open = true;
  };
  std::vector<Worker> workers;
  for (int j = 0; j < jobs; ++j) {
    int fds[2];
    if (pipe(fds) != 0) throw Error("cannot create a pipe for a worker");
    const pid_t pid = fork();
    if (pid < 0) throw Error("cannot start a worker process");
    if (pid == 0) {
      ::close(fds[0]);
      for (std::size_t k = static_cast<std::size_t>(j); k < tasks.size();
           k += static_cast<std::size_t>(jobs)) {
        try {
          writeAll(fds[1], encodeResult(tasks[k], compute(tasks[k])));
        } catch (const std::exception& e) {
          writeAll(fds[1], encodeFailure(e.what()));
          _exit(1);
        }
      }
      ::close(fds[1]);
      _exit(0);
    }
    ::close(fds[1]);
    workers.push_back({pid, fds[0], "", true});
  }
  std::string failure;
  std::size_t open = workers.size();
  while (open > 0) {
    std::vector<pollfd> polls;
    for (const Worker& w : workers)
      if (w.open) polls.push_back({w.fd, POLLIN, 0});
    if (poll(polls.data(), polls.size(), -1) < 0) continue;
    for (Worker& w : workers) {
      if (!w.open) continue;
      const auto ready =
          std::find_if(polls.begin(), polls.end(), [&](const pollfd& p) { return p.fd == w.fd; });
      if (ready == polls.end() || ready->revents == 0) continue;
      char buf[1 << 16];
      const ssize_t n = ::read(w.fd, buf, sizeof buf);
      if (n <= 0) {
        w.open = false;
        --open;
        ::close(w.fd);
      } else {
        w.buffer.append(buf, static_cast<std::size_t>(n));
      }
      // Hand over every complete message.
      Message m;
      while (takeMessage(w.buffer, schema, m)) {
        if (m.failed)
          failure = m.failure;
        else
          collect(m.task, std::move(m.rows));
      }
    }
  }
  for (std::size_t j = 0; j < workers.size(); ++j) {
    int status = 0;
    waitpid(workers[j].pid, &status, 0);
    // A worker that died (a signal, or an exit before reporting) loses its tasks: an error of
    // the run, never a finished experiment.
    if (failure.empty() && WIFSIGNALED(status))
      failure = "worker " + std::to_string(j) + " was killed by signal " +
                std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    else if (failure.empty() && WIFEXITED(status) && WEXITSTATUS(status) != 0)
      failure = "worker " + std::to_string(j) + " exited with status " +
                std::to_string(WEXITSTATUS(status));
    else if (failure.empty() && !workers[j].buffer.empty())
      failure = "worker " + std::to_string(j) + " ended in the middle of a result";
  }
  if (!failure.empty()) throw Error("a worker failed: " + failure);
}

std::string encodeResult(std::int64_t task, const std::vector<Row>& rows) {
  std::ostringstream out;
  out.precision(17);
  out << "task " << task << " " << rows.size() << "\n";
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out << '\t';
      std::visit([&](const auto& v) { out << v; }, row[c]);
    }
    out << '\n';
  }
  return out.str();
}

std::string encodeFailure(const std::string& message) {
  std::string one_line = message;
  for (char& c : one_line)
    if (c == '\n') c = ' ';
  return "error " + one_line + "\n";
}

bool takeMessage(std::string& buffer, const std::vector<Column>& schema, Message& out) {
  const std::size_t eol = buffer.find('\n');
  if (eol == std::string::npos) return false;
  const std::string head = buffer.substr(0, eol);
  out = Message{};
  if (head.rfind("error ", 0) == 0) {
    out.failed = true;
    out.failure = head.substr(6);
    buffer.erase(0, eol + 1);
    return true;
  }
  std::istringstream hs(head);
  std::string word;
  std::size_t count = 0;
  hs >> word >> out.task >> count;
  std::size_t pos = eol + 1;
  std::vector<std::string> lines;
  for (std::size_t r = 0; r < count; ++r) {
    const std::size_t e = buffer.find('\n', pos);
    if (e == std::string::npos) return false;  // the rest is still on its way
    lines.push_back(buffer.substr(pos, e - pos));
    pos = e + 1;
  }
  buffer.erase(0, pos);
  for (const std::string& l : lines) out.rows.push_back(decodeRow(l, schema));
  return true;
}

}  // namespace xbarsim::validation
