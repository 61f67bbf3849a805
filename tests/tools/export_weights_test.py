#!/usr/bin/python3
"""tools/export_weights.py end to end: a torchvision ResNet-18 (random initialisation, seeded,
nothing downloaded) exported for the zoo's resnet-18 holds every weight layer under the zoo's
name with PyTorch's values in PyTorch's order, xbarsim simulates with it, and a model that does
not match the workload is refused with one message. Usage: export_weights_test.py XBARSIM SCRIPT"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch
import torchvision

exe, script = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "r18.h5")
    p = subprocess.run(["/usr/bin/python3", script, "--model", "resnet18", "--random-init",
                        "--seed", "5", "--workload", "resnet-18", "-o", out, "--xbarsim", exe],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"export failed: {p.stderr}")
    torch.manual_seed(5)
    model = torchvision.models.resnet18(weights=None)
    with h5py.File(out, "r") as f:
        check(len(f.keys()) == 21, f"{len(f.keys())} datasets, ResNet-18 has 21 weight layers")
        check(np.array_equal(f["conv1"][()], model.conv1.weight.detach().double().reshape(-1).numpy()),
              "conv1 differs from the model's")
        check(np.array_equal(f["l2.0.down"][()],
                             model.layer2[0].downsample[0].weight.detach().double().reshape(-1).numpy()),
              "l2.0.down differs from the model's layer2.0.downsample.0")
        check(np.array_equal(f["fc"][()], model.fc.weight.detach().double().reshape(-1).numpy()),
              "fc differs from the model's")
    p = subprocess.run([exe, "simulate", "--mode", "layer-sequential", "--arch", "aras",
                        "--workload", "resnet-18", "--scheduler", "naive", "--weights", out,
                        "--json"], capture_output=True, text=True)
    check(p.returncode == 0 and f"file {out}" in p.stdout, f"simulate --weights failed: {p.stderr}")
    p = subprocess.run(["/usr/bin/python3", script, "--model", "vgg11", "--random-init",
                        "--workload", "resnet-18", "-o", os.path.join(tmp, "bad.h5"),
                        "--xbarsim", exe], capture_output=True, text=True)
    check(p.returncode == 2 and p.stderr.count("\n") == 1 and "export_weights: error:" in p.stderr,
          f"a mismatched model: {p.returncode} {p.stderr}")
    check(not os.path.exists(os.path.join(tmp, "bad.h5")), "a refused export left a file")

for f in failures:
    print("FAIL:", f)
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
sys.exit(1 if failures else 0)
