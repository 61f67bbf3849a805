// Layer processes are spawned at run time (sc_spawn).
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "sim/controller.h"

#include <algorithm>
#include <cmath>

#include "model/exact_steps.h"
#include "sim/tile.h"

namespace xbarsim::sim {
namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

Controller::Controller(sc_core::sc_module_name name, const Problem& p, const Plan& plan,
                       const ArchSpec& arch, bool bandwidth, Tracer& tracer,
                       std::vector<Tile*> tiles)
    : sc_core::sc_module(name),
      apus("apus"),
      tile_buses("tile_buses"),
      noc("noc"),
      global_buffer("global_buffer"),
      memory("memory"),
      p_(p),
      plan_(plan),
      arch_(arch),
      bandwidth_(bandwidth),
      tracer_(tracer),
      tiles_(std::move(tiles)),
      period_ps_(std::llround(arch.clock_period_s * 1e12)),
      bytes_per_value_(std::max(1, arch.data.input_bits / 8)),
      layers_(p.size()),
      tile_busy_(tiles_.size()) {
  trace_noc_ = tracer_.component(std::string(basename()) + ".noc");
  for (std::size_t i = 0; i < p.size(); ++i) {
    LayerState& s = layers_[i];
    s.positions = p[i].fused.outputPositions();
    s.r = plan.r[i];
    s.groups = ceilDiv(s.positions, s.r);
    s.wake = std::make_unique<sc_core::sc_event>();
    s.trace_id = tracer_.component("layer." + p[i].fused.name);
    for (const InputPath& in : p[i].inputs) {
      std::size_t slot = 0;
      while (slot < s.producers.size() && s.producers[slot].layer != in.producer) ++slot;
      if (slot == s.producers.size()) {
        const std::int64_t groups =
            ceilDiv(p[in.producer].fused.outputPositions(), plan.r[in.producer]);
        s.producers.push_back(
            {in.producer, std::vector<std::int64_t>(static_cast<std::size_t>(groups), -1)});
        layers_[in.producer].consumers.push_back(static_cast<int>(i));
      }
      s.path_producer.push_back(slot);
    }
  }
  SC_METHOD(start);
}

std::int64_t Controller::now() const {
  return static_cast<std::int64_t>(sc_core::sc_time_stamp().value()) / period_ps_;
}

void Controller::wakeAt(std::size_t layer, std::int64_t cycle) {
  const std::int64_t delay = std::max<std::int64_t>(0, cycle - now());
  layers_[layer].wake->notify(
      sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(delay * period_ps_)));
}

void Controller::start() {
  // The network input comes from main memory through the global buffer to the tiles of the
  // layers that read it.
  const std::int64_t input_bytes = p_.inputElements() * bytes_per_value_;
  const std::int64_t loaded = memory->transfer(input_bytes, 0);
  const std::int64_t buffered = global_buffer->transfer(input_bytes, loaded);
  const std::int64_t delivered = noc->transfer(input_bytes, buffered);
  input_ready_ = bandwidth_ ? delivered : 0;
  events_ += 3;
  tracer_.record(0, input_ready_, trace_noc_, -1, EventKind::kLoad);
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    sc_core::sc_spawn_options opts;
    opts.spawn_method();
    opts.dont_initialize();
    opts.set_sensitivity(layers_[i].wake.get());
    sc_core::sc_spawn([this, i] { advance(i); }, sc_core::sc_gen_unique_name("layer"), &opts);
    wakeAt(i, input_ready_);
  }
}

std::int64_t Controller::inputsReady(std::size_t layer, std::int64_t group) const {
  const LayerState& s = layers_[layer];
  std::int64_t ready = input_ready_;
  const std::vector<InputPath>& paths = p_[layer].inputs;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const std::int64_t need = neededOutputs(p_, layer, s.r, group, paths[k]);
    if (need == 0) continue;
    const Producer& prod = s.producers[s.path_producer[k]];
    const std::int64_t arrival =
        prod.arrival[static_cast<std::size_t>(ceilDiv(need, plan_.r[prod.layer]) - 1)];
    if (arrival < 0) return -1;
    ready = std::max(ready, arrival);
  }
  return ready;
}

std::int64_t Controller::bytesOf(std::size_t layer, std::int64_t values_per_set, std::int64_t group,
                                 std::size_t tile_index) const {
  const LayerState& s = layers_[layer];
  const std::int64_t positions = std::min(s.r, s.positions - group * s.r);
  const double sets = plan_.layers[layer].sets_on_tile[tile_index];
  return static_cast<std::int64_t>(
      std::ceil(sets * static_cast<double>(positions) / static_cast<double>(s.r) *
                static_cast<double>(values_per_set * bytes_per_value_)));
}

void Controller::complete(std::size_t layer, const Pending& g) {
  const LayerState& s = layers_[layer];
  const LayerPlacement& place = plan_.layers[layer];
  const FusedLayer& f = p_[layer].fused;
  std::int64_t sent = g.end;
  for (std::size_t t = 0; t < place.tiles.size(); ++t) {
    const std::int64_t bytes = bytesOf(layer, f.co, g.group, t);
    tiles_[static_cast<std::size_t>(place.tiles[t])]->output_buffer.write(bytes);
    tiles_[static_cast<std::size_t>(place.tiles[t])]->output_buffer.read(bytes);
  }
  if (s.consumers.empty()) {
    // Results leave for the global buffer.
    for (std::size_t t = 0; t < place.tiles.size(); ++t) {
      const std::int64_t bytes = bytesOf(layer, f.co, g.group, t);
      const std::int64_t arrived = global_buffer->transfer(bytes, noc->transfer(bytes, g.end));
      events_ += 2;
      if (bandwidth_) sent = std::max(sent, arrived);
    }
    done_ = std::max(done_, sent);
    tracer_.record(g.end, sent, trace_noc_, static_cast<std::int32_t>(layer), EventKind::kStore);
    return;
  }
  for (const int c : s.consumers) {
    LayerState& cs = layers_[static_cast<std::size_t>(c)];
    const LayerPlacement& cplace = plan_.layers[static_cast<std::size_t>(c)];
    std::int64_t arrival = g.end;
    for (std::size_t t = 0; t < place.tiles.size(); ++t) {
      const std::int64_t bytes = bytesOf(layer, f.co, g.group, t);
      for (const int ct : cplace.tiles) {
        tiles_[static_cast<std::size_t>(ct)]->input_buffer.write(bytes);
        if (ct == place.tiles[t]) continue;  // same tile: no inter-tile transfer
        arrival = std::max(arrival, noc->transfer(bytes, g.end));
        ++events_;
      }
    }
    tracer_.record(g.end, arrival, trace_noc_, static_cast<std::int32_t>(layer), EventKind::kSend);
    for (Producer& prod : cs.producers)
      if (prod.layer == static_cast<int>(layer))
        prod.arrival[static_cast<std::size_t>(g.group)] = arrival;
    wakeAt(static_cast<std::size_t>(c), arrival);
  }
  done_ = std::max(done_, g.end);
}

void Controller::advance(std::size_t layer) {
  LayerState& s = layers_[layer];
  const std::int64_t t = now();
  while (!s.pending.empty() && s.pending.front().end <= t) {
    complete(layer, s.pending.front());
    s.pending.pop_front();
  }
  if (!s.pending.empty()) wakeAt(layer, s.pending.front().end);
  const LayerPlacement& place = plan_.layers[layer];
  const FusedLayer& f = p_[layer].fused;
  while (s.next < s.groups) {
    if (s.fetched != s.next) {
      const std::int64_t ready = inputsReady(layer, s.next);
      if (ready < 0) return;  // a producer will wake us
      if (ready > t) {
        wakeAt(layer, ready);
        return;
      }
      // Fetch the group's input windows over every tile's bus.
      std::int64_t done = t;
      for (std::size_t k = 0; k < place.tiles.size(); ++k) {
        const std::int64_t bytes = bytesOf(layer, f.kc * f.kc * f.ci, s.next, k);
        Tile& tile = *tiles_[static_cast<std::size_t>(place.tiles[k])];
        tile.input_buffer.read(bytes);
        done = std::max(done,
                        tile_buses[static_cast<std::size_t>(place.tiles[k])]->transfer(bytes, t));
        ++events_;
      }
      s.fetched = s.next;
      s.fetch_done = done;
      if (done > t)
        tracer_.record(t, done, s.trace_id, static_cast<std::int32_t>(layer), EventKind::kFetch);
    }
    const std::int64_t fire = std::max(s.fetch_done, s.sets_free);
    if (fire > t) {
      wakeAt(layer, fire);
      return;
    }
    // Fire: every APU of the layer computes its share of the group.
    std::int64_t end = t;
    for (const std::int64_t a : place.apus)
      end = std::max(end, apus[static_cast<std::size_t>(a)]->compute(t));
    events_ += static_cast<std::int64_t>(place.apus.size());
    for (std::size_t k = 0; k < place.tiles.size(); ++k) {
      const double apus_on_tile = place.sets_on_tile[k] * static_cast<double>(f.set) *
                                  static_cast<double>(plan_.apus_per_logical);
      tile_busy_[static_cast<std::size_t>(place.tiles[k])].add(
          t, end, apus_on_tile * static_cast<double>(end - t));
    }
    tracer_.record(t, end, s.trace_id, static_cast<std::int32_t>(layer), EventKind::kCompute);
    records_.push_back({static_cast<std::int32_t>(layer), t, end});
    s.sets_free = end;
    s.pending.push_back({s.next, t, end});
    if (s.pending.size() == 1) wakeAt(layer, end);
    ++s.next;
  }
}

std::vector<SimLayer> Controller::layerStats(std::int64_t step_cycles) const {
  std::vector<SimLayer> out(layers_.size());
  for (const GroupRecord& g : records_) {
    SimLayer& l = out[static_cast<std::size_t>(g.layer)];
    if (l.groups == 0) l.first_cycle = g.start;
    ++l.groups;
    l.last_cycle = std::max(l.last_cycle, g.end);
  }
  for (SimLayer& l : out) {
    if (l.groups == 0) continue;
    l.first_step = l.first_cycle / step_cycles + 1;
    l.last_step = ceilDiv(l.last_cycle, step_cycles);
    l.wait_cycles = (l.last_cycle - l.first_cycle) - l.groups * step_cycles;
    l.stalls = l.last_step - l.first_step + 1 - l.groups;
  }
  return out;
}

}  // namespace xbarsim::sim
