#!/usr/bin/python3
"""Export a PyTorch/torchvision model's weights to an xbarsim weight file (HDF5).

The file has one dataset per weight layer of the xbarsim workload, named after the layer, holding
that layer's weights in PyTorch's order ([Co, Ci, Kh, Kw] flattened for a conv, [out, in] for a
linear layer), as float64; xbarsim quantises them per layer (weights/weight_source.h) when
`--weights FILE` is given to `xbarsim simulate` or `run`.

The model is built from torchvision by name without downloading anything; its weights come from a
state dict the user supplies (`torch.save(model.state_dict(), FILE)`), or, with --random-init,
from torchvision's own initialisation (for tests). The model's Conv2d and Linear layers, in the
order the model registers them, are matched one to one with the workload's conv, dwconv and fc
layers in the workload's order (as `xbarsim describe --json` lists them); every pair must hold
the same number of weights, or the export stops naming the first pair that does not.
BatchNorm is not folded into the weights.

Example:
  /usr/bin/python3 tools/export_weights.py --model resnet18 --state-dict resnet18.pt \\
      --workload resnet-18 -o resnet18-weights.h5
"""

import argparse
import json
import os
import subprocess
import sys


def fail(message):
    print(f"export_weights: error: {message}", file=sys.stderr)
    sys.exit(2)


def workload_layers(xbarsim, workload):
    """(name, weights) of the workload's weight layers, in its order."""
    p = subprocess.run([xbarsim, "describe", "--workload", workload, "--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        fail(p.stderr.strip() or f"{xbarsim} describe failed")
    return [(l["name"], l["weights"]) for l in json.loads(p.stdout)["layers"]
            if l["type"] in ("conv", "dwconv", "fc")]


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="torchvision model name (e.g. resnet18, vgg16)")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--state-dict", help="a file written by torch.save(model.state_dict(), FILE)")
    src.add_argument("--random-init", action="store_true",
                     help="torchvision's random initialisation (seeded with --seed), for tests")
    ap.add_argument("--seed", type=int, default=0, help="seed for --random-init")
    ap.add_argument("--workload", required=True, help="xbarsim workload (preset name or YAML path)")
    ap.add_argument("-o", "--out", required=True, help="HDF5 file to write")
    ap.add_argument("--xbarsim", default=os.path.join(here, "..", "build", "tools", "xbarsim"),
                    help="the xbarsim executable (default: build/tools/xbarsim)")
    args = ap.parse_args(argv)

    try:
        import h5py
        import torch
        import torchvision
    except ImportError as e:
        fail(f"{e.name} is missing: install the Debian packages python3-torchvision and "
             "python3-h5py, and run this script with /usr/bin/python3")

    if not hasattr(torchvision.models, args.model):
        fail(f"torchvision has no model '{args.model}'")
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.model)(weights=None)
    if args.state_dict:
        try:
            state = torch.load(args.state_dict, map_location="cpu")
            model.load_state_dict(state)
        except (OSError, RuntimeError) as e:
            fail(f"{args.state_dict}: {e}")
    tensors = [(name, m.weight.detach()) for name, m in model.named_modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    layers = workload_layers(args.xbarsim, args.workload)
    if len(tensors) != len(layers):
        fail(f"{args.model} has {len(tensors)} Conv2d/Linear layers, workload {args.workload} "
             f"has {len(layers)} weight layers")
    for (module, t), (name, count) in zip(tensors, layers):
        if t.numel() != count:
            fail(f"{args.model}'s {module} {tuple(t.shape)} holds {t.numel()} weights, "
                 f"the workload's {name} {count}")
    tmp = args.out + ".tmp"
    with h5py.File(tmp, "w") as f:
        f.attrs["model"] = args.model
        f.attrs["source"] = args.state_dict or f"torchvision random initialisation, seed {args.seed}"
        for (module, t), (name, _) in zip(tensors, layers):
            d = f.create_dataset(name, data=t.double().reshape(-1).numpy())
            d.attrs["module"] = module
            d.attrs["shape"] = list(t.shape)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {len(layers)} layers, {sum(c for _, c in layers):,} weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
