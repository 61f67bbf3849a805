// Whole-or-absent text files (io/config_path.h).
#include "io/config_path.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/error.h"

namespace xbarsim {
namespace {

TEST(TextFiles, WrittenWholeOrNotAtAll) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "xbarsim_text";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "a.md").string();
  writeTextFile(path, "first\n");
  writeTextFile(path, "second\n");
  EXPECT_EQ(readTextFile(path), "second\n");
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);  // no temporary left behind
  try {
    writeTextFile((dir / "missing" / "b.md").string(), "x");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing/b.md: cannot write"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace xbarsim
