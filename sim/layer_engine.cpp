#include "sim/layer_engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "sim/apu.h"
#include "sim/global_buffer.h"
#include "sim/interconnect.h"
#include "sim/main_memory.h"
#include "sim/sim_time.h"
#include "sim/tile.h"
#include "sim/write_driver.h"
#include "weights/ou_blocks.h"

namespace xbarsim::sim {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// The global buffer as the one end of a transfer, holding all of it.
const std::vector<int> kMemory{kMemoryPort};
const std::vector<double> kAll{1.0};

// The bytes of `bytes` that fall to a tile holding `share` of a layer's data (rounded up).
std::int64_t partOf(std::int64_t bytes, double share) {
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(bytes) * share - 1e-9));
}

}  // namespace

Apu& EngineEnv::apu(std::int64_t index) const {
  const Tile* tile = tiles[static_cast<std::size_t>(tileOfApu(*arch, index))];
  if (tile == nullptr)
    throw SimError("APU " + std::to_string(index) + " is on a tile the chip did not build");
  const std::int64_t pe = peOfApu(*arch, index) % arch->chip.tile.pes;
  return *tile->pes[static_cast<std::size_t>(pe)]
              ->apus[static_cast<std::size_t>(index % arch->chip.tile.pe.apus)];
}

std::int64_t EngineEnv::now() const {
  return static_cast<std::int64_t>(sc_core::sc_time_stamp().value()) / period_ps;
}

LayerEngine::LayerEngine(sc_core::sc_module_name name, int node, EngineEnv& env)
    : sc_core::sc_module(name),
      node_(node),
      n_(env.graph->nodes[static_cast<std::size_t>(node)]),
      env_(env),
      stats_(this->name()),
      chunks_fired_(
          stats_.declare("chunks", "1", "groups (crossbars) or chunks (vector unit) computed")),
      positions_(stats_.declare("positions", "1", "output positions computed")),
      input_wait_(stats_.declare("input_wait_cycles", "cycles",
                                 "cycles ready to compute but waiting for input data")),
      output_full_(stats_.declare("output_full_cycles", "cycles",
                                  "cycles waiting for room in its output buffer partition")),
      backpressure_(stats_.declare("backpressure_cycles", "cycles",
                                   "cycles finished outputs waited for room at a consumer")),
      fetch_bytes_(stats_.declare("fetch_bytes", "B", "input vectors fetched to the PEs")),
      sent_bytes_(stats_.declare("sent_bytes", "B", "outputs sent to consumers or stored")),
      spilled_bytes_(stats_.declare("spilled_bytes", "B",
                                    "outputs spilled to the global buffer to break a deadlock")),
      input_cells_written_(stats_.declare("input_cells_written", "1",
                                          "input-stationary: cells written with input patches")),
      input_level_steps_(stats_.declare(
          "input_level_steps", "1", "input-stationary: cell level steps writing input patches")),
      input_write_cycles_(stats_.declare("input_write_cycles", "cycles",
                                         "input-stationary: cycles writing input patches")),
      weight_bytes_(stats_.declare("weight_bytes", "B",
                                   "input-stationary: weights streamed from main memory")) {
  const std::vector<Node>& nodes = env.graph->nodes;
  for (const NodeInput& in : n_.inputs) {
    ports_.emplace_back();
    ports_.back().bytes_per_position =
        nodes[static_cast<std::size_t>(in.producer)].out.c * env.bytes_per_value;
    ports_.back().release_target = in.window.releasable(0);
  }
  out_bytes_per_position_ = n_.out.c * env.bytes_per_value;
  sent_.assign(n_.consumers.size(), 0);
  blocked_.assign(n_.consumers.size(), false);
  stalled_since_.assign(n_.consumers.size(), 0);
  trace_id_ = env.tracer->component(this->name());
  if (n_.kind == NodeKind::kCrossbar) {
    const PlanLayer& pl = env.plan->layers[static_cast<std::size_t>(n_.plan_layer)];
    apus_ = pl.apus;
    // The PE buffers the layer's input vectors go to on each of its tiles.
    const std::int64_t pes_per_tile = env.arch->chip.tile.pes;
    for (const int tile : pl.tiles) {
      std::set<std::int64_t> pes;
      for (const std::int64_t a : apus_)
        if (tileOfApu(*env.arch, a) == tile) pes.insert(peOfApu(*env.arch, a) % pes_per_tile);
      pe_buffers_.emplace_back();
      for (const std::int64_t p : pes)
        pe_buffers_.back().push_back(
            &env.tiles[static_cast<std::size_t>(tile)]->pes[static_cast<std::size_t>(p)]->buffer);
    }
    if (n_.input_stationary) {
      const ArchSpec& a = *env.arch;
      const auto refuse = [&](const std::string& why) {
        throw ConfigError("layer '" + pl.name + "' cannot run input-stationary: " + why);
      };
      if (n_.type != LayerType::kConv && n_.type != LayerType::kFc)
        refuse("only conv and fc layers can (a depthwise conv's patches differ per channel)");
      if (a.data.input_bits != a.data.weight_bits)
        refuse("the arch's input_bits and weight_bits differ (" +
               std::to_string(a.data.input_bits) + ", " + std::to_string(a.data.weight_bits) +
               "): inputs take the weights' place in the cells");
      if (a.chip.tile.pe.apu.crossbars > a.physicalPerLogical())
        refuse("an APU holds more than one logical crossbar");
      const std::int64_t rows = a.chip.tile.pe.apu.crossbar.rows;
      if (pl.set != (n_.fan_in + rows - 1) / rows)
        refuse("a column group is " + std::to_string((n_.fan_in + rows - 1) / rows) +
               " logical crossbars (fan-in " + std::to_string(n_.fan_in) + " over " +
               std::to_string(rows) + " rows), the plan has " + std::to_string(pl.set));
    }
    double per_pe = 0;
    for (std::size_t k = 0; k < n_.tiles.size(); ++k)
      per_pe = std::max(per_pe, static_cast<double>(n_.chunk * n_.fan_in * env.bytes_per_value) *
                                    n_.share[k] / static_cast<double>(pe_buffers_[k].size()));
    if (env.tracer->on()) {
      trace_tiles_ = n_.tiles;
      for (std::size_t k = 0; k < n_.tiles.size(); ++k)
        tile_crossbars_.push_back(std::llround(pl.sets_on_tile[k] * static_cast<double>(pl.set)));
      for (const std::int64_t a : apus_) {
        const int tile = tileOfApu(*env.arch, a);
        auto it = std::find(trace_tiles_.begin(), trace_tiles_.end(), tile);
        if (it == trace_tiles_.end()) {  // an APU beyond the tiles its crossbars start on
          trace_tiles_.push_back(tile);
          tile_crossbars_.push_back(0);
          it = trace_tiles_.end() - 1;
        }
        apu_tile_.push_back(static_cast<std::size_t>(it - trace_tiles_.begin()));
      }
      tile_end_.assign(trace_tiles_.size(), 0);
    }
    double pe_buffer = env.arch->chip.tile.pe.buffer.size_bytes;
    if (env.ideal) pe_buffer = std::numeric_limits<double>::infinity();
    double_buffered_ = 2 * per_pe <= pe_buffer;
  }
  SC_METHOD(step);
  sensitive << wake_;
  dont_initialize();
}

void LayerEngine::claimBuffers(double in_bytes, double out_bytes) {
  if (!holdsBuffers()) return;
  // Its working sets: per input, the most one chunk's windows hold at once mid-way through the
  // layer, whichever column the chunk starts at; and one chunk's outputs.
  const std::int64_t chunk = std::max<std::int64_t>(1, n_.chunk);
  const std::int64_t mid = n_.positions / 2 / chunk * chunk;
  double working = 0;
  for (std::size_t p = 0; p < ports_.size(); ++p) {
    const PortWindow& w = n_.inputs[p].window;
    std::int64_t held = 1;
    for (const std::int64_t first : {mid, mid + 1, mid + chunk / 2, mid + chunk - 1}) {
      const std::int64_t last = std::min(n_.positions, first + chunk) - 1;
      if (first <= last) held = std::max(held, w.needed(first, last) - w.releasable(first));
    }
    ports_[p].working = static_cast<double>(held * ports_[p].bytes_per_position);
    working += ports_[p].working;
  }
  // A join (a residual add, a concat) also holds what one input runs ahead of the other: at
  // least what it held at most in the profiling run.
  if (ports_.size() > 1) working = std::max(working, in_bytes);
  const auto out_working = static_cast<double>(chunk * out_bytes_per_position_);
  for (std::size_t k = 0; k < n_.tiles.size(); ++k) {
    Tile& tile = *env_.tiles[static_cast<std::size_t>(n_.tiles[k])];
    tile.input_buffer.claim(node_, in_bytes * n_.share[k], working * n_.share[k]);
    tile.output_buffer.claim(node_, out_bytes * n_.share[k], out_working * n_.share[k]);
  }
}

void LayerEngine::countActivations() {
  const ArchSpec& a = *env_.arch;
  activations_.assign(apus_.size(), a.chip.tile.pe.apu.fullOuLoad());
  if (env_.ou_masks == nullptr || n_.input_stationary) return;
  const auto layer = static_cast<std::size_t>(n_.plan_layer);
  if (env_.ou_shared != nullptr && !(*env_.ou_shared)[layer].empty()) {
    // Shared OUs: each APU activates, per read, the most any of its logical crossbars does,
    // and makes their scatter adds.
    const PlanLayer& pl = env_.plan->layers[layer];
    std::vector<OuLoad> load(apus_.size());
    for (std::int64_t x = 0; x < pl.crossbars(); ++x) {
      const std::size_t first = firstApuOf(a, *env_.plan, layer, x);
      const OuLoad& l = (*env_.ou_shared)[layer][static_cast<std::size_t>(x % pl.set)];
      for (std::int64_t k = 0; k < env_.plan->apus_per_logical; ++k) {
        OuLoad& m = load[first + static_cast<std::size_t>(k)];
        if (l.activations > m.activations) {
          const std::int64_t adds = m.scatter_adds;
          m = l;
          m.scatter_adds += adds;
        } else {
          m.scatter_adds += l.scatter_adds;
        }
      }
    }
    activations_ = load;
    return;
  }
  const auto& masks = (*env_.ou_masks)[layer];
  const PlanLayer& pl = env_.plan->layers[layer];
  if (masks.empty()) return;
  if (masks.size() != static_cast<std::size_t>(pl.set))
    throw std::logic_error("layer '" + pl.name + "': " + std::to_string(masks.size()) +
                           " OU masks for a set of " + std::to_string(pl.set));
  // Each APU activates the OU positions active in any block it holds.
  std::vector<std::vector<const std::vector<std::uint8_t>*>> held(apus_.size());
  for (std::int64_t x = 0; x < pl.crossbars(); ++x) {
    const std::size_t first = firstApuOf(a, *env_.plan, layer, x);
    for (std::int64_t k = 0; k < env_.plan->apus_per_logical; ++k)
      held[first + static_cast<std::size_t>(k)].push_back(
          &masks[static_cast<std::size_t>(x % pl.set)]);
  }
  for (std::size_t k = 0; k < apus_.size(); ++k) activations_[k] = activeOuLoad(a, held[k]);
}

void LayerEngine::begin() {
  if (n_.kind == NodeKind::kCrossbar) countActivations();
  if (!holdsBuffers()) {
    in_capacity_ = out_capacity_ = std::numeric_limits<double>::infinity();
  } else {
    for (std::size_t k = 0; k < n_.tiles.size(); ++k) {
      Tile& tile = *env_.tiles[static_cast<std::size_t>(n_.tiles[k])];
      in_capacity_ += tile.input_buffer.capacityOf(node_);
      out_capacity_ += tile.output_buffer.capacityOf(node_);
    }
  }
  wakeAt(0);
}

void LayerEngine::wakeAt(std::int64_t cycle) {
  const std::int64_t delay = cycle - env_.now();
  if (delay <= 0) {
    ++env_.kernel.delta_notifications;
    wake_.notify(sc_core::SC_ZERO_TIME);
  } else {
    ++env_.kernel.timed_notifications;
    wake_.notify(cyclesToTime(delay, env_.period_ps));
  }
}

void LayerEngine::resume(std::int64_t& since, Counter& counter, std::int64_t t, EventKind kind) {
  if (since >= 0) {
    counter += static_cast<double>(t - since);
    if (t > since) env_.tracer->record(since, t, trace_id_, node_, kind);
  }
  since = -1;
}

std::int64_t LayerEngine::room(int port, std::int64_t positions) const {
  if (std::isinf(in_capacity_)) return positions;
  // One input may not take the room the others still need for the next computation: a
  // residual add whose shortcut filled the partition would wait forever for its other input.
  double free = in_capacity_ - in_used_;
  if (ports_.size() > 1 && next_ < n_.positions) {
    const std::int64_t last =
        std::min(n_.positions, next_ + (n_.kind == NodeKind::kVector ? 1 : n_.chunk)) - 1;
    for (std::size_t q = 0; q < ports_.size(); ++q) {
      if (static_cast<int>(q) == port) continue;
      const Port& o = ports_[q];
      const std::int64_t missing = n_.inputs[q].window.needed(next_, last) - o.reserved;
      free -= static_cast<double>(std::max<std::int64_t>(0, missing) * o.bytes_per_position);
    }
  }
  const auto bpp = static_cast<double>(ports_[static_cast<std::size_t>(port)].bytes_per_position);
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(free / bpp + 1e-9)), 0,
                                  positions);
}

void LayerEngine::occupyInputs(double bytes, std::int64_t t) {
  in_used_ += bytes;
  peak_in_ = std::max(peak_in_, in_used_);
  occupyOn(&Tile::input_buffer, bytes, t);
}

void LayerEngine::occupyOn(Buffer Tile::*buffer, double bytes, std::int64_t t) {
  for (std::size_t k = 0; k < n_.tiles.size(); ++k)
    (env_.tiles[static_cast<std::size_t>(n_.tiles[k])]->*buffer)
        .occupy(node_, bytes * n_.share[k], t);
}

std::int64_t LayerEngine::transferOn(const Node& on, Buffer Tile::*buffer, std::int64_t bytes,
                                     std::int64_t ready) {
  std::int64_t arrival = ready;
  for (std::size_t k = 0; k < on.tiles.size(); ++k)
    arrival = std::max(arrival, (env_.tiles[static_cast<std::size_t>(on.tiles[k])]->*buffer)
                                    .transfer(node_, partOf(bytes, on.share[k]), ready));
  return arrival;
}

std::int64_t LayerEngine::carry(const std::vector<int>& from, const std::vector<double>& sent,
                                int consumer, const std::vector<int>& to,
                                const std::vector<double>& received, std::int64_t bytes,
                                std::int64_t ready) {
  std::int64_t arrival = ready;
  for (std::size_t i = 0; i < from.size(); ++i)
    for (std::size_t j = 0; j < to.size(); ++j) {
      if (from[i] == to[j]) continue;  // stays on its tile
      const std::int64_t b = partOf(bytes, sent[i] * received[j]);
      if (b > 0)
        arrival = std::max(arrival, env_.noc->send({node_, consumer, from[i], to[j], b, ready}));
    }
  return arrival;
}

void LayerEngine::accept(int port, std::int64_t first, std::int64_t last, std::int64_t arrival) {
  Port& p = ports_[static_cast<std::size_t>(port)];
  p.reserved = std::max(p.reserved, last);
  occupyInputs(static_cast<double>((last - first) * p.bytes_per_position), env_.now());
  mailbox_.push({arrival, port, first, last});
  wakeAt(arrival);
}

void LayerEngine::askForRoom(LayerEngine* producer) {
  if (std::find(waiting_.begin(), waiting_.end(), producer) == waiting_.end())
    waiting_.push_back(producer);
}

void LayerEngine::step() {
  ++env_.kernel.activations;
  const std::int64_t t = env_.now();
  absorb(t);
  retire(t);
  send(t);  // first, so that what leaves makes room for what fire() produces
  fire(t);
  send(t);
  // Sleep until the next thing that can change what this layer may do.
  std::int64_t next = kNever;
  if (!mailbox_.empty()) next = std::min(next, mailbox_.top().arrival);
  if (!running_.empty()) next = std::min(next, running_.front().end);
  for (const Ready& r : outbox_)
    if (r.cycle > t) {  // the next outputs to reach the output buffer
      next = std::min(next, r.cycle);
      break;
    }
  if (timer_ > t) next = std::min(next, timer_);
  if (next != kNever) wakeAt(next);
}

void LayerEngine::absorb(std::int64_t t) {
  bool any = false;
  while (!mailbox_.empty() && mailbox_.top().arrival <= t) {
    const Message m = mailbox_.top();
    mailbox_.pop();
    Port& p = ports_[static_cast<std::size_t>(m.port)];
    p.early[m.first] = std::max(p.early[m.first], m.last);
    // Extend the present prefix over whatever now joins it.
    for (auto it = p.early.begin(); it != p.early.end() && it->first <= p.arrived;
         it = p.early.erase(it))
      p.arrived = std::max(p.arrived, it->second);
    any = true;
  }
  if (any) release(t);
}

void LayerEngine::release(std::int64_t t) {
  double freed = 0;
  for (Port& p : ports_) {
    const std::int64_t upto = std::min(p.release_target, p.arrived);
    if (upto <= p.released) continue;
    freed += static_cast<double>((upto - p.released) * p.bytes_per_position);
    p.released = upto;
  }
  if (freed <= 0) return;
  occupyInputs(-freed, t);
  for (LayerEngine* w : waiting_) w->wakeAt(t);
  waiting_.clear();
}

void LayerEngine::takeSpill(int port, std::int64_t first, std::int64_t last,
                            std::int64_t in_global) {
  // They come back from the global buffer over the NoC into the layer's input buffers; they
  // count against its share of them (which they may overfill) until it releases them.
  Port& p = ports_[static_cast<std::size_t>(port)];
  const std::int64_t bytes = (last - first) * p.bytes_per_position;
  const std::int64_t t = env_.now(), ready = std::max(t, in_global);
  std::int64_t arrival = std::max(env_.global_buffer->read(node_, bytes, ready),
                                  carry(kMemory, kAll, node_, n_.tiles, n_.share, bytes, ready));
  arrival = std::max(arrival, transferOn(n_, &Tile::input_buffer, bytes, ready));
  p.reserved = std::max(p.reserved, last);
  occupyInputs(static_cast<double>(bytes), t);
  mailbox_.push({arrival, port, first, last});
  wakeAt(arrival);
}

bool LayerEngine::spillBlocked() {
  const std::int64_t t = env_.now();
  produced_ = readyBy(t);
  bool any = false;
  for (std::size_t c = 0; c < n_.consumers.size(); ++c) {
    if (!blocked_[c] || sent_[c] >= produced_) continue;
    LayerEngine& to = *env_.engines[static_cast<std::size_t>(n_.consumers[c].first)];
    // The network input is in the global buffer already; anything else goes there first.
    const std::int64_t in_global =
        n_.kind == NodeKind::kSource ? t : move(sent_[c], produced_, -1, t);
    spilled_bytes_ += static_cast<double>((produced_ - sent_[c]) * out_bytes_per_position_);
    unblock(c, t);
    to.takeSpill(n_.consumers[c].second, sent_[c], produced_, in_global);
    sent_[c] = produced_;
    any = true;
  }
  if (any) wakeAt(t);  // what left the output buffer makes room for more work
  return any;
}

void LayerEngine::retire(std::int64_t t) {
  while (!running_.empty() && running_.front().end <= t) {
    const Chunk c = running_.front();
    running_.pop_front();
    last_cycle_ = std::max(last_cycle_, c.end);
    // Outputs into the output buffer(s), over their ports.
    std::int64_t ready = c.end;
    const std::int64_t bytes = (c.last - c.first) * out_bytes_per_position_;
    if (n_.kind == NodeKind::kSource) {
      // The network input, from main memory into the global buffer.
      if (!env_.ideal)
        ready = env_.global_buffer->write(node_, bytes, env_.memory->transfer(node_, bytes, c.end),
                                          GlobalBuffer::Side::kInputs);
    } else if (holdsBuffers()) {
      ready = transferOn(n_, &Tile::output_buffer, bytes, c.end);
      occupyOn(&Tile::output_buffer, static_cast<double>(bytes), t);
    }
    outbox_.push_back({c.last, ready});
  }
}

std::int64_t LayerEngine::move(std::int64_t first, std::int64_t last, int c, std::int64_t t) {
  const std::int64_t bytes = (last - first) * out_bytes_per_position_;
  sent_bytes_ += static_cast<double>(bytes);
  ++env_.kernel.messages;
  std::int64_t arrival = t;
  // Read out of the source: the global buffer (network input) or the output buffer(s).
  if (n_.kind == NodeKind::kSource) {
    arrival = std::max(arrival, env_.global_buffer->read(node_, bytes, t));
  } else if (holdsBuffers()) {
    arrival = transferOn(n_, &Tile::output_buffer, bytes, t);
  }
  // From the tiles that produced them (each its share), or from the global buffer.
  const bool source = n_.kind == NodeKind::kSource;
  const std::vector<int>& from = source ? kMemory : n_.tiles;
  const std::vector<double>& sent = source ? kAll : n_.share;
  if (c < 0)  // into the global buffer
    return std::max({arrival, carry(from, sent, -1, kMemory, kAll, bytes, t),
                     env_.global_buffer->write(node_, bytes, t)});
  // To the consumer's tiles, each its share.
  const int to = n_.consumers[static_cast<std::size_t>(c)].first;
  const Node& dst = env_.graph->nodes[static_cast<std::size_t>(to)];
  return std::max({arrival, carry(from, sent, to, dst.tiles, dst.share, bytes, t),
                   transferOn(dst, &Tile::input_buffer, bytes, t)});
}

void LayerEngine::block(std::size_t c, std::int64_t t) {
  if (blocked_[c]) return;
  blocked_[c] = true;
  stalled_since_[c] = t;
  if (blocked_since_ < 0) blocked_since_ = t;
}

void LayerEngine::unblock(std::size_t c, std::int64_t t) {
  if (!blocked_[c]) return;
  blocked_[c] = false;
  // The consumer's partition spans its tiles: each tile's buffer gets its share of the wait.
  const std::int64_t waited = t - stalled_since_[c];
  const Node& to = env_.graph->nodes[static_cast<std::size_t>(n_.consumers[c].first)];
  for (std::size_t j = 0; j < to.tiles.size(); ++j)
    env_.tiles[static_cast<std::size_t>(to.tiles[j])]->input_buffer.senderStalled(
        static_cast<double>(waited) * to.share[j]);
  // The layer's own wait counts time with some consumer blocked, once however many.
  if (std::find(blocked_.begin(), blocked_.end(), true) == blocked_.end()) {
    backpressure_ += static_cast<double>(t - blocked_since_);
    if (t > blocked_since_)
      env_.tracer->record(blocked_since_, t, trace_id_, node_, EventKind::kBackpressure);
    blocked_since_ = -1;
  }
}

std::int64_t LayerEngine::readyBy(std::int64_t t) const {
  std::int64_t ready = produced_;
  for (const Ready& r : outbox_) {
    if (r.cycle > t) break;
    ready = r.last;
  }
  return ready;
}

void LayerEngine::send(std::int64_t t) {
  const std::int64_t ready = produced_ = readyBy(t);
  if (n_.consumers.empty()) {
    if (stored_ < ready) {
      env_.done = std::max(env_.done, move(stored_, ready, -1, t));
      stored_ = ready;
    }
  }
  for (std::size_t c = 0; c < n_.consumers.size(); ++c) {
    if (sent_[c] >= ready) continue;
    LayerEngine& to = *env_.engines[static_cast<std::size_t>(n_.consumers[c].first)];
    const int port = n_.consumers[c].second;
    const std::int64_t fit = to.room(port, ready - sent_[c]);
    if (fit > 0) {
      unblock(c, t);
      const std::int64_t arrival = move(sent_[c], sent_[c] + fit, static_cast<int>(c), t);
      to.accept(port, sent_[c], sent_[c] + fit, arrival);
      sent_[c] += fit;
    }
    if (sent_[c] < ready) {
      block(c, t);
      to.askForRoom(this);
    }
  }
  // Outputs every consumer has leave the output buffer.
  std::int64_t gone = n_.consumers.empty() ? stored_ : ready;
  for (const std::int64_t s : sent_) gone = std::min(gone, s);
  if (gone > out_released_) {
    const double bytes = static_cast<double>((gone - out_released_) * out_bytes_per_position_);
    out_used_ -= bytes;
    if (holdsBuffers()) occupyOn(&Tile::output_buffer, -bytes, t);
    out_released_ = gone;
  }
  while (!outbox_.empty() && outbox_.front().last <= gone) outbox_.pop_front();
}

bool LayerEngine::inputsPresent(std::int64_t first, std::int64_t last) const {
  for (std::size_t k = 0; k < ports_.size(); ++k)
    if (n_.inputs[k].window.needed(first, last - 1) > ports_[k].arrived) return false;
  return true;
}

std::int64_t LayerEngine::availableUpTo(std::int64_t first, std::int64_t cap) const {
  std::int64_t lo = first, hi = std::min(n_.positions, first + cap);  // lo: known to fit
  if (inputsPresent(first, hi)) return hi;
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (inputsPresent(first, mid))
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

std::int64_t LayerEngine::fireVector(std::int64_t first, std::int64_t last, std::int64_t t) {
  if (n_.kind == NodeKind::kPassThrough) return t;
  std::int64_t in_bytes = 0;
  for (const Port& p : ports_) in_bytes += (last - first) * p.bytes_per_position;
  Tile& tile = *env_.tiles[static_cast<std::size_t>(n_.tiles[0])];
  const std::int64_t read = tile.input_buffer.transfer(node_, in_bytes, t);
  return tile.vector_unit.run(node_, (last - first) * n_.ops_per_position, read);
}

void LayerEngine::fire(std::int64_t t) {
  timer_ = -1;
  while (next_ < n_.positions) {
    const std::int64_t first = next_;
    std::int64_t last = std::min(n_.positions, first + n_.chunk);
    if (n_.kind == NodeKind::kVector || n_.kind == NodeKind::kPassThrough)
      last = availableUpTo(first, n_.chunk);
    if (last == first || !inputsPresent(first, last)) {
      if (n_.kind != NodeKind::kCrossbar || xbars_free_ <= t) markWaiting(input_wait_since_, t);
      return;
    }
    resume(input_wait_since_, input_wait_, t, EventKind::kInputWait);
    const double out_bytes = static_cast<double>((last - first) * out_bytes_per_position_);
    if (out_used_ > 0 && out_used_ + out_bytes > out_capacity_ + 1e-9) {
      markWaiting(output_wait_since_, t);
      return;
    }
    resume(output_wait_since_, output_full_, t, EventKind::kOutputFull);
    std::int64_t end = t;
    if (n_.kind == NodeKind::kSource) {
      end = t;  // loaded in retire(), from main memory
    } else if (n_.kind == NodeKind::kCrossbar) {
      if (fetched_for_ != first) {
        if (fetch_allowed_ > t) {
          timer_ = fetch_allowed_;
          return;
        }
        // Input vectors: input buffer -> tile bus (the whole tile's share, one after another)
        // -> the PE buffers of the layer's PEs (each its part, in parallel), on every tile.
        const std::int64_t bytes = (last - first) * n_.fan_in * env_.bytes_per_value;
        fetch_bytes_ += static_cast<double>(bytes);
        fetch_done_ = t;
        for (std::size_t k = 0; k < n_.tiles.size(); ++k) {
          Tile& tile = *env_.tiles[static_cast<std::size_t>(n_.tiles[k])];
          const auto part = partOf(bytes, n_.share[k]);
          fetch_done_ = std::max(
              fetch_done_, streamThrough({&tile.input_buffer.link(), &tile.bus.link()}, part, t));
          tile.input_buffer.account(node_, part);
          tile.bus.account(node_, part);
          const std::int64_t after =
              t + tile.input_buffer.link().latency() + tile.bus.link().latency();
          const std::int64_t per = partOf(part, 1.0 / static_cast<double>(pe_buffers_[k].size()));
          for (Buffer* pe : pe_buffers_[k]) {
            fetch_done_ = std::max(fetch_done_, pe->link().transfer(per, after));
            pe->account(node_, 2 * per);  // written, then read by the DACs
          }
        }
        fetched_for_ = first;
        if (fetch_done_ > t)
          env_.tracer->record(t, fetch_done_, trace_id_, node_, EventKind::kFetch);
      }
      const std::int64_t at = std::max(fetch_done_, xbars_free_);
      if (at > t) {
        timer_ = at;
        return;
      }
      if (n_.input_stationary) {
        end = fireRound(first, last, t);
      } else {
        for (std::size_t k = 0; k < apus_.size(); ++k) {
          const std::int64_t done = env_.apu(apus_[k]).compute(node_, t, activations_[k]);
          end = std::max(end, done);
          if (!tile_end_.empty()) tile_end_[apu_tile_[k]] = std::max(tile_end_[apu_tile_[k]], done);
        }
        env_.groups.push_back({n_.plan_layer, node_, t, end});
        if (!tile_end_.empty()) traceTiles(EventKind::kCompute, t, last - first);
      }
      xbars_free_ = end;
      // Input-stationary: the next round's patches wait for the cells.
      fetch_allowed_ = double_buffered_ && !n_.input_stationary ? t : end;
    } else {
      end = fireVector(first, last, t);
    }
    env_.tracer->record(t, end, trace_id_, node_, EventKind::kCompute);
    if (first_cycle_ < 0) first_cycle_ = t;
    chunks_fired_ += 1;
    positions_ += static_cast<double>(last - first);
    out_used_ += out_bytes;
    peak_out_ = std::max(peak_out_, out_used_);
    running_.push_back({first, last, t, end});
    next_ = last;
    for (std::size_t k = 0; k < ports_.size(); ++k)
      ports_[k].release_target = n_.inputs[k].window.releasable(next_);
    release(t);
    if (end <= t) retire(t);
  }
}

void LayerEngine::traceTiles(EventKind kind, std::int64_t start, std::int64_t positions) {
  for (std::size_t j = 0; j < trace_tiles_.size(); ++j) {
    env_.tiles[static_cast<std::size_t>(trace_tiles_[j])]->traceWork(
        kind, start, tile_end_[j], node_, tile_crossbars_[j], positions);
    tile_end_[j] = 0;
  }
}

std::uint32_t LayerEngine::patchCode(std::int64_t p, std::int64_t k) const {
  const NodeInput& in = n_.inputs.front();
  const PortWindow& w = in.window;
  const int bits = env_.arch->data.input_bits;
  if (w.kind != PortWindow::Kind::kSliding) {  // fc: the whole input, flattened channel-major
    const std::int64_t plane = w.in_h * w.in_w;
    return env_.activations->code(in.producer, k / plane, k % plane / w.in_w, k % w.in_w, bits);
  }
  // conv: k = (c, ky, kx), channel-major; position p = (oy, ox) in raster order.
  const std::int64_t kk = w.kernel * w.kernel;
  const std::int64_t c = k / kk, ky = k % kk / w.kernel, kx = k % w.kernel;
  const std::int64_t y = p / w.out_w * w.stride + ky - w.pad;
  const std::int64_t x = p % w.out_w * w.stride + kx - w.pad;
  if (y < 0 || x < 0 || y >= w.in_h || x >= w.in_w) return 0;
  return env_.activations->code(in.producer, c, y, x, bits);
}

std::int64_t LayerEngine::fireRound(std::int64_t first, std::int64_t last, std::int64_t t) {
  const ArchSpec& arch = *env_.arch;
  const PlanLayer& pl = env_.plan->layers[static_cast<std::size_t>(n_.plan_layer)];
  const CrossbarSpec& xb = arch.chip.tile.pe.apu.crossbar;
  const std::int64_t per_apu = arch.chip.tile.pe.apu.crossbars;
  const std::int64_t apus_per_logical = env_.plan->apus_per_logical;
  const std::int64_t xrows = xb.rows, xcols = xb.cols;
  const std::int64_t batch = std::clamp<std::int64_t>(arch.reram.rows_in_parallel, 1, xrows);
  const std::uint32_t mask = (1U << xb.bits_per_cell) - 1;
  // 1. The patches into the cells: logical crossbar j is column group j / set (positions
  //    first + group x cols ...) and block row j % set (patch elements block_row x rows ...);
  //    its physical crossbars hold the codes' slices, least significant first. Every APU
  //    writes its rows a batch at a time, APUs in parallel.
  std::vector<std::uint32_t> codes(static_cast<std::size_t>(xrows * xcols));
  std::vector<std::uint8_t> levels(static_cast<std::size_t>(per_apu * xrows * xcols));
  std::vector<std::int64_t> kept(static_cast<std::size_t>(per_apu));
  std::int64_t written = t;
  for (std::int64_t j = 0; j < pl.crossbars(); ++j) {
    const std::int64_t group = j / pl.set, block_row = j % pl.set;
    const std::int64_t rows = std::min(xrows, n_.fan_in - block_row * xrows);
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t col = 0; col < xcols; ++col) {
        const std::int64_t p = first + group * xcols + col;
        codes[static_cast<std::size_t>(r * xcols + col)] =
            p < last ? patchCode(p, block_row * xrows + r) : 0;
      }
    for (std::int64_t a = 0; a < apus_per_logical; ++a) {
      const auto index = static_cast<std::size_t>(j * apus_per_logical + a);
      Apu& apu = env_.apu(apus_[index]);
      for (std::int64_t x = 0; x < per_apu; ++x) {
        const int shift = static_cast<int>((a * per_apu + x) * xb.bits_per_cell);
        for (std::int64_t i = 0; i < rows * xcols; ++i)
          levels[static_cast<std::size_t>(x * xrows * xcols + i)] =
              static_cast<std::uint8_t>((codes[static_cast<std::size_t>(i)] >> shift) & mask);
      }
      std::int64_t at = t;
      for (std::int64_t r = 0; r < rows; r += batch) {
        const Apu::RowChange c =
            apu.rewrite(node_, r, std::min(rows, r + batch), levels.data(), kept.data());
        at += env_.writer->rowCycles(c.decrease, c.increase);
        input_cells_written_ +=
            static_cast<double>((std::min(rows, r + batch) - r) * xcols * per_apu);
        input_level_steps_ += static_cast<double>(c.level_steps);
      }
      written = std::max(written, at);
      if (!tile_end_.empty())
        tile_end_[apu_tile_[index]] = std::max(tile_end_[apu_tile_[index]], at);
    }
  }
  input_write_cycles_ += static_cast<double>(written - t);
  if (written > t) env_.tracer->record(t, written, trace_id_, node_, EventKind::kProgram);
  if (!tile_end_.empty()) traceTiles(EventKind::kProgram, t, last - first);
  // 2. The weights, every output channel's K values, stream from main memory over the
  //    interconnect to every tile of the layer, its bus and its PEs (all of them to each: the
  //    steps broadcast them), while the patches are written.
  const std::int64_t wbytes = n_.out.c * n_.fan_in * env_.bytes_per_value;
  weight_bytes_ += static_cast<double>(wbytes);
  std::int64_t weights_in = env_.memory->transfer(node_, wbytes, t);
  for (std::size_t k = 0; k < n_.tiles.size(); ++k) {
    Tile& tile = *env_.tiles[static_cast<std::size_t>(n_.tiles[k])];
    weights_in = std::max({weights_in, carry(kMemory, kAll, node_, {n_.tiles[k]}, kAll, wbytes, t),
                           tile.bus.transfer(node_, wbytes, t)});
    for (Buffer* pe : pe_buffers_[k])
      weights_in = std::max(weights_in, pe->transfer(node_, wbytes, t));
  }
  // 3. One output channel a step: channel c's weights are in when c + 1 of out.c of them are
  //    (they stream in order), and the cells are written; every crossbar computes the round's
  //    columns at once.
  std::vector<std::int64_t> free(apus_.size(), written);  // each APU's previous step done
  for (std::int64_t c = 0; c < n_.out.c; ++c) {
    const std::int64_t in = t + (weights_in - t) * (c + 1) / n_.out.c;
    for (std::size_t a = 0; a < apus_.size(); ++a)
      free[a] = env_.apu(apus_[a]).compute(node_, std::max(free[a], in), activations_[a]);
  }
  const std::int64_t end = *std::max_element(free.begin(), free.end());
  // The round's computation, as a group record (the crossbars busy computing).
  env_.groups.push_back({n_.plan_layer, node_, written, end});
  if (!tile_end_.empty()) {
    for (std::size_t a = 0; a < apus_.size(); ++a)
      tile_end_[apu_tile_[a]] = std::max(tile_end_[apu_tile_[a]], free[a]);
    traceTiles(EventKind::kCompute, written, last - first);
  }
  return end;
}

bool LayerEngine::finished() const {
  if (next_ < n_.positions || !running_.empty()) return false;
  if (n_.consumers.empty()) return stored_ >= n_.positions;
  for (const std::int64_t s : sent_)
    if (s < n_.positions) return false;
  return true;
}

std::string LayerEngine::diagnose() const {
  const auto kib = [](double b) {
    return std::to_string(static_cast<std::int64_t>(b / 1024)) + " KiB";
  };
  std::string why = "layer '" + n_.name + "' (" + nodeKindName(n_.kind) +
                    ") stopped at output position " + std::to_string(next_) + " of " +
                    std::to_string(n_.positions);
  for (std::size_t k = 0; k < ports_.size(); ++k) {
    const std::int64_t last = std::min(n_.positions, next_ + std::max<std::int64_t>(1, n_.chunk));
    const std::int64_t need = n_.inputs[k].window.needed(next_, last - 1);
    if (need > ports_[k].arrived) {
      const double bytes =
          static_cast<double>((need - ports_[k].released) * ports_[k].bytes_per_position);
      why += "; it needs positions up to " + std::to_string(need) + " of input '" +
             env_.graph->nodes[static_cast<std::size_t>(n_.inputs[k].producer)].name + "' (" +
             std::to_string(ports_[k].arrived) + " arrived)";
      if (bytes > in_capacity_)
        why += ", " + kib(bytes) + " at once, but its share of the input buffers holds " +
               kib(in_capacity_) + ": give tile.input_buffer more size, or the layer more tiles";
    }
  }
  if (out_used_ > 0 && next_ < n_.positions)
    why += "; its output buffer share holds " + kib(out_used_) + " of " + kib(out_capacity_);
  for (std::size_t c = 0; c < n_.consumers.size(); ++c)
    if (blocked_[c])
      why += "; it waits for room at '" +
             env_.graph->nodes[static_cast<std::size_t>(n_.consumers[c].first)].name + "'";
  return why;
}

}  // namespace xbarsim::sim
