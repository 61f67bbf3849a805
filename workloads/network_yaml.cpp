// The YAML network format (documented in the README):
//   name, optional params:, input: [C, H, W], layers: [{name, type, ...}, ...]
#include <map>

#include "io/config_path.h"
#include "io/params.h"
#include "workloads/network.h"

namespace xbarsim {
namespace {

const std::map<std::string, LayerType>& layerTypes() {
  static const std::map<std::string, LayerType> kTypes = {
      {"conv", LayerType::kConv},       {"dwconv", LayerType::kDwConv},   {"fc", LayerType::kFc},
      {"maxpool", LayerType::kMaxPool}, {"avgpool", LayerType::kAvgPool}, {"add", LayerType::kAdd},
      {"concat", LayerType::kConcat},   {"matmul", LayerType::kMatmul}};
  return kTypes;
}

LayerSpec readLayer(StrictMap m) {
  LayerSpec s;
  s.where = locationOf(m.file(), m.yaml());
  s.name = m.string("name");
  const std::string type = m.string("type");
  const auto it = layerTypes().find(type);
  if (it == layerTypes().end()) {
    std::string known;
    for (const auto& t : layerTypes()) known += (known.empty() ? "" : ", ") + t.first;
    throw m.error(m.yaml()["type"],
                  "layer '" + s.name + "' has unknown type '" + type + "' (types: " + known + ")");
  }
  s.type = it->second;
  if (m.has("inputs")) {
    const YAML::Node list = m.sequence("inputs");
    for (const auto& n : list) {
      if (!n.IsScalar()) throw m.error(n, "layer '" + s.name + "': inputs must be layer names");
      s.inputs.push_back(n.Scalar());
    }
  }
  switch (s.type) {
    case LayerType::kConv:
      s.out = m.integer("out");
      [[fallthrough]];
    case LayerType::kDwConv:
      s.kernel = m.integer("kernel");
      s.stride = m.integerOr("stride", 1);
      s.pad = m.integerOr("pad", 0, 0);
      break;
    case LayerType::kFc:
      s.out = m.integer("out");
      break;
    case LayerType::kMaxPool:
    case LayerType::kAvgPool:
      s.global = m.flagOr("global", false);
      if (!s.global) {
        s.kernel = m.integer("kernel");
        s.stride = m.integerOr("stride", s.kernel);
        s.pad = m.integerOr("pad", 0, 0);
      }
      break;
    case LayerType::kMatmul:
      s.heads = m.integerOr("heads", 1);
      s.transpose_b = m.flagOr("transpose_b", false);
      break;
    case LayerType::kAdd:
    case LayerType::kConcat:
    case LayerType::kInput:
      break;
  }
  m.finish();
  return s;
}

}  // namespace

Network parseNetwork(const std::string& yaml_text, const std::string& origin,
                     const Params& overrides) {
  const YAML::Node doc = loadYamlText(yaml_text, origin);
  StrictMap root0(doc, origin, "network");
  const Params params = readParams(root0, overrides);
  StrictMap root(doc, origin, "network", &params);
  root.has("params");
  const std::string name = root.string("name");
  const YAML::Node input = root.sequence("input");
  if (input.size() != 3) throw root.error(input, "'input' must be [channels, height, width]");
  const Shape shape{root.integerAt(input[0], "input[0]", 1),
                    root.integerAt(input[1], "input[1]", 1),
                    root.integerAt(input[2], "input[2]", 1)};
  const YAML::Node list = root.sequence("layers");
  std::vector<LayerSpec> layers;
  for (std::size_t i = 0; i < list.size(); ++i)
    layers.push_back(
        readLayer(StrictMap(list[i], origin, "layers[" + std::to_string(i) + "]", &params)));
  root.finish();
  Network net(name, shape, layers);
  net.yaml_text = yaml_text;
  net.params = params;
  return net;
}

Network loadNetwork(const std::string& name_or_path, const Params& overrides) {
  const std::string path = resolveConfig("workloads", name_or_path);
  return parseNetwork(readTextFile(path), path, overrides);
}

}  // namespace xbarsim
