#include "sim/tracer.h"

namespace xbarsim::sim {

const char* eventKindName(EventKind k) {
  switch (k) {
    case EventKind::kCompute:
      return "compute";
    case EventKind::kFetch:
      return "fetch";
    case EventKind::kSend:
      return "send";
    case EventKind::kProgram:
      return "program";
    case EventKind::kLoad:
      return "load";
    case EventKind::kStore:
      return "store";
    case EventKind::kInputWait:
      return "input_wait";
    case EventKind::kOutputFull:
      return "output_full";
    case EventKind::kBackpressure:
      return "backpressure";
    case EventKind::kTransfer:
      return "transfer";
    case EventKind::kRead:
      return "read";
    case EventKind::kWrite:
      return "write";
  }
  return "?";
}

const char* componentKindName(ComponentKind k) {
  switch (k) {
    case ComponentKind::kBlock:
      return "block";
    case ComponentKind::kTile:
      return "tile";
    case ComponentKind::kLink:
      return "link";
    case ComponentKind::kBank:
      return "bank";
  }
  return "?";
}

}  // namespace xbarsim::sim
