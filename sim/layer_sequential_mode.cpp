// Layer-sequential execution (ARAS): the network's weights need not fit on the chip. One layer
// computes at a time while the weights of the following layers are written into APU rows
// that have finished, following the Plan's instruction list (sim/sequencer.h executes it).
// Figures of its own: inferences per second in the steady state, the paper's upper bound and
// the fraction of it reached, energy split into compute, ReRAM writing, static (global-buffer
// banks and tiles) and main memory, and the lifespan of the most rewritten cells.
#include <chrono>

#include "sim/execution_mode.h"
#include "sim/sequencer.h"

namespace xbarsim::sim {
namespace {

constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

class LayerSequentialMode : public ExecutionMode {
 public:
  void check(const Network&, const Plan& plan, const ArchSpec& arch) const override {
    for (const PlanLayer& l : plan.layers)
      if (l.dataflow != "ws")
        throw ConfigError("layer-sequential mode writes weights into the cells: layer '" + l.name +
                          "' is " + l.dataflow + " (only ws runs in this mode)");
    if (plan.ou_sharing.on())
      throw ConfigError(
          "OU sharing runs in pipelined mode (layer-sequential writes each layer's "
          "rows as its scheduler placed them)");
    if (plan.schedule.ops.empty() || plan.schedule.inferences < 1)
      throw ConfigError(
          "layer-sequential mode runs a scheduler's instruction list; the plan has "
          "none (make it with a scheduler: --scheduler naive|overlap|aras)");
    const PeSpec& pe = arch.chip.tile.pe;
    if (pe.apus % pe.apu_rows != 0 ||
        pe.apus / pe.apu_rows * pe.apu.crossbars % arch.physicalPerLogical() != 0)
      throw ConfigError(arch.name + ": layer-sequential mode binds weights to rows of APUs, and " +
                        std::to_string(pe.apus) + " APUs of " + std::to_string(pe.apu.crossbars) +
                        " crossbars cannot form rows of whole logical crossbars (" +
                        std::to_string(arch.physicalPerLogical()) +
                        " crossbars each): set chip.tile.pe.apu_rows");
    if (arch.chip.accumulator.adds_per_cycle < 1)
      throw ConfigError(arch.name + ": chip.accumulator.adds_per_cycle must be at least 1");
  }

  void run(ModeContext& ctx) override {
    const auto t0 = std::chrono::steady_clock::now();
    Sequencer sequencer("sequencer", ctx.chip, ctx.net, ctx.plan, ctx.weights);
    sequencer.run();
    ctx.result.sequential = sequencer.result();
    for (const Counter& c : sequencer.stats().counters())
      ctx.result.stats.push_back(
          {sequencer.stats().block(), c.name, c.unit, c.description, c.value});
    ctx.result.wall.inference_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  double cellWritesPerRun() const override { return 1; }
  bool partitionsBuffers() const override { return false; }

  void report(const Network& net, const ArchSpec& arch, SimResult& r) const override {
    SequentialResult& s = r.sequential;
    const double period = arch.clock_period_s;
    const std::vector<std::int64_t>& end = s.inference_end;
    const double cycles = end.size() > 1 ? static_cast<double>(end.back() - end.front()) /
                                               static_cast<double>(end.size() - 1)
                                         : static_cast<double>(end.empty() ? 0 : end.front());
    s.seconds_per_inference = cycles * period;
    s.inferences_per_s = s.seconds_per_inference > 0 ? 1 / s.seconds_per_inference : 0;

    // Upper bound: every weight written once, the chip's APU rows all writing at once (worst
    // case: every row of a crossbar in two full phases), or every delta fetched, if slower.
    const CrossbarSpec& xb = arch.chip.tile.pe.apu.crossbar;
    std::int64_t units = 0;
    double cells = 0;
    for (const Vertex v : net.topoOrder()) {
      const Layer& l = net.layer(v);
      if (l.weights == 0 || l.spec.type == LayerType::kMatmul) continue;
      units += unitsPerCopy(arch, l);
      cells += static_cast<double>(l.weights) * arch.physicalPerLogical();
    }
    const std::int64_t batch = std::min(std::max(1, arch.reram.rows_in_parallel), xb.rows);
    const double crossbar_s = static_cast<double>((xb.rows + batch - 1) / batch) *
                              static_cast<double>(arch.worstRowWriteCycles()) * period;
    const double rounds = static_cast<double>((units + arch.apuRows() - 1) / arch.apuRows());
    const double fetch_s = cells * (xb.bits_per_cell + 1) / 8 / arch.main_memory.bandwidth_bps;
    s.upper_bound_s = std::max(rounds * crossbar_s, fetch_s);
    s.fraction_of_upper_bound =
        s.seconds_per_inference > 0 ? s.upper_bound_s / s.seconds_per_inference : 0;

    for (const auto& [component, joules] : r.energy_by_component) {
      if (component == "reram_write")
        s.energy_write_j += joules;
      else if (component == "main_memory")
        s.energy_main_memory_j += joules;
      else if (component == "global_buffer_static" || component == "tile_static")
        s.energy_static_j += joules;
      else
        s.energy_compute_j += joules;
    }

    // Lifespan: the most rewritten crossbar's cells, at real time and at full throughput.
    double most = 0;
    for (const StatRow& row : r.stats)
      if (row.name == "rewrites") most = std::max(most, row.value);
    s.rewrites_per_inference = most / static_cast<double>(s.inferences);
    bool attention = false;
    for (const Vertex v : net.topoOrder())
      attention = attention || net.layer(v).spec.type == LayerType::kMatmul;
    s.real_time_rate = attention ? 100 : 30;
    const auto years = [&](double rate) {
      return s.rewrites_per_inference > 0 && rate > 0
                 ? arch.reram.endurance_writes / (s.rewrites_per_inference * rate) / kSecondsPerYear
                 : 0.0;
    };
    s.lifespan_real_time_years = years(s.real_time_rate);
    s.lifespan_max_throughput_years = years(s.inferences_per_s);
    r.lifespan_programmings = most > 0 ? arch.reram.endurance_writes / most : 0;
  }
};

}  // namespace

XBARSIM_REGISTER_MODE(LayerSequentialMode, "layer-sequential",
                      "one layer computes at a time while the next layers' weights are written "
                      "into APU rows that have finished (ARAS); runs the Plan's instruction list");

}  // namespace xbarsim::sim
