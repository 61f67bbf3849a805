// The xbarsim command line: one executable, one subcommand per job. Every subcommand explains
// itself with --help and takes --json for machine-readable output.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string>

#include <sysc/kernel/sc_externs.h>

#include "io/error.h"
#include "sim/systemc_info.h"
#include "tools/cli.h"
#include "tools/version.h"

namespace xbarsim::cli {
void registerDescribe(CLI::App& app);
void registerAllocate(CLI::App& app);
void registerModel(CLI::App& app);
void registerSimulate(CLI::App& app);
void registerRun(CLI::App& app);
void registerFidelity(CLI::App& app);
void registerValidate(CLI::App& app);
void registerSystolic(CLI::App& app);
void registerSweep(CLI::App& app);
void registerCompare(CLI::App& app);
}  // namespace xbarsim::cli

// SystemC enters the program through sc_main, called by sc_elab_and_sim from main below.
extern "C" int sc_main(int argc, char** argv) {
  CLI::App app{
      "xbarsim: a cycle-level simulator of ReRAM crossbar DNN accelerators, with the analytical "
      "models and crossbar allocators it validates.",
      "xbarsim"};
  app.set_version_flag("--version", std::string("xbarsim ") + XBARSIM_VERSION + " (SystemC " +
                                        xbarsim::systemcVersion() + ")");
  app.require_subcommand(1);
  app.footer(
      "Run 'xbarsim COMMAND --help' for a command's options and an example.\n"
      "Example:\n  xbarsim describe --workload vgg-a --arch isaac-like");
  xbarsim::cli::registerDescribe(app);
  xbarsim::cli::registerAllocate(app);
  xbarsim::cli::registerModel(app);
  xbarsim::cli::registerSimulate(app);
  xbarsim::cli::registerRun(app);
  xbarsim::cli::registerFidelity(app);
  xbarsim::cli::registerValidate(app);
  xbarsim::cli::registerSystolic(app);
  xbarsim::cli::registerSweep(app);
  xbarsim::cli::registerCompare(app);
  xbarsim::cli::setCommandLine(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
      return app.exit(e);  // --help, --version
    // Bad arguments are bad input like any other: one line, exit 2.
    std::string what = e.what();
    for (char& c : what)
      if (c == '\n') c = ' ';
    std::cerr << "xbarsim: error: " << what << " (see 'xbarsim --help')\n";
    return 2;
  } catch (const xbarsim::Error& e) {
    std::cerr << "xbarsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "xbarsim: internal error: " << e.what() << "\n";
    return 3;
  }
  return 0;
}

// Our own main replaces the one in libsystemc so that the kernel's banner, which it prints
// before sc_main, is switched off first and the output stays clean.
int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
