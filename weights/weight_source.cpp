#include "weights/weight_source.h"

#include <H5Cpp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "io/error.h"
#include "weights/mix.h"

namespace xbarsim {
namespace {

// xoshiro256++ (Blackman, Vigna, ACM TOMS 47(4), 2021): fast, no multiplication, every output
// bit of full quality; its state is seeded from the key by splitmix64, as its authors advise.
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t key) {
    for (std::uint64_t& word : s_) word = mix64(key += 0x9e3779b97f4a7c15ULL);
  }
  std::uint64_t operator()() {
    const std::uint64_t out = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return out;
  }
  // Uniform in (0, 1], safe for log().
  double open01() { return static_cast<double>(((*this)() >> 11) + 1) * 0x1p-53; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_;
};

// A layer's key depends on the seed and its name (FNV-1a) only.
std::uint64_t streamKey(std::uint64_t seed, const std::string& name) {
  std::uint64_t key = 1469598103934665603ULL;
  for (const char c : name) key = (key ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return mix64(seed) ^ key;
}

// A crossbar block's stream: its layer's key and its indices, mixed in one after the other.
std::uint64_t blockKey(std::uint64_t layer_key, std::int64_t block_row, std::int64_t block_col) {
  return mix64(mix64(layer_key ^ static_cast<std::uint64_t>(block_row)) ^
               static_cast<std::uint64_t>(block_col));
}

// Standard normal deviates by Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) with
// 256 layers: about 99% of draws take one 64-bit number (the low 8 bits pick the layer, the top
// 56 a signed position in it) and no transcendental; the tail and the wedges are sampled
// exactly by rejection.
class Ziggurat {
 public:
  static const Ziggurat& instance() {
    static const Ziggurat z;
    return z;
  }

  double operator()(Xoshiro256& rng) const {
    for (;;) {
      const std::uint64_t u = rng();
      const auto i = static_cast<std::size_t>(u & 0xff);
      const std::int64_t j = static_cast<std::int64_t>(u) >> 8;
      const double x = static_cast<double>(j) * scale_[i];
      if (std::llabs(j) < inside_[i]) return x;
      if (i == 0) {
        // The tail beyond r (Marsaglia 1964).
        double a = 0, b = 0;
        do {
          a = -std::log(rng.open01()) / kR;
          b = -std::log(rng.open01());
        } while (b + b < a * a);
        return j < 0 ? -(kR + a) : kR + a;
      }
      // A wedge: under the curve, or draw again.
      if (f_[i] + rng.open01() * (f_[i + 1] - f_[i]) < std::exp(-0.5 * x * x)) return x;
    }
  }

 private:
  static constexpr std::size_t kLayers = 256;
  static constexpr double kR = 3.6541528853610088;  // where the tail starts
  static constexpr double kV = 4.92867323399e-3;    // area of every layer (and base strip)

  Ziggurat() {
    const auto f = [](double x) { return std::exp(-0.5 * x * x); };
    // Layer i spans |x| < x[i], between heights f(x[i]) and f(x[i + 1]); layer 0 is the base
    // strip, whose part beyond r stands for the tail.
    std::array<double, kLayers + 1> x{};
    x[0] = kV / f(kR);
    x[1] = kR;
    for (std::size_t i = 1; i + 1 < kLayers; ++i)
      x[i + 1] = std::sqrt(-2 * std::log(kV / x[i] + f(x[i])));
    x[kLayers] = 0;
    for (std::size_t i = 0; i <= kLayers; ++i) f_[i] = f(x[i]);
    for (std::size_t i = 0; i < kLayers; ++i) {
      inside_[i] = static_cast<std::int64_t>(x[i + 1] / x[i] * 0x1p55);
      scale_[i] = x[i] * 0x1p-55;
    }
  }

  std::array<std::int64_t, kLayers> inside_;  // positions below this lie under the curve
  std::array<double, kLayers> scale_;         // position -> x
  std::array<double, kLayers + 1> f_;         // the density (unnormalised) at the layer edges
};

// A layer's synthetic codes (see weight_source.h): mean + sigma Z, rounded, clipped to the
// codes, Z standard normal.
class GaussianCodes {
 public:
  GaussianCodes() = default;
  GaussianCodes(const SyntheticLayer& model, int bits)
      : top_(std::ldexp(1.0, bits) - 1), mean_(model.mean + 0.5), sigma_(model.sigma) {}
  // The next n codes of `stream`.
  template <class Word>
  void draw(Xoshiro256& stream, Word* codes, std::int64_t n) const {
    Xoshiro256 rng = stream;  // a local copy keeps the state in registers
    for (std::int64_t i = 0; i < n; ++i) {
      // Round to nearest (ties, of probability 0, upwards): floor(y + 1/2), then clip.
      const double y = std::clamp(std::floor(sigma_ * normal_(rng) + mean_), 0.0, top_);
      codes[i] = static_cast<Word>(y);
    }
    stream = rng;
  }

 private:
  const Ziggurat& normal_ = Ziggurat::instance();
  double top_ = 0, mean_ = 0, sigma_ = 0;
};

// How a layer's weight matrix maps onto crossbar blocks (see LayerRows).
struct Layout {
  std::int64_t co = 0, fan_in = 0, xrows = 0, xcols = 0;
  bool depthwise = false;
  std::int64_t per = 1;           // depthwise: channels per crossbar block
  std::int64_t block_height = 0;  // depthwise: rows per group of `per` channels (whole crossbars)
  int bits = 0, cell_bits = 0;
  std::int64_t shift = 0;  // the Plan's partial-weight-reuse shift of every code
  LayerShape shape;
};

Layout layoutOf(const Network& net, const ArchSpec& arch, const PlanLayer& layer) {
  Layout g;
  g.bits = arch.data.weight_bits;
  g.cell_bits = arch.chip.tile.pe.apu.crossbar.bits_per_cell;
  if (g.bits > 32)
    throw ConfigError(arch.name + ": weight_bits " + std::to_string(g.bits) +
                      " is not supported (at most 32)");
  if (g.cell_bits > 8)
    throw ConfigError(arch.name + ": bits_per_cell " + std::to_string(g.cell_bits) +
                      " is not supported (at most 8: a cell level must fit in a byte)");
  const Layer& l = net.layer(layer.vertex);
  g.shift = layer.weight_shift;
  g.co = l.out.c;
  g.fan_in = l.weights / g.co;
  g.xrows = arch.chip.tile.pe.apu.crossbar.rows;
  g.xcols = arch.chip.tile.pe.apu.crossbar.cols;
  g.depthwise = l.spec.type == LayerType::kDwConv;
  const auto ceil_div = [](std::int64_t v, std::int64_t m) { return (v + m - 1) / m; };
  LayerShape& s = g.shape;
  s.slices = arch.physicalPerLogical();
  s.xbar_rows = g.xrows;
  s.xbar_cols = g.xcols;
  if (g.depthwise) {
    g.per = std::max<std::int64_t>(1, std::min(g.xrows / g.fan_in, g.xcols));
    g.block_height = ceil_div(g.per * g.fan_in, g.xrows) * g.xrows;
    s.block_rows = ceil_div(g.co, g.per) * g.block_height / g.xrows;
    s.block_cols = 1;
  } else {
    s.block_rows = ceil_div(g.fan_in, g.xrows);
    s.block_cols = ceil_div(g.co, g.xcols);
  }
  return g;
}

// Visits the cells of crossbar block (block_row, block_col) that hold a weight, in the order
// weight_source.h gives, a run within one crossbar row at a time: source(codes, o, n, k) gives the
// codes of the n weights (o.., k) (outputs o.., input k), then sink(codes, n, row, col) takes
// them as the block's cells (row, col..).
template <class Word, class Source, class Sink>
void visitBlock(const Layout& g, std::int64_t block_row, std::int64_t block_col, Word* codes,
                Source& source, Sink& sink) {
  const std::int64_t top = block_row * g.xrows;  // the block's first row among the layer's
  if (g.depthwise) {
    // Lane l of a group of `per` channels holds channel group * per + l in the group's rows
    // l * fan_in + k and column l; a crossbar block lies within one group.
    const std::int64_t group = top / g.block_height, offset = top % g.block_height;
    for (std::int64_t l = 0; l < g.per && group * g.per + l < g.co; ++l) {
      const std::int64_t first = std::max<std::int64_t>(0, offset - l * g.fan_in);
      const std::int64_t last = std::min(g.fan_in, offset + g.xrows - l * g.fan_in);
      for (std::int64_t k = first; k < last; ++k) {
        source(codes, group * g.per + l, 1, k);
        sink(codes, 1, l * g.fan_in + k - offset, l);
      }
    }
    return;
  }
  const std::int64_t first = block_col * g.xcols, n = std::min(g.xcols, g.co - first);
  for (std::int64_t k = top; k < std::min(g.fan_in, top + g.xrows); ++k) {
    source(codes, first, n, k);
    sink(codes, n, k - top, std::int64_t{0});
  }
}

// Where a layer's codes come from: its synthetic streams, or its weights read from a file.
class LayerCodes {
 public:
  // Synthetic.
  LayerCodes(std::uint64_t layer_key, const SyntheticLayer& model, const Layout& g)
      : synthetic_(true),
        key_(layer_key),
        gaussian_(model, g.bits),
        shift_(g.shift),
        top_((std::int64_t{1} << g.bits) - 1) {}
  // From a file: weights w (outputs by inputs, row-major), max|w| = scale.
  LayerCodes(const std::vector<double>& w, double scale, const Layout& g)
      : w_(&w),
        scale_(scale),
        max_q_(std::ldexp(1.0, g.bits - 1) - 1),
        offset_(std::int64_t{1} << (g.bits - 1)),
        shift_(g.shift),
        top_((std::int64_t{1} << g.bits) - 1) {}

  // visitBlock for block (block_row, block_col), with this layer's codes.
  template <class Word, class Sink>
  void visit(const Layout& g, std::int64_t block_row, std::int64_t block_col, Word* codes,
             Sink&& sink) const {
    if (synthetic_) {
      Xoshiro256 stream(blockKey(key_, block_row, block_col));
      auto source = [&](Word* out, std::int64_t, std::int64_t n, std::int64_t) {
        gaussian_.draw(stream, out, n);
        shift(out, n);
      };
      visitBlock(g, block_row, block_col, codes, source, sink);
      return;
    }
    auto source = [&](Word* out, std::int64_t o, std::int64_t n, std::int64_t k) {
      for (std::int64_t j = 0; j < n; ++j) {
        const double x = (*w_)[static_cast<std::size_t>((o + j) * g.fan_in + k)];
        out[j] = static_cast<Word>(std::lround(scale_ > 0 ? x / scale_ * max_q_ : 0) + offset_);
      }
      shift(out, n);
    };
    visitBlock(g, block_row, block_col, codes, source, sink);
  }

 private:
  // Partial weight reuse: every code moved by the Plan's shift, clipped to the codes.
  template <class Word>
  void shift(Word* codes, std::int64_t n) const {
    if (shift_ == 0) return;
    for (std::int64_t j = 0; j < n; ++j)
      codes[j] = static_cast<Word>(
          std::clamp<std::int64_t>(static_cast<std::int64_t>(codes[j]) + shift_, 0, top_));
  }

  bool synthetic_ = false;
  std::uint64_t key_ = 0;
  GaussianCodes gaussian_;
  const std::vector<double>* w_ = nullptr;
  double scale_ = 0, max_q_ = 0;
  std::int64_t offset_ = 0;
  std::int64_t shift_ = 0, top_ = 0;
};

// Stores the levels of physical row `row` of every slice of a block from the codes of its n
// cells. Each slice's levels are taken in place (masked, not shifted): their max and sum,
// shifted once. Sum must hold n codes.
template <class Word, class Sum>
void storeRow(const Word* codes, std::int64_t n, int cell_bits, LayerRows& out,
              std::int64_t block_row, std::int64_t block_col, std::int64_t row) {
  for (int s = 0; s < out.slices; ++s) {
    const int shift = s * cell_bits;
    const auto mask = static_cast<Word>(((Sum{1} << cell_bits) - 1) << shift);
    Word max = 0;
    Sum sum = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const auto level = static_cast<Word>(codes[i] & mask);
      max = std::max(max, level);
      sum += level;
    }
    out.at(block_row, block_col, s, row) = {static_cast<std::uint8_t>(max >> shift),
                                            static_cast<std::uint32_t>(sum >> shift)};
  }
}

// Stores the levels of every row of every block, block by block. A depthwise row holds one
// cell; rows without any keep level 0.
template <class Word, class Sum>
void fillRowsOf(const Layout& g, const LayerCodes& codes, LayerRows& out) {
  std::vector<Word> run(static_cast<std::size_t>(g.xcols));
  for (std::int64_t br = 0; br < out.block_rows; ++br)
    for (std::int64_t bc = 0; bc < out.block_cols; ++bc)
      codes.visit(g, br, bc, run.data(),
                  [&](const Word* c, std::int64_t n, std::int64_t row, std::int64_t) {
                    storeRow<Word, Sum>(c, n, g.cell_bits, out, br, bc, row);
                  });
}

}  // namespace

WeightSource::WeightSource(std::uint64_t seed)
    : seed_(seed),
      description_("synthetic per-layer Gaussian codes, seed " + std::to_string(seed)) {}

SyntheticLayer WeightSource::synthetic(const std::string& layer, int bits) const {
  // Two uniform draws from the layer's own key (not a block's): its mean and spread.
  Xoshiro256 rng(mix64(streamKey(seed_, layer) ^ 0x5eedULL));
  const double u = rng.open01(), v = rng.open01();
  const double codes = std::ldexp(1.0, bits);
  return {codes / 2 + (u - 0.5) * 0.16 * codes, (0.035 + 0.055 * v) * codes};
}

Quantisation WeightSource::quantisation(const Network& net, const ArchSpec& arch,
                                        const PlanLayer& layer) const {
  const int bits = arch.data.weight_bits;
  const double top = std::ldexp(1.0, bits - 1) - 1;
  double scale = 1 / top;  // synthetic codes stand for weights q / Q
  if (!path_.empty()) {
    const FileLayer& file = fileLayer(layer.name, net.layer(layer.vertex).weights);
    scale = file.scale > 0 ? file.scale / top : 1;
  }
  return {scale, (std::int64_t{1} << (bits - 1)) + layer.weight_shift};
}

WeightSource::WeightSource(const std::string& h5_path, std::uint64_t seed)
    : seed_(seed), path_(h5_path), description_("file " + h5_path) {
  if (!std::filesystem::exists(h5_path)) throw ConfigError(h5_path + ": no such weights file");
}

std::vector<double> WeightSource::read(const std::string& name, std::int64_t count) const {
  std::vector<double> w(static_cast<std::size_t>(count));
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
  for (std::size_t i = 0; i < w.size(); ++i)
    if (!std::isfinite(w[i]))
      throw ConfigError(path_ + ": dataset '" + name + "' holds " + std::to_string(w[i]) +
                        " at index " + std::to_string(i) + " (weights must be finite)");
  return w;
}

const WeightSource::FileLayer& WeightSource::fileLayer(const std::string& name,
                                                       std::int64_t count) const {
  if (cache_.loaded && cache_.name == name && static_cast<std::int64_t>(cache_.w.size()) == count)
    return cache_;
  cache_ = FileLayer{};  // free the last layer before reading the next
  FileLayer layer;
  layer.w = read(name, count);
  for (const double x : layer.w) layer.scale = std::max(layer.scale, std::fabs(x));
  layer.name = name;
  layer.loaded = true;
  cache_ = std::move(layer);
  return cache_;
}

LayerShape WeightSource::shape(const Network& net, const ArchSpec& arch,
                               const PlanLayer& layer) const {
  return layoutOf(net, arch, layer).shape;
}

LayerRows WeightSource::rows(const Network& net, const ArchSpec& arch,
                             const PlanLayer& layer) const {
  const Layout g = layoutOf(net, arch, layer);
  LayerRows out;
  out.block_rows = g.shape.block_rows;
  out.block_cols = g.shape.block_cols;
  out.slices = g.shape.slices;
  out.xbar_rows = g.xrows;
  out.rows.resize(static_cast<std::size_t>(out.crossbars() * out.xbar_rows));
  const std::int64_t weights = net.layer(layer.vertex).weights;
  const FileLayer* file = path_.empty() ? nullptr : &fileLayer(layer.name, weights);
  const LayerCodes codes =
      file ? LayerCodes(file->w, file->scale, g)
           : LayerCodes(streamKey(seed_, layer.name), synthetic(layer.name, g.bits), g);
  // The narrowest words that hold the codes and a row's sums (narrow lanes are faster).
  if (g.bits <= 16 && g.xcols <= 65536)
    fillRowsOf<std::uint16_t, std::uint32_t>(g, codes, out);
  else
    fillRowsOf<std::uint32_t, std::uint64_t>(g, codes, out);
  return out;
}

std::vector<std::uint32_t> WeightSource::block(const Network& net, const ArchSpec& arch,
                                               const PlanLayer& layer, std::int64_t block_row,
                                               std::int64_t block_col) const {
  const Layout g = layoutOf(net, arch, layer);
  if (block_row < 0 || block_row >= g.shape.block_rows || block_col < 0 ||
      block_col >= g.shape.block_cols)
    throw std::out_of_range(layer.name + ": no crossbar block (" + std::to_string(block_row) +
                            ", " + std::to_string(block_col) + ") in its " +
                            std::to_string(g.shape.block_rows) + " x " +
                            std::to_string(g.shape.block_cols) + " grid");
  const std::int64_t weights = net.layer(layer.vertex).weights;
  const FileLayer* file = path_.empty() ? nullptr : &fileLayer(layer.name, weights);
  const LayerCodes codes =
      file ? LayerCodes(file->w, file->scale, g)
           : LayerCodes(streamKey(seed_, layer.name), synthetic(layer.name, g.bits), g);
  std::vector<std::uint32_t> out(static_cast<std::size_t>(g.xrows * g.xcols), 0);
  std::vector<std::uint32_t> run(static_cast<std::size_t>(g.xcols));
  codes.visit(g, block_row, block_col, run.data(),
              [&](const std::uint32_t* c, std::int64_t n, std::int64_t row, std::int64_t col) {
                std::copy(c, c + n, out.begin() + row * g.xcols + col);
              });
  return out;
}

}  // namespace xbarsim
