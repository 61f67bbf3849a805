#!/usr/bin/python3
"""Plot one xbarsim validation-experiment file (HDF5, format_version 1) as one figure (PNG, PDF or SVG).

What each kind (root attribute `kind`) draws, and its panels' names for --panel:
  model-accuracy  (Table 4) per network, stacked bars of the shares of samples whose
                  Algorithm 1 error vs the exact model is <1 %, 1-5 %, >5 % [shares];
                  histogram (log count) of that relative error in %, per network [errors].
  optimality      (Figure 6) per case, dp and search cycles normalised to search (= 1.0),
                  with the dp/search ratio, without [no-bandwidth] and with [bandwidth]
                  the bandwidth model.
  heuristics      (Figure 7, Table 5) steps against crossbars (both log), one line per
                  allocator; allocations that do not fit are skipped.  One panel per
                  workload, named by it [alexnet, vgg-a, ...]; a workload run with more
                  than one crossbar size gets one per size [vgg-e-xbar128, vgg-e-xbar256].
  isaac           (Figure 8) simulated inference cycles against tiles, one line per
                  variant; one panel per workload and topology [alexnet-bus,
                  alexnet-per-layer, alexnet-mesh, ...].
  bandwidth       (Figure 9) Wo*Ho/R per fused layer (1-based), one line per bandwidth
                  scale; one panel per workload [vgg-a].
  solver-runtime  (Table 7) per case, solver seconds of each variant and the paper's [runtime].
  dp-objective    per case, simulated steps of the allocations made with the alg1 and
                  exact objectives, with their relative difference [steps].
  dataflows       per network and budget, simulated inference cycles [cycles] and energy
                  [energy] of the five schedules (ws-ws, is-is, ws-is, is-ws, hybrid), log.
  ou-sharing      per network and OU size, simulated cycles [cycles] and compression
                  [compression] with sharing off, identical blocks shared, and pruning
                  plus sharing.
  aras            (ARAS Figures 13-17, Table IV) per network and configuration: write
                  pulses [pulses] and speedup [speedup] normalised to the baseline, the
                  energy breakdown normalised to the baseline [energy], the fraction of the
                  upper bound [upper-bound], the lifespan at real time [lifespan], and
                  speedup and energy against the TPU-like array [tpu].

For a paper, --panel NAME draws one panel alone, one column wide (3.4 in) with 7-8 pt
fonts, titled with the experiment and what the panel shows; the names that depend on
the file (workloads, topologies) are listed when an unknown one is asked for.  The
format follows the output's extension (.png, .pdf, .svg).

An incomplete file (root attribute complete = 0) is plotted as far as it goes and
says "(incomplete)" in its title.  Errors print one line and exit 2.

Examples:
  /usr/bin/python3 tools/plot_validation.py out/model-accuracy.h5 -o table4.png --dpi 200
  /usr/bin/python3 tools/plot_validation.py out/heuristics.h5 --panel vgg-a -o fig7-vgg-a.pdf
"""

import math
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display on build machines
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogFormatterSciNotation, NullFormatter  # noqa: E402

import h5py  # noqa: E402
import plot_common  # noqa: E402

FULL_FONT = {"legend.fontsize": 8}  # the whole figure: matplotlib's sizes, small legends
OUTSIDE = dict(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # legend right of the axes
MAX_LABELS = 40  # category or layer labels on one axis at most; beyond, every k-th
CHAR_EM = 0.58  # mean width of a character of DejaVu Sans, in em (for fitting labels)


def table(f, name, required=(), optional=False):
    """Group `name` as {column: array or str list}; None if absent and optional."""
    g = f.get(name)
    if not isinstance(g, h5py.Group):
        if optional:
            return None
        raise plot_common.PlotError(f"{f.filename}: no /{name} table")
    t = {}
    for k, d in g.items():
        if isinstance(d, h5py.Dataset):
            v = np.atleast_1d(d[()])
            t[k] = [plot_common.text(x) for x in v] if d.dtype.kind in "OSU" else np.asarray(v)
    if len({len(v) for v in t.values()}) > 1:
        raise plot_common.PlotError(f"{f.filename}: /{name}: columns of unequal length")
    missing = [c for c in required if c not in t]
    if missing:
        raise plot_common.PlotError(f"{f.filename}: /{name}: missing column(s) {', '.join(missing)}")
    return t


def nrows(t):
    return len(next(iter(t.values()))) if t else 0


def case_label(cases, i):
    return f"{cases['workload'][i]} ({int(cases['crossbars'][i])}, {int(cases['xbar'][i])})"


def per_case(cases, points, key, value):
    """{key: array over cases of points[value]}, nan where a case has no such row."""
    out, n = {}, nrows(cases)
    for r, c in enumerate(points["case"]):
        if 0 <= c < n:
            out.setdefault(points[key][r], np.full(n, np.nan))[c] = points[value][r]
    return out


def ordered(values, known):
    """Distinct values, known ones first in the given order, then the rest as met."""
    seen = list(dict.fromkeys(values))
    return [v for v in known if v in seen] + [v for v in seen if v not in known]


def listing(values, most=6):
    """'a, b, c' or, for a long list, 'a, b ... z'."""
    values = [str(v) for v in values]
    return ", ".join(values) if len(values) <= most else f"{', '.join(values[:2])} ... {values[-1]}"


def count(n):
    """1000000 -> 1M, 189858 -> 190k, 702 -> 702."""
    n = int(n)
    for div, unit in ((1_000_000, "M"), (1_000, "k")):
        if n >= div:
            return f"{n / div:.3g}{unit}"
    return str(n)


def small():
    """Size of small text (category labels, values on bars): the legend's, 8 pt or 7 pt alone."""
    return plt.rcParams["legend.fontsize"]


def tick_size():
    """Size of tick labels in points (rcParams may name it, e.g. "medium")."""
    return FontProperties(size=plt.rcParams["xtick.labelsize"]).get_size_in_points()


def logy(ax):
    """Log y axis that also labels some minor ticks when it spans two decades or less."""
    ax.set_yscale("log")
    ax.yaxis.set_minor_formatter(LogFormatterSciNotation(labelOnlyBase=False, minor_thresholds=(2, 0.5)))


def axes_size_pt(ax):
    """Width and height of the axes in points, as laid out so far."""
    p = ax.get_position()
    return p.width * ax.figure.get_figwidth() * 72, p.height * ax.figure.get_figheight() * 72


def category_ticks(ax, pos, labels, axis="x", size=None):
    """Label positions along an axis with names, legibly however many there are: on x they
    are rotated (30, 45 or 90 degrees) when they would run into each other, and when even
    that is too crowded (or there are more than MAX_LABELS) only every k-th is labelled."""
    size = size or small()
    pos, labels = np.asarray(pos), [str(s) for s in labels]
    ax.xbarsim_ticks = (pos, labels, axis, size)  # finish() fits them again once laid out
    n = len(pos)
    if n == 0:
        return
    width, height = axes_size_pt(ax)
    lines = max(s.count("\n") + 1 for s in labels)
    tall = lines * size * 1.25  # one label's height across its lines, with some gap
    slot = (height if axis == "y" else width) / n
    if axis == "y":
        k = max(math.ceil(tall / slot), math.ceil(n / MAX_LABELS), 1)
        ax.set_yticks(pos[::k], labels[::k], fontsize=size)
        return
    long_ = max(len(line) for s in labels for line in s.split("\n")) * CHAR_EM * size + 4
    best = None  # (k, angle): the fewest labels left out, then the least rotation
    for angle in (0, 30, 45, 90):
        need = long_ if angle == 0 else tall / math.sin(math.radians(angle))
        k = max(math.ceil(need / slot), math.ceil(n / MAX_LABELS), 1)
        if best is None or k < best[0]:
            best = (k, angle)
    k, angle = best
    ax.set_xticks(pos[::k], labels[::k], fontsize=size, rotation=angle,
                  ha="center" if angle in (0, 90) else "right",
                  rotation_mode="default" if angle in (0, 90) else "anchor")


def bars_first(ax):
    """Legend entries with the bars before the lines (matplotlib puts lines first)."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(handles)), key=lambda i: not isinstance(handles[i], BarContainer))
    return dict(handles=[handles[i] for i in order], labels=[labels[i] for i in order])


def legend_above(ax, ncol, **kw):
    """A legend in a band between the axes and their title (the title is raised to make room)."""
    leg = ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol, frameon=False,
                    borderaxespad=0.2, handlelength=1.5, columnspacing=1.0, **kw)
    texts = leg.get_texts()
    if texts:
        rows = -(-len(texts) // ncol) + (1 if kw.get("title") else 0)
        pad = rows * texts[0].get_fontsize() * 1.4 + 6
        ax.set_title(ax.get_title(), pad=pad, fontsize=ax.title.get_fontsize())
        ax.xbarsim_pad = pad
    return leg


def bar_values(ax, xs, ys, fmt, column):
    """Write each value on its bar: above it in the whole figure; alone (narrow bars), turned
    on its side inside the bar's top, or above it if the bar is too short to hold it."""
    top = ax.get_ylim()[1]
    for x, y in zip(xs, ys):
        if not np.isfinite(y):
            continue
        if not column:
            ax.text(x, y, fmt(y), ha="center", va="bottom", fontsize=small())
        elif y > 0.35 * top:
            ax.text(x, y, fmt(y) + " ", ha="center", va="top", rotation=90, color="white",
                    fontsize=small() - 1.5)
        else:
            ax.text(x, y, " " + fmt(y), ha="center", va="bottom", rotation=90, fontsize=small() - 1.5)


class Panel:
    """One panel of a kind's figure.  draw(ax, column) draws it into `ax`; `column` is true
    when it stands alone at column width (then it may place its legend or labels differently).
    `title` heads it in the whole figure, `caption` when alone (default: the title)."""

    def __init__(self, name, title, draw, caption=None, height=2.8):
        self.name, self.title, self.draw = name, title, draw
        self.caption = caption or title
        self.height = height  # inches, alone


class Spec:
    """A kind's figure: its panels, what varies (for the title), and its grid: panel size
    in inches, columns (None: up to three a row, two for four panels), shared y axes."""

    def __init__(self, panels, subject, w=5.5, h=4.2, cols=None, sharey=False):
        self.panels, self.subject = panels, subject
        self.w, self.h, self.cols, self.sharey = w, h, cols, sharey


def grid(n, w=5.5, h=4.2, cols=None, sharey=False):
    """A figure with n panels (at least one), up to three a row; returns fig, axes list."""
    n = max(n, 1)
    cols = cols or (2 if n == 4 else min(n, 3))
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols, h * rows + 0.8), squeeze=False,
                             sharey=sharey)
    axes = list(axes.flat)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


# --- model-accuracy ---------------------------------------------------------------------------

def network_names(cases):
    """Workload names, or case labels when a workload occurs more than once."""
    names = list(cases["workload"])
    if len(set(names)) < len(names):
        names = [case_label(cases, i) for i in range(nrows(cases))]
    return names


def shares_bar(ax, column, cases, points, rel, summary):
    """Stacked bars of the <1 %, 1-5 %, >5 % shares; from /summary, else from the points so far."""
    n = nrows(cases)
    names = network_names(cases)
    shares, labels = np.zeros((n, 3)), []
    for i in range(n):
        if i < nrows(summary):
            shares[i] = [summary[k][i] for k in ("share_lt1", "share_1_5", "share_gt5")]
            acc, err = 100 * summary["avg_accuracy"][i], 100 * summary["max_error"][i]
            agree = f"{int(summary['sim_agree'][i])}/{int(summary['sim_confirmed'][i])}"
            labels.append(f"{names[i]}\navg {acc:.2f} %, max {err:.1f} %\nsim {agree} agree" if column
                          else f"{names[i]}\navg acc {acc:.2f} %, max err {err:.1f} %, sim {agree} agree")
        else:
            e = np.abs(rel[(points["case"] == i) & np.isfinite(rel)])
            counts = [np.sum(e < 1), np.sum((e >= 1) & (e <= 5)), np.sum(e > 5)]
            shares[i] = np.array(counts) / max(len(e), 1)
            labels.append(f"{names[i]}\n{len(e)} samples so far, no summary")
    shares *= 100.0
    y, left = np.arange(n), np.zeros(n)
    bands = (("< 1 %", "tab:green"), ("1-5 %", "tab:orange"), ("> 5 %", "tab:red"))
    for k, (lab, colour) in enumerate(bands):
        ax.barh(y, shares[:, k], left=left, color=colour, label=lab)
        for yi, x0, w in zip(y, left, shares[:, k]):
            if w >= (9 if column else 6):
                ax.text(x0 + w / 2, yi, f"{w:.1f}", ha="center", va="center", fontsize=small(),
                        color="white")
        left += shares[:, k]
    ax.set(ylim=(n - 0.5, -0.5), xlim=(0, 100), xlabel="share of samples (%)")
    category_ticks(ax, y, labels, axis="y", size=small() - (1 if column else 0))
    legend_above(ax, 3)


def error_histogram(ax, column, cases, points, rel):
    ok = np.isfinite(rel)
    if not ok.any():
        return plot_common.note(ax, "no samples")
    bins = np.linspace(min(rel[ok].min(), -1.0), max(rel[ok].max(), 1.0), 61)
    for i, name in enumerate(network_names(cases)):
        e = rel[(points["case"] == i) & ok]
        if len(e):
            ax.hist(e, bins=bins, histtype="step", linewidth=1.0 if column else 1.5, label=name)
    logy(ax)
    ax.set(xlabel="relative error (%)", ylabel="samples")
    ax.grid(alpha=0.3)
    if column:
        legend_above(ax, 3)
    else:
        ax.legend()


def spec_model_accuracy(f, cases, points):
    summary = table(f, "summary", ("share_lt1", "share_1_5", "share_gt5", "avg_accuracy", "max_error",
                                   "sim_confirmed", "sim_agree"), optional=True) or {}
    exact = points["exact_lag0_steps"].astype(float)
    rel = 100.0 * (points["alg1_steps"] - exact) / np.where(exact > 0, exact, np.nan)
    n = nrows(cases)
    samples = int(f.attrs.get("samples", 0))
    return Spec([Panel("shares", "a) Algorithm 1 error vs exact model: share of samples",
                       lambda ax, col: shares_bar(ax, col, cases, points, rel, summary),
                       caption="Algorithm 1's error vs the exact step model: share of samples",
                       height=1.3 + 0.45 * max(n, 1)),
                 Panel("errors", "b) relative error (alg1 - exact) / exact",
                       lambda ax, col: error_histogram(ax, col, cases, points, rel),
                       caption="Algorithm 1's relative error (alg1 - exact) / exact, per network")],
                f"Algorithm 1 against the exact step model on {count(samples)} random allocations "
                f"per network: {listing(network_names(cases))}",
                w=7.5, h=0.5 * n + 3.7)


# --- optimality -------------------------------------------------------------------------------

def spec_optimality(f, cases, points):
    rows = {int(c): r for r, c in enumerate(points["case"])}
    top = 1.2
    for r in rows.values():
        top = max(top, 1.25 * points["dp_cycles"][r] / max(points["search_cycles"][r], 1))

    def draw(ax, column, bw):
        ax.set_ylim(0, top)
        ax.set_ylabel("cycles / search cycles")
        idx = [i for i in range(nrows(cases)) if int(cases["bandwidth"][i]) == bw and i in rows]
        if not idx:
            return plot_common.note(ax, "no points")
        r = [rows[i] for i in idx]
        ratio = points["dp_cycles"][r] / np.maximum(points["search_cycles"][r], 1)
        x = np.arange(len(idx))
        ax.bar(x - 0.2, ratio, 0.4, color="tab:blue", label="dp (Algorithm 1)")
        bar_values(ax, x - 0.2, ratio, lambda v: f"{v:.3f}", column)
        kinds = [points["search_kind"][j] for j in r]  # "random N" says how many samples were tried
        tried = [count(points["search_samples"][j]) if k == "random" else "" for j, k in zip(r, kinds)]
        if column:  # the labels name the case only, the search bars say how they searched
            for k in dict.fromkeys(kinds):
                sel = np.array([kk == k for kk in kinds])
                n_tried = "/".join(sorted({t for t, kk in zip(tried, kinds) if kk == k and t}))
                ax.bar(x[sel] + 0.2, np.ones(sel.sum()), 0.4, color="0.6" if k == "exhaustive" else "0.8",
                       hatch=None if k == "exhaustive" else "////", edgecolor="0.45", linewidth=0,
                       label=f"{k} search" + (f", {n_tried} samples" if n_tried else ""))
            labels = [f"{cases['workload'][i]}\n{int(cases['crossbars'][i])}, {int(cases['xbar'][i])}"
                      for i in idx]
        else:
            ax.bar(x + 0.2, np.ones(len(idx)), 0.4, color="0.6", label="search")
            labels = [f"{case_label(cases, i)}\n{k} {t}".strip() for i, k, t in zip(idx, kinds, tried)]
        category_ticks(ax, x, labels)
        ax.axhline(1.0, color="0.3", linewidth=0.8, linestyle="--")
        ax.grid(axis="y", alpha=0.3)
        if column:
            legend_above(ax, 2)
        else:
            ax.legend(loc="upper center", ncol=2)

    what = "dp cycles / search cycles per network (crossbars, xbar)"
    return Spec([Panel("no-bandwidth", "without bandwidth model", lambda ax, col: draw(ax, col, 0),
                       caption=f"{what}, without the bandwidth model", height=3.2),
                 Panel("bandwidth", "with bandwidth model", lambda ax, col: draw(ax, col, 1),
                       caption=f"{what}, with the bandwidth model", height=3.2)],
                "the DP (Algorithm 1) against exhaustive or pruned random search, "
                "without and with the bandwidth model", w=7.5, h=4.7, sharey=True)


# --- heuristics, isaac: one line per series against the budget, one panel per group ----------

def line_groups(cases):
    """Per case its panel's name and title: the workload, then the crossbar size when the
    workload was run with more than one, then the interconnect topology when the cases name one."""
    n = nrows(cases)
    topo = [str(t) for t in cases.get("topology", [""] * n)]
    sizes = {}
    for w, x in zip(cases["workload"], cases["xbar"]):
        sizes.setdefault(w, set()).add(int(x))
    names, titles = [], []
    for i in range(n):
        w, x = cases["workload"][i], int(cases["xbar"][i])
        name, title = [w], [w]
        if len(sizes[w]) > 1:
            name.append(f"xbar{x}")
            title.append(f"{x}x{x} crossbars")
        if topo[i]:
            name.append(topo[i])
            title.append(topo[i])
        names.append("-".join(name))
        titles.append(", ".join(title))
    return names, titles


def spec_lines(cases, points, xcol, ycol, series, known, xlabel, ylabel, what):
    """One panel per line_groups() group: y (points) against x (cases), a line per series;
    -1 skipped."""
    group, titles = line_groups(cases)
    group = np.array(group, dtype=object)
    names = ordered(points[series], known)
    case = points["case"].astype(int)
    valid = (case >= 0) & (case < nrows(cases)) & (points[ycol] > 0)
    work = np.array([group[c] if v else "" for c, v in zip(case, valid)], dtype=object)
    label = np.array(points[series], dtype=object)

    def draw(ax, column, g):
        for k, s in enumerate(names):
            sel = valid & (work == g) & (label == s)
            x, y = cases[xcol][case[sel]].astype(float), points[ycol][sel].astype(float)
            if len(x):
                o = np.argsort(x)
                ax.plot(x[o], y[o], marker="osD^vP*X"[k % 8], color=f"C{k % 10}", label=s,
                        ms=4 if column else 6, linewidth=1.0 if column else 1.5)
        if not ax.lines:
            return plot_common.note(ax, "no points")
        ax.set_xscale("log", base=2)
        logy(ax)
        ax.set_xticks(sorted({v for ln in ax.lines for v in ln.get_xdata()}))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set(xlabel=xlabel, ylabel=ylabel)
        ax.grid(which="both", alpha=0.3)
        if column:
            legend_above(ax, 2)
        else:
            ax.legend()

    first = dict(zip(group, titles))
    panels = [Panel(g, t, lambda ax, col, g=g: draw(ax, col, g), caption=f"{t}: {what}")
              for g, t in first.items()]
    return Spec(panels, None), names


def spec_heuristics(f, cases, points):
    spec, names = spec_lines(cases, points, "crossbars", "steps", "allocator",
                             ["dp", "wo-ho", "sc2", "identical"], "crossbars", "steps",
                             "steps against crossbars, one line per allocator")
    spec.subject = f"steps (Algorithm 1) against crossbars of the allocators {listing(names)}"
    return spec


def spec_isaac(f, cases, points):
    spec, names = spec_lines(cases, points, "tiles", "sim_cycles", "variant",
                             ["dp-bandwidth", "dp-no-bandwidth", "isaac-sc2", "dp-exact-bandwidth"],
                             "tiles", "simulated inference time (cycles)",
                             "simulated cycles against tiles per variant")
    topo = [t for t in dict.fromkeys(cases.get("topology", [])) if t]
    spec.subject = (f"simulated inference cycles against tiles of {listing(names)}"
                    + (f", on the topologies {listing(topo)}" if topo else ""))
    return spec


# --- bandwidth --------------------------------------------------------------------------------

def spec_bandwidth(f, cases, points):
    n = nrows(cases)
    topo = [str(t) for t in cases.get("topology", [""] * n)]
    nets = list(dict.fromkeys(cases["workload"]))

    def draw(ax, column, net):
        # The DP's allocation does not depend on the topology: the first one's cases suffice.
        mine = [i for i in range(n) if cases["workload"][i] == net]
        layers = 0
        for i in sorted(mine, key=lambda i: cases["scale"][i]):
            if topo[i] != topo[mine[0]]:
                continue
            sel = (points["case"] == i) & (points["wo_ho_over_r"] > 0)
            o = np.argsort(points["layer"][sel])
            if sel.any():
                x = points["layer"][sel][o] + 1
                ax.plot(x, points["wo_ho_over_r"][sel][o], marker="o", ms=2 if column else 3,
                        linewidth=1.0 if column else 1.5, label=f"x{cases['scale'][i]:g}")
                layers = max(layers, int(x.max()))
        if not ax.lines:
            return plot_common.note(ax, "no points")
        logy(ax)
        ax.set(xlabel="fused layer (1-based)", ylabel="Wo·Ho / R", xlim=(0.5, layers + 0.5))
        ticks = np.arange(1, layers + 1)
        category_ticks(ax, ticks, ticks, size=tick_size())
        ax.grid(which="both", alpha=0.3)
        if column:
            legend_above(ax, 6 if len(ax.lines) <= 6 else 4, title=None)
        else:
            ax.legend(title="bandwidth scale")

    scales = sorted({float(s) for s in cases["scale"]})
    panels = []
    for net in nets:
        i = list(cases["workload"]).index(net)
        where = f"{net}, {int(cases['crossbars'][i])} crossbars of {int(cases['xbar'][i])}x{int(cases['xbar'][i])}"
        panels.append(Panel(net, case_label(cases, i), lambda ax, col, net=net: draw(ax, col, net),
                            caption=f"{where}: Wo·Ho / R per fused layer, one line per bandwidth scale"))
    topos = [t for t in dict.fromkeys(topo) if t]
    return Spec(panels, "Wo·Ho / R per fused layer of the DP's allocation at the bandwidth scales "
                        + listing((f"x{s:g}" for s in scales), 4)
                        + (f" (the allocation is the same on {listing(topos)})" if len(topos) > 1 else ""),
                w=10, h=4.7)


# --- solver-runtime, dp-objective: bars per case ----------------------------------------------

def grouped(ax, cases, groups, horizontal, column=False, fmt=None):
    """Bars per case, one per (label, values over cases); values <= 0 or nan are left out.
    Horizontal bars get their value, fmt(v), written after them when fmt is given."""
    n, h = nrows(cases), 0.8 / max(len(groups), 1)
    pos = np.arange(n)
    for j, (lab, vals) in enumerate(groups):
        vals, p = np.asarray(vals, dtype=float), pos - 0.4 + h * (j + 0.5)
        ok = np.isfinite(vals) & (vals > 0)
        (ax.barh if horizontal else ax.bar)(p[ok], vals[ok], h, label=lab,
                                            color="0.55" if lab == "paper" else None)
        if horizontal and fmt:
            for pi, v in zip(p[ok], vals[ok]):
                ax.text(v, pi, " " + fmt(v), va="center", fontsize=small() - (1.5 if column else 1))
    labels = [case_label(cases, i) for i in range(n)]
    if horizontal:
        ax.set_ylim(n - 0.5, -0.5)  # first case at top
        category_ticks(ax, pos, labels, axis="y")
    else:
        category_ticks(ax, pos, labels)
    return pos


def spec_solver_runtime(f, cases, points):
    secs = per_case(cases, points, "variant", "seconds")
    groups = [(v, secs[v]) for v in ordered(list(secs), ["alg1", "alg1+bandwidth", "exact"])]
    groups.append(("paper", cases.get("paper_seconds", np.full(nrows(cases), np.nan))))
    n = nrows(cases)

    def draw(ax, column):
        grouped(ax, cases, groups, True, column, lambda v: f"{v:.3g} s")
        ax.set_xscale("log")
        ax.set_xlabel("solver time (s)")
        ax.margins(x=0.25 if column else 0.15)
        ax.grid(axis="x", which="both", alpha=0.3)
        if column:
            legend_above(ax, 2)
        else:
            ax.legend(**OUTSIDE)

    variants = [g for g, _ in groups if g != "paper"]
    return Spec([Panel("runtime", "solver time per case (crossbars, xbar)", draw,
                       caption=f"solver time of {listing(variants)} and the paper's, per case "
                               "(crossbars, xbar)",
                       height=1.2 + 0.12 * n * len(groups))],
                f"the DP's solver time of {listing(variants)} against the paper's",
                w=11, h=0.2 + 0.35 * n * len(groups))


def spec_dp_objective(f, cases, points):
    steps = per_case(cases, points, "objective", "sim_steps")
    alg1, exact = (steps.get(o, np.full(nrows(cases), np.nan)) for o in ("alg1", "exact"))

    def draw(ax, column):
        if not np.any((alg1 > 0) | (exact > 0)):
            return plot_common.note(ax, "no points")
        # Alone, the bars lie down: the cases' names and the differences need the width.
        pos = grouped(ax, cases, [("alg1 objective", alg1), ("exact objective", exact)], column)
        for p, a, e in zip(pos, alg1, exact):
            if a > 0 and e > 0:
                d = f"{100 * (a - e) / e:+.2f} %"
                if column:
                    ax.text(max(a, e), p, " " + d, va="center", fontsize=small() - 1)
                else:
                    ax.text(p, max(a, e), d, ha="center", va="bottom", fontsize=small())
        ax.set_xlabel("simulated steps") if column else ax.set_ylabel("simulated steps")
        ax.margins(x=0.25) if column else ax.margins(y=0.1)
        ax.grid(axis="x" if column else "y", alpha=0.3)
        if column:
            legend_above(ax, 2)
        else:
            ax.legend(**OUTSIDE)

    return Spec([Panel("steps", "simulated steps; above each case: (alg1 - exact) / exact", draw,
                       caption="simulated steps of the DP's allocations with the alg1 and the exact "
                               "objective per case (crossbars, xbar), and (alg1 - exact) / exact",
                       height=1.3 + 0.3 * nrows(cases))],
                "the DP minimising Algorithm 1 against the DP minimising the exact step model, "
                "both allocations simulated", w=max(8, 1.6 * nrows(cases) + 2), h=4.7)


# --- dataflows, ou-sharing: grouped bars per network -----------------------------------------

DATAFLOW_SCHEMES = ["ws-ws", "is-is", "ws-is", "is-ws", "hybrid"]


def spec_dataflows(f, cases, points):
    n = nrows(cases)
    pos, h = np.arange(n), 0.8 / len(DATAFLOW_SCHEMES)

    def draw(ax, column, col, label):
        values = per_case(cases, points, "scheme", col)
        for j, s in enumerate(DATAFLOW_SCHEMES):
            if s in values:
                ax.bar(pos - 0.4 + h * (j + 0.5), values[s], h, label=s)
        if not ax.patches:
            return plot_common.note(ax, "no points")
        ax.set(ylabel=label, xlabel="network, crossbars")
        logy(ax)
        category_ticks(ax, pos, [f"{w}\n{int(x)}" for w, x in zip(cases["workload"], cases["crossbars"])])
        ax.grid(axis="y", alpha=0.3)
        if column:
            legend_above(ax, len(DATAFLOW_SCHEMES))
        elif col == "sim_cycles":
            ax.legend()

    what = "of the five schedules per network and crossbar budget"
    return Spec([Panel("cycles", "simulated inference cycles",
                       lambda ax, c: draw(ax, c, "sim_cycles", "simulated inference cycles"),
                       caption=f"simulated inference cycles {what}", height=3.2),
                 Panel("energy", "simulated energy per inference",
                       lambda ax, c: draw(ax, c, "energy_j", "simulated energy per inference (J)"),
                       caption=f"simulated energy per inference {what}", height=3.2)],
                f"the schedules {listing(DATAFLOW_SCHEMES)}, each with its own allocation, "
                "at two crossbar budgets per network", w=7.0, h=4.2)


OU_SHARING = ["off", "share", "prune"]


def spec_ou_sharing(f, cases, points):
    nets = list(cases["workload"])
    ous = list(dict.fromkeys(points["ou"]))
    labels = [f"{w}\n{o}" for w in nets for o in ous]
    pos, h = np.arange(len(labels)), 0.8 / len(OU_SHARING)

    def draw(ax, column, col, label, log):
        for j, sh in enumerate(OU_SHARING):
            y = np.full(len(labels), np.nan)
            for c, o, s_, v in zip(points["case"], points["ou"], points["sharing"], points[col]):
                if s_ == sh and 0 <= int(c) < len(nets):
                    y[int(c) * len(ous) + ous.index(o)] = v
            ax.bar(pos - 0.4 + h * (j + 0.5), y, h, label=sh)
        if not labels:
            return plot_common.note(ax, "no points")
        category_ticks(ax, pos, labels)
        ax.set(ylabel=label, xlabel="network, OU size")
        if log:
            logy(ax)
        else:
            ax.axhline(1.0, color="k", linewidth=0.8)
        ax.grid(axis="y", alpha=0.3)
        if column:
            legend_above(ax, len(OU_SHARING), title=None)
        elif log:
            ax.legend(title="sharing")

    what = "per network and OU size, sharing off, shared, pruned and shared"
    return Spec([Panel("cycles", "simulated inference cycles",
                       lambda ax, c: draw(ax, c, "sim_cycles", "simulated inference cycles", True),
                       caption=f"simulated inference cycles {what}", height=3.2),
                 Panel("compression", "compression",
                       lambda ax, c: draw(ax, c, "compression", "compression (x)", False),
                       caption=f"compression {what}", height=3.2)],
                f"OU-level weight sharing {listing(OU_SHARING)} at the OU sizes {listing(ous)}",
                w=7.0, h=4.2)


# --- aras -------------------------------------------------------------------------------------

ARAS_VARIANTS = ["baseline", "bank-selection", "replication", "reuse"]
ARAS_PARTS = (("write_norm", "ReRAM writing"), ("static_norm", "static"),
              ("compute_norm", "computing"), ("main_memory_norm", "main memory"))


def spec_aras(f, cases, points):
    s = table(f, "summary", ("workload", "variant"), optional=True)
    have = s is not None and nrows(s) > 0
    nets = list(dict.fromkeys(s["workload"])) if have else []
    idx = {(w, v): i for i, (w, v) in enumerate(zip(s["workload"], s["variant"]))} if have else {}
    pos, h = np.arange(len(nets)), 0.8 / len(ARAS_VARIANTS)

    def values(v, col):
        return np.array([s[col][idx[(w, v)]] if (w, v) in idx and col in s else np.nan for w in nets])

    def panel(fn):
        """Notes the panel when there is no summary yet; labels the networks."""
        def draw(ax, column):
            if not have:
                return plot_common.note(ax, "no summary yet (incomplete run)")
            fn(ax, column)
            category_ticks(ax, pos, nets)
        return draw

    def bars(ax, column, col, ylabel, log=False, legend=False):
        for j, v in enumerate(ARAS_VARIANTS):
            ax.bar(pos - 0.4 + h * (j + 0.5), values(v, col), h, label=v)
        ax.set_ylabel(ylabel)
        if log:
            logy(ax)
        ax.grid(axis="y", alpha=0.3)
        if column:
            legend_above(ax, 2)
        elif legend:
            ax.legend(ncol=2, loc="upper center")

    def pulses(ax, column):
        bars(ax, column, "pulses_norm", "normalised pulses", legend=True)
        ax.set_ylim(0, 1.15 if column else 1.3)

    def speedup(ax, column):
        bars(ax, column, "speedup", "speedup")
        if "first_speedup" in s:
            for j, v in enumerate(ARAS_VARIANTS):
                ax.plot(pos - 0.4 + h * (j + 0.5), values(v, "first_speedup"), "kx",
                        markersize=3 if column else 5, label="first inference" if j == 0 else None)
        if column:
            legend_above(ax, 3, **bars_first(ax))

    def energy(ax, column):
        colours = ["tab:red", "tab:blue", "tab:green", "tab:gray"]
        for j, v in enumerate(ARAS_VARIANTS):
            bottom = np.zeros(len(nets))
            for (col, lab), colour in zip(ARAS_PARTS, colours):
                y = np.nan_to_num(values(v, col))
                ax.bar(pos - 0.4 + h * (j + 0.5), y, h, bottom=bottom, color=colour,
                       label=lab if j == 0 else None, edgecolor="white", linewidth=0.3)
                bottom += y
        ax.set_ylabel("normalised energy")
        if column:
            legend_above(ax, 2)
        else:
            ax.legend(loc="upper center", ncol=2)
            ax.set_ylim(0, 1.3)

    def tpu(ax, column):
        for j, (col, lab) in enumerate((("reference_speedup", "speedup"),
                                        ("reference_energy", "energy ratio"))):
            ax.bar(pos - 0.2 + 0.4 * j, values("reuse", col), 0.4, label=lab)
        ax.axhline(1.0, color="k", linewidth=0.8)
        ax.axhline(0.67, color="tab:red", linestyle="--", linewidth=0.8, label="paper: energy 0.67")
        ax.set_ylabel("ratio")
        logy(ax)
        if column:
            legend_above(ax, 3, **bars_first(ax))
        else:
            ax.legend(**bars_first(ax))

    bars_of = "bars: " + ", ".join(ARAS_VARIANTS)
    return Spec([
        Panel("pulses", "a) write pulses / baseline (Fig. 13)", panel(pulses),
              caption="write pulses per inference / baseline's (ARAS Fig. 13)"),
        Panel("speedup", "b) speedup over baseline; x: first inference (Fig. 14)", panel(speedup),
              caption="speedup over the baseline, steady state; x: first inference (ARAS Fig. 14)"),
        Panel("energy", "c) energy / baseline; " + bars_of + " (Fig. 15)", panel(energy),
              caption="energy / baseline's by part; " + bars_of + " (ARAS Fig. 15)"),
        Panel("upper-bound", "d) fraction of the upper bound",
              panel(lambda ax, c: bars(ax, c, "fraction_of_upper_bound", "fraction")),
              caption="throughput as a fraction of the upper bound (every weight written once)"),
        Panel("lifespan", "e) lifespan at real time, 1e12 cycles (Table IV)",
              panel(lambda ax, c: bars(ax, c, "lifespan_real_time_years", "years", log=True)),
              caption="lifespan at real time, 1e12 write cycles per cell (ARAS Table IV)"),
        Panel("tpu", "f) all optimisations vs the TPU-like array (Figs. 16, 17)", panel(tpu),
              caption="all optimisations (reuse) against the TPU-like array (ARAS Figs. 16, 17)"),
    ], "layer-sequential, configurations " + ", ".join(ARAS_VARIANTS)
       + " (each adds one optimisation), and the TPU-like array", w=6.0, h=4.0)


KINDS = {  # kind: (spec function, /cases extras, /points columns)
    "model-accuracy": (spec_model_accuracy, (), ("alg1_steps", "exact_lag0_steps")),
    "optimality": (spec_optimality, ("bandwidth",),
                   ("dp_cycles", "search_cycles", "search_kind", "search_samples")),
    "heuristics": (spec_heuristics, (), ("allocator", "steps")),
    "isaac": (spec_isaac, ("tiles",), ("variant", "sim_cycles")),
    "bandwidth": (spec_bandwidth, ("scale",), ("layer", "wo_ho_over_r")),
    "solver-runtime": (spec_solver_runtime, (), ("variant", "seconds")),
    "dp-objective": (spec_dp_objective, (), ("objective", "sim_steps")),
    "aras": (spec_aras, (), ("variant",)),
    "dataflows": (spec_dataflows, (), ("scheme", "sim_cycles", "energy_j")),
    "ou-sharing": (spec_ou_sharing, (), ("ou", "sharing", "sim_cycles", "compression")),
}


def set_title(ax, text, column):
    """Alone: 7 pt, wrapped to the column.  In the whole figure: as large as fits (8-12 pt)."""
    if column:
        ax.xbarsim_caption = text  # finish() wraps it again to the room the laid-out axes leave
        ax.set_title(textwrap.fill(text, int(plot_common.COLUMN_WIDTH_IN * 72 / (CHAR_EM * 7)),
                                   break_on_hyphens=False),
                     fontsize=7)
    else:
        width, _ = axes_size_pt(ax)
        ax.set_title(text, fontsize=min(12, max(8, width / (CHAR_EM * max(len(text), 1)))))


def finish(fig, title, size):
    """Suptitle, each line wrapped to the figure's width, a fixed distance below the top (not
    a fraction of a tall figure's height, where it would run into the first row); then lay the
    panels out below it, and fit the name labels again to the axes' final widths."""
    chars = int(fig.get_figwidth() * 72 / (CHAR_EM * size))
    title = "\n".join(textwrap.fill(line, chars, break_on_hyphens=False) for line in title.split("\n"))
    fig.suptitle(title, fontsize=size, y=1 - 0.06 / fig.get_figheight(), va="top")
    fig.tight_layout()
    for ax in fig.axes:
        if getattr(ax, "xbarsim_ticks", None):
            pos, labels, axis, tsize = ax.xbarsim_ticks
            category_ticks(ax, pos, labels, axis, tsize)
        if getattr(ax, "xbarsim_caption", None):  # centred on the axes, within the figure
            p = ax.get_position()
            room = (p.width + 2 * min(p.x0, 1 - p.x1)) * fig.get_figwidth() * 72
            t = ax.title
            ax.set_title(textwrap.fill(ax.xbarsim_caption, int(room / (CHAR_EM * t.get_fontsize())),
                                       break_on_hyphens=False),
                         fontsize=t.get_fontsize(), pad=getattr(ax, "xbarsim_pad", None))
    fig.tight_layout()


def plot(f, panel=None):
    kind = plot_common.text(f.attrs.get("kind", ""))
    if kind not in KINDS:
        raise plot_common.PlotError(f"{f.filename}: unknown experiment kind '{kind}' "
                                    f"(known: {', '.join(KINDS)})")
    build, case_cols, point_cols = KINDS[kind]
    cases = table(f, "cases", ("workload", "crossbars", "xbar") + case_cols)
    points = table(f, "points", ("case",) + point_cols)
    spec = build(f, cases, points)
    a = f.attrs
    name = plot_common.text(a.get("experiment", kind))
    paper = plot_common.text(a.get("paper", ""))
    incomplete = "" if int(a.get("complete", 1)) else " (incomplete)"
    if panel is not None:
        chosen = [p for p in spec.panels if p.name == panel]
        if not chosen:
            raise plot_common.PlotError(
                f"{f.filename}: no panel '{panel}' in this {kind} file "
                f"(its panels: {', '.join(p.name for p in spec.panels) or 'none'})")
        p = chosen[0]
        with plt.rc_context(plot_common.COLUMN_FONT):
            fig, ax = plt.subplots(figsize=(plot_common.COLUMN_WIDTH_IN, p.height))
            set_title(ax, p.caption, True)
            p.draw(ax, True)
            title = name + (f" ({paper})" if paper else "") + incomplete
            finish(fig, title, 8)
        return fig
    with plt.rc_context(FULL_FONT):
        fig, axes = grid(len(spec.panels), spec.w, spec.h, spec.cols, spec.sharey)
        if not spec.panels:
            plot_common.note(axes[0], "no cases")
        for ax, p in zip(axes, spec.panels):
            set_title(ax, p.title, False)
            p.draw(ax, False)
        where = ("" if not paper else f" — {paper}" if paper.lower().startswith("beyond")
                 else f" — paper {paper}")
        info = [f"kind {kind}", f"{nrows(cases)} cases, {nrows(points)} points"]
        info += [f"seed {int(a['seed'])}"] if "seed" in a else []
        info += [f"wall {float(a['wall_s']):.1f} s"] if "wall_s" in a else []
        lines = [name + where + incomplete] + ([spec.subject] if spec.subject else []) + [", ".join(info)]
        finish(fig, "\n".join(lines), 12)
    return fig


def main(argv=None):
    return plot_common.run_cli(__doc__, "plot_validation", "EXP.h5",
                               "xbarsim validation-experiment file",
                               "xbarsim-experiment", "experiment", plot, argv, panels=True)


if __name__ == "__main__":
    sys.exit(main())
