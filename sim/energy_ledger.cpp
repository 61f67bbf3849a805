#include "sim/energy_ledger.h"

#include <algorithm>

namespace xbarsim::sim {

int EnergyLedger::component(const std::string& name) {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it != names_.end()) return static_cast<int>(it - names_.begin());
  names_.push_back(name);
  joules_.emplace_back(layers_ + 1, 0.0);
  return static_cast<int>(names_.size() - 1);
}

void EnergyLedger::add(int component, int layer, double joules) {
  joules_[static_cast<std::size_t>(component)][static_cast<std::size_t>(layer + 1)] += joules;
}

double EnergyLedger::total() const {
  double sum = 0;
  for (const auto& row : joules_)
    for (const double j : row) sum += j;
  return sum;
}

std::map<std::string, double> EnergyLedger::byComponent() const {
  std::map<std::string, double> out;
  for (std::size_t c = 0; c < names_.size(); ++c)
    for (const double j : joules_[c]) out[names_[c]] += j;
  return out;
}

std::vector<double> EnergyLedger::byLayer() const {
  std::vector<double> out(layers_, 0.0);
  for (const auto& row : joules_)
    for (std::size_t l = 0; l < layers_; ++l) out[l] += row[l + 1];
  return out;
}

}  // namespace xbarsim::sim
