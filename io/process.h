// Running a helper program (the plotting scripts) without a shell: its arguments go to it as
// they are, so no character in a path needs quoting and none can inject a command.
#pragma once

#include <string>
#include <vector>

namespace xbarsim {

// Runs args[0] (a full path) with `args`, its standard output discarded and its errors on ours;
// returns whether it started and exited with status 0.
bool runProgram(std::vector<std::string> args);

struct ProgramOutput {
  bool started = false;
  int status = -1;  // the exit status, or 128 + the signal that ended it
  std::string out, err;
};

// Runs args[0] (a full path) with `args` and collects what it writes on both streams.
ProgramOutput captureProgram(std::vector<std::string> args);

}  // namespace xbarsim
