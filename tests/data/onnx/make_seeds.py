#!/usr/bin/python3
"""Writes the small ONNX models in this folder (the ONNX fuzzer's seeds, fuzz/onnx_fuzzer.cpp):
cnn.onnx, a conv net with batch norm, pools, a residual add, a concat and a linear head,
mlp.onnx, a token-wise MLP on a [1, 8, 16] sequence, and attention.onnx, a two-head self-attention
block with layer norm and GELU on a [1, 8, 16] sequence (opset 17, for LayerNormalization).
Run from anywhere; needs python3-torch.

  /usr/bin/python3 tests/data/onnx/make_seeds.py
"""

import argparse
import os

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.parse_args()

import torch  # noqa: E402
from torch import nn  # noqa: E402


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.dw = nn.Conv2d(4, 4, 3, padding=1, groups=4)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv1(x))))
        y = self.dw(self.conv2(x) + x)
        return self.fc(torch.flatten(self.gap(torch.cat([y, x], 1)), 1))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.Linear(16, 32, bias=False)
        self.down = nn.Linear(32, 16, bias=False)

    def forward(self, x):
        return self.down(torch.relu(self.up(x))) + x


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.ModuleList(nn.Linear(16, 16) for _ in range(3))
        self.proj, self.ffn = nn.Linear(16, 16), nn.Linear(16, 16)
        self.norm = nn.LayerNorm(16)

    def forward(self, x):
        q, k, v = (m(x).view(1, 8, 2, 8).permute(0, 2, 1, 3) for m in self.qkv)
        s = torch.matmul(q, k.transpose(-1, -2)).softmax(-1)
        c = torch.matmul(s, v).permute(0, 2, 1, 3).reshape(1, 8, 16)
        a = self.norm(self.proj(c) + x)
        return nn.functional.gelu(self.ffn(a)) + a


here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
for name, model, shape, opset in (("cnn", Cnn(), (1, 3, 8, 8), 13), ("mlp", Mlp(), (1, 8, 16), 13),
                                  ("attention", Attention(), (1, 8, 16), 17)):
    path = os.path.join(here, name + ".onnx")
    torch.onnx.export(model.eval(), torch.zeros(shape), path + ".tmp", opset_version=opset)
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
