// The simulator tests enter through SystemC (sc_elab_and_sim -> sc_main), as the CLI does.
#include <gtest/gtest.h>
#include <sysc/kernel/sc_externs.h>

#include <cstdlib>

extern "C" int sc_main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
