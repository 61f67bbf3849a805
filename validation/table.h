// A table of typed columns (int64, real, text), the unit experiments produce and store: one row
// per computed point, per case, or per summary line. Written to HDF5 as a group of 1-D columns
// and read back to resume an interrupted experiment.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "io/h5_file.h"

namespace xbarsim::validation {

using Value = std::variant<std::int64_t, double, std::string>;
using Row = std::vector<Value>;

enum class ColumnType { kInt, kReal, kText };

struct Column {
  std::string name;
  ColumnType type;
};

class Table {
 public:
  Table() = default;
  explicit Table(std::vector<Column> schema) : schema_(std::move(schema)) {}
  const std::vector<Column>& schema() const { return schema_; }
  const std::vector<Row>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  // Appends a row; throws if it does not match the schema.
  void add(Row row);
  std::size_t column(const std::string& name) const;  // index; throws if absent
  // Indices of the rows whose int column `name` equals `value` (e.g. the points of one case).
  std::vector<std::size_t> where(const std::string& name, std::int64_t value) const;
  std::int64_t integer(std::size_t row, const std::string& name) const;
  double real(std::size_t row, const std::string& name) const;  // int or real column
  const std::string& text(std::size_t row, const std::string& name) const;

  void write(H5Out& out, const std::string& group) const;
  // Reads the columns of `schema` from `group` of an HDF5 file.
  static Table read(const std::string& path, const std::string& group, std::vector<Column> schema);

 private:
  std::vector<Column> schema_;
  std::vector<Row> rows_;
};

}  // namespace xbarsim::validation
