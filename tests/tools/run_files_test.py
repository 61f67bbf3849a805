#!/usr/bin/python3
"""End-to-end check of `xbarsim run`: it writes an HDF5 run file with the documented layout and
a PNG, two identical runs give identical datasets (determinism), and the plotting script reads
the file. Usage: run_files_test.py XBARSIM_EXE PLOT_SCRIPT"""
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

exe, plot = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def items(path):
    """Every dataset and attribute of a file as {name: value}."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            name = "/" + name.lstrip("/")
            for k, v in obj.attrs.items():
                out[f"{name}@{k}"] = v
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        visit("", f)
        f.visititems(visit)
    return out


def check_validation_panels(tmp):
    """plot_validation.py --panel NAME on committed experiment files: one panel alone as a PDF
    one column (3.4 in) wide; an unknown name exits 2 with one line naming the valid panels."""
    script = os.path.join(os.path.dirname(os.path.abspath(plot)), "plot_validation.py")
    results = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "validation", "results")
    for name, panel in (("heuristics", "vgg-a"), ("aras", "energy"), ("optimality", "bandwidth")):
        fig = os.path.join(tmp, f"validation-{name}-{panel}.pdf")
        cmd = ["/usr/bin/python3", script, os.path.join(results, name + ".h5"), "--panel", panel, "-o", fig]
        p = subprocess.run(cmd, capture_output=True, text=True)
        check(p.returncode == 0, f"{cmd}: exit {p.returncode}: {p.stderr}")
        if p.returncode != 0:
            continue
        with open(fig, "rb") as fh:
            data = fh.read()
        check(data.startswith(b"%PDF"), f"{fig} is not a PDF file")
        box = re.search(rb"/MediaBox \[ *0 0 ([0-9.]+) ([0-9.]+)", data)
        check(box and abs(float(box.group(1)) - 3.4 * 72) < 1, f"{fig}: not 3.4 in wide")
    p = subprocess.run(["/usr/bin/python3", script, os.path.join(results, "heuristics.h5"), "--panel",
                        "no-such-panel", "-o", os.path.join(tmp, "validation-bad.pdf")],
                       capture_output=True, text=True)
    lines = p.stderr.strip().splitlines()
    check(p.returncode == 2 and len(lines) == 1 and "no-such-panel" in p.stderr
          and all(n in p.stderr for n in ("alexnet", "vgg-a", "vgg-e-xbar256", "mobilenet-v1")),
          f"an unknown validation panel: exit {p.returncode}, stderr {p.stderr!r}")


with tempfile.TemporaryDirectory() as tmp:
    runs = []
    for name in ("a", "b"):
        out = os.path.join(tmp, name + ".h5")
        cmd = [exe, "run", "--workload", "lenet", "--layers", "all", "--crossbars", "100",
               "--trace", "--out", out]
        p = subprocess.run(cmd, capture_output=True, text=True)
        check(p.returncode == 0, f"{cmd} exited {p.returncode}: {p.stderr}")
        check(os.path.exists(out), f"{out} missing")
        check(os.path.exists(out[:-3] + ".png"), f"{out[:-3]}.png missing")
        check(not os.path.exists(out + ".tmp"), "temporary file left behind")
        runs.append(items(out))
    a, b = runs
    for key in ("/@format", "/meta/arch_yaml", "/plan/R", "/estimate/alg1_op",
                "/sim/groups/start_cycle", "/sim/energy/joules", "/timeseries/tile_utilisation",
                "/trace/events/start", "/sim@cycles"):
        check(key in a, f"{key} missing from the run file")
    check(set(a) == set(b), "the two runs hold different datasets")
    for key in a:
        if "@wall_" in key or key.endswith("@command"):
            continue  # wall time and the output path differ by design
        same = np.array_equal(np.asarray(a[key]), np.asarray(b.get(key)))
        check(same, f"{key} differs between two identical runs")
    # The simulated steps equal the exact step model's at the simulator's lag (no bandwidth
    # limits are hit on this small case) is not asserted here; the C++ tests do that.
    png = os.path.join(tmp, "again.png")
    p = subprocess.run(["/usr/bin/python3", plot, os.path.join(tmp, "a.h5"), "-o", png],
                       capture_output=True, text=True)
    check(p.returncode == 0 and os.path.getsize(png) > 10000, f"plot_run.py failed: {p.stderr}")
    # The format follows the extension; one panel alone is one column wide (3.4 in).
    magic = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<?xml"}
    for ext, panel in ((".pdf", None), (".svg", "timeline"), (".png", "model"), (".pdf", "links")):
        fig = os.path.join(tmp, f"fig-{panel}{ext}")
        cmd = ["/usr/bin/python3", plot, os.path.join(tmp, "a.h5"), "-o", fig]
        cmd += ["--panel", panel] if panel else []
        p = subprocess.run(cmd, capture_output=True, text=True)
        check(p.returncode == 0, f"{cmd}: {p.stderr}")
        with open(fig, "rb") as fh:
            check(fh.read(len(magic[ext])) == magic[ext], f"{fig} is not a {ext} file")
        if ext == ".pdf" and panel:
            with open(fig, "rb") as fh:
                box = re.search(rb"/MediaBox \[ *0 0 ([0-9.]+) ([0-9.]+)", fh.read())
            check(box and abs(float(box.group(1)) - 3.4 * 72) < 1, f"{fig}: not 3.4 in wide")
    p = subprocess.run(["/usr/bin/python3", plot, os.path.join(tmp, "a.h5"), "-o",
                        os.path.join(tmp, "x.jpg")], capture_output=True, text=True)
    check(p.returncode == 2 and ".png, .pdf, .svg" in p.stderr, "an unknown extension is refused")
    p = subprocess.run(["/usr/bin/python3", plot, os.path.join(tmp, "a.h5"), "--panel", "schedule"],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "pipelined run" in p.stderr, "a layer-sequential panel of a pipelined run")
    # Layer-sequential: the schedule and what the run measured, deterministic, plotted.
    seq = []
    for name in ("s1", "s2"):
        out = os.path.join(tmp, name + ".h5")
        cmd = [exe, "run", "--mode", "layer-sequential", "--arch", "aras", "--workload", "lenet",
               "--scheduler", "aras", "--inferences", "2", "--out", out]
        p = subprocess.run(cmd, capture_output=True, text=True)
        check(p.returncode == 0, f"{cmd} exited {p.returncode}: {p.stderr}")
        check(os.path.getsize(out[:-3] + ".png") > 10000, f"{out[:-3]}.png missing or empty")
        seq.append(items(out))
    for key in ("/schedule/kind", "/schedule/rows", "/schedule/banks/input_banks",
                "/sim/sequential/op_end", "/sim/sequential/layers/level_steps",
                "/sim/sequential/banks/static_energy", "/sim/sequential@inferences_per_s",
                "/sim/sequential@fraction_of_upper_bound"):
        check(key in seq[0], f"{key} missing from the layer-sequential run file")
    for key in seq[0]:
        if "@wall_" in key or key.endswith("@command"):
            continue
        check(np.array_equal(np.asarray(seq[0][key]), np.asarray(seq[1].get(key))),
              f"{key} differs between two identical layer-sequential runs")
    # Any character in the path, a quote included, reaches the plotting script as it is.
    odd = os.path.join(tmp, "it's here", "run.h5")
    p = subprocess.run([exe, "run", "--workload", "lenet", "--crossbars", "100", "--out", odd],
                       capture_output=True, text=True)
    check(p.returncode == 0 and os.path.getsize(odd[:-3] + ".png") > 10000,
          f"a quote in --out: {p.returncode} {p.stderr}")
    check(f"wrote {odd} and {odd[:-3]}.png" in p.stdout, f"run did not say it drew the PNG: {p.stdout[-200:]}")
    bad = os.path.join(tmp, "bad.h5")
    with h5py.File(bad, "w") as f:
        f["x"] = 1
    p = subprocess.run(["/usr/bin/python3", plot, bad], capture_output=True, text=True)
    check(p.returncode == 2 and "Traceback" not in p.stderr, "plot_run.py on a foreign file")
    check_validation_panels(tmp)

for f in failures:
    print("FAIL:", f)
passed = 1 if not failures else 0
print(f"{passed} passed, {1 - passed} failed")
sys.exit(1 if failures else 0)
