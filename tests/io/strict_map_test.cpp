#include "io/strict_map.h"

#include <gtest/gtest.h>

#include "io/params.h"

namespace xbarsim {
namespace {

std::string messageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(StrictMap, ReadsTypedValues) {
  const YAML::Node doc = loadYamlText("a: 3\nb: 64KiB\nc: true\nd: hi\n", "t.yaml");
  StrictMap m(doc, "t.yaml", "root");
  EXPECT_EQ(m.integer("a"), 3);
  EXPECT_DOUBLE_EQ(m.quantity("b", Dim::kSize), 65536.0);
  EXPECT_TRUE(m.flagOr("c", false));
  EXPECT_EQ(m.string("d"), "hi");
  EXPECT_EQ(m.integerOr("missing", 7), 7);
  EXPECT_NO_THROW(m.finish());
}

TEST(StrictMap, UnknownKeyNamesFileLineColumnAndAllowedKeys) {
  const YAML::Node doc = loadYamlText("rows: 128\ncolz: 128\n", "x.yaml");
  StrictMap m(doc, "x.yaml", "crossbar");
  m.integer("rows");
  m.integerOr("cols", 128);
  const std::string msg = messageOf([&] { m.finish(); });
  EXPECT_NE(msg.find("x.yaml:2:1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'colz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed here: rows, cols"), std::string::npos) << msg;
}

TEST(StrictMap, NegativeAndZeroAndNonIntegerValuesAreErrorsWithLocation) {
  const YAML::Node doc = loadYamlText("n: -4\nsize: -2KiB\nz: 0ns\nf: 2.5\n", "v.yaml");
  StrictMap m(doc, "v.yaml", "buf");
  EXPECT_NE(messageOf([&] { m.integer("n"); }).find("v.yaml:1:4: 'buf.n' must be >= 1, got -4"),
            std::string::npos);
  EXPECT_NE(messageOf([&] { m.quantity("size", Dim::kSize); }).find("v.yaml:2:7"),
            std::string::npos);
  EXPECT_NE(messageOf([&] { m.quantity("z", Dim::kTime); }).find("must be > 0"), std::string::npos);
  EXPECT_NE(messageOf([&] { m.integer("f"); }).find("must be an integer"), std::string::npos);
  // Too large for the int it becomes: an error where it stands, not a silent truncation
  // (4294967424 used to give 128 rows).
  const YAML::Node big = loadYamlText("rows: 4294967424\nok: 2147483647\n", "b.yaml");
  StrictMap b(big, "b.yaml", "xb");
  EXPECT_NE(messageOf([&] {
              b.integer("rows");
            }).find("b.yaml:1:7: 'xb.rows' must be <= 2147483647, got 4294967424"),
            std::string::npos);
  EXPECT_EQ(b.integer("ok"), 2147483647);
}

TEST(StrictMap, WrongUnitIsAConfigErrorWithLocation) {
  const YAML::Node doc = loadYamlText("bus:\n  bandwidth: 100ns\n", "u.yaml");
  StrictMap root(doc, "u.yaml", "chip");
  StrictMap bus = root.map("bus");
  const std::string msg = messageOf([&] { bus.quantity("bandwidth", Dim::kBandwidth); });
  EXPECT_NE(msg.find("u.yaml:2:14"), std::string::npos) << msg;
  EXPECT_NE(msg.find("not a bandwidth"), std::string::npos) << msg;
}

TEST(StrictMap, MalformedYamlAndMissingFileAreConfigErrors) {
  const std::string msg = messageOf([] { loadYamlText("a: [1, 2\nb: 3\n", "bad.yaml"); });
  EXPECT_NE(msg.find("bad.yaml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed YAML"), std::string::npos) << msg;
  EXPECT_NE(messageOf([] { loadYamlFile("/nonexistent/arch.yaml"); }).find("cannot open"),
            std::string::npos);
}

TEST(Params, DefaultsOverridesAndSubstitution) {
  const YAML::Node doc = loadYamlText("params: {tiles: 32}\nn: ${tiles}\n", "p.yaml");
  StrictMap root0(doc, "p.yaml", "arch");
  const Params p = readParams(root0, {{"tiles", 64}});
  StrictMap root(doc, "p.yaml", "arch", &p);
  EXPECT_EQ(root.integer("n"), 64);
  StrictMap again(doc, "p.yaml", "arch");
  EXPECT_NE(messageOf([&] {
              readParams(again, {{"tile", 2}});
            }).find("declared: tiles"),
            std::string::npos);
  const YAML::Node undef = loadYamlText("n: ${nope}\n", "q.yaml");
  StrictMap q(undef, "q.yaml", "x", &p);
  EXPECT_NE(messageOf([&] { q.integer("n"); }).find("undefined parameter 'nope'"),
            std::string::npos);
  EXPECT_EQ(parseParamOverrides({"seq=256"}).at("seq"), 256);
  EXPECT_THROW(parseParamOverrides({"seq"}), ConfigError);
  EXPECT_THROW(parseParamOverrides({"seq="}), ConfigError);
  // A name as a value: fields of any type may use it; an integer field needs an integer.
  const YAML::Node named =
      loadYamlText("params: {topology: bus}\nt: ${topology}\nn: ${topology}\n", "r.yaml");
  StrictMap r0(named, "r.yaml", "arch");
  const Params pr = readParams(r0, parseParamOverrides({"topology=mesh"}));
  StrictMap r(named, "r.yaml", "arch", &pr);
  EXPECT_EQ(r.string("t"), "mesh");
  EXPECT_NE(messageOf([&] { r.integer("n"); }).find("'arch.n' must be an integer, got 'mesh'"),
            std::string::npos);
  EXPECT_EQ(resolvedText("t: ${topology}\n", pr), "# resolved with topology=mesh\nt: mesh\n");
}

}  // namespace
}  // namespace xbarsim
