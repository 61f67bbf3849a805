// The optional event trace: one row per traced action (start cycle, end cycle, component,
// layer, kind). Off by default; when off, record() is one predictable branch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xbarsim::sim {

// Actions, then stalls: a layer waiting for input, with its output buffer full, or with a
// consumer's input buffer full (back-pressure).
enum class EventKind : std::int8_t {
  kCompute,
  kFetch,
  kSend,
  kProgram,
  kLoad,
  kStore,
  kInputWait,
  kOutputFull,
  kBackpressure
};

const char* eventKindName(EventKind k);
constexpr int kEventKinds = 9;

struct TraceEvent {
  std::int64_t start, end;
  std::int32_t component;
  std::int32_t layer;
  EventKind kind;
};

class Tracer {
 public:
  explicit Tracer(bool on) : on_(on) {}
  bool on() const { return on_; }
  // Registers a component by hierarchical name; returns its id.
  std::int32_t component(const std::string& name) {
    names_.push_back(name);
    return static_cast<std::int32_t>(names_.size() - 1);
  }
  void record(std::int64_t start, std::int64_t end, std::int32_t component, std::int32_t layer,
              EventKind kind) {
    if (on_) events_.push_back({start, end, component, layer, kind});
  }
  const std::vector<TraceEvent>& events() const { return events_; }
  const std::vector<std::string>& components() const { return names_; }

 private:
  bool on_;
  std::vector<TraceEvent> events_;
  std::vector<std::string> names_;
};

}  // namespace xbarsim::sim
