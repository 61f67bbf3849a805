#!/usr/bin/python3
"""Plot an xbarsim run file (HDF5, format_version 5) as one figure (PNG, PDF or SVG).

A pipelined run gets six panels:
  1. Pipeline timeline: one row per layer (first layer at top, labelled with
     /plan/name), one short bar per computed group of /sim/groups, x in steps
     (cycles / step_cycles).
  2. Tile utilisation over time: heatmap of /timeseries/tile_utilisation
     (x = cycles, y = tile, colour 0..1).
  3. Energy by component: sorted bars of /sim/energy in joules; the title
     also gives the total and the crossbar programming energy.
  4. Model versus simulation: per layer, the last step of the exact model,
     of the simulator and Algorithm 1's Op, with the totals and Algorithm 1's
     relative error vs simulation.  Says "no estimate" if /estimate is absent.
  5. Interconnect links over time: heatmap of /timeseries/noc_link_utilisation
     for the busiest links (by /sim/noc/busy_cycles), labelled with their names.
  6. Interconnect contention: per busiest link, busy and waiting cycles.

A layer-sequential run (it has /schedule) gets four:
  1. Instruction timeline: one row per APU row, its write ops (light) and compute
     ops (dark) as bars coloured by layer, x in milliseconds.
  2. Per layer of the first inference: computing, stalled waiting for weights,
     and writing its weights (cycles).
  3. Energy split: compute, ReRAM writing, static, main memory; and the static
     energy of each global-buffer bank.
  4. Throughput: inferences per second against the upper bound (every weight
     written once), with the fraction reached.

Optional parts that are absent (e.g. /estimate, /timeseries) leave their
panel annotated instead of failing.  Errors print one line and exit 2.

For a paper, --panel NAME draws one panel alone, one column wide (3.4 in) with
7-8 pt fonts, titled with the network, arch, allocator, interconnect and mode;
the format follows the output's extension (.png, .pdf, .svg).  Pipelined
panels: timeline, utilisation, energy, model, links, contention; layer-sequential:
schedule, layer-times, energy-split, throughput.

Examples:
  /usr/bin/python3 tools/plot_run.py out/resnet18.h5 -o resnet18.png --dpi 200
  /usr/bin/python3 tools/plot_run.py out/resnet18.h5 --panel timeline -o timeline.pdf
"""

import sys

import matplotlib

matplotlib.use("Agg")  # no display on build machines
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import EngFormatter, FuncFormatter, MaxNLocator  # noqa: E402

import h5py  # noqa: E402
import plot_common  # noqa: E402

MAX_YLABELS = 40  # above this many layers only every k-th name is shown
ENG_J = EngFormatter(unit="J", places=1)


def col(h5, path):
    """Dataset at `path` as a numpy array (str list for strings), or None if absent."""
    obj = h5.get(path)
    if not isinstance(obj, h5py.Dataset):
        return None
    data = obj[()]
    if obj.dtype.kind in "OSU":
        return [plot_common.text(x) for x in np.atleast_1d(data)]
    return np.asarray(data)


def attr(h5, path, name, default=None):
    obj = h5.get(path)
    return obj.attrs.get(name, default) if obj is not None else default


def panel_timeline(ax, f, names):
    ax.set_title("Pipeline timeline per layer")
    layer, start, end = (col(f, "sim/groups/" + k) for k in ("layer", "start_cycle", "end_cycle"))
    if layer is None or start is None or end is None or len(layer) == 0:
        return plot_common.note(ax, "no /sim/groups")
    sc = float(attr(f, "sim", "step_cycles", 0) or 0)
    unit = "step" if sc > 0 else "cycle"
    sc = sc if sc > 0 else 1.0
    n = max(len(names), int(layer.max()) + 1)
    # Sort once by layer and slice, instead of masking 100k groups per layer.
    order = np.argsort(layer, kind="stable")
    x0 = start[order] / sc
    w = np.maximum((end[order] - start[order]) / sc, 1e-3)  # keep zero-length groups visible
    bounds = np.searchsorted(layer[order], np.arange(n + 1))
    cmap = plt.get_cmap("tab10")
    for i in range(n):
        a, b = bounds[i], bounds[i + 1]
        if a < b:
            ax.broken_barh(np.column_stack((x0[a:b], w[a:b])), (i - 0.4, 0.8),
                           facecolors=cmap(i % 10), linewidth=0)
    ax.set_ylim(n - 0.5, -0.5)  # first layer at top
    k = max(1, -(-n // MAX_YLABELS))
    ticks = np.arange(0, n, k)
    ax.set_yticks(ticks)
    ax.set_yticklabels([names[i] if i < len(names) else str(i) for i in ticks],
                       fontsize=7 if n > 20 else 9)
    ax.set_xlabel(unit)
    ax.set_ylabel("layer")
    ax.grid(axis="x", alpha=0.3)


def panel_utilisation(ax, fig, f):
    ax.set_title("Tile utilisation over time")
    util = col(f, "timeseries/tile_utilisation")
    if util is None or util.ndim != 2 or util.size == 0:
        return plot_common.note(ax, "no /timeseries/tile_utilisation")
    tiles, bins = util.shape
    bc = float(attr(f, "timeseries", "bin_cycles", 1) or 1)
    im = ax.imshow(util, aspect="auto", origin="lower", vmin=0.0, vmax=1.0,
                   interpolation="nearest", cmap="viridis",
                   extent=(0, bins * bc, -0.5, tiles - 0.5))
    fig.colorbar(im, ax=ax, label="utilisation", fraction=0.05, pad=0.02)
    ax.xaxis.set_major_formatter(EngFormatter())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Rows are the tiles the run built (a tile no layer uses is never built): label them by index.
    index = col(f, "timeseries/tile_index")
    if index is not None and len(index) == tiles:
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _: str(int(index[int(round(v))])) if 0 <= round(v) < tiles else ""))
    ax.set_xlabel("time (cycles)")
    ax.set_ylabel("tile")


def panel_energy(ax, f):
    prog = attr(f, "sim", "programming_energy_j")
    total = attr(f, "sim", "energy_j")
    parts = [f"total {ENG_J(total)}" if total is not None else None,
             f"programming {ENG_J(prog)}" if prog is not None else None]
    parts = [p for p in parts if p]
    ax.set_title("Energy by component" + (f" ({', '.join(parts)})" if parts else ""))
    comp, joules = col(f, "sim/energy/component"), col(f, "sim/energy/joules")
    if comp is None or joules is None or len(joules) == 0:
        return plot_common.note(ax, "no /sim/energy")
    order = np.argsort(joules)  # ascending: barh draws bottom-up, so largest ends on top
    vals = joules[order].astype(float)
    y = np.arange(len(vals))
    ax.barh(y, vals, color="tab:orange")
    ax.set_yticks(y)
    ax.set_yticklabels([comp[i] for i in order], fontsize=8 if len(vals) > 15 else 9)
    for yi, v in zip(y, vals):
        ax.text(v, yi, " " + ENG_J(v), va="center", fontsize=8)
    ax.set_xlim(0, max(vals.max(), 1e-30) * 1.25)  # room for the value labels
    ax.xaxis.set_major_formatter(ENG_J)
    ax.set_xlabel("energy")


def panel_model(ax, f):
    ax.set_title("Model versus simulation per layer")
    sim_last = col(f, "sim/last_step")
    exact = col(f, "estimate/exact_last_step")
    alg1 = col(f, "estimate/alg1_op")
    if sim_last is None and exact is None and alg1 is None:
        return plot_common.note(ax, "no estimate and no /sim/last_step")
    for data, label, style in ((exact, "exact model: last step", dict(marker="s", mfc="none", ms=7)),
                               (sim_last, "simulator: last step", dict(marker="o", ms=4)),
                               (alg1, "Algorithm 1: Op", dict(marker="x", ms=6))):
        if data is not None:
            ax.plot(np.arange(len(data)), data, linestyle="none", label=label, **style)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_xlabel("layer index")
    ax.set_ylabel("step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)

    a1 = attr(f, "estimate", "alg1_steps")
    ex = attr(f, "estimate", "exact_steps")
    sim = attr(f, "sim", "steps")
    if f.get("estimate") is None:
        ax.set_title("Model versus simulation per layer (no estimate)")
        lines = ["no estimate"]
    else:
        lines = [f"Algorithm 1 steps  {a1}", f"exact model steps  {ex}"]
    lines.append(f"simulated steps    {sim}")
    if a1 is not None and sim:
        lines.append(f"Alg. 1 vs sim      {100.0 * (float(a1) - float(sim)) / float(sim):+.2f} %")
    ax.text(0.98, 0.03, "\n".join(lines), transform=ax.transAxes, ha="right", va="bottom",
            multialignment="left", family="monospace", fontsize=8,
            bbox=dict(boxstyle="round", facecolor="white", alpha=0.85))


MAX_LINKS = 24  # links shown in the interconnect panels


def busiest_links(f):
    """Indices of the busiest links of /sim/noc (most busy cycles first), and their names."""
    busy = col(f, "sim/noc/busy_cycles")
    names = col(f, "sim/noc/link")
    if busy is None or names is None or len(busy) == 0:
        return [], []
    order = list(np.argsort(-np.asarray(busy), kind="stable")[:MAX_LINKS])
    return order, [plot_common.text(names[i]) for i in order]


def panel_links(ax, fig, f):
    topo = plot_common.text(attr(f, "sim/noc", "topology", "?"))
    ax.set_title(f"Interconnect ({topo}): busiest links over time")
    util = col(f, "timeseries/noc_link_utilisation")
    order, names = busiest_links(f)
    if util is None or util.ndim != 2 or util.size == 0 or not order:
        return plot_common.note(ax, "no interconnect traffic")
    rows = util[order]
    bc = float(attr(f, "timeseries", "bin_cycles", 1) or 1)
    im = ax.imshow(rows, aspect="auto", origin="upper", vmin=0.0, vmax=1.0,
                   interpolation="nearest", cmap="magma",
                   extent=(0, rows.shape[1] * bc, len(order) - 0.5, -0.5))
    fig.colorbar(im, ax=ax, label="utilisation", fraction=0.05, pad=0.02)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=6)
    ax.xaxis.set_major_formatter(EngFormatter())
    ax.set_xlabel("time (cycles)")


def panel_contention(ax, f):
    ax.set_title("Interconnect: busy and waiting cycles per link")
    order, names = busiest_links(f)
    if not order:
        return plot_common.note(ax, "no interconnect traffic")
    busy = np.asarray(col(f, "sim/noc/busy_cycles"))[order]
    wait = np.asarray(col(f, "sim/noc/wait_cycles"))[order]
    y = np.arange(len(order))
    ax.barh(y - 0.2, busy, height=0.4, label="busy")
    ax.barh(y + 0.2, wait, height=0.4, label="transfers waiting (contention)")
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=6)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(EngFormatter())
    ax.set_xlabel("cycles")
    ax.legend(fontsize=8)


def suptitle(f):
    m = lambda k, d="?": plot_common.text(attr(f, "meta", k, d))  # noqa: E731
    s = lambda k: attr(f, "sim", k)  # noqa: E731
    nums = []
    if s("steps") is not None:
        nums.append(f"{int(s('steps'))} steps")
    if s("cycles") is not None:
        nums.append(f"{int(s('cycles')):,} cycles")
    if s("seconds") is not None:
        nums.append(EngFormatter(unit="s", places=2)(float(s("seconds"))))
    if s("energy_j") is not None:
        nums.append(ENG_J(float(s("energy_j"))))
    line1 = (f"{m('workload')} on {m('arch')}, {m('allocator')}, "
             f"{plot_common.text(attr(f, 'plan', 'mode', 'pipelined'))}"
             + ("  —  " + ", ".join(nums) if nums else ""))
    topo = plot_common.text(attr(f, "sim/noc", "topology", "?"))
    place = plot_common.text(attr(f, "plan", "placement", "?"))
    line2 = (f"objective {m('objective')}, bandwidth model {'on' if m('bandwidth') == '1' else 'off'}, "
             f"interconnect {topo}, placement {place}, "
             f"sim lag {m('sim_lag')}, seed {m('seed')}, xbarsim {m('version')}")
    return line1 + "\n" + line2


def panel_schedule(ax, f):
    kind, layer, rows = col(f, "schedule/kind"), col(f, "schedule/layer"), col(f, "schedule/rows")
    start, end = col(f, "sim/sequential/op_start"), col(f, "sim/sequential/op_end")
    if kind is None or start is None:
        return plot_common.note(ax, "no /schedule or /sim/sequential")
    period = float(attr(f, "sim", "seconds", 0)) / max(float(attr(f, "sim", "cycles", 1)), 1)
    cmap = plt.get_cmap("tab20")
    spans = {}
    for k, l, r, s0, s1 in zip(kind, layer, rows, start, end):
        if s0 < 0 or s1 < s0:
            continue
        colour = cmap(int(l) % 20)
        for row in (int(x) for x in r.split()):
            spans.setdefault((row, k), []).append(((s0 * period * 1e3, max(s1 - s0, 1) * period * 1e3), colour))
    for (row, k), bars in spans.items():
        ax.broken_barh([b for b, _ in bars], (row - 0.4, 0.8), facecolors=[c for _, c in bars],
                       alpha=0.35 if k == "write" else 1.0, linewidth=0)
    ax.set_title("Instructions per APU row (light: writing weights, dark: computing; colour: layer)")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("APU row")
    ax.invert_yaxis()


def panel_layer_times(ax, f):
    names = col(f, "sim/sequential/layers/layer")
    inf = col(f, "sim/sequential/layers/inference")
    if names is None:
        return plot_common.note(ax, "no /sim/sequential/layers")
    keep = np.where(inf == 0)[0]
    get = lambda k: col(f, "sim/sequential/layers/" + k)[keep].astype(float)  # noqa: E731
    compute, stall = get("compute_cycles"), get("stall_cycles")
    ws, we = get("write_start"), get("write_end")
    write = np.where(ws >= 0, we - ws, 0)
    y = np.arange(len(keep))
    ax.barh(y - 0.2, compute, height=0.4, color="tab:blue", label="computing")
    ax.barh(y - 0.2, stall, left=compute, height=0.4, color="tab:red", label="stalled for weights")
    ax.barh(y + 0.2, write, height=0.4, color="tab:green", alpha=0.6, label="writing its weights")
    labels = [names[i] for i in keep]
    step = max(1, len(labels) // MAX_YLABELS)
    ax.set_yticks(y[::step])
    ax.set_yticklabels(labels[::step], fontsize=7)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(EngFormatter())
    ax.set_xlabel("cycles")
    ax.set_title("Per layer (first inference)")
    ax.legend(fontsize=8)


def panel_energy_split(ax, f):
    g = "sim/sequential"
    parts = [("compute", attr(f, g, "energy_compute_j", 0)), ("ReRAM writing", attr(f, g, "energy_write_j", 0)),
             ("static", attr(f, g, "energy_static_j", 0)), ("main memory", attr(f, g, "energy_main_memory_j", 0))]
    banks = col(f, g + "/banks/static_energy")
    labels = [p for p, _ in parts] + ([f"bank {i} static" for i in range(len(banks))] if banks is not None else [])
    vals = [float(v) for _, v in parts] + ([float(b) for b in banks] if banks is not None else [])
    y = np.arange(len(vals))
    ax.barh(y, vals, color=["tab:orange"] * 4 + ["tab:gray"] * (len(vals) - 4))
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    positive = [v for v in vals if v > 0]
    if positive and max(positive) > 100 * min(positive):
        ax.set_xscale("log")  # bank static energies are orders of magnitude below writing
    ax.xaxis.set_major_formatter(ENG_J)
    total = sum(float(v) for _, v in parts)
    ax.set_title(f"Energy split ({ENG_J(total)} in all; grey: static energy per global-buffer bank)")


def panel_throughput(ax, f):
    g = "sim/sequential"
    ips = float(attr(f, g, "inferences_per_s", 0))
    ub = float(attr(f, g, "upper_bound_s", 0))
    frac = float(attr(f, g, "fraction_of_upper_bound", 0))
    ax.bar([0, 1], [ips, 1 / ub if ub > 0 else 0], color=["tab:blue", "tab:gray"])
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["simulated", "upper bound\n(every weight written once)"])
    ax.set_ylabel("inferences per second")
    life = attr(f, g, "lifespan_real_time_years", 0)
    rate = attr(f, g, "real_time_rate", 0)
    ax.set_title(f"Throughput: {frac * 100:.1f} % of the upper bound; "
                 f"lifespan {float(life):.3g} years at {float(rate):.0f} inferences/s")


def plot_sequential(f):
    fig, axes = plt.subplots(2, 2, figsize=(16, 11))
    panel_schedule(axes[0, 0], f)
    panel_layer_times(axes[0, 1], f)
    panel_energy_split(axes[1, 0], f)
    panel_throughput(axes[1, 1], f)
    m = lambda k, d="?": plot_common.text(attr(f, "meta", k, d))  # noqa: E731
    sched = plot_common.text(attr(f, "schedule", "scheduler", "?"))
    infs = attr(f, "schedule", "inferences", 1)
    fig.suptitle(f"{m('workload')} on {m('arch')}: layer-sequential, scheduler {sched}, "
                 f"{int(infs)} inference(s), {int(attr(f, 'sim', 'cycles', 0)):,} cycles, "
                 f"seed {m('seed')}, xbarsim {m('version')}", fontsize=12)
    fig.tight_layout()
    return fig


# --panel NAME: one panel alone at column width, for papers.
PIPELINED_PANELS = {
    "timeline": lambda ax, fig, f: panel_timeline(ax, f, col(f, "plan/name") or []),
    "utilisation": lambda ax, fig, f: panel_utilisation(ax, fig, f),
    "energy": lambda ax, fig, f: panel_energy(ax, f),
    "model": lambda ax, fig, f: panel_model(ax, f),
    "links": lambda ax, fig, f: panel_links(ax, fig, f),
    "contention": lambda ax, fig, f: panel_contention(ax, f),
}
SEQUENTIAL_PANELS = {
    "schedule": lambda ax, fig, f: panel_schedule(ax, f),
    "layer-times": lambda ax, fig, f: panel_layer_times(ax, f),
    "energy-split": lambda ax, fig, f: panel_energy_split(ax, f),
    "throughput": lambda ax, fig, f: panel_throughput(ax, f),
}


def short_title(f):
    """Network, arch, allocator (or scheduler), interconnect and mode, for one panel."""
    m = lambda k: plot_common.text(attr(f, "meta", k, "?"))  # noqa: E731
    mode = plot_common.text(attr(f, "plan", "mode", "pipelined"))
    topo = plot_common.text(attr(f, "sim/noc", "topology", "?"))
    return f"{m('workload')} on {m('arch')}: {m('allocator')}, {topo}, {mode}"


def plot_panel(f, name):
    sequential = "schedule" in f
    panels = SEQUENTIAL_PANELS if sequential else PIPELINED_PANELS
    if name not in panels:
        raise plot_common.PlotError(
            f"panel '{name}' is not drawn for a {'layer-sequential' if sequential else 'pipelined'}"
            f" run (its panels: {', '.join(panels)})")
    return plot_common.column_figure(plt, lambda ax, fig: panels[name](ax, fig, f), short_title(f))


def plot(f, panel=None):
    if panel:
        return plot_panel(f, panel)
    if "schedule" in f:
        return plot_sequential(f)
    names = col(f, "plan/name") or []
    fig, axes = plt.subplots(3, 2, figsize=(16, 15))
    panel_timeline(axes[0, 0], f, names)
    panel_utilisation(axes[0, 1], fig, f)
    panel_energy(axes[1, 0], f)
    panel_model(axes[1, 1], f)
    panel_links(axes[2, 0], fig, f)
    panel_contention(axes[2, 1], f)
    fig.suptitle(suptitle(f), fontsize=12)
    fig.tight_layout()
    return fig


def main(argv=None):
    return plot_common.run_cli(__doc__, "plot_run", "RUN.h5", "xbarsim run file",
                               "xbarsim-run", "run", plot, argv, version=5,
                               panels=list(PIPELINED_PANELS) + list(SEQUENTIAL_PANELS))


if __name__ == "__main__":
    sys.exit(main())
