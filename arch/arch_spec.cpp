#include "arch/arch_spec.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "arch/mesh_geometry.h"
#include "io/config_path.h"
#include "io/params.h"

namespace xbarsim {
namespace {

// The ranges every arch key must fall in (README, "Valid ranges"): wide enough for any chip
// a paper describes, narrow enough that every product the simulator forms fits 64 bits and
// every duration fits its time axis.
constexpr std::int64_t kMaxTiles = 1 << 20;
constexpr std::int64_t kMaxCount = 1 << 16;   // PEs, APUs, crossbars, ADCs, banks, lanes
constexpr std::int64_t kMaxCycles = 1 << 20;  // fixed latencies given in cycles
constexpr double kMinBandwidth = 1e6;         // 1 MB/s
constexpr double kMaxBandwidth = 1e18;        // 1 EB/s
constexpr double kMaxSize = 1099511627776.0;  // 1 TiB
constexpr double kMaxTime = 1.0;              // 1 s for any latency or pulse
constexpr double kMaxEnergy = 1.0;            // 1 J per action
constexpr double kMaxPower = 1e3;             // 1 kW

BufferSpec readBuffer(StrictMap m) {
  BufferSpec b;
  b.size_bytes = m.quantityIn("size", Dim::kSize, 1, kMaxSize);
  b.bandwidth_bps = m.quantityIn("bandwidth", Dim::kBandwidth, kMinBandwidth, kMaxBandwidth);
  m.finish();
  return b;
}

BusSpec readBus(StrictMap m) {
  BusSpec b;
  b.bandwidth_bps = m.quantityIn("bandwidth", Dim::kBandwidth, kMinBandwidth, kMaxBandwidth);
  b.latency_cycles = static_cast<int>(m.integerOr("latency_cycles", 0, 0, kMaxCycles));
  m.finish();
  return b;
}

NocSpec readNoc(StrictMap m, int tiles) {
  NocSpec n;
  n.topology = m.stringOr("topology", "bus");
  const auto& known = nocTopologies();
  if (std::find(known.begin(), known.end(), n.topology) == known.end()) {
    std::string list;
    for (const std::string& t : known) list += (list.empty() ? "" : ", ") + t;
    throw m.error(m.yaml()["topology"],
                  "unknown noc.topology '" + n.topology + "' (known: " + list + ")");
  }
  n.bandwidth_bps = m.quantityIn("bandwidth", Dim::kBandwidth, kMinBandwidth, kMaxBandwidth);
  n.latency_s = m.quantityOr("latency", Dim::kTime, 0, true, kMaxTime);
  if (!n.routed()) {
    // Mesh keys are not read, so finish() names them as unknown for a bus or channels.
    m.finish();
    return n;
  }
  n.flit_bytes = static_cast<int>(m.integerOr("flit_bytes", n.flit_bytes, 1, kMaxCount));
  n.packet_flits = static_cast<int>(m.integerOr("packet_flits", n.packet_flits, 2, kMaxCount));
  n.flow_control = m.stringOr("flow_control", n.flow_control);
  if (n.flow_control != "cut-through" && n.flow_control != "store-and-forward")
    throw m.error(m.yaml()["flow_control"],
                  "noc.flow_control must be cut-through or "
                  "store-and-forward, got '" +
                      n.flow_control + "'");
  if (n.topology == "cmesh") {
    n.concentration = static_cast<int>(m.integerOr("concentration", 4, 2, kMaxCount));
  }
  n.columns = static_cast<int>(m.integerOr("columns", 0, 0, tiles));
  n.memory_router = static_cast<int>(m.integerOr("memory_router", 0, 0, kMaxTiles));
  const int routers = MeshGeometry(n, tiles).routers();
  if (n.memory_router >= routers)
    throw m.error(m.yaml()["memory_router"],
                  "noc.memory_router " + std::to_string(n.memory_router) + " is not one of the " +
                      std::to_string(routers) + " routers");
  m.finish();
  return n;
}

ApuSpec readApu(StrictMap m) {
  ApuSpec a;
  a.crossbars = static_cast<int>(m.integer("crossbars", 1, kMaxCount));
  StrictMap xb = m.map("crossbar");
  a.crossbar.rows = static_cast<int>(xb.integer("rows", 1, kMaxCount));
  a.crossbar.cols = static_cast<int>(xb.integer("cols", 1, kMaxCount));
  a.crossbar.bits_per_cell = static_cast<int>(xb.integer("bits_per_cell", 1, 8));
  a.crossbar.read_latency_s = xb.quantity("read_latency", Dim::kTime, false, kMaxTime);
  xb.finish();
  a.ou = {a.crossbar.rows, a.crossbar.cols};
  if (m.has("ou")) {
    StrictMap ou = m.map("ou");
    a.ou.rows = static_cast<int>(ou.integer("rows"));
    a.ou.cols = static_cast<int>(ou.integer("cols"));
    ou.finish();
    if (a.ou.rows > a.crossbar.rows || a.ou.cols > a.crossbar.cols)
      throw m.error(m.yaml()["ou"], "apu.ou (" + std::to_string(a.ou.rows) + " x " +
                                        std::to_string(a.ou.cols) + ") exceeds the crossbar (" +
                                        std::to_string(a.crossbar.rows) + " x " +
                                        std::to_string(a.crossbar.cols) + ")");
  }
  StrictMap dac = m.map("dac");
  a.dac.per_crossbar = static_cast<int>(dac.integer("per_crossbar", 1, kMaxCount));
  a.dac.bits = static_cast<int>(dac.integer("bits", 1, 16));
  dac.finish();
  StrictMap adc = m.map("adc");
  a.adc.count = static_cast<int>(adc.integer("count", 1, kMaxCount));
  // `bits: auto`: the resolution an OU column needs (ApuSpec::requiredAdcBits).
  const YAML::Node bits = adc.node("bits");
  const bool automatic = adc.scalarAt(bits, "apu.adc.bits") == "auto";
  if (!automatic) a.adc.bits = static_cast<int>(adc.integerAt(bits, "apu.adc.bits", 1, 32));
  if (automatic)
    adc.record("bits", "auto");
  else
    adc.record("bits", a.adc.bits);
  a.adc.conversion_time_s = adc.quantity("conversion_time", Dim::kTime, false, kMaxTime);
  if (automatic && !adc.has("reference_bits"))
    throw adc.error(bits,
                    "apu.adc.bits: auto needs reference_bits (the resolution "
                    "conversion_time and adc_conversion energy are given for)");
  a.adc.reference_bits = static_cast<int>(adc.integerOr("reference_bits", a.adc.bits, 1, 32));
  adc.finish();
  a.sample_hold_cycles = static_cast<int>(m.integerOr("sample_hold_cycles", 1, 0, kMaxCycles));
  a.shift_add_cycles = static_cast<int>(m.integerOr("shift_add_cycles", 1, 0, kMaxCycles));
  a.input_cycles = static_cast<int>(m.integerOr("input_cycles", 0, 0, kMaxCycles));
  a.output_cycles = static_cast<int>(m.integerOr("output_cycles", 0, 0, kMaxCycles));
  a.pipelined_reads = m.flagOr("pipelined_reads", true);
  m.finish();
  if (automatic) a.adc.bits = a.requiredAdcBits();
  if (a.adc.bits < 1 || a.adc.bits > 32)
    throw m.error(m.yaml()["adc"], "apu.adc.bits must be 1..32, got " + std::to_string(a.adc.bits));
  if (a.dac.per_crossbar > a.crossbar.rows)
    throw m.error(m.yaml()["dac"], "apu.dac.per_crossbar (" + std::to_string(a.dac.per_crossbar) +
                                       ") exceeds crossbar rows (" +
                                       std::to_string(a.crossbar.rows) + ")");
  return a;
}

GlobalBufferSpec readGlobalBuffer(StrictMap m) {
  GlobalBufferSpec g;
  g.bandwidth_bps = m.quantityIn("bandwidth", Dim::kBandwidth, kMinBandwidth, kMaxBandwidth);
  const YAML::Node banks = m.sequence("banks");
  if (banks.size() == 0) throw m.error(banks, "'global_buffer.banks' must list at least one bank");
  for (std::size_t i = 0; i < banks.size(); ++i) {
    StrictMap b = m.mapAt("banks", i);
    BankSpec bank;
    bank.size_bytes = b.quantityIn("size", Dim::kSize, 1, kMaxSize);
    bank.static_power_w = b.quantity("static_power", Dim::kPower, true, kMaxPower);
    const auto count = b.integerOr("count", 1, 1, kMaxCount);
    b.finish();
    if (static_cast<std::int64_t>(g.banks.size()) + count > kMaxCount)
      throw m.error(
          banks, "'global_buffer.banks' count more than " + std::to_string(kMaxCount) + " banks");
    g.banks.insert(g.banks.end(), static_cast<std::size_t>(count), bank);
  }
  m.finish();
  return g;
}

EnergySpec readEnergy(StrictMap m) {
  EnergySpec e;
  const auto j = [&](const char* key) {
    return m.quantityOr(key, Dim::kEnergy, 0.0, true, kMaxEnergy);
  };
  e.dac_conversion_j = j("dac_conversion");
  e.crossbar_read_j = j("crossbar_read");
  e.sample_hold_j = j("sample_hold");
  e.adc_conversion_j = j("adc_conversion");
  e.shift_add_j = j("shift_add");
  e.buffer_byte_j = j("buffer_byte");
  e.bus_byte_j = j("bus_byte");
  e.noc_byte_j = j("noc_byte");
  e.global_buffer_byte_j = j("global_buffer_byte");
  e.main_memory_byte_j = j("main_memory_byte");
  e.vector_op_j = j("vector_op");
  e.tile_static_w = m.quantityOr("tile_static", Dim::kPower, 0.0, true, kMaxPower);
  m.finish();
  return e;
}

}  // namespace

double AdcSpec::energyScale() const {
  return std::ldexp(1.0, bits - reference_bits);
}

double GlobalBufferSpec::totalBytes() const {
  double total = 0;
  for (const BankSpec& b : banks) total += b.size_bytes;
  return total;
}

int ArchSpec::physicalPerLogical() const {
  const int cell = chip.tile.pe.apu.crossbar.bits_per_cell;
  return (data.weight_bits + cell - 1) / cell;
}

std::int64_t ArchSpec::physicalCrossbars() const {
  return static_cast<std::int64_t>(chip.tiles) * chip.tile.pes * chip.tile.pe.apus *
         chip.tile.pe.apu.crossbars;
}

std::int64_t ArchSpec::logicalCrossbarsPerTile() const {
  return static_cast<std::int64_t>(chip.tile.pes) * chip.tile.pe.apus * chip.tile.pe.apu.crossbars /
         physicalPerLogical();
}

std::int64_t ArchSpec::logicalCrossbars() const {
  return logicalCrossbarsPerTile() * chip.tiles;
}

std::int64_t ArchSpec::apuRows() const {
  return static_cast<std::int64_t>(chip.tiles) * chip.tile.pes * chip.tile.pe.apu_rows;
}

std::int64_t ArchSpec::logicalPerApuRow() const {
  return static_cast<std::int64_t>(chip.tile.pe.apus / chip.tile.pe.apu_rows) *
         chip.tile.pe.apu.crossbars / physicalPerLogical();
}

std::int64_t ArchSpec::cyclesFor(double seconds) const {
  // A tiny tolerance keeps exact multiples (100ns / 100ns) from rounding up on float noise.
  return static_cast<std::int64_t>(std::ceil(seconds / clock_period_s - 1e-9));
}

void ArchSpec::resizeCrossbar(int size) {
  if (size < 2 || size > 4096)
    throw ConfigError("a crossbar size must be 2..4096, got " + std::to_string(size));
  ApuSpec& apu = chip.tile.pe.apu;
  const bool whole = apu.ou.rows == apu.crossbar.rows && apu.ou.cols == apu.crossbar.cols;
  apu.crossbar.rows = apu.crossbar.cols = size;
  apu.ou =
      whole ? OuSpec{size, size} : OuSpec{std::min(apu.ou.rows, size), std::min(apu.ou.cols, size)};
  apu.dac.per_crossbar = std::min(apu.dac.per_crossbar, size);
  YAML::Node r = YAML::Load(resolved_yaml);
  YAML::Node a = r["chip"]["tile"]["pe"]["apu"];
  a["crossbar"]["rows"] = size;
  a["crossbar"]["cols"] = size;
  if (a["ou"]) {
    a["ou"]["rows"] = apu.ou.rows;
    a["ou"]["cols"] = apu.ou.cols;
  }
  a["dac"]["per_crossbar"] = apu.dac.per_crossbar;
  resolved_yaml = emitYaml(r);
}

std::int64_t ApuSpec::ousPerRead() const {
  return static_cast<std::int64_t>((crossbar.rows + ou.rows - 1) / ou.rows) *
         ((crossbar.cols + ou.cols - 1) / ou.cols);
}

OuLoad ApuSpec::ouLoad(std::int64_t i, std::int64_t j) const {
  const std::int64_t r = std::min<std::int64_t>(ou.rows, crossbar.rows - i * ou.rows);
  const std::int64_t c = std::min<std::int64_t>(ou.cols, crossbar.cols - j * ou.cols);
  return {1, r, c, r * c, 0};
}

OuLoad ApuSpec::fullOuLoad() const {
  const std::int64_t down = (crossbar.rows + ou.rows - 1) / ou.rows;
  const std::int64_t across = (crossbar.cols + ou.cols - 1) / ou.cols;
  return {down * across, static_cast<std::int64_t>(crossbar.rows) * across,
          static_cast<std::int64_t>(crossbar.cols) * down,
          static_cast<std::int64_t>(crossbar.rows) * crossbar.cols, 0};
}

int ApuSpec::requiredAdcBits() const {
  const double top = static_cast<double>(ou.rows) * ((1 << crossbar.bits_per_cell) - 1) *
                     (std::ldexp(1.0, dac.bits) - 1);
  return static_cast<int>(std::ceil(std::log2(top + 1) - 1e-9));
}

std::int64_t ArchSpec::adcCyclesPerActivation() const {
  const ApuSpec& apu = chip.tile.pe.apu;
  const std::int64_t conversions =
      (static_cast<std::int64_t>(apu.ou.cols) * apu.crossbars + apu.adc.count - 1) / apu.adc.count;
  return cyclesFor(static_cast<double>(conversions) * apu.adc.conversionTimeS());
}

std::int64_t ArchSpec::worstRowWriteCycles() const {
  const int levels = (1 << chip.tile.pe.apu.crossbar.bits_per_cell) - 1;
  return 2 * cyclesFor(static_cast<double>(levels * reram.pulses_per_level_step) *
                       reram.write_pulse_width_s);
}

std::int64_t ArchSpec::computeStageCycles() const {
  const ApuSpec& apu = chip.tile.pe.apu;
  const std::int64_t read = cyclesFor(apu.crossbar.read_latency_s);
  const std::int64_t adc = adcCyclesPerActivation();
  const std::int64_t per_activation = read + apu.sample_hold_cycles + adc + apu.shift_add_cycles;
  const std::int64_t activations = apu.readsPerInput(data.input_bits) * apu.ousPerRead();
  const std::int64_t pace = apu.pipelined_reads
                                ? std::max({read, adc, std::int64_t{apu.sample_hold_cycles},
                                            std::int64_t{apu.shift_add_cycles}})
                                : per_activation;
  return apu.input_cycles + per_activation + (activations - 1) * pace + apu.output_cycles;
}

namespace {

// `over` (from the file `origin`) laid over `base`: mappings merge key by key, anything else (a
// scalar, a list) replaces.
YAML::Node overlay(const YAML::Node& base, const YAML::Node& over, const std::string& origin) {
  if (!base.IsMap() || !over.IsMap()) return YAML::Clone(over);
  YAML::Node out = YAML::Clone(base);
  for (const auto& kv : over) {
    const std::string key = keyText(origin, kv.first);
    const YAML::Node below = base[key];
    out[key] = below.IsDefined() ? overlay(below, kv.second, origin) : YAML::Clone(kv.second);
  }
  return out;
}

// The file a `base:` names: a preset or a path to a regular .yaml file (never a device, a pipe
// or a directory, which could block or never end).
std::string basePath(const YAML::Node& base, const std::string& origin) {
  const std::string where = locationOf(origin, base);
  if (!base.IsScalar())
    throw ConfigError(where + ": 'base' must name an arch preset or a .yaml path");
  std::string path;
  try {
    path = resolveConfig("arch", base.Scalar());
  } catch (const ConfigError& e) {
    throw ConfigError(where + ": base: " + e.what());
  } catch (const std::filesystem::filesystem_error& e) {  // a name too long for a path
    throw ConfigError(where + ": base '" + base.Scalar() + "': " + e.code().message());
  }
  std::error_code ec;
  const std::filesystem::path p(path);
  if (!std::filesystem::is_regular_file(p, ec) ||
      (p.extension() != ".yaml" && p.extension() != ".yml"))
    throw ConfigError(where + ": base '" + base.Scalar() + "' is not a .yaml file");
  return path;
}

// `doc` with its chain of bases laid under it (a base may have a base of its own).
YAML::Node withBases(const YAML::Node& doc, const std::string& origin, int depth) {
  if (!doc.IsMap() || !doc["base"]) return doc;
  const std::string base_path = basePath(doc["base"], origin);
  if (depth >= 8)
    throw ConfigError(locationOf(origin, doc["base"]) +
                      ": more than 8 bases in a chain (a cycle?)");
  YAML::Node merged =
      overlay(withBases(loadYamlText(readTextFile(base_path), base_path), base_path, depth + 1),
              doc, origin);
  merged.remove("base");
  return merged;
}

}  // namespace

Params selectArchParams(const Params& overrides, const std::string& yaml_text,
                        const std::string& origin) {
  return selectParams(overrides, withBases(loadYamlText(yaml_text, origin), origin, 0));
}

ArchSpec parseArchSpec(const std::string& yaml_text, const std::string& origin,
                       const Params& overrides) {
  const YAML::Node top = loadYamlText(yaml_text, origin);
  if (top.IsMap() && top["base"]) {
    // A variant of another arch: its keys laid over the base's.
    const std::string base_name = top["base"].IsScalar() ? top["base"].Scalar() : "";
    YAML::Emitter out;
    out << withBases(top, origin, 0);
    return parseArchSpec(std::string("# ") + origin + " on base " + base_name + "\n" + out.c_str(),
                         origin + " (on " + base_name + ")", overrides);
  }
  const YAML::Node& doc = top;
  StrictMap root0(doc, origin, "arch");
  ArchSpec spec;
  spec.params = readParams(root0, overrides);
  StrictMap root(doc, origin, "arch", &spec.params);
  root.has("params");
  YAML::Node resolved(YAML::NodeType::Map);
  root.recordInto(resolved);
  spec.yaml_text = yaml_text;
  spec.name = root.string("name");
  spec.source = root.stringOr("source", "");
  // 1 ps is the simulator's time resolution; a 1 ms cycle still leaves 10^10 cycles of range.
  spec.clock_period_s = root.quantityIn("clock_period", Dim::kTime, 1e-12, 1e-3);

  StrictMap data = root.map("data");
  spec.data.input_bits = static_cast<int>(data.integer("input_bits", 1, 32));
  spec.data.weight_bits = static_cast<int>(data.integer("weight_bits", 1, 32));
  data.finish();

  StrictMap chip = root.map("chip");
  spec.chip.tiles = static_cast<int>(chip.integer("tiles", 1, kMaxTiles));
  spec.chip.noc = readNoc(chip.map("noc"), spec.chip.tiles);
  spec.chip.global_buffer = readGlobalBuffer(chip.map("global_buffer"));
  StrictMap tile = chip.map("tile");
  spec.chip.tile.pes = static_cast<int>(tile.integer("pes", 1, kMaxCount));
  if (tile.has("vector_unit")) {
    StrictMap vu = tile.map("vector_unit");
    spec.chip.tile.vector_unit.ops_per_cycle =
        static_cast<int>(vu.integer("ops_per_cycle", 1, kMaxCount));
    vu.finish();
  } else {
    spec.chip.tile.vector_unit.ops_per_cycle = 64;
  }
  spec.chip.tile.input_buffer = readBuffer(tile.map("input_buffer"));
  spec.chip.tile.output_buffer = readBuffer(tile.map("output_buffer"));
  spec.chip.tile.bus = readBus(tile.map("bus"));
  StrictMap pe = tile.map("pe");
  spec.chip.tile.pe.apus = static_cast<int>(pe.integer("apus", 1, kMaxCount));
  const bool rows_given = pe.has("apu_rows");
  if (rows_given)
    spec.chip.tile.pe.apu_rows = static_cast<int>(pe.integer("apu_rows", 1, kMaxCount));
  spec.chip.tile.pe.buffer = readBuffer(pe.map("buffer"));
  spec.chip.tile.pe.apu = readApu(pe.map("apu"));
  pe.finish();
  tile.finish();
  if (chip.has("accumulator")) {
    StrictMap acc = chip.map("accumulator");
    spec.chip.accumulator.adds_per_cycle =
        static_cast<int>(acc.integer("adds_per_cycle", 1, kMaxCount));
    acc.finish();
  } else {
    spec.chip.accumulator.adds_per_cycle = spec.chip.tile.vector_unit.ops_per_cycle;
  }
  chip.finish();

  StrictMap mem = root.map("main_memory");
  spec.main_memory.bandwidth_bps =
      mem.quantityIn("bandwidth", Dim::kBandwidth, kMinBandwidth, kMaxBandwidth);
  spec.main_memory.latency_s = mem.quantity("latency", Dim::kTime, false, kMaxTime);
  mem.finish();

  StrictMap reram = root.map("reram");
  spec.reram.write_pulse_width_s = reram.quantity("write_pulse_width", Dim::kTime, false, kMaxTime);
  spec.reram.pulses_per_level_step =
      static_cast<int>(reram.integer("pulses_per_level_step", 1, kMaxCycles));
  spec.reram.write_energy_per_pulse_j =
      reram.quantity("write_energy_per_pulse", Dim::kEnergy, false, kMaxEnergy);
  spec.reram.rows_in_parallel = static_cast<int>(reram.integer("rows_in_parallel", 1, kMaxCount));
  spec.reram.endurance_writes = reram.numberOr("endurance_writes", 1e6);
  reram.finish();

  spec.energy = root.has("energy") ? readEnergy(root.map("energy")) : EnergySpec{};
  root.finish();
  spec.resolved_yaml = emitYaml(resolved);

  const ApuSpec& apu = spec.chip.tile.pe.apu;
  // Totals are bounded too, so that every count of crossbars and cells fits 64 bits.
  const std::int64_t per_tile =
      static_cast<std::int64_t>(spec.chip.tile.pes) * spec.chip.tile.pe.apus * apu.crossbars;
  if (per_tile > kMaxCount * 256)
    throw root.error(doc["chip"], "a tile holds " + std::to_string(per_tile) +
                                      " physical crossbars (pes x apus x crossbars), more than " +
                                      std::to_string(kMaxCount * 256));
  if (spec.physicalCrossbars() > (std::int64_t{1} << 32))
    throw root.error(doc["chip"], "the chip holds " + std::to_string(spec.physicalCrossbars()) +
                                      " physical crossbars, more than 2^32");
  if (static_cast<std::int64_t>(apu.crossbar.rows) * apu.crossbar.cols > (1 << 24))
    throw root.error(doc["chip"]["tile"]["pe"]["apu"]["crossbar"],
                     "a crossbar of " + std::to_string(apu.crossbar.rows) + " x " +
                         std::to_string(apu.crossbar.cols) + " cells exceeds 2^24 cells");
  if (per_tile % spec.physicalPerLogical() != 0)
    throw root.error(doc["chip"], "a tile holds " + std::to_string(per_tile) +
                                      " physical crossbars, not a multiple of the " +
                                      std::to_string(spec.physicalPerLogical()) +
                                      " that form one logical crossbar (weight_bits / "
                                      "bits_per_cell)");
  PeSpec& pe_spec = spec.chip.tile.pe;
  if (!rows_given)  // every logical crossbar a row of its own
    pe_spec.apu_rows =
        std::max(1, pe_spec.apus / std::max(1, spec.physicalPerLogical() / apu.crossbars));
  else if (pe_spec.apu_rows < 1 || pe_spec.apus % pe_spec.apu_rows != 0 ||
           pe_spec.apus / pe_spec.apu_rows * apu.crossbars % spec.physicalPerLogical() != 0)
    throw root.error(doc["chip"]["tile"]["pe"],
                     "apu_rows " + std::to_string(pe_spec.apu_rows) + " must divide the " +
                         std::to_string(pe_spec.apus) +
                         " APUs of a PE into rows of whole logical crossbars (" +
                         std::to_string(spec.physicalPerLogical()) + " physical crossbars each)");
  return spec;
}

const std::vector<std::string>& nocTopologies() {
  static const std::vector<std::string> names{"bus", "per-layer", "mesh", "cmesh"};
  return names;
}

ArchSpec loadArchSpec(const std::string& name_or_path, const Params& overrides) {
  const std::string path = resolveConfig("arch", name_or_path);
  return parseArchSpec(readTextFile(path), path, overrides);
}

}  // namespace xbarsim
