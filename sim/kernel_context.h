// A fresh SystemC kernel context for one simulation (or one test's blocks), removed with
// everything elaborated in it; the time resolution is 1 ps.
#pragma once

#include <systemc>

namespace xbarsim::sim {

class KernelContext {
 public:
  KernelContext() {
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
    sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  }
  ~KernelContext() {
    delete sc_core::sc_curr_simcontext;
    sc_core::sc_curr_simcontext = nullptr;
    sc_core::sc_default_global_context = nullptr;
  }
  KernelContext(const KernelContext&) = delete;
  KernelContext& operator=(const KernelContext&) = delete;
};

}  // namespace xbarsim::sim
