#include "model/systolic.h"

#include <algorithm>
#include <cmath>

#include "io/config_path.h"
#include "io/strict_map.h"
#include "io/units.h"

namespace xbarsim {
namespace {

std::int64_t ceilDiv(std::int64_t v, std::int64_t m) {
  return (v + m - 1) / m;
}

}  // namespace

SystolicSpec loadSystolicSpec(const std::string& name_or_path) {
  const std::string path = resolveConfig("baselines", name_or_path);
  const YAML::Node doc = loadYamlText(readTextFile(path), path);
  StrictMap root(doc, path, "systolic");
  SystolicSpec s;
  s.name = root.string("name");
  s.source = root.stringOr("source", "");
  s.rows = root.integer("rows");
  s.cols = root.integer("cols");
  s.clock_hz = root.quantity("clock", Dim::kFrequency);
  s.data_bits = static_cast<int>(root.integer("data_bits"));
  s.buffer_bytes = root.quantity("buffer", Dim::kSize);
  s.memory_bandwidth_bps = root.quantity("memory_bandwidth", Dim::kBandwidth);
  s.vector_lanes = root.integer("vector_lanes");
  StrictMap e = root.map("energy");
  s.mac_j = e.quantity("mac", Dim::kEnergy);
  s.buffer_byte_j = e.quantity("buffer_byte", Dim::kEnergy);
  s.memory_byte_j = e.quantity("memory_byte", Dim::kEnergy);
  s.vector_op_j = e.quantity("vector_op", Dim::kEnergy);
  s.static_w = e.quantity("static", Dim::kPower);
  e.finish();
  root.finish();
  return s;
}

std::int64_t systolicGemmCycles(const SystolicSpec& spec, std::int64_t m, std::int64_t k,
                                std::int64_t n) {
  const std::int64_t folds = ceilDiv(k, spec.rows) * ceilDiv(n, spec.cols);
  return folds * (spec.rows + m + spec.rows + spec.cols - 2);
}

SystolicResult runSystolic(const Network& net, const SystolicSpec& spec) {
  const double bytes = std::max(1, spec.data_bits / 8);
  const double bytes_per_cycle = spec.memory_bandwidth_bps / spec.clock_hz;
  SystolicResult r;
  for (const Vertex v : net.topoOrder()) {
    const Layer& l = net.layer(v);
    SystolicLayer s;
    s.name = l.spec.name;
    double in_elements = 0;
    for (const Vertex u : net.producers(v))
      in_elements += static_cast<double>(net.layer(u).out.elements());
    const double out_elements = static_cast<double>(l.out.elements());
    double buffer_bytes = 0, memory_bytes = 0, vector_ops = 0;
    switch (l.spec.type) {
      case LayerType::kConv:
      case LayerType::kFc:
      case LayerType::kDwConv:
      case LayerType::kMatmul: {
        s.unit = "array";
        s.m = l.out.h * l.out.w;
        if (l.spec.type == LayerType::kDwConv) {
          s.products = l.out.c;
          s.k = l.weights / l.out.c;
          s.n = 1;
        } else if (l.spec.type == LayerType::kMatmul) {
          s.products = l.spec.heads;
          s.m = l.out.w;
          s.n = l.out.c / l.spec.heads;
          s.k = l.macs / (s.products * s.m * s.n);
        } else {
          s.k = l.weights / l.out.c;
          s.n = l.out.c;
        }
        const std::int64_t kf = ceilDiv(s.k, spec.rows), nf = ceilDiv(s.n, spec.cols);
        s.folds = s.products * kf * nf;
        s.compute_cycles = s.products * systolicGemmCycles(spec, s.m, s.k, s.n);
        s.macs = static_cast<double>(l.macs);
        const double p = static_cast<double>(s.products), m = static_cast<double>(s.m);
        // Per fold: its weights, its M input vectors in, its M partial outputs out (and back
        // in when the fan-in spans several folds).
        buffer_bytes = p * static_cast<double>(kf * nf) *
                       (static_cast<double>(spec.rows * spec.cols) + m * spec.rows +
                        m * spec.cols * (kf > 1 ? 2 : 1)) *
                       bytes;
        const double weights = static_cast<double>(l.weights) * bytes;
        memory_bytes = weights;
        const double fold_weights = static_cast<double>(spec.rows * spec.cols) * bytes;
        if ((in_elements + out_elements) * bytes + 2 * fold_weights > spec.buffer_bytes)
          memory_bytes += (in_elements + out_elements) * bytes;
        break;
      }
      case LayerType::kMaxPool:
      case LayerType::kAvgPool: {
        const Shape in = net.layer(net.producers(v).front()).out;
        vector_ops =
            out_elements *
            static_cast<double>(l.spec.global ? in.h * in.w : l.spec.kernel * l.spec.kernel);
        break;
      }
      case LayerType::kAdd:
        vector_ops = out_elements * static_cast<double>(net.producers(v).size() - 1);
        break;
      case LayerType::kConcat:
      case LayerType::kInput:
        vector_ops = out_elements;
        break;
    }
    if (s.unit.empty()) {
      s.unit = "vector";
      s.compute_cycles =
          static_cast<std::int64_t>(std::ceil(vector_ops / static_cast<double>(spec.vector_lanes)));
      buffer_bytes = (in_elements + out_elements) * bytes;
    }
    s.memory_bytes = static_cast<std::int64_t>(memory_bytes);
    const auto memory_cycles = static_cast<std::int64_t>(std::ceil(memory_bytes / bytes_per_cycle));
    s.cycles = std::max(s.compute_cycles, memory_cycles);
    const double e_mac = s.macs * spec.mac_j, e_buf = buffer_bytes * spec.buffer_byte_j,
                 e_mem = memory_bytes * spec.memory_byte_j, e_vec = vector_ops * spec.vector_op_j;
    s.energy_j = e_mac + e_buf + e_mem + e_vec;
    r.energy_mac_j += e_mac;
    r.energy_buffer_j += e_buf;
    r.energy_memory_j += e_mem;
    r.energy_vector_j += e_vec;
    r.cycles += s.cycles;
    r.layers.push_back(s);
  }
  r.seconds = static_cast<double>(r.cycles) / spec.clock_hz;
  r.energy_static_j = spec.static_w * r.seconds;
  r.energy_j = r.energy_mac_j + r.energy_buffer_j + r.energy_memory_j + r.energy_vector_j +
               r.energy_static_j;
  return r;
}

}  // namespace xbarsim
