#!/usr/bin/python3
"""Export a torchvision model to ONNX, for `xbarsim ... --workload FILE.onnx`.

The model is built from torchvision by name with its own random initialisation (nothing is
downloaded; xbarsim reads the graph and the weight shapes, not the weight values), in eval mode,
for one input of the given shape, and written with torch.onnx.export (opset 13).

Example:
  /usr/bin/python3 tools/export_onnx.py --model resnet18 -o resnet18.onnx
  build/tools/xbarsim describe --workload resnet18.onnx
"""

import argparse
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--model", required=True, help="a torchvision.models name, e.g. resnet18")
    ap.add_argument("--input", default="1,3,224,224",
                    help="input shape N,C,H,W (default 1,3,224,224)")
    ap.add_argument("-o", "--out", required=True, help="the .onnx file to write")
    args = ap.parse_args()
    try:
        shape = [int(d) for d in args.input.split(",")]
    except ValueError:
        ap.error(f"--input must be integers separated by commas, got '{args.input}'")
    if not args.out.endswith(".onnx"):
        ap.error("--out must end in .onnx (xbarsim picks the importer by the extension)")

    import torch
    import torchvision
    if not hasattr(torchvision.models, args.model):
        ap.error(f"torchvision.models has no model '{args.model}'")
    model = getattr(torchvision.models, args.model)(weights=None).eval()
    tmp = args.out + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(shape), tmp, opset_version=13,
                          input_names=["input"], output_names=["output"])
    os.replace(tmp, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
