// The optional event trace: one row per traced action (start cycle, end cycle, component,
// layer, kind, and what it moved or used). Off by default; when off, record() is one
// predictable branch, and the blocks that trace their own activity (tiles, interconnect links,
// global-buffer banks) register no component and make no call at all.
//
// Bounded: the hardware's events (tiles, links, banks: one per transfer, and a
// layer-sequential run moves its weight deltas in tens of bytes) stop being kept past a limit
// (SimOptions::trace_hardware_limit); the rest are counted (dropped()). The layers' and
// blocks' events, a few per unit of work, are always kept.
//
// Times are cycles. They are whole cycles except where the block's own timing is fractional:
// a link or the global buffer's port serves transfers of less than a cycle's worth of bytes
// several to a cycle (sim/reservation.h), and its events are its exact occupancy, so that the
// transfers on one link never overlap.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xbarsim::sim {

// Actions, then stalls: a layer waiting for input, with its output buffer full, or with a
// consumer's input buffer full (back-pressure); then the actions of hardware blocks added
// later (appended, so that the indices of the earlier kinds stay what run files recorded): a
// link carrying a transfer, a global-buffer bank read or written.
enum class EventKind : std::int8_t {
  kCompute,
  kFetch,
  kSend,
  kProgram,
  kLoad,
  kStore,
  kInputWait,
  kOutputFull,
  kBackpressure,
  kTransfer,
  kRead,
  kWrite
};

const char* eventKindName(EventKind k);
constexpr int kEventKinds = 12;
inline bool isStall(EventKind k) {
  return k == EventKind::kInputWait || k == EventKind::kOutputFull || k == EventKind::kBackpressure;
}

// What a traced component is, for viewers that lay out tracks by hardware: a block whose events
// belong to their layer (a layer engine, the write driver, the layer-sequential controller),
// or a tile, an interconnect link or a global-buffer bank, whose events are its own activity.
enum class ComponentKind : std::int8_t { kBlock, kTile, kLink, kBank };
const char* componentKindName(ComponentKind k);

struct TraceEvent {
  double start, end;  // cycles (see above)
  std::int32_t component;
  std::int32_t layer;  // node of the simulator's graph (row of /sim/layers), -1 for none
  EventKind kind;
  // A tile's compute or program: the output positions the work computes (a group, a round, a
  // layer-sequential part). 0 where not recorded.
  std::int32_t positions;
  // What the action moved or used: bytes of a transfer, read or write; a tile's compute or
  // program: the layer's logical crossbars on that tile. 0 where not recorded.
  std::int64_t amount;
};

class Tracer {
 public:
  static constexpr std::int64_t kDefaultHardwareLimit = 1'000'000;
  explicit Tracer(bool on, std::int64_t hardware_limit = kDefaultHardwareLimit)
      : on_(on), hardware_limit_(hardware_limit) {}
  bool on() const { return on_; }
  // Registers a component by hierarchical name; returns its id.
  std::int32_t component(const std::string& name, ComponentKind kind = ComponentKind::kBlock) {
    names_.push_back(name);
    kinds_.push_back(kind);
    return static_cast<std::int32_t>(names_.size() - 1);
  }
  void record(double start, double end, std::int32_t component, std::int32_t layer, EventKind kind,
              std::int64_t amount = 0, std::int64_t positions = 0) {
    if (!on_) return;
    if (hardware(component) && ++hardware_ > hardware_limit_) {
      ++dropped_;
      return;
    }
    events_.push_back(
        {start, end, component, layer, kind, static_cast<std::int32_t>(positions), amount});
  }
  const std::vector<TraceEvent>& events() const { return events_; }
  const std::vector<std::string>& components() const { return names_; }
  const std::vector<ComponentKind>& componentKinds() const { return kinds_; }
  // Hardware events past the limit, not kept.
  std::int64_t dropped() const { return dropped_; }

 private:
  bool hardware(std::int32_t component) const {
    const auto c = static_cast<std::size_t>(component);
    return component >= 0 && c < kinds_.size() && kinds_[c] != ComponentKind::kBlock;
  }

  bool on_;
  std::int64_t hardware_limit_;
  std::int64_t hardware_ = 0, dropped_ = 0;
  std::vector<TraceEvent> events_;
  std::vector<std::string> names_;
  std::vector<ComponentKind> kinds_;
};

}  // namespace xbarsim::sim
