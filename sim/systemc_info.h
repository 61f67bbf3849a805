// What SystemC kernel this build links. The simulator's modules (tiles, PEs, APUs, buses,
// buffers, write drivers) live in this folder; this file proves the Debian package links.
#pragma once

#include <string>

namespace xbarsim {

// The linked SystemC kernel's version string, e.g. "2.3.4-Accellera".
std::string systemcVersion();

}  // namespace xbarsim
