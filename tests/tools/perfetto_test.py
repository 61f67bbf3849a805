#!/usr/bin/python3
"""--trace-format perfetto: the JSON beside the run file follows the Chrome trace-event format
(the fields the Perfetto and chrome://tracing importers require of each phase: M metadata with
args.name, X complete events with name, ts, dur, pid, tid, C counters with numeric args), every
slice is on a named track, programming precedes the inference on one time axis in a pipelined
run, and each layer's span matches its first and last cycle in `simulate --json`. Pipelined
(lenet, per-layer channels and a mesh) and layer-sequential (lenet on aras) runs.

The hardware tracks: tiles (a track per tile and layer computing there), interconnect links and
global-buffer banks. The mesh run has tile and link tracks with slices; each link's slices add
up to the bytes the run file gives that link (`/sim/noc/bytes`, the link's own count) and every
link that carried data has a track; the banks' slices add up to the global buffer's `bytes`
counter (`/sim/stats`). No two slices on one hardware track overlap: a link and the global
buffer's port serve one transfer at a time (sim/reservation.h: a transfer takes an idle slot of
the link, fractional cycles; the trace records that slot), one layer's groups on a tile follow
one another, and Perfetto accepts only properly nested slices on a track. The layer-sequential
run has bank slices (its layers read their input banks and write their output banks).
Bounded: with --trace-limit N the file holds N hardware slices, says how many were dropped, and
the run warns.

Usage: perfetto_test.py XBARSIM
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import h5py

RUNS = {
    "pipelined": ["--allocator", "dp"],
    "mesh": ["--allocator", "dp", "--param", "topology=mesh"],
    "layer-sequential": ["--mode", "layer-sequential", "--arch", "aras"],
}


def check(cond, message):
    if not cond:
        sys.exit(f"FAIL: {message}")


def number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def ps(us):
    """Microseconds as written (whole picoseconds) back to integer picoseconds."""
    return round(us * 1e6)


def check_hardware(run, doc, h5):
    """The tile, link and bank tracks: names, bytes against the run file, no overlaps."""
    events = doc["traceEvents"]
    process = {e["pid"]: e["args"]["name"] for e in events
               if e["ph"] == "M" and e["name"] == "process_name"}
    thread = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
              if e["ph"] == "M" and e["name"] == "thread_name"}
    tracks = defaultdict(list)  # (group, thread name) -> slices
    for e in events:
        if e["ph"] == "X" and process.get(e["pid"]) in ("tiles", "interconnect", "global buffer"):
            tracks[(process[e["pid"]], thread[(e["pid"], e["tid"])])].append(e)
    for (group, name), slices in tracks.items():
        prefix = {"tiles": "chip.tile", "interconnect": "chip.noc.",
                  "global buffer": "chip.global_buffer.bank"}[group]
        check(name.startswith(prefix), f"{run}: track '{name}' in {group}")
        spans = sorted((ps(e["ts"]), ps(e["ts"]) + ps(e["dur"])) for e in slices)
        for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
            check(b0 >= a1, f"{run}: slices on {name} overlap: [{a0}, {a1}) ps and "
                  f"[{b0}, {b1}) ps")
        for e in slices:
            key = "crossbars" if group == "tiles" else "bytes"
            check(isinstance(e["args"].get(key), int) and e["args"][key] >= 0,
                  f"{run}: no {key} in {e}")
            check(e["args"].get("layer"), f"{run}: no layer in {e}")

    # Links: each one's bytes as the run file counts them.
    noc = {n.decode(): int(b) for n, b in zip(h5["/sim/noc/link"][()], h5["/sim/noc/bytes"][()])}
    traced = defaultdict(int)
    for (group, name), slices in tracks.items():
        if group == "interconnect":
            traced[name[len("chip.noc."):]] += sum(e["args"]["bytes"] for e in slices)
    check(traced == noc, f"{run}: bytes per link traced {dict(traced)}, run file {noc}")
    # Banks: together, the global buffer's bytes.
    stats = {(b.decode(), n.decode()): v for b, n, v in
             zip(h5["/sim/stats/block"][()], h5["/sim/stats/name"][()], h5["/sim/stats/value"][()])}
    banks = sum(e["args"]["bytes"] for (group, _), slices in tracks.items()
                if group == "global buffer" for e in slices)
    check(banks == stats.get(("chip.global_buffer", "bytes"), 0),
          f"{run}: banks traced {banks} bytes, the global buffer counted "
          f"{stats.get(('chip.global_buffer', 'bytes'))}")
    count = defaultdict(int)
    for (group, _), slices in tracks.items():
        count[group] += 1 if slices else 0
    return count, sum(len(s) for s in tracks.values())


def check_limit(exe, tmp, options, hardware):
    """The mesh run again keeping 100 of its `hardware` events of tiles, links and banks."""
    out = os.path.join(tmp, "limited.h5")
    cmd = [exe, "simulate", "--workload", "lenet", "--out", out, "--trace-format", "perfetto",
           "--trace-limit", "100"] + options
    p = subprocess.run(cmd, capture_output=True, text=True)
    check(p.returncode == 0, f"{cmd}: {p.stderr}")
    check("dropped" in p.stderr, f"no warning of dropped events: {p.stderr!r}")
    with open(os.path.join(tmp, "limited.perfetto.json")) as f:
        doc = json.load(f)
    groups = {e["pid"] for e in doc["traceEvents"] if e["ph"] == "M"
              and e["name"] == "process_name"
              and e["args"]["name"] in ("tiles", "interconnect", "global buffer")}
    kept = sum(1 for e in doc["traceEvents"] if e["ph"] == "X" and e["pid"] in groups)
    dropped = doc["otherData"]["hardware_events_dropped"]
    check(kept == 100 and dropped == hardware - 100,
          f"--trace-limit 100: {kept} hardware slices kept, {dropped} dropped of {hardware}")
    with h5py.File(out, "r") as h5:
        check(h5["/trace"].attrs["hardware_events_dropped"] == dropped,
              "the run file's count of dropped events differs")
    print(f"--trace-limit 100: 100 hardware slices kept, {dropped} dropped and counted")


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for run, options in RUNS.items():
            out = os.path.join(tmp, run + ".h5")
            cmd = [exe, "simulate", "--workload", "lenet", "--out", out, "--trace-format",
                   "perfetto", "--json"] + options
            p = subprocess.run(cmd, capture_output=True, text=True)
            check(p.returncode == 0, f"{cmd}: {p.stderr}")
            sim = json.loads(p.stdout)
            path = os.path.join(tmp, run + ".perfetto.json")
            check(os.path.exists(path), f"{path} missing")
            with open(path) as f:
                doc = json.load(f)
            events = doc["traceEvents"]
            check(isinstance(events, list) and events, "traceEvents is not a non-empty list")
            named, names = set(), {}
            slices, counters, counter_end = [], 0, 0
            for e in events:
                check(e.get("ph") in ("M", "X", "C"), f"unexpected phase in {e}")
                check(isinstance(e.get("name"), str) and e["name"], f"no name in {e}")
                check(isinstance(e.get("pid"), int), f"no integer pid in {e}")
                if e["ph"] == "M":
                    check(e["name"] in ("process_name", "thread_name", "process_sort_index",
                                        "thread_sort_index"), f"metadata {e}")
                    if e["name"].endswith("sort_index"):
                        check(isinstance(e["args"]["sort_index"], int), f"bad sort index {e}")
                        continue
                    check(isinstance(e["args"]["name"], str), f"metadata without a name {e}")
                    if e["name"] == "thread_name":
                        named.add((e["pid"], e["tid"]))
                        names[(e["pid"], e["tid"])] = e["args"]["name"]
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
                    counter_end = max(counter_end, e["ts"])
            for e in slices:
                check((e["pid"], e["tid"]) in named, f"slice on an unnamed track: {e}")
            kinds = {e["name"] for e in slices if e["cat"] in ("inference", "programming")}
            check("compute" in kinds, f"no compute slices ({kinds})")
            check(counters > 0, "no counters")
            us = doc["otherData"]["clock_period_s"] * 1e6
            shift = doc["otherData"]["programming_cycles"] if run != "layer-sequential" else 0
            spans = {e["name"]: e for e in slices if e["cat"] == "layer"}
            for layer in sim["all_layers"]:
                if layer["last_cycle"] <= layer["first_cycle"]:
                    continue
                s = spans.get(layer["name"])
                check(s is not None, f"no span for layer {layer['name']}")
                check(abs(s["ts"] - (layer["first_cycle"] + shift) * us) < 1e-6 * max(1, s["ts"]),
                      f"{layer['name']}: span starts at {s['ts']} us, the run at cycle "
                      f"{layer['first_cycle']}")
            if run != "layer-sequential":
                prog = [e for e in slices if e["cat"] == "programming"]
                infer = [e for e in slices if e["cat"] == "inference"]
                check(prog and infer, "programming or inference slices missing")
                end = max(e["ts"] + e["dur"] for e in prog)
                start = min(e["ts"] for e in infer)
                check(end <= start + 1e-9, f"programming ends at {end} us after the inference "
                      f"starts at {start} us")
                # One programming slice per layer with crossbars, on that layer's own track.
                crossbar_layers = {l["name"] for l in sim["all_layers"]
                                   if l["hardware"] == "crossbars"}
                tracks = [names[(e["pid"], e["tid"])] for e in prog]
                check(sorted(tracks) == sorted(crossbar_layers),
                      f"{run}: programming on {sorted(tracks)}, crossbar layers "
                      f"{sorted(crossbar_layers)}")
            inference_end = (shift + sim["cycles"]) * us
            check(counter_end <= inference_end + 1e-6,
                  f"{run}: counters run to {counter_end} us, the inference ends at "
                  f"{inference_end} us")
            check(doc["otherData"]["hardware_events_dropped"] == 0,
                  f"{run}: {doc['otherData']['hardware_events_dropped']} events dropped")
            with h5py.File(out, "r") as h5:
                check(h5["/trace"].attrs["hardware_events_dropped"] == 0,
                      f"{run}: the run file says events were dropped")
                tracks, hardware = check_hardware(run, doc, h5)
            if run == "mesh":
                check(tracks["tiles"] > 0, f"{run}: no tile track with slices")
                check(tracks["interconnect"] > 0, f"{run}: no link track with slices")
            if run == "layer-sequential":
                check(tracks["global buffer"] > 0, f"{run}: no bank track with slices")
                check(tracks["tiles"] > 0, f"{run}: no tile track with slices")
            print(f"{run}: {len(slices)} slices on {len(named)} tracks, {counters} counter "
                  f"values, spans match the simulation; {hardware} slices on "
                  f"{tracks['tiles']} tile, {tracks['interconnect']} link and "
                  f"{tracks['global buffer']} bank tracks, none overlapping, bytes match")
            if run == "mesh":
                check_limit(exe, tmp, options, hardware)


if __name__ == "__main__":
    main()
