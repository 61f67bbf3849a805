#!/usr/bin/python3
"""ONNX import against the zoo: torchvision's ResNet-18 and ResNet-50, exported with
tools/export_onnx.py, must describe the same layers as configs/workloads/resnet-{18,50}.yaml
(type, output shape, weights, MACs, number of inputs; the names differ) and ResNet-18 must
simulate to the same cycles and energy. A BERT-base encoder written here in PyTorch the way
Hugging Face writes it (heads split by view and permute, scores scaled, masked-free softmax,
LayerNorm, GELU), two layers of it exported by torch.onnx, must describe the same layers as
the first two encoder layers of configs/workloads/bert-base.yaml.

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


def bert(path, layers=2, hidden=768, heads=12, ffn=3072, seq=128):
    import torch
    from torch import nn

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
            self.proj = nn.Linear(hidden, hidden)
            self.norm = nn.LayerNorm(hidden)

        def split(self, x):  # [N, T, F] -> [N, H, T, D]
            return x.view(1, seq, heads, hidden // heads).permute(0, 2, 1, 3)

        def forward(self, x):
            q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
            scores = torch.matmul(q, k.transpose(-1, -2)) / (hidden // heads) ** 0.5
            ctx = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3)
            return self.norm(self.proj(ctx.reshape(1, seq, hidden)) + x)

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.attention = Attention()
            self.ffn1, self.ffn2 = nn.Linear(hidden, ffn), nn.Linear(ffn, hidden)
            self.norm = nn.LayerNorm(hidden)

        def forward(self, x):
            a = self.attention(x)
            return self.norm(self.ffn2(nn.functional.gelu(self.ffn1(a))) + a)

    model = nn.Sequential(*(Layer() for _ in range(layers))).eval()
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, seq, hidden), path, opset_version=17,
                          input_names=["input"], output_names=["output"])


def main():
    xbarsim, export = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        bert(f"{tmp}/bert2.onnx")
        got, want = layers(xbarsim, f"{tmp}/bert2.onnx"), layers(xbarsim, "bert-base")[:20]
        if got != want:
            for i, (g, w) in enumerate(zip(got, want)):
                if g != w:
                    sys.exit(f"FAIL: bert layer {i + 1}: {g}, the zoo's bert-base has {w}")
            sys.exit(f"FAIL: bert: {len(got)} layers, expected the zoo's first {len(want)}")
        print(f"bert (2 encoder layers): {len(got)} layers equal to the zoo's bert-base's first "
              f"{len(want)}")
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
