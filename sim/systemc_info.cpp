#include "sim/systemc_info.h"

#include <systemc>

namespace xbarsim {

std::string systemcVersion() {
  return sc_core::sc_release();
}

}  // namespace xbarsim
