#!/usr/bin/env python3
"""Crash safety: xbarsim killed (SIGKILL) at random points leaves no output file that looks
complete, and `validate` resumes to the same result as an uninterrupted run.

Usage: kill_test.py XBARSIM EXPERIMENT_YAML [--seed N] [--trials N]

For `simulate --out`, `run --out` and `validate`, the command is first run once to completion
(its wall time T and its files are the reference), then started again and killed after a random
delay in [0, T] several times. After every kill, each output that exists must be whole: a run
file opens and holds the simulated cycles, a PNG ends with its IEND chunk, a validation file
opens. `validate` is killed repeatedly on the same output directory and then run to completion:
its points must equal the uninterrupted run's. Finally one worker process of `validate` is
killed: the command must fail, the file must not be marked complete, and a rerun must finish
with the same points.
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np


def run_to_end(cmd):
    for arg in cmd:  # output directories exist (simulate does not create them)
        if arg.endswith(".h5"):
            os.makedirs(os.path.dirname(arg), exist_ok=True)
    start = time.monotonic()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {done.returncode}: {done.stderr}")
    return time.monotonic() - start


def kill_after(cmd, delay):
    for arg in cmd:
        if arg.endswith(".h5"):
            os.makedirs(os.path.dirname(arg), exist_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its workers
    proc.wait()


def whole_run_file(path):
    with h5py.File(path, "r") as f:
        return "cycles" in f["sim"].attrs


def whole_png(path):
    with open(path, "rb") as fh:
        data = fh.read()
    return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")


def points(path):
    with h5py.File(path, "r") as f:
        grp = f["points"]
        return {k: np.asarray(grp[k][()]) for k in grp.keys() if k != "wall_s"}


def same_points(a, b):
    if a.keys() != b.keys():
        return False
    order_a, order_b = np.argsort(a["task"]), np.argsort(b["task"])
    return all(np.array_equal(a[k][order_a], b[k][order_b]) for k in a)


def check_outputs(files, label, failures):
    for path, whole in files:
        if os.path.exists(path):
            try:
                ok = whole(path)
            except Exception as e:  # noqa: BLE001 - any unreadable file is a failure
                ok = False
                print(f"  {path}: {e}")
            if not ok:
                failures.append(f"{label}: {path} exists but is not whole")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("xbarsim")
    ap.add_argument("experiment")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trials", type=int, default=4)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    x = args.xbarsim
    work = tempfile.mkdtemp(prefix="xbarsim-kill-")
    failures = []
    try:
        # simulate --out and run --out: kill at random points, each trial from a clean directory.
        sim_out = os.path.join(work, "sim", "run.h5")
        run_out = os.path.join(work, "run", "run.h5")
        jobs = [
            ("simulate", [x, "simulate", "-a", "isaac-like", "-w", "resnet-18", "--allocator",
                          "dp", "--out", sim_out], [(sim_out, whole_run_file)]),
            ("run", [x, "run", "--out", run_out],
             [(run_out, whole_run_file), (run_out[:-3] + ".png", whole_png)]),
        ]
        for label, cmd, files in jobs:
            t = run_to_end(cmd)
            check_outputs(files, label + " (uninterrupted)", failures)
            for _ in range(args.trials):
                shutil.rmtree(os.path.dirname(files[0][0]))
                delay = rng.uniform(0, t)
                kill_after(cmd, delay)
                check_outputs(files, f"{label} killed after {delay:.2f} s", failures)
            print(f"{label}: {args.trials} kills within {t:.2f} s")

        # validate: the reference, then kills on one directory, then resume to the end.
        ref_dir, dir_ = os.path.join(work, "ref"), os.path.join(work, "val")
        name = os.path.splitext(os.path.basename(args.experiment))[0]

        def validate(out):
            return [x, "validate", args.experiment, "--jobs", "2", "--no-plot", "--out", out]

        t = run_to_end(validate(ref_dir))
        reference = points(os.path.join(ref_dir, "results", name + ".h5"))
        h5 = os.path.join(dir_, "results", name + ".h5")
        for _ in range(args.trials):
            delay = rng.uniform(0, t)
            kill_after(validate(dir_), delay)
            check_outputs([(h5, lambda p: points(p) is not None)], f"validate killed after "
                          f"{delay:.2f} s", failures)
        run_to_end(validate(dir_))
        if not same_points(points(h5), reference):
            failures.append("validate resumed after kills differs from the uninterrupted run")
        print(f"validate: {args.trials} kills within {t:.2f} s, resumed to the same points")

        # One worker killed: an error of the run, never a complete file.
        shutil.rmtree(dir_)
        proc = subprocess.Popen(validate(dir_), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        children = []
        for _ in range(400):
            listing = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                     text=True).stdout.split()
            children = [int(c) for c in listing]
            if children or proc.poll() is not None:
                break
            time.sleep(0.01)
        if not children:
            failures.append("validate started no worker to kill")
        else:
            os.kill(children[0], signal.SIGKILL)
            _, err = proc.communicate()
            if proc.returncode == 0:
                failures.append("validate exited 0 although a worker was killed")
            lines = err.strip().splitlines()
            if not lines or not lines[-1].startswith("xbarsim: error:"):
                failures.append(f"a killed worker's error is not one xbarsim error line: {err!r}")
            if os.path.exists(h5):
                with h5py.File(h5, "r") as f:
                    if f.attrs.get("complete", 0):
                        failures.append("a run with a killed worker was marked complete")
            run_to_end(validate(dir_))
            if not same_points(points(h5), reference):
                failures.append("validate resumed after a killed worker differs")
            print("validate: a killed worker is an error; resumed to the same points")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
