#!/usr/bin/python3
"""ONNX import against the zoo: torchvision's ResNet-18 and ResNet-50, exported with
tools/export_onnx.py, must describe the same layers as configs/workloads/resnet-{18,50}.yaml
(type, output shape, weights, MACs, number of inputs; the names differ) and ResNet-18 must
simulate to the same cycles and energy.

Usage: onnx_torchvision_test.py XBARSIM EXPORT_ONNX_PY
"""

import json
import subprocess
import sys
import tempfile


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)}: {p.stderr.strip()}")
    return p.stdout


def layers(xbarsim, workload):
    d = json.loads(run(xbarsim, "describe", "--workload", workload, "--json"))
    return [(l["type"], l["output"], l["weights"], l["macs"], len(l["inputs"]))
            for l in d["layers"]]


def main():
    xbarsim, export = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        for model, zoo in (("resnet18", "resnet-18"), ("resnet50", "resnet-50")):
            path = f"{tmp}/{model}.onnx"
            run("/usr/bin/python3", export, "--model", model, "-o", path)
            got, want = layers(xbarsim, path), layers(xbarsim, zoo)
            if len(got) != len(want):
                sys.exit(f"FAIL: {model}: {len(got)} layers, the zoo's {zoo} has {len(want)}")
            for i, (g, w) in enumerate(zip(got, want)):
                if g != w:
                    sys.exit(f"FAIL: {model} layer {i + 1}: {g}, the zoo has {w}")
            print(f"{model}: {len(got)} layers equal to the zoo's {zoo}")
        sim = [json.loads(run(xbarsim, "simulate", "--workload", w, "--arch", "isaac-like",
                              "--param", "tiles=57", "--allocator", "dp", "--json"))
               for w in (f"{tmp}/resnet18.onnx", "resnet-18")]
        for key in ("cycles", "energy_j"):
            if sim[0][key] != sim[1][key]:
                sys.exit(f"FAIL: resnet18 {key} {sim[0][key]}, the zoo's {sim[1][key]}")
        print(f"resnet18 simulates like the zoo's: {sim[0]['cycles']} cycles, "
              f"{sim[0]['energy_j']} J")


if __name__ == "__main__":
    main()
