#include "io/h5_file.h"

#include <cstdio>
#include <filesystem>

#include "io/config_path.h"
#include "io/error.h"

namespace xbarsim {
namespace {

H5::StrType stringType() {
  return H5::StrType(H5::PredType::C_S1, H5T_VARIABLE);
}

template <typename Fn>
auto guarded(const std::string& file, const std::string& what, Fn&& fn) {
  try {
    return fn();
  } catch (const H5::Exception& e) {
    throw Error(file + ": cannot write " + what + ": " + e.getDetailMsg());
  }
}

}  // namespace

H5Out::H5Out(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
  H5::Exception::dontPrint();
  prepareOutput(path_, false);
  file_ = guarded(path_, "the file", [&] { return H5::H5File(tmp_, H5F_ACC_TRUNC); });
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
  return guarded(path_, path, [&] {
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
  guarded(path_, grp + "@" + name, [&] {
    group(grp)
        .createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace())
        .write(H5::PredType::NATIVE_INT64, &value);
  });
}

void H5Out::attr(const std::string& grp, const std::string& name, double value) {
  guarded(path_, grp + "@" + name, [&] {
    group(grp)
        .createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace())
        .write(H5::PredType::NATIVE_DOUBLE, &value);
  });
}

void H5Out::attr(const std::string& grp, const std::string& name, const std::string& value) {
  guarded(path_, grp + "@" + name, [&] {
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
  guarded(path_, path, [&] {
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
  guarded(path_, path, [&] {
    const auto [grp, name] = split(path);
    const hsize_t n = values.size();
    H5::DataSpace space(1, &n);
    H5::DataSet ds = group(grp).createDataSet(name, H5::PredType::NATIVE_DOUBLE, space);
    ds.write(values.data(), H5::PredType::NATIVE_DOUBLE);
    setUnits(ds, units);
  });
}

void H5Out::column(const std::string& path, const std::vector<std::string>& values) {
  guarded(path_, path, [&] {
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
  guarded(path_, path, [&] {
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
  guarded(path_, path, [&] {
    const auto [grp, name] = split(path);
    const H5::StrType type = stringType();
    group(grp).createDataSet(name, type, H5::DataSpace()).write(value, type);
  });
}

void H5Out::commit() {
  guarded(path_, "the file", [&] { file_.close(); });
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) throw Error(path_ + ": cannot move the finished file into place: " + ec.message());
  committed_ = true;
}

}  // namespace xbarsim
