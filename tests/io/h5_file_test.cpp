// H5In reads back what H5Out wrote, and says which file and object when it cannot; running a
// helper program collects both of its streams and its exit status.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "io/error.h"
#include "io/h5_file.h"
#include "io/process.h"

namespace xbarsim {
namespace {

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("xbarsim_io_" + name)).string();
}

TEST(H5In, ReadsWhatH5OutWrote) {
  const std::string path = temp("roundtrip.h5");
  {
    H5Out out(path);
    out.attr("/", "format", std::string("test"));
    out.attr("/sim", "cycles", std::int64_t{6356});
    out.attr("/sim", "energy_j", 0.25);
    out.column("/t/ints", std::vector<std::int64_t>{3, -1, 1LL << 40}, "cycles");
    out.column("/t/reals", std::vector<double>{0.1, 1.0 / 3.0});
    out.column("/t/names", std::vector<std::string>{"conv1", "", "l1.0.add"});
    out.text("/yaml", "a: 1\nb: [2, 3]\n");
    out.commit();
  }
  const H5In in(path);
  EXPECT_TRUE(in.has("/t/ints"));
  EXPECT_TRUE(in.has("/sim"));
  EXPECT_FALSE(in.has("/t/none"));
  EXPECT_FALSE(in.has("/none/deeper"));
  EXPECT_TRUE(in.hasAttr("/sim", "cycles"));
  EXPECT_FALSE(in.hasAttr("/sim", "steps"));
  EXPECT_FALSE(in.hasAttr("/nogroup", "steps"));
  EXPECT_EQ(in.attrText("/", "format"), "test");
  EXPECT_EQ(in.attrInt("/sim", "cycles"), 6356);
  EXPECT_EQ(in.attrReal("/sim", "cycles"), 6356.0);  // an integer reads as a real too
  EXPECT_EQ(in.attrReal("/sim", "energy_j"), 0.25);
  EXPECT_EQ(in.ints("/t/ints"), (std::vector<std::int64_t>{3, -1, 1LL << 40}));
  EXPECT_EQ(in.reals("/t/ints"), (std::vector<double>{3.0, -1.0, 1099511627776.0}));
  EXPECT_EQ(in.reals("/t/reals"), (std::vector<double>{0.1, 1.0 / 3.0}));
  EXPECT_EQ(in.texts("/t/names"), (std::vector<std::string>{"conv1", "", "l1.0.add"}));
  EXPECT_EQ(in.text("/yaml"), "a: 1\nb: [2, 3]\n");
}

TEST(H5In, ErrorsNameTheFileAndTheObject) {
  const std::string path = temp("errors.h5");
  {
    H5Out out(path);
    out.attr("/sim", "cycles", std::int64_t{1});
    out.commit();
  }
  const H5In in(path);
  try {
    in.reals("/sim/layers/last_cycle");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": no dataset /sim/layers/last_cycle");
  }
  try {
    in.attrInt("/sim", "steps");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": no attribute /sim@steps");
  }
  EXPECT_THROW(H5In(temp("missing.h5")), Error);
  const std::string text = temp("not_hdf5.h5");
  std::ofstream(text) << "not an HDF5 file\n";
  try {
    const H5In bad(text);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text + ": cannot read the file"), std::string::npos)
        << e.what();
  }
}

TEST(Process, CaptureCollectsBothStreamsAndTheStatus) {
  const ProgramOutput ok =
      captureProgram({"/bin/sh", "-c", "printf 'to out'; printf 'to err' >&2; exit 3"});
  EXPECT_TRUE(ok.started);
  EXPECT_EQ(ok.status, 3);
  EXPECT_EQ(ok.out, "to out");
  EXPECT_EQ(ok.err, "to err");
  // More than a pipe holds on each stream at once: neither may block the other.
  const ProgramOutput big =
      captureProgram({"/bin/sh", "-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2"});
  EXPECT_EQ(big.status, 0);
  EXPECT_EQ(big.out.size(), 300000u);
  EXPECT_EQ(big.err.size(), 200000u);
  const ProgramOutput killed = captureProgram({"/bin/sh", "-c", "kill -9 $$"});
  EXPECT_TRUE(killed.started);
  EXPECT_EQ(killed.status, 128 + 9);
  EXPECT_FALSE(captureProgram({"/nonexistent/program"}).started);
}

}  // namespace
}  // namespace xbarsim
