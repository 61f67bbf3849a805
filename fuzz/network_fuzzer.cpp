// libFuzzer harness for the network loader: the input bytes are network YAML text. A project
// error (xbarsim::Error and its subclasses: ConfigError, WorkloadError) is the expected answer
// to a bad file and is ignored; any other exception escapes, and libFuzzer reports it as a
// crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/error.h"
#include "workloads/network.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)xbarsim::parseNetwork(text, "fuzz-network.yaml");
  } catch (const xbarsim::Error&) {
    // A located configuration or workload error: the loader did its job.
  }
  return 0;
}
