// A fresh SystemC kernel context for the blocks a test elaborates, deleted after the test.
#pragma once

#include <systemc>

namespace xbarsim::sim {

struct FreshKernel {
  FreshKernel() {
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  }
  ~FreshKernel() {
    delete sc_core::sc_curr_simcontext;
    sc_core::sc_curr_simcontext = nullptr;
    sc_core::sc_default_global_context = nullptr;
  }
  FreshKernel(const FreshKernel&) = delete;
  FreshKernel& operator=(const FreshKernel&) = delete;
};

}  // namespace xbarsim::sim
