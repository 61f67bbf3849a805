// Writing HDF5 result files safely: everything goes to "<path>.tmp", renamed to <path> only by
// commit(); a file that is not committed (an error, a crash) is removed, so a file that looks
// finished always is. Tables are groups of equal-length 1-D column datasets. H5In reads what
// H5Out writes back, with errors that name the file and the object.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

namespace xbarsim {

class H5Out {
 public:
  explicit H5Out(std::string path);
  ~H5Out();
  H5Out(const H5Out&) = delete;
  H5Out& operator=(const H5Out&) = delete;

  // Attributes on a group (created with its parents if needed); "/" is the root.
  void attr(const std::string& group, const std::string& name, std::int64_t value);
  void attr(const std::string& group, const std::string& name, double value);
  void attr(const std::string& group, const std::string& name, const std::string& value);
  // Datasets: "group/name". A non-empty `units` ("cycles", "J", "B", "1" for a count) becomes
  // the dataset's `units` attribute.
  void column(const std::string& path, const std::vector<std::int64_t>& values,
              const std::string& units = "");
  void column(const std::string& path, const std::vector<double>& values,
              const std::string& units = "");
  void column(const std::string& path, const std::vector<std::string>& values);
  void matrix(const std::string& path, const std::vector<std::vector<double>>& rows,
              const std::string& units = "");
  void text(const std::string& path, const std::string& value);

  // Closes the file and moves it to its final name.
  void commit();
  const std::string& path() const { return path_; }

 private:
  H5::Group group(const std::string& path);
  std::string path_, tmp_;
  H5::H5File file_;
  bool committed_ = false;
};

class H5In {
 public:
  // Throws Error if `path` is not a readable HDF5 file.
  explicit H5In(std::string path);
  const std::string& path() const { return path_; }
  // Whether a group or dataset exists at `path` ("/sim/layers/name").
  bool has(const std::string& path) const;
  bool hasAttr(const std::string& group, const std::string& name) const;
  // Attributes of a group; an integer attribute reads as a real too.
  std::int64_t attrInt(const std::string& group, const std::string& name) const;
  double attrReal(const std::string& group, const std::string& name) const;
  std::string attrText(const std::string& group, const std::string& name) const;
  // 1-D datasets; an integer dataset reads as reals too.
  std::vector<std::int64_t> ints(const std::string& path) const;
  std::vector<double> reals(const std::string& path) const;
  std::vector<std::string> texts(const std::string& path) const;
  // A scalar string dataset (H5Out::text).
  std::string text(const std::string& path) const;

 private:
  H5::Attribute attribute(const std::string& group, const std::string& name) const;
  H5::DataSet dataset(const std::string& path) const;
  std::string path_;
  H5::H5File file_;
};

}  // namespace xbarsim
