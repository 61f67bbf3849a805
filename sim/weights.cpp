#include "sim/weights.h"

#include <H5Cpp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <type_traits>

#include "io/error.h"

namespace xbarsim::sim {
namespace {

// splitmix64's output function (Steele, Lea, Flood, OOPSLA 2014): mixes seeds into keys.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

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

// A layer's stream depends on the seed and its name (FNV-1a) only.
std::uint64_t streamKey(std::uint64_t seed, const std::string& name) {
  std::uint64_t key = 1469598103934665603ULL;
  for (const char c : name) key = (key ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return mix64(seed) ^ key;
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

// z with P(|Z| > z) = p for a standard normal Z, by bisection (erfc is monotone).
double twoSidedQuantile(double p) {
  double lo = 0, hi = 40;
  for (int i = 0; i < 64; ++i) {
    const double mid = 0.5 * (lo + hi);
    (std::erfc(mid / std::sqrt(2.0)) > p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// A layer's synthetic codes (see weights.h), offset-binary.
class GaussianCodes {
 public:
  GaussianCodes(std::uint64_t key, std::int64_t weights, int bits)
      : rng_(key), max_q_(std::ldexp(1.0, bits - 1) - 1), mid_(std::ldexp(1.0, bits - 1) + 0.5) {
    sigma_ = max_q_ / twoSidedQuantile(1.0 / static_cast<double>(weights + 1));
  }
  template <class Word>
  void draw(Word* codes, std::int64_t n) {
    Xoshiro256 rng = rng_;  // a local copy keeps the state in registers
    for (std::int64_t i = 0; i < n; ++i) {
      // Clip, then round to nearest (ties, of probability 0, upwards): floor(y + 1/2).
      const double y = std::clamp(sigma_ * normal_(rng), -max_q_, max_q_);
      codes[i] = static_cast<Word>(static_cast<std::int64_t>(y + mid_));
    }
    rng_ = rng;
  }

 private:
  const Ziggurat& normal_ = Ziggurat::instance();
  Xoshiro256 rng_;
  double max_q_, mid_, sigma_ = 0;
};

// How a layer's weight matrix maps onto crossbar rows (see LayerRows).
struct Layout {
  std::int64_t co = 0, fan_in = 0, xrows = 0, xcols = 0;
  bool depthwise = false;
  std::int64_t per = 1;           // depthwise: channels per crossbar block
  std::int64_t block_height = 0;  // depthwise: rows per crossbar block (whole crossbars)
};

// Stores the levels of physical row `row` of every slice from the codes of its n cells. Each
// slice's levels are taken in place (masked, not shifted): their max and sum, shifted once.
// Sum must hold n codes.
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

// Stores the levels of every crossbar row. source(codes, o, n, k) gives the codes of the n
// weights (o.., k) (outputs o.., input k); it is called crossbar row by crossbar row.
template <class Word, class Sum, class Source>
void fillRowsOf(const Layout& g, int cell_bits, LayerRows& out, Source source) {
  if (g.depthwise) {
    // One cell per row: channel o's lane column, rows lane * fan_in + k of its block.
    for (std::int64_t o = 0; o < g.co; ++o) {
      const std::int64_t base = o / g.per * g.block_height + o % g.per * g.fan_in;
      for (std::int64_t k = 0; k < g.fan_in; ++k) {
        Word c = 0;
        source(&c, o, 1, k);
        storeRow<Word, Sum>(&c, 1, cell_bits, out, (base + k) / g.xrows, 0, (base + k) % g.xrows);
      }
    }
    return;
  }
  std::vector<Word> codes(static_cast<std::size_t>(g.xcols));
  for (std::int64_t k = 0; k < g.fan_in; ++k) {
    for (std::int64_t bc = 0; bc < out.block_cols; ++bc) {
      const std::int64_t first = bc * g.xcols;
      const std::int64_t n = std::min(g.xcols, g.co - first);
      source(codes.data(), first, n, k);
      storeRow<Word, Sum>(codes.data(), n, cell_bits, out, k / g.xrows, bc, k % g.xrows);
    }
  }
}

// fillRowsOf with the narrowest words that hold the codes and a row's sums (narrow lanes are
// faster).
template <class Source>
void fillRows(const Layout& g, int bits, int cell_bits, LayerRows& out, Source source) {
  if (bits <= 16 && g.xcols <= 65536)
    fillRowsOf<std::uint16_t, std::uint32_t>(g, cell_bits, out, source);
  else
    fillRowsOf<std::uint32_t, std::uint64_t>(g, cell_bits, out, source);
}

}  // namespace

WeightSource::WeightSource(std::uint64_t seed)
    : seed_(seed),
      description_("synthetic discretised Gaussian codes, seed " + std::to_string(seed)) {}

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
  return w;
}

LayerRows WeightSource::rows(const Network& net, const ArchSpec& arch,
                             const PlanLayer& layer) const {
  const int bits = arch.data.weight_bits;
  const int cell_bits = arch.chip.tile.pe.apu.crossbar.bits_per_cell;
  if (bits > 32)
    throw ConfigError(arch.name + ": weight_bits " + std::to_string(bits) +
                      " is not supported (at most 32)");
  if (cell_bits > 8)
    throw ConfigError(arch.name + ": bits_per_cell " + std::to_string(cell_bits) +
                      " is not supported (at most 8: a cell level must fit in a byte)");
  const Layer& l = net.layer(layer.vertex);
  Layout g;
  g.co = l.out.c;
  g.fan_in = l.weights / g.co;
  g.xrows = arch.chip.tile.pe.apu.crossbar.rows;
  g.xcols = arch.chip.tile.pe.apu.crossbar.cols;
  g.depthwise = l.spec.type == LayerType::kDwConv;
  const auto ceil_div = [](std::int64_t v, std::int64_t m) { return (v + m - 1) / m; };
  LayerRows out;
  out.slices = arch.physicalPerLogical();
  out.xbar_rows = g.xrows;
  if (g.depthwise) {
    g.per = std::max<std::int64_t>(1, std::min(g.xrows / g.fan_in, g.xcols));
    g.block_height = ceil_div(g.per * g.fan_in, g.xrows) * g.xrows;
    out.block_rows = ceil_div(g.co, g.per) * g.block_height / g.xrows;
    out.block_cols = 1;
  } else {
    out.block_rows = ceil_div(g.fan_in, g.xrows);
    out.block_cols = ceil_div(g.co, g.xcols);
  }
  out.rows.resize(static_cast<std::size_t>(out.crossbars() * out.xbar_rows));

  if (path_.empty()) {
    GaussianCodes gaussian(streamKey(seed_, layer.name), l.weights, bits);
    fillRows(g, bits, cell_bits, out, [&](auto* codes, std::int64_t, std::int64_t n, std::int64_t) {
      gaussian.draw(codes, n);
    });
    return out;
  }
  const std::vector<double> w = read(layer.name, l.weights);
  double scale = 0;
  for (const double x : w) scale = std::max(scale, std::fabs(x));
  const double max_q = std::ldexp(1.0, bits - 1) - 1;
  const std::int64_t offset = std::int64_t{1} << (bits - 1);
  fillRows(g, bits, cell_bits, out,
           [&](auto* codes, std::int64_t o, std::int64_t n, std::int64_t k) {
             for (std::int64_t j = 0; j < n; ++j) {
               const double x = w[static_cast<std::size_t>((o + j) * g.fan_in + k)];
               codes[j] = static_cast<std::remove_pointer_t<decltype(codes)>>(
                   std::lround(scale > 0 ? x / scale * max_q : 0) + offset);
             }
           });
  return out;
}

}  // namespace xbarsim::sim
