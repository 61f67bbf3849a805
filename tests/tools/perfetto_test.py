#!/usr/bin/python3
"""--trace-format perfetto: the JSON beside the run file follows the Chrome trace-event format
(the fields the Perfetto and chrome://tracing importers require of each phase: M metadata with
args.name, X complete events with name, ts, dur, pid, tid, C counters with numeric args), every
slice is on a named track, programming precedes the inference on one time axis in a pipelined
run, and each layer's span matches its first and last cycle in `simulate --json`. Pipelined
(lenet) and layer-sequential (lenet on aras) runs.

Usage: perfetto_test.py XBARSIM
"""

import json
import os
import subprocess
import sys
import tempfile


def check(cond, message):
    if not cond:
        sys.exit(f"FAIL: {message}")


def number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("pipelined", "layer-sequential"):
            out = os.path.join(tmp, mode + ".h5")
            cmd = [exe, "simulate", "--workload", "lenet", "--out", out, "--trace-format",
                   "perfetto", "--json"]
            cmd += ["--allocator", "dp"] if mode == "pipelined" else \
                ["--mode", "layer-sequential", "--arch", "aras"]
            p = subprocess.run(cmd, capture_output=True, text=True)
            check(p.returncode == 0, f"{cmd}: {p.stderr}")
            sim = json.loads(p.stdout)
            path = os.path.join(tmp, mode + ".perfetto.json")
            check(os.path.exists(path), f"{path} missing")
            with open(path) as f:
                doc = json.load(f)
            events = doc["traceEvents"]
            check(isinstance(events, list) and events, "traceEvents is not a non-empty list")
            named = set()
            slices, counters = [], 0
            for e in events:
                check(e.get("ph") in ("M", "X", "C"), f"unexpected phase in {e}")
                check(isinstance(e.get("name"), str) and e["name"], f"no name in {e}")
                check(isinstance(e.get("pid"), int), f"no integer pid in {e}")
                if e["ph"] == "M":
                    check(e["name"] in ("process_name", "thread_name"), f"metadata {e}")
                    check(isinstance(e["args"]["name"], str), f"metadata without a name {e}")
                    if e["name"] == "thread_name":
                        named.add((e["pid"], e["tid"]))
                elif e["ph"] == "X":
                    check(isinstance(e.get("tid"), int), f"no integer tid in {e}")
                    check(number(e.get("ts")) and e["ts"] >= 0, f"bad ts in {e}")
                    check(number(e.get("dur")) and e["dur"] >= 0, f"bad dur in {e}")
                    slices.append(e)
                else:
                    check(number(e.get("ts")), f"bad ts in {e}")
                    check(e["args"] and all(number(v) for v in e["args"].values()),
                          f"counter without numeric args {e}")
                    counters += 1
            for e in slices:
                check((e["pid"], e["tid"]) in named, f"slice on an unnamed track: {e}")
            kinds = {e["name"] for e in slices if e["cat"] in ("inference", "programming")}
            check("compute" in kinds, f"no compute slices ({kinds})")
            check(counters > 0, "no counters")
            us = doc["otherData"]["clock_period_s"] * 1e6
            shift = doc["otherData"]["programming_cycles"] if mode == "pipelined" else 0
            spans = {e["name"]: e for e in slices if e["cat"] == "layer"}
            for layer in sim["all_layers"]:
                if layer["last_cycle"] <= layer["first_cycle"]:
                    continue
                s = spans.get(layer["name"])
                check(s is not None, f"no span for layer {layer['name']}")
                check(abs(s["ts"] - (layer["first_cycle"] + shift) * us) < 1e-6 * max(1, s["ts"]),
                      f"{layer['name']}: span starts at {s['ts']} us, the run at cycle "
                      f"{layer['first_cycle']}")
            if mode == "pipelined":
                prog = [e for e in slices if e["cat"] == "programming"]
                infer = [e for e in slices if e["cat"] == "inference"]
                check(prog and infer, "programming or inference slices missing")
                end = max(e["ts"] + e["dur"] for e in prog)
                start = min(e["ts"] for e in infer)
                check(end <= start + 1e-9, f"programming ends at {end} us after the inference "
                      f"starts at {start} us")
            print(f"{mode}: {len(slices)} slices on {len(named)} tracks, {counters} counter "
                  f"values, spans match the simulation")


if __name__ == "__main__":
    main()
