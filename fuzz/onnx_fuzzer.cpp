// libFuzzer harness for the ONNX importer: the input bytes are a serialized ONNX model. A
// project error (xbarsim::Error and its subclasses) is the expected answer to a bad model and
// is ignored; any other exception escapes, and libFuzzer reports it as a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/error.h"
#include "workloads/network.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    (void)xbarsim::parseOnnx(bytes, "fuzz-model.onnx");
  } catch (const xbarsim::Error&) {
    // A located workload error: the importer did its job.
  }
  return 0;
}
