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

std::vector<int> MeshGeometry::snakeOrder() const {
  std::vector<int> order;
  for (int y = 0; y < rows_; ++y)
    for (int i = 0; i < columns_; ++i) {
      const int router = y * columns_ + (y % 2 == 0 ? i : columns_ - 1 - i);
      for (int k = 0; k < concentration_; ++k) {
        const int tile = router * concentration_ + k;
        if (tile < tiles_) order.push_back(tile);
      }
    }
  return order;
}

}  // namespace xbarsim
