#include "arch/mesh_geometry.h"

#include <cmath>
#include <cstdlib>

namespace xbarsim {

MeshGeometry::MeshGeometry(const NocSpec& noc, int tiles)
    : tiles_(tiles), concentration_(noc.concentration), columns_(noc.columns), rows_(1) {
  if (!noc.routed())
    throw ConfigError("the " + noc.topology + " interconnect has no routers (mesh, cmesh do)");
  const int with_tiles = (tiles + concentration_ - 1) / concentration_;
  if (columns_ <= 0) columns_ = static_cast<int>(std::ceil(std::sqrt(with_tiles) - 1e-9));
  columns_ = std::max(columns_, 1);
  rows_ = std::max(1, (with_tiles + columns_ - 1) / columns_);
}

int MeshGeometry::hops(int a, int b) const {
  return std::abs(column(a) - column(b)) + std::abs(row(a) - row(b));
}

std::vector<int> MeshGeometry::snakeOrder(int width) const {
  if (width <= 0 || width > columns_) width = columns_;
  std::vector<int> order;
  const auto add = [&](int router) {
    for (int k = 0; k < concentration_; ++k) {
      const int tile = router * concentration_ + k;
      if (tile < tiles_) order.push_back(tile);
    }
  };
  for (int y = 0; y < rows_; ++y)
    for (int i = 0; i < width; ++i) add(y * columns_ + (y % 2 == 0 ? i : width - 1 - i));
  for (int y = 0; y < rows_; ++y)
    for (int x = width; x < columns_; ++x) add(y * columns_ + x);
  return order;
}

int MeshGeometry::blockWidth(int tiles) const {
  for (int w = 1; w < columns_; ++w) {
    // Tiles in the block's first w rows (as tall as wide) must cover the request.
    int covered = 0;
    for (int y = 0; y < std::min(w, rows_); ++y)
      for (int x = 0; x < w; ++x)
        covered +=
            std::max(0, std::min(concentration_, tiles_ - (y * columns_ + x) * concentration_));
    if (covered >= tiles) return w;
  }
  return columns_;
}

}  // namespace xbarsim
