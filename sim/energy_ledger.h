// Energy by component and by layer. Each block computes the energy of its own actions from the
// arch's energy table and books it here against the layer it worked for (kNoLayer for what no
// single layer causes: static power, the network input). The results give energy per block
// kind and per layer from this one table.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace xbarsim::sim {

class EnergyLedger {
 public:
  static constexpr int kNoLayer = -1;
  explicit EnergyLedger(std::size_t layers) : layers_(layers) {}
  // Registers a component (a block kind: "adc", "noc", ...) once; returns its id.
  int component(const std::string& name);
  void add(int component, int layer, double joules);

  const std::vector<std::string>& components() const { return names_; }
  // joules[component][layer + 1]: column 0 is kNoLayer.
  const std::vector<std::vector<double>>& table() const { return joules_; }
  double total() const;
  std::map<std::string, double> byComponent() const;
  std::vector<double> byLayer() const;  // one entry per layer (kNoLayer excluded)

 private:
  std::size_t layers_;
  std::vector<std::string> names_;
  std::vector<std::vector<double>> joules_;
};

}  // namespace xbarsim::sim
