// Where the tiles and routers of a mesh or concentrated mesh sit: routers on a grid of
// `columns` x `rows`, numbered row by row from the top-left corner (router r at column
// r % columns, row r / columns); tile t attached to router t / concentration. The grid is as
// square as possible unless the arch fixes its columns; routers beyond the last tile's are
// there to complete the grid and only forward.
#pragma once

#include <vector>

#include "arch/arch_spec.h"

namespace xbarsim {

class MeshGeometry {
 public:
  // Throws ConfigError when the arch's interconnect is not a mesh or cmesh.
  explicit MeshGeometry(const NocSpec& noc, int tiles);

  int routers() const { return columns_ * rows_; }
  int columns() const { return columns_; }
  int rows() const { return rows_; }
  int routerOf(int tile) const { return tile / concentration_; }
  int column(int router) const { return router % columns_; }
  int row(int router) const { return router / columns_; }
  // Router-to-router hops between two routers (XY routing takes a shortest path).
  int hops(int router_a, int router_b) const;
  // The tiles in snake order over a block of the grid's first `width` columns: router by
  // router along each row of the block, every other row right to left (consecutive tiles on the
  // same or neighbouring routers), then the tiles outside the block row by row. width <= 0:
  // the whole grid.
  std::vector<int> snakeOrder(int width = 0) const;
  // The narrowest block whose snake covers `tiles` tiles within the grid's rows and is at
  // least as tall as wide: a near-square corner of the chip, the same on any larger grid.
  int blockWidth(int tiles) const;

 private:
  int tiles_, concentration_, columns_, rows_;
};

}  // namespace xbarsim
