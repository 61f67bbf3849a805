// Inputs the libFuzzer harnesses (fuzz/) once crashed the loaders on: each file under
// fuzz/regressions/arch, fuzz/regressions/network (YAML) and fuzz/regressions/onnx must load,
// or fail with xbarsim::Error (a located ConfigError or a WorkloadError), never with any other
// exception (and, in the sanitizer build, without undefined behaviour).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "arch/arch_spec.h"
#include "io/config_path.h"
#include "io/error.h"
#include "workloads/network.h"

namespace xbarsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> regressionFiles(const std::string& kind) {
  std::vector<std::string> files;
  const std::string extension = kind == "onnx" ? ".onnx" : ".yaml";
  for (const auto& entry : fs::directory_iterator(fs::path(XBARSIM_FUZZ_REGRESSIONS_DIR) / kind))
    if (entry.is_regular_file() && entry.path().extension() == extension)
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Loads every regression file of `kind` with `load`; an xbarsim::Error is a fine answer.
void expectLoadsOrErrors(const std::string& kind,
                         const std::function<void(const std::string&, const std::string&)>& load) {
  const std::vector<std::string> files = regressionFiles(kind);
  EXPECT_FALSE(files.empty()) << "no regression files in " << XBARSIM_FUZZ_REGRESSIONS_DIR << "/"
                              << kind;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const std::string text = readTextFile(path);
    EXPECT_NO_THROW(([&] {
      try {
        load(text, path);
      } catch (const Error&) {
        // A located error: what a bad file should get.
      }
    })())
        << path;
  }
}

TEST(LoaderRegressions, ArchFilesLoadOrFailWithAnXbarsimError) {
  expectLoadsOrErrors("arch", [](const std::string& text, const std::string& path) {
    (void)parseArchSpec(text, path);
  });
}

TEST(LoaderRegressions, NetworkFilesLoadOrFailWithAnXbarsimError) {
  expectLoadsOrErrors("network", [](const std::string& text, const std::string& path) {
    (void)parseNetwork(text, path);
  });
}

TEST(LoaderRegressions, OnnxFilesLoadOrFailWithAnXbarsimError) {
  expectLoadsOrErrors("onnx", [](const std::string& bytes, const std::string& path) {
    (void)parseOnnx(bytes, path);
  });
}

}  // namespace
}  // namespace xbarsim
