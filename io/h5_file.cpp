#include "io/h5_file.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "io/config_path.h"
#include "io/error.h"

namespace xbarsim {
namespace {

H5::StrType stringType() {
  return H5::StrType(H5::PredType::C_S1, H5T_VARIABLE);
}

// Runs an HDF5 call; its exception becomes an Error naming the file, the verb and the object.
template <typename Fn>
auto guarded(const std::string& file, const char* verb, const std::string& what, Fn&& fn) {
  try {
    return fn();
  } catch (const H5::Exception& e) {
    throw Error(file + ": cannot " + verb + " " + what + ": " + e.getDetailMsg());
  }
}

}  // namespace

H5Out::H5Out(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
  H5::Exception::dontPrint();
  prepareOutput(path_, false);
  file_ = guarded(path_, "write", "the file", [&] { return H5::H5File(tmp_, H5F_ACC_TRUNC); });
}

H5Out::~H5Out() {
  if (committed_) return;
  try {
    file_.close();
  } catch (...) {
  }
  std::remove(tmp_.c_str());
}

H5::Group H5Out::group(const std::string& path) {
  return guarded(path_, "write", path, [&] {
    H5::Group g = file_.openGroup("/");
    std::string sofar;
    std::size_t start = 1;
    while (start < path.size() + 1 && path != "/") {
      const std::size_t end = std::min(path.find('/', start), path.size());
      sofar += "/" + path.substr(start, end - start);
      g = file_.nameExists(sofar) ? file_.openGroup(sofar) : file_.createGroup(sofar);
      start = end + 1;
    }
    return g;
  });
}

void H5Out::attr(const std::string& grp, const std::string& name, std::int64_t value) {
  guarded(path_, "write", grp + "@" + name, [&] {
    group(grp)
        .createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace())
        .write(H5::PredType::NATIVE_INT64, &value);
  });
}

void H5Out::attr(const std::string& grp, const std::string& name, double value) {
  guarded(path_, "write", grp + "@" + name, [&] {
    group(grp)
        .createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace())
        .write(H5::PredType::NATIVE_DOUBLE, &value);
  });
}

void H5Out::attr(const std::string& grp, const std::string& name, const std::string& value) {
  guarded(path_, "write", grp + "@" + name, [&] {
    const H5::StrType type = stringType();
    group(grp).createAttribute(name, type, H5::DataSpace()).write(type, value);
  });
}

namespace {

std::pair<std::string, std::string> split(const std::string& path) {
  const auto slash = path.rfind('/');
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

void setUnits(const H5::DataSet& ds, const std::string& units) {
  if (units.empty()) return;
  const H5::StrType type = stringType();
  ds.createAttribute("units", type, H5::DataSpace()).write(type, units);
}

}  // namespace

void H5Out::column(const std::string& path, const std::vector<std::int64_t>& values,
                   const std::string& units) {
  guarded(path_, "write", path, [&] {
    const auto [grp, name] = split(path);
    const hsize_t n = values.size();
    H5::DataSpace space(1, &n);
    H5::DataSet ds = group(grp).createDataSet(name, H5::PredType::NATIVE_INT64, space);
    ds.write(values.data(), H5::PredType::NATIVE_INT64);
    setUnits(ds, units);
  });
}

void H5Out::column(const std::string& path, const std::vector<double>& values,
                   const std::string& units) {
  guarded(path_, "write", path, [&] {
    const auto [grp, name] = split(path);
    const hsize_t n = values.size();
    H5::DataSpace space(1, &n);
    H5::DataSet ds = group(grp).createDataSet(name, H5::PredType::NATIVE_DOUBLE, space);
    ds.write(values.data(), H5::PredType::NATIVE_DOUBLE);
    setUnits(ds, units);
  });
}

void H5Out::column(const std::string& path, const std::vector<std::string>& values) {
  guarded(path_, "write", path, [&] {
    const auto [grp, name] = split(path);
    const hsize_t n = values.size();
    H5::DataSpace space(1, &n);
    std::vector<const char*> ptrs;
    for (const std::string& v : values) ptrs.push_back(v.c_str());
    const H5::StrType type = stringType();
    group(grp).createDataSet(name, type, space).write(ptrs.data(), type);
  });
}

void H5Out::matrix(const std::string& path, const std::vector<std::vector<double>>& rows,
                   const std::string& units) {
  guarded(path_, "write", path, [&] {
    const auto [grp, name] = split(path);
    const hsize_t dims[2] = {rows.size(), rows.empty() ? 0 : rows[0].size()};
    std::vector<double> flat;
    for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
    H5::DataSpace space(2, dims);
    H5::DataSet ds = group(grp).createDataSet(name, H5::PredType::NATIVE_DOUBLE, space);
    if (!flat.empty()) ds.write(flat.data(), H5::PredType::NATIVE_DOUBLE);
    setUnits(ds, units);
  });
}

void H5Out::text(const std::string& path, const std::string& value) {
  guarded(path_, "write", path, [&] {
    const auto [grp, name] = split(path);
    const H5::StrType type = stringType();
    group(grp).createDataSet(name, type, H5::DataSpace()).write(value, type);
  });
}

void H5Out::commit() {
  guarded(path_, "write", "the file", [&] { file_.close(); });
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) throw Error(path_ + ": cannot move the finished file into place: " + ec.message());
  committed_ = true;
}

namespace {

template <typename T>
std::vector<T> readColumn(const H5::DataSet& ds, const H5::PredType& type) {
  if (ds.getSpace().getSimpleExtentNdims() > 1) throw H5::DataSetIException("", "not 1-D");
  std::vector<T> v(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
  if (!v.empty()) ds.read(v.data(), type);
  return v;
}

}  // namespace

H5In::H5In(std::string path) : path_(std::move(path)) {
  H5::Exception::dontPrint();
  if (!std::filesystem::is_regular_file(path_)) throw Error(path_ + ": no such file");
  file_ = guarded(path_, "read", "the file (not an HDF5 file?)",
                  [&] { return H5::H5File(path_, H5F_ACC_RDONLY); });
}

bool H5In::has(const std::string& path) const {
  return guarded(path_, "read", path, [&] {
    // Every parent must exist before nameExists may look below it.
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      if (!file_.nameExists(path.substr(0, slash))) return false;
      if (slash == std::string::npos) return true;
    }
  });
}

bool H5In::hasAttr(const std::string& group, const std::string& name) const {
  return has(group) &&
         guarded(path_, "read", group, [&] { return file_.openGroup(group).attrExists(name); });
}

H5::Attribute H5In::attribute(const std::string& group, const std::string& name) const {
  if (!hasAttr(group, name)) throw Error(path_ + ": no attribute " + group + "@" + name);
  return guarded(path_, "read", group + "@" + name,
                 [&] { return file_.openGroup(group).openAttribute(name); });
}

H5::DataSet H5In::dataset(const std::string& path) const {
  if (!has(path)) throw Error(path_ + ": no dataset " + path);
  return guarded(path_, "read", path, [&] { return file_.openDataSet(path); });
}

std::int64_t H5In::attrInt(const std::string& group, const std::string& name) const {
  const H5::Attribute a = attribute(group, name);
  return guarded(path_, "read", group + "@" + name, [&] {
    std::int64_t v = 0;
    a.read(H5::PredType::NATIVE_INT64, &v);
    return v;
  });
}

double H5In::attrReal(const std::string& group, const std::string& name) const {
  const H5::Attribute a = attribute(group, name);
  return guarded(path_, "read", group + "@" + name, [&] {
    double v = 0;
    a.read(H5::PredType::NATIVE_DOUBLE, &v);
    return v;
  });
}

std::string H5In::attrText(const std::string& group, const std::string& name) const {
  const H5::Attribute a = attribute(group, name);
  return guarded(path_, "read", group + "@" + name, [&] {
    std::string v;
    a.read(stringType(), v);
    return v;
  });
}

std::vector<std::int64_t> H5In::ints(const std::string& path) const {
  const H5::DataSet ds = dataset(path);
  return guarded(path_, "read", path,
                 [&] { return readColumn<std::int64_t>(ds, H5::PredType::NATIVE_INT64); });
}

std::vector<double> H5In::reals(const std::string& path) const {
  const H5::DataSet ds = dataset(path);
  return guarded(path_, "read", path,
                 [&] { return readColumn<double>(ds, H5::PredType::NATIVE_DOUBLE); });
}

std::vector<std::string> H5In::texts(const std::string& path) const {
  const H5::DataSet ds = dataset(path);
  return guarded(path_, "read", path, [&] {
    std::vector<char*> raw(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
    if (!raw.empty()) ds.read(raw.data(), stringType());
    std::vector<std::string> out;
    for (char* s : raw) {
      out.emplace_back(s ? s : "");
      std::free(s);
    }
    return out;
  });
}

std::string H5In::text(const std::string& path) const {
  const H5::DataSet ds = dataset(path);
  return guarded(path_, "read", path, [&] {
    std::string v;
    ds.read(v, stringType());
    return v;
  });
}

}  // namespace xbarsim
