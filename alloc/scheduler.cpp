#include "alloc/scheduler.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "alloc/bank_selection.h"
#include "alloc/weight_reuse.h"
#include "io/registry.h"

namespace xbarsim {
namespace {

bool isWeightLayer(LayerType t) {
  return t == LayerType::kConv || t == LayerType::kDwConv || t == LayerType::kFc;
}

// Bytes of the tensors the global buffer holds while `v` computes: its inputs, with every
// tensor produced earlier that a later layer still needs, and its output.
std::vector<LayerBanks> layerBanks(const Network& net, const ArchSpec& arch) {
  const double bytes = std::max(1, arch.data.input_bits / 8);
  const std::vector<Vertex>& order = net.topoOrder();
  std::map<Vertex, std::size_t> position;
  position[0] = 0;
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i + 1;
  // Each tensor's last use, by position.
  std::map<Vertex, std::size_t> last_use;
  for (const Vertex v : order)
    for (const Vertex u : net.producers(v)) last_use[u] = std::max(last_use[u], position[v]);
  std::vector<LayerBanks> out;
  for (const Vertex v : order) {
    const std::size_t at = position[v];
    LayerBanks b;
    b.layer = net.layer(v).spec.name;
    for (const auto& [u, last] : last_use)
      if (position[u] < at && last >= at)
        b.input_bytes += static_cast<double>(net.layer(u).out.elements()) * bytes;
    b.output_bytes = static_cast<double>(net.layer(v).out.elements()) * bytes;
    const BankChoice c = selectLayerBanks(arch.chip.global_buffer, b.input_bytes, b.output_bytes);
    b.input_banks = c.input_banks;
    b.output_banks = c.output_banks;
    b.parts = c.parts;
    out.push_back(b);
  }
  return out;
}

}  // namespace

bool registerScheduler(SchedulerInfo info) {
  return Registry<SchedulerInfo>::add(std::move(info));
}

const std::vector<SchedulerInfo>& schedulers() {
  return Registry<SchedulerInfo>::all();
}

std::int64_t SeqProblem::computeCycles(std::size_t i, std::int64_t copies) const {
  const std::int64_t p = sequence[i].positions;
  return (p + copies - 1) / copies * step_cycles;
}

std::vector<Binding> fillInOrder(const SeqProblem& p, std::size_t next, std::int64_t next_unit,
                                 std::int64_t free_rows, std::size_t max_layers) {
  std::vector<Binding> out;
  while (free_rows > 0 && next < p.sequence.size() && out.size() < max_layers) {
    const std::int64_t units = std::min(p.sequence[next].units - next_unit, free_rows);
    out.push_back({next, next_unit, units, 1});
    free_rows -= units;
    ++next;
    next_unit = 0;
  }
  return out;
}

SeqProblem seqProblem(const Network& net, const ArchSpec& arch, const Plan& plan,
                      std::int64_t inferences) {
  SeqProblem p;
  p.rows = arch.apuRows();
  p.step_cycles = arch.computeStageCycles();
  const CrossbarSpec& xb = arch.chip.tile.pe.apu.crossbar;
  const ReramDeviceSpec& dev = arch.reram;
  const std::int64_t batches =
      (xb.rows + std::max(1, dev.rows_in_parallel) - 1) / std::max(1, dev.rows_in_parallel);
  p.write_cycles = batches * arch.worstRowWriteCycles();
  for (std::int64_t k = 0; k < inferences; ++k)
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
      const Layer& l = net.layer(plan.layers[i].vertex);
      p.sequence.push_back({static_cast<int>(i), static_cast<int>(k), unitsPerCopy(arch, l),
                            l.out.h * l.out.w, l.out.h * l.out.w > 1});
    }
  return p;
}

std::vector<SeqOp> scheduleOps(const SeqProblem& p, const Scheduler& scheduler) {
  std::vector<SeqOp> ops;
  std::set<std::int32_t> free;
  for (std::int64_t r = 0; r < p.rows; ++r) free.insert(static_cast<std::int32_t>(r));
  std::vector<std::int32_t> released_by(static_cast<std::size_t>(p.rows), -1);
  std::deque<std::int32_t> written;  // write ops whose part has not computed yet
  std::map<std::size_t, int> parts;  // per sequence entry: parts bound so far
  std::size_t next = 0;
  std::int64_t next_unit = 0;

  const auto bind = [&] {
    for (const Binding& b :
         scheduler.bind(p, next, next_unit, static_cast<std::int64_t>(free.size()))) {
      const SeqLayer& l = p.sequence[b.seq];
      const std::int64_t rows = b.units * b.copies;
      if (b.seq != next || b.first_unit != next_unit || b.units < 1 || b.copies < 1 ||
          b.first_unit + b.units > l.units || rows > static_cast<std::int64_t>(free.size()) ||
          (b.copies > 1 && b.units != l.units))
        throw Error("scheduler bound an invalid part (sequence entry " + std::to_string(b.seq) +
                    ", units " + std::to_string(b.first_unit) + "+" + std::to_string(b.units) +
                    " x " + std::to_string(b.copies) + ")");
      SeqOp op;
      op.kind = SeqOp::Kind::kWrite;
      op.inference = l.inference;
      op.layer = l.layer;
      op.part = parts[b.seq]++;
      op.first_unit = b.first_unit;
      op.units = b.units;
      op.copies = b.copies;
      std::set<std::int32_t> after;
      for (std::int64_t k = 0; k < rows; ++k) {
        const std::int32_t row = *free.begin();
        free.erase(free.begin());
        op.rows.push_back(row);
        if (released_by[static_cast<std::size_t>(row)] >= 0)
          after.insert(released_by[static_cast<std::size_t>(row)]);
      }
      op.after.assign(after.begin(), after.end());
      written.push_back(static_cast<std::int32_t>(ops.size()));
      ops.push_back(std::move(op));
      next_unit += b.units;
      if (next_unit == l.units) {
        ++next;
        next_unit = 0;
      }
    }
  };

  bind();
  std::int32_t last_compute = -1;
  while (!written.empty()) {
    const std::int32_t w = written.front();
    written.pop_front();
    SeqOp c = ops[static_cast<std::size_t>(w)];
    c.kind = SeqOp::Kind::kCompute;
    c.after = {w};
    if (last_compute >= 0) c.after.insert(c.after.begin(), last_compute);
    last_compute = static_cast<std::int32_t>(ops.size());
    for (const std::int32_t row : c.rows) {
      free.insert(row);
      released_by[static_cast<std::size_t>(row)] = last_compute;
    }
    ops.push_back(std::move(c));
    if (scheduler.bindsWhileBusy() || written.empty()) bind();
    if (written.empty() && next < p.sequence.size())
      throw Error("scheduler bound nothing into " + std::to_string(free.size()) +
                  " free APU rows with weights left to write");
  }
  return ops;
}

Plan sequentialPlan(const Network& net, const ArchSpec& arch, const std::string& scheduler,
                    std::int64_t inferences, const WeightSource* reuse) {
  if (inferences < 1)
    throw ConfigError("inferences must be at least 1, not " + std::to_string(inferences));
  const std::unique_ptr<Scheduler> s = Registry<SchedulerInfo>::find(scheduler, "scheduler").make();
  Plan plan;
  plan.mode = "layer-sequential";
  plan.apus_per_logical = std::max(1, arch.physicalPerLogical() / arch.chip.tile.pe.apu.crossbars);
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    if (!isWeightLayer(l.spec.type)) continue;
    PlanLayer pl;
    pl.name = l.spec.name;
    pl.vertex = v;
    const CrossbarGrid g = crossbarGrid(arch, l);
    pl.set = g.block_rows * g.block_cols;
    plan.layers.push_back(pl);
  }
  plan.schedule.scheduler = scheduler;
  plan.schedule.inferences = inferences;
  plan.schedule.ops = scheduleOps(seqProblem(net, arch, plan, inferences), *s);
  plan.schedule.banks = layerBanks(net, arch);
  if (reuse) {
    plan.schedule.reuse =
        chooseWeightReuse(codeHistograms(net, arch, plan, *reuse), arch.data.weight_bits,
                          arch.chip.tile.pe.apu.crossbar.bits_per_cell);
    for (std::size_t i = 0; i < plan.layers.size(); ++i)
      plan.layers[i].weight_shift = plan.schedule.reuse.shift[i];
  }
  return plan;
}

}  // namespace xbarsim
