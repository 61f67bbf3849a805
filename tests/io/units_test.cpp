#include "io/units.h"

#include <gtest/gtest.h>

#include "io/error.h"

namespace xbarsim {
namespace {

TEST(Units, ParsesEveryDimensionWithPrefixes) {
  EXPECT_DOUBLE_EQ(parseQuantity("100ns", Dim::kTime), 100e-9);
  EXPECT_DOUBLE_EQ(parseQuantity("1.5 us", Dim::kTime), 1.5e-6);
  EXPECT_DOUBLE_EQ(parseQuantity("1.2GHz", Dim::kFrequency), 1.2e9);
  EXPECT_DOUBLE_EQ(parseQuantity("128GB/s", Dim::kBandwidth), 128e9);
  EXPECT_DOUBLE_EQ(parseQuantity("12.8GB/s", Dim::kBandwidth), 12.8e9);
  EXPECT_DOUBLE_EQ(parseQuantity("2mW", Dim::kPower), 2e-3);
  EXPECT_DOUBLE_EQ(parseQuantity("1.56pJ", Dim::kEnergy), 1.56e-12);
  EXPECT_DOUBLE_EQ(parseQuantity("64KiB", Dim::kSize), 65536.0);
  EXPECT_DOUBLE_EQ(parseQuantity("64KB", Dim::kSize), 64000.0);
  EXPECT_DOUBLE_EQ(parseQuantity("2MiB", Dim::kSize), 2.0 * 1024 * 1024);
}

TEST(Units, RejectsWrongUnitMissingUnitAndMissingNumber) {
  EXPECT_THROW(parseQuantity("100ns", Dim::kBandwidth), UnitError);
  EXPECT_THROW(parseQuantity("128", Dim::kBandwidth), UnitError);
  EXPECT_THROW(parseQuantity("GB/s", Dim::kBandwidth), UnitError);
  EXPECT_THROW(parseQuantity("12 parsecs", Dim::kTime), UnitError);
  try {
    parseQuantity("3furlongs", Dim::kTime);
    FAIL();
  } catch (const UnitError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("furlongs"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ns"), std::string::npos) << "lists accepted units: " << msg;
  }
}

TEST(Units, FormatsWithReadablePrefix) {
  EXPECT_EQ(formatQuantity(100e-9, Dim::kTime), "100ns");
  EXPECT_EQ(formatQuantity(128e9, Dim::kBandwidth), "128GB/s");
  EXPECT_EQ(formatQuantity(1.2e9, Dim::kFrequency), "1.2GHz");
}

}  // namespace
}  // namespace xbarsim
