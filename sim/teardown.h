// Teardown in O(1) per block. SystemC 2.3 keeps every module in one registry vector; a module's
// destructor finds itself by a linear scan from the front and moves the last entry into its
// place. Destroying a chip in the natural C++ order scans most of that vector per module, which
// is quadratic in the blocks built (a 2,000-tile chip spent 68 % of its run there).
//
// Two rules make every scan stop at index 1:
// - the Chip's first block is a TeardownAnchor, destroyed before any other, so the hole it
//   leaves at index 1 receives the last entry. sc_start appends a module of SystemC's own to
//   the registry; the anchor's spare entry, removed first, takes that one out of the way;
// - every other block is destroyed in reverse creation order, so the block destroyed next is
//   always the one that was just moved into that hole. Members that are blocks are declared in
//   the order they are built, and blocks built in a constructor's body are held in a
//   ReverseOwned, which destroys its elements last first.
#pragma once

#include <systemc>

#include <memory>
#include <vector>

namespace xbarsim::sim {

class TeardownAnchor : public sc_core::sc_module {
 public:
  TeardownAnchor() : sc_core::sc_module(sc_core::sc_module_name("teardown_anchor")) {}

 private:
  struct Spare : sc_core::sc_module {
    Spare() : sc_core::sc_module(sc_core::sc_module_name("spare")) {}
  };
  Spare spare_;
};

template <class T>
class ReverseOwned : public std::vector<std::unique_ptr<T>> {
 public:
  ReverseOwned() = default;
  ReverseOwned(const ReverseOwned&) = delete;
  ReverseOwned& operator=(const ReverseOwned&) = delete;
  ~ReverseOwned() {
    while (!this->empty()) this->pop_back();
  }
};

}  // namespace xbarsim::sim
