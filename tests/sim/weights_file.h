// A weights file (weights/weight_source.h: one dataset per layer) in the temporary directory,
// removed with this object.
#pragma once

#include <H5Cpp.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace xbarsim::sim {

class WeightsFile {
 public:
  WeightsFile(const std::string& stem, const std::map<std::string, std::vector<double>>& layers)
      : path_((std::filesystem::temp_directory_path() / (stem + ".h5")).string()) {
    H5::H5File f(path_, H5F_ACC_TRUNC);
    for (const auto& [name, w] : layers) {
      const hsize_t n = w.size();
      f.createDataSet(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n))
          .write(w.data(), H5::PredType::NATIVE_DOUBLE);
    }
  }
  ~WeightsFile() { std::filesystem::remove(path_); }
  WeightsFile(const WeightsFile&) = delete;
  WeightsFile& operator=(const WeightsFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace xbarsim::sim
