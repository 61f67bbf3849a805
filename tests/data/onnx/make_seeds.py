#!/usr/bin/python3
"""Writes the small ONNX models in this folder (the ONNX fuzzer's seeds, fuzz/onnx_fuzzer.cpp):
cnn.onnx, a conv net with batch norm, pools, a residual add, a concat and a linear head, and
mlp.onnx, a token-wise MLP on a [1, 8, 16] sequence. Run from anywhere; needs python3-torch.

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


here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
for name, model, shape in (("cnn", Cnn(), (1, 3, 8, 8)), ("mlp", Mlp(), (1, 8, 16))):
    path = os.path.join(here, name + ".onnx")
    torch.onnx.export(model.eval(), torch.zeros(shape), path + ".tmp", opset_version=13)
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
