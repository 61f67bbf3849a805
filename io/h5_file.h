// Writing HDF5 result files safely: everything goes to "<path>.tmp", renamed to <path> only by
// commit(); a file that is not committed (an error, a crash) is removed, so a file that looks
// finished always is. Tables are groups of equal-length 1-D column datasets.
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

}  // namespace xbarsim
