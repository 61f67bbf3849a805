#include "sim/weights.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace xbarsim::sim {

WeightSource::WeightSource(std::uint64_t seed)
    : seed_(seed), description_("synthetic Gaussian, seed " + std::to_string(seed)) {}

WeightSource::WeightSource(const std::string& h5_path, std::uint64_t seed)
    : seed_(seed), path_(h5_path), description_("file " + h5_path) {
  if (!std::filesystem::exists(h5_path)) throw ConfigError(h5_path + ": no such weights file");
}

std::vector<double> WeightSource::weights(const Problem& p, std::size_t i,
                                          std::int64_t count) const {
  const std::string& name = p[i].fused.name;
  std::vector<double> w(static_cast<std::size_t>(count));
  if (path_.empty()) {
    // One stream per layer, keyed by its name (FNV-1a) so it does not depend on which other
    // layers are allocated.
    std::uint64_t key = 1469598103934665603ULL;
    for (const char c : name) key = (key ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    std::mt19937_64 rng(seed_ ^ key);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (double& x : w) x = normal(rng);
    return w;
  }
  try {
    H5::Exception::dontPrint();
    H5::H5File file(path_, H5F_ACC_RDONLY);
    if (!file.nameExists(name))
      throw ConfigError(path_ + ": no dataset named '" + name + "' (one per allocated layer)");
    H5::DataSet ds = file.openDataSet(name);
    const hssize_t n = ds.getSpace().getSimpleExtentNpoints();
    if (n != count)
      throw ConfigError(path_ + ": dataset '" + name + "' has " + std::to_string(n) +
                        " values, the layer has " + std::to_string(count) + " weights");
    ds.read(w.data(), H5::PredType::NATIVE_DOUBLE);
  } catch (const H5::Exception& e) {
    throw ConfigError(path_ + ": cannot read weights of '" + name + "': " + e.getDetailMsg());
  }
  return w;
}

LayerLevels WeightSource::levels(const Problem& p, std::size_t i) const {
  const FusedLayer& f = p[i].fused;
  const ArchSpec& arch = p.arch();
  const int bits = arch.data.weight_bits;
  const int cell_bits = arch.chip.tile.pe.apu.crossbar.bits_per_cell;
  const int slices = arch.physicalPerLogical();
  const std::int64_t xrows = arch.chip.tile.pe.apu.crossbar.rows;
  const std::int64_t xcols = arch.chip.tile.pe.apu.crossbar.cols;
  const bool depthwise = f.type == LayerType::kDwConv;
  const std::int64_t fan_in = depthwise ? f.kc * f.kc : f.kc * f.kc * f.ci;
  const std::int64_t count = f.co * fan_in;
  const std::vector<double> w = weights(p, i, count);
  // Matrix shape as mapped: depthwise channels packed block-diagonally, per crossbar.
  std::int64_t rows = fan_in, cols = f.co;
  std::int64_t per = 1;
  if (depthwise) {
    // Block b of `per` channels fills crossbar b: rows b*xrows.., its own columns 0..per-1.
    per = std::max<std::int64_t>(1, std::min(xrows / fan_in, xcols));
    const std::int64_t blocks = (f.co + per - 1) / per;
    rows = blocks * xrows;
    cols = xcols;
  }
  const auto round_up = [](std::int64_t v, std::int64_t m) { return (v + m - 1) / m * m; };
  LayerLevels out(round_up(rows, xrows), round_up(cols, xcols), slices);
  double scale = 0;
  for (const double x : w) scale = std::max(scale, std::fabs(x));
  const double max_q = std::ldexp(1.0, bits - 1) - 1;
  const std::int64_t offset = std::int64_t{1} << (bits - 1);
  const std::uint64_t mask = (std::uint64_t{1} << cell_bits) - 1;
  for (std::int64_t o = 0; o < f.co; ++o) {
    for (std::int64_t k = 0; k < fan_in; ++k) {
      const double x = w[static_cast<std::size_t>(o * fan_in + k)];
      const auto q = static_cast<std::int64_t>(std::lround(scale > 0 ? x / scale * max_q : 0));
      auto code = static_cast<std::uint64_t>(q + offset);
      std::int64_t row = k, col = o;
      if (depthwise) {
        const std::int64_t block = o / per, lane = o % per;
        row = block * xrows + lane * fan_in + k;
        col = lane;
      }
      for (int s = 0; s < slices; ++s) {
        out.at(s, row, col) = static_cast<std::uint8_t>(code & mask);
        code >>= cell_bits;
      }
    }
  }
  return out;
}

}  // namespace xbarsim::sim
