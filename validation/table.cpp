#include "validation/table.h"

#include <H5Cpp.h>

#include "io/error.h"

namespace xbarsim::validation {

void Table::add(Row row) {
  if (row.size() != schema_.size())
    throw Error("table row of " + std::to_string(row.size()) + " values for " +
                std::to_string(schema_.size()) + " columns");
  for (std::size_t c = 0; c < row.size(); ++c)
    if (row[c].index() != static_cast<std::size_t>(schema_[c].type))
      throw Error("table column '" + schema_[c].name + "' gets a value of the wrong type");
  rows_.push_back(std::move(row));
}

std::size_t Table::column(const std::string& name) const {
  for (std::size_t c = 0; c < schema_.size(); ++c)
    if (schema_[c].name == name) return c;
  throw Error("table has no column '" + name + "'");
}

std::vector<std::size_t> Table::where(const std::string& name, std::int64_t value) const {
  const std::size_t c = column(name);
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < rows_.size(); ++r)
    if (std::get<std::int64_t>(rows_[r][c]) == value) out.push_back(r);
  return out;
}

std::int64_t Table::integer(std::size_t row, const std::string& name) const {
  return std::get<std::int64_t>(rows_[row][column(name)]);
}

double Table::real(std::size_t row, const std::string& name) const {
  const Value& v = rows_[row][column(name)];
  return v.index() == 0 ? static_cast<double>(std::get<std::int64_t>(v)) : std::get<double>(v);
}

const std::string& Table::text(std::size_t row, const std::string& name) const {
  return std::get<std::string>(rows_[row][column(name)]);
}

void Table::write(H5Out& out, const std::string& group) const {
  for (std::size_t c = 0; c < schema_.size(); ++c) {
    const std::string path = group + "/" + schema_[c].name;
    switch (schema_[c].type) {
      case ColumnType::kInt: {
        std::vector<std::int64_t> v;
        for (const Row& r : rows_) v.push_back(std::get<std::int64_t>(r[c]));
        out.column(path, v);
        break;
      }
      case ColumnType::kReal: {
        std::vector<double> v;
        for (const Row& r : rows_) v.push_back(std::get<double>(r[c]));
        out.column(path, v);
        break;
      }
      case ColumnType::kText: {
        std::vector<std::string> v;
        for (const Row& r : rows_) v.push_back(std::get<std::string>(r[c]));
        out.column(path, v);
        break;
      }
    }
  }
}

Table Table::read(const std::string& path, const std::string& group, std::vector<Column> schema) {
  Table t(std::move(schema));
  const H5In file(path);
  if (!file.has(group)) return t;
  std::vector<std::vector<Value>> columns;
  for (const Column& col : t.schema_) {
    const std::string name = group + "/" + col.name;
    std::vector<Value> values;
    if (col.type == ColumnType::kInt) {
      for (const std::int64_t v : file.ints(name)) values.emplace_back(v);
    } else if (col.type == ColumnType::kReal) {
      for (const double v : file.reals(name)) values.emplace_back(v);
    } else {
      for (std::string& v : file.texts(name)) values.emplace_back(std::move(v));
    }
    if (!columns.empty() && values.size() != columns.front().size())
      throw Error(path + ": " + name + " has " + std::to_string(values.size()) + " rows, " + group +
                  "/" + t.schema_.front().name + " " + std::to_string(columns.front().size()) +
                  ": not a table xbarsim wrote whole; remove the file to start over");
    columns.push_back(std::move(values));
  }
  const std::size_t n = columns.empty() ? 0 : columns.front().size();
  for (std::size_t r = 0; r < n; ++r) {
    Row row;
    for (auto& col : columns) row.push_back(col[r]);
    t.rows_.push_back(std::move(row));
  }
  return t;
}

}  // namespace xbarsim::validation
