// The YAML network format (documented in the README):
//   name, optional params:, input: [C, H, W], layers: [{name, type, ...}, ...]
#include <filesystem>
#include <map>

#include <yaml-cpp/yaml.h>

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

bool isOnnxFile(const std::string& path) {
  return std::filesystem::path(path).extension() == ".onnx";
}

Network loadNetwork(const std::string& name_or_path, const Params& overrides) {
  const std::string path = resolveConfig("workloads", name_or_path);
  if (!isOnnxFile(path)) return parseNetwork(readTextFile(path), path, overrides);
  if (!overrides.empty()) throw ConfigError(path + ": an ONNX network has no params: block to set");
  return parseOnnx(readTextFile(path), path);
}

std::string networkYaml(const Network& net) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << net.name();
  const Shape in = net.inputShape();
  out << YAML::Key << "input" << YAML::Value << YAML::Flow << YAML::BeginSeq << in.c << in.h << in.w
      << YAML::EndSeq;
  out << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
  for (const Vertex v : net.topoOrder()) {
    const LayerSpec& s = net.layer(v).spec;
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.name;
    out << YAML::Key << "type" << YAML::Value << layerTypeName(s.type);
    out << YAML::Key << "inputs" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const Vertex p : net.producers(v)) out << (p == 0 ? "input" : net.layer(p).spec.name);
    out << YAML::EndSeq;
    const auto window = [&] {
      out << YAML::Key << "kernel" << YAML::Value << s.kernel << YAML::Key << "stride"
          << YAML::Value << s.stride << YAML::Key << "pad" << YAML::Value << s.pad;
    };
    switch (s.type) {
      case LayerType::kConv:
        out << YAML::Key << "out" << YAML::Value << s.out;
        window();
        break;
      case LayerType::kDwConv:
        window();
        break;
      case LayerType::kFc:
        out << YAML::Key << "out" << YAML::Value << s.out;
        break;
      case LayerType::kMaxPool:
      case LayerType::kAvgPool:
        if (s.global)
          out << YAML::Key << "global" << YAML::Value << true;
        else
          window();
        break;
      case LayerType::kMatmul:
        out << YAML::Key << "heads" << YAML::Value << s.heads << YAML::Key << "transpose_b"
            << YAML::Value << s.transpose_b;
        break;
      case LayerType::kAdd:
      case LayerType::kConcat:
      case LayerType::kInput:
        break;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace xbarsim
