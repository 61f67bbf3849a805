#!/usr/bin/python3
"""End-to-end checks of `xbarsim sweep` and `xbarsim compare`, alone and under MPI.

- a sweep's figures are those of separate `xbarsim simulate --json` runs of each point;
- `mpirun -n 2` computes the same file as one process, bit for bit (every column of
  /points but wall_s, the measured time of each point), and resumes a file an earlier
  job left half done; `validate` under 2 ranks gives the single-process points too;
- the overlay plot and a one-column panel are drawn; compare pairs two runs' totals
  with the runs' own figures and draws them.

Usage: sweep_test.py XBARSIM TOOLS_DIR
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

XBARSIM, TOOLS = sys.argv[1], sys.argv[2]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def mpi_env():
    """Under the sanitizer build: Open MPI does not free all it allocates, so its leaks (and
    only its: tests/lsan-openmpi.supp names its libraries) are suppressed; the full stacks
    the suppressions match need the slow unwinder."""
    env = dict(os.environ)
    if "ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
        env["LSAN_OPTIONS"] = (env.get("LSAN_OPTIONS", "") + ":suppressions=" +
                               os.path.join(DATA, "..", "lsan-openmpi.supp")).lstrip(":")
    return env


def run(args, mpi=False, expect=0):
    cmd = (MPIRUN if mpi else []) + [XBARSIM] + args
    p = subprocess.run(cmd, capture_output=True, text=True, env=mpi_env() if mpi else None)
    if p.returncode != expect:
        raise SystemExit(f"{' '.join(cmd)} exited {p.returncode}, expected {expect}:\n"
                         f"{p.stdout}\n{p.stderr}")
    return p


def points(path, skip=("wall_s",)):
    with h5py.File(path, "r") as f:
        return {k: f["points"][k][()] for k in f["points"] if k not in skip}


def same(a, b):
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if x.dtype.kind == "f":
            # bit for bit, NaN (a failed point) included
            if x.tobytes() != y.tobytes():
                return False
        elif list(x) != list(y):
            return False
    return True


SWEEP = ["sweep", "--set", "workload=lenet", "--set", "allocator=dp", "--axis", "param.tiles=4,16",
         "--axis", "param.topology=per-layer,mesh", "--figure", "cycles", "--figure", "energy_j",
         "--figure", "programming_pulses", "--name", "s"]


def figures_are_the_commands_own(tmp):
    out = json.loads(run(SWEEP + ["--out", tmp, "--json", "--no-plot"]).stdout)
    check(out["total"] == 4 and out["failed"] == 0, f"4 points, none failed: {out}")
    for p in out["points"]:
        sim = json.loads(run(["simulate", "--workload", "lenet", "--allocator", "dp", "--param",
                              f"tiles={p['param.tiles']}", "--param",
                              f"topology={p['param.topology']}", "--json"]).stdout)
        for fig in ("cycles", "energy_j", "programming_pulses"):
            check(p[fig] == sim[fig],
                  f"point {p['task']}: {fig} {p[fig]} == simulate's {sim[fig]}")
    with open(os.path.join(tmp, "s.csv")) as f:
        lines = f.read().splitlines()
    check(len(lines) == 5 and lines[0].startswith("task,param.tiles,param.topology,cycles"),
          f"CSV header and 4 rows: {lines[:2]}")


def two_ranks_equal_one_process(tmp):
    one, two = os.path.join(tmp, "one"), os.path.join(tmp, "two")
    run(SWEEP + ["--out", one, "--no-plot", "--jobs", "1"])
    p = run(SWEEP + ["--out", two, "--no-plot"], mpi=True)
    check(p.stdout.count("4 points") == 1, "only rank 0 reports: " + p.stdout)
    a, b = points(os.path.join(one, "s.h5")), points(os.path.join(two, "s.h5"))
    check(same(a, b), "2 ranks give the single-process points bit for bit")
    # An earlier job died after two points: the file holds them, marked incomplete.
    half = os.path.join(two, "s.h5")
    with h5py.File(half, "r+") as f:
        for k in list(f["points"]):
            data = f["points"][k][()][:2]
            del f["points"][k]
            f["points"].create_dataset(k, data=data)
        f.attrs["complete"] = 0
    p = run(SWEEP + ["--out", two, "--no-plot"], mpi=True)
    check("(2 from an earlier run)" in p.stdout, "resumed two points: " + p.stdout)
    check(same(points(half), a), "the resumed file equals the single-process one")
    with h5py.File(half, "r") as f:
        check(int(f.attrs["complete"]) == 1, "the resumed file is complete")


def validate_under_two_ranks(tmp):
    exp = os.path.join(DATA, "experiments", "small-accuracy.yaml")
    one, two = os.path.join(tmp, "v1"), os.path.join(tmp, "v2")
    run(["validate", exp, "--out", one, "--no-plot", "--jobs", "1"])
    run(["validate", exp, "--out", two, "--no-plot"], mpi=True)
    a = points(os.path.join(one, "results", "small-accuracy.h5"), skip=())
    b = points(os.path.join(two, "results", "small-accuracy.h5"), skip=())
    check(len(a["task"]) > 0 and same(a, b), "validate: 2 ranks give the same points")


def pdf_width_pt(path):
    with open(path, "rb") as f:
        data = f.read()
    i = data.find(b"/MediaBox")
    box = data[i:i + 80].split(b"[")[1].split(b"]")[0].split()
    return float(box[2]) - float(box[0])


def plots(tmp):
    run(SWEEP + ["--out", tmp])
    png = os.path.join(tmp, "s.png")
    with open(png, "rb") as f:
        check(f.read(8) == b"\x89PNG\r\n\x1a\n", "the sweep drew a PNG")
    pdf = os.path.join(tmp, "cycles.pdf")
    p = subprocess.run(["/usr/bin/python3", os.path.join(TOOLS, "plot_sweep.py"),
                        os.path.join(tmp, "s.h5"), "--panel", "cycles", "-o", pdf],
                       capture_output=True, text=True)
    check(p.returncode == 0 and abs(pdf_width_pt(pdf) - 3.4 * 72) < 0.5,
          f"one panel at column width: {p.stderr}")
    p = subprocess.run(["/usr/bin/python3", os.path.join(TOOLS, "plot_sweep.py"),
                        os.path.join(tmp, "s.h5"), "--panel", "nope", "-o", pdf],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "its figures: cycles, energy_j, programming_pulses" in p.stderr,
          "an unknown panel names the figures: " + p.stderr)


def compare(tmp):
    a, b = os.path.join(tmp, "a.h5"), os.path.join(tmp, "b.h5")
    ja = json.loads(run(["simulate", "-w", "lenet", "--allocator", "dp", "--out", a,
                         "--json"]).stdout)
    jb = json.loads(run(["simulate", "-w", "lenet", "--mode", "layer-sequential", "--out", b,
                         "--json"]).stdout)
    fig = os.path.join(tmp, "cmp.svg")
    c = json.loads(run(["compare", a, b, "--plot", fig, "--json"]).stdout)
    totals = {t["name"]: t for t in c["totals"]}
    check(totals["cycles"]["a"] == ja["cycles"] and totals["cycles"]["b"] == jb["cycles"],
          f"compare's cycles are the runs' own: {totals['cycles']}")
    check(totals["energy_j"]["b"] == jb["energy_j"], "compare's energy is B's own")
    check([l["name"] for l in c["layers"]] == [l["name"] for l in ja["all_layers"]],
          "compare lists A's layers in order")
    with open(fig) as f:
        check("<svg" in f.read(500), "compare drew an SVG")
    p = run(["compare", a, os.path.join(tmp, "missing.h5")], expect=2)
    check("missing.h5: no such file" in p.stderr, "a missing file is named: " + p.stderr)


def main():
    tmp = tempfile.mkdtemp(prefix="xbarsim_sweep_test_")
    try:
        for test in (figures_are_the_commands_own, two_ranks_equal_one_process,
                     validate_under_two_ranks, plots, compare):
            d = os.path.join(tmp, test.__name__)
            os.makedirs(d)
            test(d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("sweep_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
