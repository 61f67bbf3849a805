// libFuzzer harness for the arch loader: the input bytes are arch YAML text. A project error
// (xbarsim::Error and its subclasses: a ConfigError naming file:line:column) is the expected
// answer to a bad file and is ignored; any other exception escapes, and libFuzzer reports it
// as a crash. A `base:` key makes the loader read a preset (configs/arch) or a path; the loader
// only reads regular files, so a mutated base never reads a device or a pipe.
#include <cstddef>
#include <cstdint>
#include <string>

#include "arch/arch_spec.h"
#include "io/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)xbarsim::parseArchSpec(text, "fuzz-arch.yaml");
  } catch (const xbarsim::Error&) {
    // A located configuration error: the loader did its job.
  }
  return 0;
}
