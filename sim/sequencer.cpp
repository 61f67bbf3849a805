#include "sim/sequencer.h"

#include <algorithm>
#include <map>
#include <set>

#include "sim/sim_time.h"
#include "weights/ou_blocks.h"

namespace xbarsim::sim {
namespace {

constexpr std::int64_t kPartialSumBytes = 4;  // a partial sum leaves the crossbars as 32 bits

}  // namespace

Sequencer::Sequencer(sc_core::sc_module_name name, Chip& chip, const Network& net, const Plan& plan,
                     const WeightSource& weights)
    : sc_core::sc_module(name),
      chip_(chip),
      net_(net),
      plan_(plan),
      sched_(plan.schedule),
      weights_(weights),
      arch_(*chip.env.arch),
      graph_(*chip.env.graph),
      bytes_per_value_(chip.env.bytes_per_value),
      stats_(this->name()),
      write_wakeups_(stats_.declare("write_wakeups", "1", "write-engine method runs")),
      compute_wakeups_(stats_.declare("compute_wakeups", "1", "compute-engine method runs")),
      steps_done_(stats_.declare("steps", "1", "input vectors through a part's copies")) {
  const PeSpec& pe = arch_.chip.tile.pe;
  const CrossbarSpec& xb = pe.apu.crossbar;
  apus_per_row_ = pe.apus / pe.apu_rows;
  batch_rows_ = std::min<std::int64_t>(std::max(1, arch_.reram.rows_in_parallel), xb.rows);
  batches_ = (xb.rows + batch_rows_ - 1) / batch_rows_;
  delta_bytes_ = (batch_rows_ * xb.cols * pe.apu.crossbars * (xb.bits_per_cell + 1) + 7) / 8;
  write_trace_ = chip.env.tracer->component("chip.write_driver");
  compute_trace_ = chip.env.tracer->component("chip.controller");

  node_of_layer_.assign(plan.layers.size(), -1);
  banks_.assign(graph_.nodes.size(), nullptr);
  for (std::size_t n = 0; n < graph_.nodes.size(); ++n) {
    const Node& node = graph_.nodes[n];
    if (node.plan_layer >= 0)
      node_of_layer_[static_cast<std::size_t>(node.plan_layer)] = static_cast<int>(n);
    for (const LayerBanks& b : sched_.banks)
      if (b.layer == node.name) banks_[n] = &b;
    if (n > 0 && banks_[n] == nullptr)
      throw SimError("the schedule selects no global-buffer banks for layer '" + node.name + "'");
  }

  // The compute sequence: every layer of every inference in graph order, a crossbar layer as
  // its compute ops in schedule order.
  const std::size_t n_ops = sched_.ops.size();
  std::map<std::pair<int, int>, std::vector<std::int32_t>> parts;  // (inference, layer)
  compute_of_write_.assign(n_ops, -1);
  for (std::size_t i = 0; i < n_ops; ++i) {
    const SeqOp& op = sched_.ops[i];
    if (op.layer < 0 || static_cast<std::size_t>(op.layer) >= plan.layers.size())
      throw SimError("schedule op " + std::to_string(i) + " names no planned layer");
    for (const std::int32_t a : op.after)
      if (a < 0 || static_cast<std::size_t>(a) >= i)
        throw SimError("schedule op " + std::to_string(i) + " waits for op " + std::to_string(a) +
                       ", which is not an earlier op");
    for (const std::int32_t row : op.rows)
      if (row < 0 || row >= arch_.apuRows())
        throw SimError("schedule op " + std::to_string(i) + " uses APU row " + std::to_string(row) +
                       "; " + arch_.name + " has " + std::to_string(arch_.apuRows()));
    if (op.kind != SeqOp::Kind::kCompute) continue;
    parts[{op.inference, op.layer}].push_back(static_cast<std::int32_t>(i));
    for (const std::int32_t a : op.after) {
      const SeqOp& w = sched_.ops[static_cast<std::size_t>(a)];
      if (w.kind == SeqOp::Kind::kWrite && w.layer == op.layer && w.part == op.part &&
          w.inference == op.inference)
        compute_of_write_[static_cast<std::size_t>(a)] = static_cast<std::int32_t>(i);
    }
  }
  for (int k = 0; k < sched_.inferences; ++k)
    for (std::size_t n = 1; n < graph_.nodes.size(); ++n) {
      const Node& node = graph_.nodes[n];
      if (node.kind == NodeKind::kCrossbar) {
        const auto it = parts.find({k, node.plan_layer});
        if (it == parts.end())
          throw SimError("the schedule never computes layer '" + node.name + "' of inference " +
                         std::to_string(k));
        for (const std::int32_t op : it->second) items_.push_back({k, static_cast<int>(n), op});
        parts.erase(it);
      } else if (node.kind == NodeKind::kVector) {
        items_.push_back({k, static_cast<int>(n), -1});
      }
    }
  if (!parts.empty())
    throw SimError("the schedule computes layers of inferences beyond its " +
                   std::to_string(sched_.inferences));
  entry_.assign(static_cast<std::size_t>(sched_.inferences) * graph_.nodes.size(), -1);
  for (const Item& it : items_) {
    std::int32_t& e = entry_[static_cast<std::size_t>(it.inference) * graph_.nodes.size() +
                             static_cast<std::size_t>(it.node)];
    if (e >= 0) continue;
    e = static_cast<std::int32_t>(layers_.size());
    SeqLayerResult r;
    r.layer = graph_.nodes[static_cast<std::size_t>(it.node)].name;
    r.hardware = it.op >= 0 ? "crossbars" : "vector unit";
    r.inference = it.inference;
    layers_.push_back(r);
  }

  timing_.assign(n_ops, {});
  started_.assign(n_ops, false);
  unfinished_jobs_.assign(n_ops, 0);
  jobs_end_.assign(n_ops, 0);
  row_owner_.assign(static_cast<std::size_t>(arch_.apuRows()), -1);
  inference_end_.assign(static_cast<std::size_t>(sched_.inferences), 0);

  SC_METHOD(writeStep);
  sensitive << write_wake_;
  dont_initialize();
  SC_METHOD(computeStep);
  sensitive << compute_wake_;
  dont_initialize();
}

SeqLayerResult& Sequencer::entry(int inference, int node) {
  return layers_[static_cast<std::size_t>(
      entry_[static_cast<std::size_t>(inference) * graph_.nodes.size() +
             static_cast<std::size_t>(node)])];
}

void Sequencer::run() {
  write_wake_.notify(sc_core::SC_ZERO_TIME);
  compute_wake_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();
  if (item_ < items_.size()) {
    const Item& it = items_[item_];
    std::string waits;
    if (it.op >= 0)
      for (const std::int32_t a : sched_.ops[static_cast<std::size_t>(it.op)].after)
        if (timing_[static_cast<std::size_t>(a)].end < 0) waits += " " + std::to_string(a);
    throw SimError("layer-sequential run stopped at layer '" +
                   graph_.nodes[static_cast<std::size_t>(it.node)].name + "' of inference " +
                   std::to_string(it.inference) +
                   (waits.empty() ? "" : "; it waits for ops" + waits));
  }
  chip_.env.done = inference_end_.empty() ? 0 : inference_end_.back();
}

std::int64_t Sequencer::doneBy(const std::vector<std::int32_t>& ops) const {
  std::int64_t t = 0;
  for (const std::int32_t a : ops) {
    const std::int64_t end = timing_[static_cast<std::size_t>(a)].end;
    if (end < 0) return -1;
    t = std::max(t, end);
  }
  return t;
}

// ---- Writing ----------------------------------------------------------------------------

void Sequencer::writeStep() {
  write_wakeups_ += 1;
  const std::int64_t now = chip_.env.now();
  // Write ops whose ops before them have booked their ends start then (in list order).
  for (std::size_t i = next_write_; scan_writes_ && i < sched_.ops.size(); ++i) {
    if (started_[i] || sched_.ops[i].kind != SeqOp::Kind::kWrite) {
      if (i == next_write_) ++next_write_;
      continue;
    }
    const std::int64_t at = doneBy(sched_.ops[i].after);
    if (at < 0) continue;
    started_[i] = true;
    if (i == next_write_) ++next_write_;
    if (at <= now) {
      startWrite(static_cast<std::int32_t>(i), now);
    } else {
      // A job slot that only starts the op when its turn comes.
      Job start;
      start.op = static_cast<std::int32_t>(i);
      start.apu = -1;
      jobs_.push_back(std::move(start));
      calendar_.push({at, jobs_.size() - 1});
    }
  }
  scan_writes_ = false;
  while (!calendar_.empty() && calendar_.top().first <= now) {
    const std::size_t j = calendar_.top().second;
    calendar_.pop();
    if (jobs_[j].apu < 0) {
      startWrite(jobs_[j].op, now);
      jobs_[j] = Job{};
      free_jobs_.push_back(j);
    } else {
      advance(j, now);
    }
  }
  if (!calendar_.empty())
    next_trigger(cyclesToTime(calendar_.top().first - now, chip_.env.period_ps), write_wake_);
}

void Sequencer::startWrite(std::int32_t op_index, std::int64_t now) {
  const SeqOp& op = sched_.ops[static_cast<std::size_t>(op_index)];
  const PlanLayer& pl = plan_.layers[static_cast<std::size_t>(op.layer)];
  const Layer& layer = net_.layer(pl.vertex);
  const int node = node_of_layer_[static_cast<std::size_t>(op.layer)];
  for (const std::int32_t row : op.rows) {
    const std::int32_t owner = row_owner_[static_cast<std::size_t>(row)];
    if (owner >= 0) {
      const std::int32_t c = compute_of_write_[static_cast<std::size_t>(owner)];
      if (c < 0 || timing_[static_cast<std::size_t>(c)].end < 0 ||
          timing_[static_cast<std::size_t>(c)].end > now)
        throw SimError("schedule op " + std::to_string(op_index) + " overwrites APU row " +
                       std::to_string(row) + " while op " + std::to_string(owner) +
                       "'s weights there have not been computed with");
    }
    row_owner_[static_cast<std::size_t>(row)] = op_index;
  }
  timing_[static_cast<std::size_t>(op_index)].start = now;
  SeqLayerResult& r = entry(op.inference, node);
  if (r.write_start < 0) r.write_start = now;

  const CrossbarSpec& xb = arch_.chip.tile.pe.apu.crossbar;
  const std::int64_t per_xbar = static_cast<std::int64_t>(xb.rows) * xb.cols;
  const int slices = arch_.physicalPerLogical();
  const int xbars = arch_.chip.tile.pe.apu.crossbars;
  const std::uint32_t mask = (1u << xb.bits_per_cell) - 1;
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>> codes;
  std::int32_t jobs = 0;
  for (std::size_t k = 0; k < op.rows.size(); ++k) {
    const UnitSpan span =
        unitSpan(arch_, layer, op.first_unit + static_cast<std::int64_t>(k) % op.units);
    const std::int64_t row = op.rows[k];
    const std::int64_t first_apu = row / arch_.chip.tile.pe.apu_rows * arch_.chip.tile.pe.apus +
                                   row % arch_.chip.tile.pe.apu_rows * apus_per_row_;
    std::map<std::int64_t, std::size_t> job_of;  // APU of the row -> its job
    for (std::int64_t c = 0; c < span.block_cols; ++c) {
      const auto key = std::make_pair(span.block_row, span.first_block_col + c);
      auto it = codes.find(key);
      if (it == codes.end())
        it = codes.emplace(key, weights_.block(net_, arch_, pl, key.first, key.second)).first;
      for (int s = 0; s < slices; ++s) {
        const std::int64_t p = c * slices + s;
        const std::int64_t apu = first_apu + p / xbars;
        auto j = job_of.find(apu);
        if (j == job_of.end()) {
          std::size_t slot = jobs_.size();
          if (!free_jobs_.empty()) {
            slot = free_jobs_.back();
            free_jobs_.pop_back();
          } else {
            jobs_.emplace_back();
          }
          Job& job = jobs_[slot];
          job.op = op_index;
          job.apu = apu;
          job.node = node;
          job.levels.assign(static_cast<std::size_t>(xbars * per_xbar), 0);
          job.kept.assign(static_cast<std::size_t>(xbars), 0);
          job.first_physical = (apu - first_apu) * xbars;
          job.batch = 0;
          job.write_free = now;
          job.first = -1;
          j = job_of.emplace(apu, slot).first;
          ++jobs;
        }
        std::uint8_t* out = jobs_[j->second].levels.data() + p % xbars * per_xbar;
        const std::vector<std::uint32_t>& src = it->second;
        const int shift = s * xb.bits_per_cell;
        for (std::int64_t i = 0; i < per_xbar; ++i)
          out[i] = static_cast<std::uint8_t>((src[static_cast<std::size_t>(i)] >> shift) & mask);
      }
    }
    for (const auto& [apu, slot] : job_of) {
      chip_.env.apu(apu).countRewrite();
      calendar_.push({now, slot});
    }
  }
  unfinished_jobs_[static_cast<std::size_t>(op_index)] = jobs;
  if (jobs == 0) finishOp(op_index, now);
  write_wake_.notify(sc_core::SC_ZERO_TIME);
}

void Sequencer::advance(std::size_t j, std::int64_t now) {
  Job& job = jobs_[j];
  Apu& apu = chip_.env.apu(job.apu);
  const std::int64_t rows = arch_.chip.tile.pe.apu.crossbar.rows;
  const std::int64_t pe = job.apu / arch_.chip.tile.pe.apus;
  const int tile = static_cast<int>(pe / arch_.chip.tile.pes);
  Buffer& buffer = chip_.tiles[static_cast<std::size_t>(tile)]
                       ->pes[static_cast<std::size_t>(pe % arch_.chip.tile.pes)]
                       ->buffer;
  while (job.batch < batches_) {
    const std::int64_t first = job.batch * batch_rows_;
    const Apu::RowChange c = apu.rewrite(job.node, first, std::min(first + batch_rows_, rows),
                                         job.levels.data(), job.kept.data());
    ++job.batch;
    if (c.level_steps == 0) continue;  // every cell already holds its new level
    const SeqOp& op = sched_.ops[static_cast<std::size_t>(job.op)];
    entry(op.inference, job.node).level_steps += c.level_steps;
    level_steps_ += c.level_steps;
    ++row_writes_;
    fetched_bytes_ += delta_bytes_;
    std::int64_t ready = chip_.main_memory.transfer(job.node, delta_bytes_, now);
    ready = chip_.noc->send({job.node, job.node, kMemoryPort, tile, delta_bytes_, ready});
    ready = buffer.transfer(job.node, delta_bytes_, ready);
    if (job.first < 0) job.first = now;
    const std::int64_t start = std::max(ready, job.write_free);
    job.write_free = start + chip_.write_driver.rowCycles(c.decrease, c.increase);
    if (job.batch < batches_) {
      calendar_.push({start, j});  // the next batch's deltas are fetched while this one writes
      return;
    }
  }
  // The job is done: the cells each slice kept (partial weight reuse's skipping, measured).
  const SeqOp& done = sched_.ops[static_cast<std::size_t>(job.op)];
  SeqLayerResult& entry_of = entry(done.inference, job.node);
  const auto slices = static_cast<std::size_t>(arch_.physicalPerLogical());
  if (entry_of.kept_cells.empty()) {
    entry_of.kept_cells.assign(slices, 0);
    entry_of.examined_cells.assign(slices, 0);
  }
  const std::int64_t per_xbar = rows * arch_.chip.tile.pe.apu.crossbar.cols;
  for (std::size_t x = 0; x < job.kept.size(); ++x) {
    const auto slice =
        static_cast<std::size_t>(job.first_physical + static_cast<std::int64_t>(x)) % slices;
    entry_of.kept_cells[slice] += job.kept[x];
    entry_of.examined_cells[slice] += per_xbar;
  }
  chip_.env.tracer->record(std::max<std::int64_t>(job.first, 0), job.write_free, write_trace_,
                           job.node, EventKind::kProgram);
  const std::int32_t op = job.op;
  std::int64_t& latest = jobs_end_[static_cast<std::size_t>(op)];
  latest = std::max(latest, job.write_free);
  job.levels.clear();
  job.levels.shrink_to_fit();
  free_jobs_.push_back(j);
  if (--unfinished_jobs_[static_cast<std::size_t>(op)] == 0) finishOp(op, latest);
}

void Sequencer::finishOp(std::int32_t op, std::int64_t end) {
  SeqOpTiming& t = timing_[static_cast<std::size_t>(op)];
  t.end = std::max(end, t.start);
  const SeqOp& o = sched_.ops[static_cast<std::size_t>(op)];
  if (o.kind == SeqOp::Kind::kWrite) {
    SeqLayerResult& r = entry(o.inference, node_of_layer_[static_cast<std::size_t>(o.layer)]);
    r.write_end = std::max(r.write_end, t.end);
  } else {
    // Rows it used may take new weights from its end: the write engine looks.
    scan_writes_ = true;
    write_wake_.notify(sc_core::SC_ZERO_TIME);
  }
  compute_wake_.notify(sc_core::SC_ZERO_TIME);
}

// ---- Computing --------------------------------------------------------------------------

Sequencer::PartWork Sequencer::partWork(const SeqOp& op) const {
  const PlanLayer& pl = plan_.layers[static_cast<std::size_t>(op.layer)];
  const Layer& l = net_.layer(pl.vertex);
  const CrossbarGrid g = crossbarGrid(arch_, l);
  const CrossbarSpec& xb = arch_.chip.tile.pe.apu.crossbar;
  const std::int64_t co = l.out.c, fan_in = l.weights / co;
  const std::int64_t B = bytes_per_value_;
  PartWork w;
  // Values one unit's row takes in (its block row's inputs).
  const auto rowInputs = [&](std::int64_t block_row) {
    if (l.spec.type == LayerType::kDwConv) return static_cast<std::int64_t>(xb.rows);
    return std::min<std::int64_t>(xb.rows, fan_in - block_row * xb.rows);
  };
  if (l.spec.type == LayerType::kDwConv) {
    // Block-diagonal: each unit holds whole channels; its outputs are final.
    const std::int64_t total = unitsPerCopy(arch_, l);
    const std::int64_t channels = (co * op.units + total - 1) / total;
    w.in_bytes = channels * fan_in * B;
    w.out_bytes = channels * B;
    w.sfu_ops = channels;
  } else {
    std::set<std::int64_t> block_rows;
    std::map<std::int64_t, std::int64_t> in_group;  // column group -> its units in this part
    for (std::int64_t u = op.first_unit; u < op.first_unit + op.units; ++u) {
      block_rows.insert(u % g.block_rows);
      ++in_group[u / g.block_rows];
    }
    for (const std::int64_t br : block_rows) w.in_bytes += rowInputs(br) * B;
    for (const auto& [group, here] : in_group) {
      const UnitSpan span = unitSpan(arch_, l, group * g.block_rows);
      std::int64_t width = 0;
      for (std::int64_t c = 0; c < span.block_cols; ++c)
        width += std::min<std::int64_t>(xb.cols, co - (span.first_block_col + c) * xb.cols);
      const std::int64_t before =
          std::clamp<std::int64_t>(op.first_unit - group * g.block_rows, 0, g.block_rows);
      const bool final = before + here == g.block_rows;
      w.in_bytes += before > 0 ? width * kPartialSumBytes : 0;
      w.out_bytes += width * (final ? B : kPartialSumBytes);
      w.adds += width * (here - 1 + (before > 0 ? 1 : 0));
      w.sfu_ops += final ? width : 0;
    }
  }
  // Where the part's rows are, and what each PE takes in per step.
  const PeSpec& pe = arch_.chip.tile.pe;
  const int slices = arch_.physicalPerLogical();
  std::map<std::int64_t, std::size_t> pe_index;
  std::map<int, double> tile_bytes;
  std::map<int, std::int64_t> tile_crossbars;
  double total = 0;
  w.copy_apus.resize(static_cast<std::size_t>(op.copies));
  w.copy_pe.resize(static_cast<std::size_t>(op.copies));
  w.copy_activations.resize(static_cast<std::size_t>(op.copies));
  const std::vector<std::vector<std::uint8_t>>* masks =
      chip_.env.ou_masks ? &(*chip_.env.ou_masks)[static_cast<std::size_t>(op.layer)] : nullptr;
  if (masks && masks->empty()) masks = nullptr;
  for (std::size_t k = 0; k < op.rows.size(); ++k) {
    const std::int64_t unit = op.first_unit + static_cast<std::int64_t>(k) % op.units;
    const auto copy = static_cast<std::size_t>(static_cast<std::int64_t>(k) / op.units);
    const UnitSpan span = unitSpan(arch_, l, unit);
    const std::int64_t row = op.rows[k];
    const std::int64_t pe_global = row / pe.apu_rows;
    const int tile = static_cast<int>(pe_global / arch_.chip.tile.pes);
    auto it = pe_index.find(pe_global);
    if (it == pe_index.end()) {
      it = pe_index.emplace(pe_global, w.pes.size()).first;
      w.pes.push_back(pe_global);
      w.pe_bytes.push_back(0);
    }
    const std::int64_t bytes = rowInputs(span.block_row) * B;
    w.pe_bytes[it->second] += bytes;
    tile_bytes[tile] += static_cast<double>(bytes);
    tile_crossbars[tile] += span.block_cols;
    total += static_cast<double>(bytes);
    const std::int64_t first_apu = pe_global * pe.apus + row % pe.apu_rows * apus_per_row_;
    const std::int64_t used = (span.block_cols * slices + pe.apu.crossbars - 1) / pe.apu.crossbars;
    for (std::int64_t a = 0; a < used; ++a) {
      w.copy_apus[copy].push_back(first_apu + a);
      w.copy_pe[copy].push_back(static_cast<int>(it->second));
      // The APU holds physical crossbars a x per_apu .. of the unit's blocks (slices of a block
      // together): the OU positions active in any of those blocks.
      OuLoad activations = pe.apu.fullOuLoad();
      if (masks) {
        std::vector<const std::vector<std::uint8_t>*> held;
        const std::int64_t per_apu = pe.apu.crossbars;
        for (std::int64_t c = a * per_apu / slices;
             c <= std::min(span.block_cols - 1, ((a + 1) * per_apu - 1) / slices); ++c)
          held.push_back(&(*masks)[static_cast<std::size_t>(span.block_row * g.block_cols +
                                                            span.first_block_col + c)]);
        activations = activeOuLoad(arch_, held);
      }
      w.copy_activations[copy].push_back(activations);
    }
  }
  w.step_bytes = static_cast<std::int64_t>(total);
  for (const auto& [tile, bytes] : tile_bytes) {
    w.tiles.push_back(tile);
    w.tile_share.push_back(total > 0 ? bytes / total : 0);
    w.tile_crossbars.push_back(tile_crossbars[tile]);
  }
  for (const std::int64_t pe_global : w.pes)
    w.pe_tile.push_back(
        static_cast<std::size_t>(std::find(w.tiles.begin(), w.tiles.end(),
                                           static_cast<int>(pe_global / arch_.chip.tile.pes)) -
                                 w.tiles.begin()));
  std::int64_t most = 0;
  for (const std::int64_t b : w.pe_bytes) most = std::max(most, b);
  w.double_buffered = static_cast<double>(2 * most) <= pe.buffer.size_bytes;
  return w;
}

std::int64_t Sequencer::loadOrStore(int node, std::int64_t bytes, bool load, std::int64_t now,
                                    GlobalBuffer::Side side) {
  if (load)
    return chip_.global_buffer.write(node, bytes, chip_.main_memory.transfer(node, bytes, now),
                                     side);
  return chip_.main_memory.transfer(node, bytes, chip_.global_buffer.read(node, bytes, now, side));
}

std::int64_t Sequencer::spill(int node, const LayerBanks& banks, std::int64_t now) {
  if (banks.parts <= 1) return now;
  // The share that does not fit goes to main memory and comes back.
  const auto bytes = static_cast<std::int64_t>((banks.input_bytes + banks.output_bytes) *
                                               (banks.parts - 1) / banks.parts);
  constexpr GlobalBuffer::Side kBoth = GlobalBuffer::Side::kAll;  // inputs and outputs alike
  return loadOrStore(node, bytes, true, loadOrStore(node, bytes, false, now, kBoth), kBoth);
}

std::int64_t Sequencer::vectorLayer(const Item& it, std::int64_t now) {
  const Node& n = graph_.nodes[static_cast<std::size_t>(it.node)];
  std::int64_t in = 0;
  for (const NodeInput& i : n.inputs)
    in += graph_.nodes[static_cast<std::size_t>(i.producer)].out.elements() * bytes_per_value_;
  std::int64_t t = chip_.global_buffer.read(it.node, in, now);
  t = chip_.tiles[0]->vector_unit.run(it.node, n.ops_per_position * n.positions, t);
  return chip_.global_buffer.write(it.node, n.out.elements() * bytes_per_value_, t);
}

bool Sequencer::begin(std::size_t i, std::int64_t now) {
  const Item& it = items_[i];
  std::int64_t t0 = std::max(now, compute_free_);
  if (it.op >= 0) {
    const SeqOp& op = sched_.ops[static_cast<std::size_t>(it.op)];
    const std::int64_t deps = doneBy(op.after);
    if (deps < 0) return false;
    if (deps > now) {
      next_trigger(cyclesToTime(deps - now, chip_.env.period_ps));
      return false;
    }
    for (const std::int32_t row : op.rows) {
      const std::int32_t owner = row_owner_[static_cast<std::size_t>(row)];
      if (owner < 0 || compute_of_write_[static_cast<std::size_t>(owner)] != it.op)
        throw SimError("schedule op " + std::to_string(it.op) + " computes on APU row " +
                       std::to_string(row) + ", which does not hold its weights");
    }
  }
  SeqLayerResult& r = entry(it.inference, it.node);
  r.stall_cycles += std::max<std::int64_t>(0, t0 - compute_free_);  // waiting for weights
  const bool first_of_layer = r.parts == 0;
  if (first_of_layer) {
    const LayerBanks& banks = *banks_[static_cast<std::size_t>(it.node)];
    chip_.global_buffer.route(banks.input_banks, banks.output_banks);
    // The network input comes from main memory before an inference's first layer.
    if (i == 0 || items_[i - 1].inference != it.inference)
      t0 = loadOrStore(0, graph_.nodes[0].out.elements() * bytes_per_value_, true, t0,
                       GlobalBuffer::Side::kInputs);
    std::vector<int> on = banks.input_banks;
    on.insert(on.end(), banks.output_banks.begin(), banks.output_banks.end());
    chip_.global_buffer.power(on, t0);
    t0 = spill(it.node, banks, t0);
    r.start = t0;
  }
  ++r.parts;
  if (it.op < 0) {
    part_start_ = t0;
    part_end_ = vectorLayer(it, t0);
    return true;
  }
  const SeqOp& op = sched_.ops[static_cast<std::size_t>(it.op)];
  r.max_copies = std::max(r.max_copies, op.copies);
  work_ = partWork(op);
  positions_ = graph_.nodes[static_cast<std::size_t>(it.node)].positions;
  steps_ = (positions_ + op.copies - 1) / op.copies;
  step_ = 0;
  next_issue_ = t0;
  apus_free_ = t0;
  part_start_ = t0;
  part_end_ = t0;
  timing_[static_cast<std::size_t>(it.op)].start = t0;
  if (chip_.env.tracer->on()) tile_work_.assign(work_.tiles.size(), {-1, 0});
  in_part_ = true;
  return true;
}

void Sequencer::computeStep() {
  compute_wakeups_ += 1;
  const std::int64_t now = chip_.env.now();
  while (item_ < items_.size()) {
    const Item& it = items_[item_];
    if (!in_part_) {
      if (compute_free_ > now) {
        next_trigger(cyclesToTime(compute_free_ - now, chip_.env.period_ps));
        return;
      }
      if (!begin(item_, now)) return;  // waits for its weights (woken, or a timer was set)
    }
    if (it.op >= 0 && in_part_) {
      const SeqOp& op = sched_.ops[static_cast<std::size_t>(it.op)];
      flushOutputs(it.node, now);
      while (step_ < steps_ && next_issue_ <= now) {
        const std::int64_t q = std::min(op.copies, positions_ - step_ * op.copies);
        const double frac = static_cast<double>(q) / static_cast<double>(op.copies);
        std::int64_t t = chip_.global_buffer.read(it.node, q * work_.in_bytes, next_issue_);
        std::vector<std::int64_t> at_tile(work_.tiles.size());
        for (std::size_t k = 0; k < work_.tiles.size(); ++k)
          at_tile[k] = chip_.noc->send(
              {it.node, it.node, kMemoryPort, work_.tiles[k],
               static_cast<std::int64_t>(work_.tile_share[k] *
                                         static_cast<double>(work_.step_bytes) * frac),
               t});
        std::vector<std::int64_t> at_pe(work_.pes.size());
        std::int64_t inputs_in = next_issue_;
        for (std::size_t k = 0; k < work_.pes.size(); ++k) {
          const std::int64_t pe = work_.pes[k];
          const std::size_t ti = work_.pe_tile[k];
          at_pe[k] =
              chip_.tiles[static_cast<std::size_t>(work_.tiles[ti])]
                  ->pes[static_cast<std::size_t>(pe % arch_.chip.tile.pes)]
                  ->buffer.transfer(
                      it.node,
                      static_cast<std::int64_t>(static_cast<double>(work_.pe_bytes[k]) * frac),
                      at_tile[ti]);
          inputs_in = std::max(inputs_in, at_pe[k]);
        }
        std::int64_t done = inputs_in;
        for (std::int64_t c = 0; c < q; ++c) {
          const auto& apus = work_.copy_apus[static_cast<std::size_t>(c)];
          const auto& pes = work_.copy_pe[static_cast<std::size_t>(c)];
          const auto& activations = work_.copy_activations[static_cast<std::size_t>(c)];
          for (std::size_t a = 0; a < apus.size(); ++a) {
            const std::int64_t in = at_pe[static_cast<std::size_t>(pes[a])];
            const std::int64_t out = chip_.env.apu(apus[a]).compute(it.node, in, activations[a]);
            done = std::max(done, out);
            if (!tile_work_.empty()) {
              auto& [first, last] = tile_work_[work_.pe_tile[static_cast<std::size_t>(pes[a])]];
              if (first < 0) first = in;
              last = std::max(last, out);
            }
          }
        }
        outputs_.push_back({done, q});
        const std::int64_t taken = std::max(inputs_in, apus_free_);
        next_issue_ = work_.double_buffered ? inputs_in : taken;
        next_issue_ = std::max(next_issue_, now + 1);
        apus_free_ = done;
        ++step_;
        steps_done_ += 1;
      }
      flushOutputs(it.node, now);
      if (step_ < steps_ || !outputs_.empty()) {
        std::int64_t next = step_ < steps_ ? next_issue_ : outputs_.front().first;
        if (!outputs_.empty()) next = std::min(next, outputs_.front().first);
        next_trigger(cyclesToTime(next - now, chip_.env.period_ps));
        return;
      }
      in_part_ = false;
    }
    // The item is booked to end at part_end_.
    SeqLayerResult& r = entry(it.inference, it.node);
    r.compute_cycles += part_end_ - part_start_;
    r.end = std::max(r.end, part_end_);
    chip_.env.tracer->record(part_start_, part_end_, compute_trace_, it.node, EventKind::kCompute);
    for (std::size_t k = 0; k < tile_work_.size(); ++k)
      if (tile_work_[k].first >= 0)
        chip_.tiles[static_cast<std::size_t>(work_.tiles[k])]->traceWork(
            EventKind::kCompute, tile_work_[k].first, tile_work_[k].second, it.node,
            work_.tile_crossbars[k], positions_);
    tile_work_.clear();
    compute_free_ = part_end_;
    if (it.op >= 0) finishOp(it.op, part_end_);
    const bool last_of_inference =
        item_ + 1 == items_.size() || items_[item_ + 1].inference != it.inference;
    if (last_of_inference) {
      std::int64_t end = part_end_;
      for (const Node& n : graph_.nodes)
        if (n.consumers.empty() && &n != &graph_.nodes[0])
          end = std::max(end, loadOrStore(static_cast<int>(&n - graph_.nodes.data()),
                                          n.out.elements() * bytes_per_value_, false, part_end_,
                                          GlobalBuffer::Side::kOutputs));
      inference_end_[static_cast<std::size_t>(it.inference)] = end;
      compute_free_ = end;
    }
    ++item_;
    if (compute_free_ > now) {
      next_trigger(cyclesToTime(compute_free_ - now, chip_.env.period_ps));
      return;
    }
  }
  if (item_ == items_.size()) chip_.global_buffer.power({}, compute_free_);
}

void Sequencer::flushOutputs(int node, std::int64_t now) {
  // Results leave when they are done (not booked ahead of time, which would hold the shared
  // links against the next steps' inputs): to the accumulator and SFU, then the global buffer.
  while (!outputs_.empty() && outputs_.front().first <= now) {
    const auto [done, q] = outputs_.front();
    outputs_.pop_front();
    std::int64_t back = done;
    for (std::size_t k = 0; k < work_.tiles.size(); ++k)
      back = std::max(
          back,
          chip_.noc->send({node, -1, work_.tiles[k], kMemoryPort,
                           static_cast<std::int64_t>(work_.tile_share[k] *
                                                     static_cast<double>(q * work_.out_bytes)),
                           done}));
    std::int64_t t = chip_.accumulator.run(node, q * work_.adds, back);
    t = chip_.tiles[0]->vector_unit.run(node, q * work_.sfu_ops, t);
    t = chip_.global_buffer.write(node, q * work_.out_bytes, t);
    part_end_ = std::max(part_end_, t);
  }
}

SequentialResult Sequencer::result() const {
  SequentialResult r;
  r.scheduler = sched_.scheduler;
  r.inferences = sched_.inferences;
  r.ops = timing_;
  r.layers = layers_;
  for (SeqLayerResult& l : r.layers)
    l.write_energy_j = static_cast<double>(l.level_steps) * arch_.reram.pulses_per_level_step *
                       arch_.reram.write_energy_per_pulse_j;
  r.inference_end = inference_end_;
  std::vector<double> examined;  // per cell position, over every layer
  for (const SeqLayerResult& l : layers_)
    for (std::size_t i = 0; i < l.kept_cells.size(); ++i) {
      if (r.kept_fraction.size() <= i) {
        r.kept_fraction.resize(i + 1, 0);
        examined.resize(i + 1, 0);
      }
      r.kept_fraction[i] += static_cast<double>(l.kept_cells[i]);
      examined[i] += static_cast<double>(l.examined_cells[i]);
    }
  for (std::size_t i = 0; i < r.kept_fraction.size(); ++i)
    r.kept_fraction[i] = examined[i] > 0 ? r.kept_fraction[i] / examined[i] : 0;
  r.level_steps = level_steps_;
  r.pulses = level_steps_ * arch_.reram.pulses_per_level_step;
  r.row_writes = row_writes_;
  r.delta_bytes = fetched_bytes_;
  const std::vector<std::int64_t> powered = chip_.global_buffer.poweredCycles(chip_.env.done);
  for (std::size_t b = 0; b < powered.size(); ++b) {
    const BankSpec& s = arch_.chip.global_buffer.banks[b];
    r.banks.push_back({static_cast<int>(b), s.size_bytes, s.static_power_w, powered[b],
                       s.static_power_w * static_cast<double>(powered[b]) * arch_.clock_period_s});
  }
  return r;
}

}  // namespace xbarsim::sim
