#!/usr/bin/python3
"""Plot one xbarsim validation-experiment file (HDF5, format_version 1) as a PNG.

What each kind (root attribute `kind`) draws:
  model-accuracy  (Table 4) a) per network, stacked bars of the shares of samples
                  whose Algorithm 1 error vs the exact model is <1 %, 1-5 %, >5 %;
                  b) histogram (log count) of that relative error in %, per network.
  optimality      (Figure 6) without / with the bandwidth model: per case, dp and
                  search cycles normalised to search (= 1.0), with the dp/search ratio.
  heuristics      (Figure 7, Table 5) per workload: steps against crossbars (both
                  log), one line per allocator; allocations that do not fit are skipped.
  isaac           (Figure 8) per workload: simulated inference cycles against tiles,
                  one line per variant.
  bandwidth       (Figure 9) Wo*Ho/R per fused layer (1-based), one line per scale.
  solver-runtime  (Table 7) per case, solver seconds of each variant and the paper's.
  dp-objective    per case, simulated steps of the allocations made with the alg1
                  and exact objectives, with their relative difference.
  dataflows       per network, simulated inference cycles and energy of the five
                  schedules (ws-ws, is-is, ws-is, is-ws, hybrid), log scales.
  ou-sharing      per network and OU size, simulated cycles and compression with
                  sharing off, identical blocks shared, and pruning plus sharing.
  aras            (ARAS Figures 13-17, Table IV) per network and configuration: write
                  pulses and speedup normalised to the baseline, the energy breakdown
                  normalised to the baseline, the fraction of the upper bound, the
                  lifespan at real time, and speedup and energy against the TPU-like array.

An incomplete file (root attribute complete = 0) is plotted as far as it goes and
says "(incomplete)" in its title.  Errors print one line and exit 2.

Example:
  /usr/bin/python3 tools/plot_validation.py out/model-accuracy.h5 -o table4.png --dpi 200
"""

import sys

import matplotlib

matplotlib.use("Agg")  # no display on build machines
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogFormatterSciNotation, NullFormatter  # noqa: E402

import h5py  # noqa: E402
import plot_common  # noqa: E402

OUTSIDE = dict(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # legend right of the axes


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


def logy(ax):
    """Log y axis that also labels some minor ticks when it spans two decades or less."""
    ax.set_yscale("log")
    ax.yaxis.set_minor_formatter(LogFormatterSciNotation(labelOnlyBase=False, minor_thresholds=(2, 0.5)))


def grid(n, w=5.5, h=4.2):
    """A figure with n panels (at least one), up to three a row; returns fig, axes list."""
    n = max(n, 1)
    cols = 2 if n == 4 else min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols, h * rows + 0.8), squeeze=False)
    axes = list(axes.flat)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def shares_bar(ax, cases, points, rel, summary):
    """Stacked bars of the <1 %, 1-5 %, >5 % shares; from /summary, else from the points so far."""
    n = nrows(cases)
    names = list(cases["workload"])
    if len(set(names)) < n:
        names = [case_label(cases, i) for i in range(n)]
    shares, labels = np.zeros((n, 3)), []
    for i in range(n):
        if i < nrows(summary):
            shares[i] = [summary[k][i] for k in ("share_lt1", "share_1_5", "share_gt5")]
            labels.append(f"{names[i]}\navg acc {100 * summary['avg_accuracy'][i]:.2f} %, "
                          f"max err {100 * summary['max_error'][i]:.1f} %, "
                          f"sim {int(summary['sim_agree'][i])}/{int(summary['sim_confirmed'][i])} agree")
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
            if w >= 6:
                ax.text(x0 + w / 2, yi, f"{w:.1f}", ha="center", va="center", fontsize=8, color="white")
        left += shares[:, k]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set(ylim=(n - 0.5, -0.5), xlim=(0, 100), xlabel="share of samples (%)",
           title="a) Algorithm 1 error vs exact model: share of samples")
    ax.legend(ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.06), fontsize=8, frameon=False)
    return names


def draw_model_accuracy(f, cases, points):
    summary = table(f, "summary", ("share_lt1", "share_1_5", "share_gt5", "avg_accuracy", "max_error",
                                   "sim_confirmed", "sim_agree"), optional=True) or {}
    exact = points["exact_lag0_steps"].astype(float)
    rel = 100.0 * (points["alg1_steps"] - exact) / np.where(exact > 0, exact, np.nan)
    fig, (a, b) = plt.subplots(1, 2, figsize=(15, 0.5 * nrows(cases) + 4.5))
    names = shares_bar(a, cases, points, rel, summary)
    b.set_title("b) relative error (alg1 - exact) / exact")
    ok = np.isfinite(rel)
    if not ok.any():
        plot_common.note(b, "no samples")
        return fig
    bins = np.linspace(min(rel[ok].min(), -1.0), max(rel[ok].max(), 1.0), 61)
    for i, name in enumerate(names):
        e = rel[(points["case"] == i) & ok]
        if len(e):
            b.hist(e, bins=bins, histtype="step", linewidth=1.5, label=name)
    logy(b)
    b.set(xlabel="relative error (%)", ylabel="samples")
    b.grid(alpha=0.3)
    b.legend(fontsize=8)
    return fig


def draw_optimality(f, cases, points):
    fig, axes = plt.subplots(1, 2, figsize=(15, 5.5), sharey=True)
    rows = {int(c): r for r, c in enumerate(points["case"])}
    top = 1.2
    for ax, bw in zip(axes, (0, 1)):
        ax.set_title("with bandwidth model" if bw else "without bandwidth model")
        idx = [i for i in range(nrows(cases)) if int(cases["bandwidth"][i]) == bw and i in rows]
        if not idx:
            plot_common.note(ax, "no points")
            continue
        r = [rows[i] for i in idx]
        ratio = points["dp_cycles"][r] / np.maximum(points["search_cycles"][r], 1)
        x, tilt = np.arange(len(idx)), len(idx) > 4
        ax.bar(x - 0.2, ratio, 0.4, color="tab:blue", label="dp (Algorithm 1)")
        ax.bar(x + 0.2, np.ones(len(idx)), 0.4, color="0.6", label="search")
        for xi, v in zip(x, ratio):
            ax.text(xi - 0.2, v, f"{v:.3f}", ha="center", va="bottom", fontsize=8)
        kinds = [points["search_kind"][j] for j in r]  # "random N" says how many samples were tried
        ax.set_xticks(x, [f"{case_label(cases, i)}\n{k}" + (f" {int(points['search_samples'][j])}"
                                                             if k == "random" else "")
                          for i, j, k in zip(idx, r, kinds)],
                      fontsize=8, rotation=30 if tilt else 0, ha="right" if tilt else "center")
        ax.axhline(1.0, color="0.3", linewidth=0.8, linestyle="--")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8, loc="upper center", ncol=2)
        top = max(top, float(np.max(ratio)) * 1.25)
    axes[0].set_ylim(0, top)
    axes[0].set_ylabel("cycles / search cycles")
    return fig


def draw_lines(cases, points, xcol, ycol, series, known, xlabel, ylabel):
    """One panel per workload (and interconnect topology, when the cases name one): y (points)
    against x (cases), a line per series; -1 skipped."""
    topo = [str(t) for t in cases.get("topology", [""] * nrows(cases))]
    panel = np.array([f"{w} {t}".strip() for w, t in zip(cases["workload"], topo)], dtype=object)
    works = list(dict.fromkeys(panel))
    fig, axes = grid(len(works))
    if not works:
        plot_common.note(axes[0], "no cases")
    names = ordered(points[series], known)
    case = points["case"].astype(int)
    valid = (case >= 0) & (case < nrows(cases)) & (points[ycol] > 0)
    work = np.array([panel[c] if v else "" for c, v in zip(case, valid)], dtype=object)
    label = np.array(points[series], dtype=object)
    for ax, w in zip(axes, works):
        ax.set_title(w)
        for k, s in enumerate(names):
            sel = valid & (work == w) & (label == s)
            x, y = cases[xcol][case[sel]].astype(float), points[ycol][sel].astype(float)
            if len(x):
                o = np.argsort(x)
                ax.plot(x[o], y[o], marker="osD^vP*X"[k % 8], color=f"C{k % 10}", label=s)
        if not ax.lines:
            plot_common.note(ax, "no points")
            continue
        ax.set_xscale("log", base=2)
        logy(ax)
        ax.set_xticks(sorted({v for ln in ax.lines for v in ln.get_xdata()}))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set(xlabel=xlabel, ylabel=ylabel)
        ax.grid(which="both", alpha=0.3)
        ax.legend(fontsize=8)
    return fig


def draw_bandwidth(f, cases, points):
    fig, ax = plt.subplots(figsize=(10, 5.5))
    multi = len(set(cases["workload"])) > 1
    # The DP's allocation does not depend on the topology: the first one's cases suffice.
    topo = [str(t) for t in cases.get("topology", [""] * nrows(cases))]
    for i in np.argsort(cases["scale"], kind="stable"):
        if topo[i] != topo[0]:
            continue
        sel = (points["case"] == i) & (points["wo_ho_over_r"] > 0)
        o = np.argsort(points["layer"][sel])
        lab = f"x{cases['scale'][i]:g}"
        if sel.any():
            ax.plot(points["layer"][sel][o] + 1, points["wo_ho_over_r"][sel][o], marker="o", ms=3,
                    label=f"{cases['workload'][i]} {lab}" if multi else lab)
    if not ax.lines:
        plot_common.note(ax, "no points")
        return fig
    logy(ax)
    ax.set(xlabel="fused layer (1-based)", ylabel="Wo·Ho / R",
           title="" if multi else case_label(cases, 0))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(which="both", alpha=0.3)
    ax.legend(title="scale", fontsize=8)
    return fig


def grouped(ax, cases, groups, horizontal):
    """Bars per case, one per (label, values over cases); values <= 0 or nan are left out."""
    n, h = nrows(cases), 0.8 / max(len(groups), 1)
    pos = np.arange(n)
    for j, (lab, vals) in enumerate(groups):
        vals, p = np.asarray(vals, dtype=float), pos - 0.4 + h * (j + 0.5)
        ok = np.isfinite(vals) & (vals > 0)
        (ax.barh if horizontal else ax.bar)(p[ok], vals[ok], h, label=lab,
                                            color="0.55" if lab == "paper" else None)
        if horizontal:
            for pi, v in zip(p[ok], vals[ok]):
                ax.text(v, pi, f" {v:.3g} s", va="center", fontsize=7)
    labels = [case_label(cases, i) for i in range(n)]
    if horizontal:
        ax.set_yticks(pos, labels, fontsize=8)
        ax.set_ylim(n - 0.5, -0.5)  # first case at top
    else:
        tilt = n > 4
        ax.set_xticks(pos, labels, fontsize=8, rotation=30 if tilt else 0,
                      ha="right" if tilt else "center")
    return pos


def draw_solver_runtime(f, cases, points):
    secs = per_case(cases, points, "variant", "seconds")
    groups = [(v, secs[v]) for v in ordered(list(secs), ["alg1", "alg1+bandwidth", "exact"])]
    groups.append(("paper", cases.get("paper_seconds", np.full(nrows(cases), np.nan))))
    fig, ax = plt.subplots(figsize=(11, 1.0 + 0.35 * nrows(cases) * len(groups)))
    grouped(ax, cases, groups, True)
    ax.set_xscale("log")
    ax.set_xlabel("solver time (s)")
    ax.margins(x=0.15)
    ax.grid(axis="x", which="both", alpha=0.3)
    ax.legend(**OUTSIDE)
    return fig


def draw_dp_objective(f, cases, points):
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * nrows(cases) + 2), 5.5))
    steps = per_case(cases, points, "objective", "sim_steps")
    alg1, exact = (steps.get(o, np.full(nrows(cases), np.nan)) for o in ("alg1", "exact"))
    if not np.any((alg1 > 0) | (exact > 0)):
        plot_common.note(ax, "no points")
        return fig
    pos = grouped(ax, cases, [("alg1 objective", alg1), ("exact objective", exact)], False)
    for p, a, e in zip(pos, alg1, exact):
        if a > 0 and e > 0:
            ax.text(p, max(a, e), f"{100 * (a - e) / e:+.2f} %", ha="center", va="bottom", fontsize=8)
    ax.set(title="simulated steps; above each case: (alg1 - exact) / exact", ylabel="simulated steps")
    ax.margins(y=0.1)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(**OUTSIDE)
    return fig


DATAFLOW_SCHEMES = ["ws-ws", "is-is", "ws-is", "is-ws", "hybrid"]


def draw_dataflows(f, cases, points):
    fig, axes = grid(2, 7.0, 4.2)
    n = nrows(cases)
    pos, h = np.arange(n), 0.8 / len(DATAFLOW_SCHEMES)
    for ax, col, label in ((axes[0], "sim_cycles", "simulated inference cycles"),
                           (axes[1], "energy_j", "simulated energy per inference (J)")):
        values = per_case(cases, points, "scheme", col)
        for j, s in enumerate(DATAFLOW_SCHEMES):
            if s in values:
                ax.bar(pos - 0.4 + h * (j + 0.5), values[s], h, label=s)
        ax.set_xticks(pos, [f"{w}\n{int(x)} crossbars" for w, x in
                            zip(cases["workload"], cases["crossbars"])], fontsize=7)
        ax.set(ylabel=label)
        logy(ax)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize=7)
    return fig


OU_SHARING = ["off", "share", "prune"]


def draw_ou_sharing(f, cases, points):
    fig, axes = grid(2, 7.0, 4.2)
    nets = list(cases["workload"])
    ous = list(dict.fromkeys(points["ou"]))
    labels = [f"{w}\n{o}" for w in nets for o in ous]
    pos, h = np.arange(len(labels)), 0.8 / len(OU_SHARING)
    for ax, col, label, log in ((axes[0], "sim_cycles", "simulated inference cycles", True),
                                (axes[1], "compression", "compression (x)", False)):
        for j, sh in enumerate(OU_SHARING):
            y = np.full(len(labels), np.nan)
            for c, o, s_, v in zip(points["case"], points["ou"], points["sharing"], points[col]):
                if s_ == sh:
                    y[int(c) * len(ous) + ous.index(o)] = v
            ax.bar(pos - 0.4 + h * (j + 0.5), y, h, label=sh)
        ax.set_xticks(pos, labels, fontsize=7)
        ax.set(ylabel=label)
        if log:
            logy(ax)
        else:
            ax.axhline(1.0, color="k", linewidth=0.8)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize=7)
    return fig


ARAS_VARIANTS = ["baseline", "bank-selection", "replication", "reuse"]
ARAS_PARTS = (("write_norm", "ReRAM writing"), ("static_norm", "static"),
              ("compute_norm", "computing"), ("main_memory_norm", "main memory"))


def draw_aras(f, cases, points):
    s = table(f, "summary", ("workload", "variant"), optional=True)
    fig, axes = grid(6, 6.0, 4.0)
    if s is None or nrows(s) == 0:
        for ax in axes:
            plot_common.note(ax, "no summary yet (incomplete run)")
        return fig
    nets = list(dict.fromkeys(s["workload"]))
    idx = {(w, v): i for i, (w, v) in enumerate(zip(s["workload"], s["variant"]))}
    pos, h = np.arange(len(nets)), 0.8 / len(ARAS_VARIANTS)

    def values(v, col):
        return np.array([s[col][idx[(w, v)]] if (w, v) in idx else np.nan for w in nets])

    def bars(ax, col, title, ylabel, log=False):
        for j, v in enumerate(ARAS_VARIANTS):
            ax.bar(pos - 0.4 + h * (j + 0.5), values(v, col), h, label=v)
        ax.set_xticks(pos, nets, fontsize=8, rotation=20, ha="right")
        ax.set(title=title, ylabel=ylabel)
        if log:
            logy(ax)
        ax.grid(axis="y", alpha=0.3)

    bars(axes[0], "pulses_norm", "a) write pulses / baseline (Fig. 13)", "normalised pulses")
    axes[0].set_ylim(0, 1.3)
    axes[0].legend(fontsize=7, ncol=2, loc="upper center")
    bars(axes[1], "speedup", "b) speedup over baseline, steady state; x: first inference (Fig. 14)",
         "speedup")
    axes[1].title.set_fontsize(9)
    if "first_speedup" in s:
        for j, v in enumerate(ARAS_VARIANTS):
            axes[1].plot(pos - 0.4 + h * (j + 0.5), values(v, "first_speedup"), "kx", markersize=5)
    ax = axes[2]
    colours = ["tab:red", "tab:blue", "tab:green", "tab:gray"]
    for j, v in enumerate(ARAS_VARIANTS):
        bottom = np.zeros(len(nets))
        for (col, lab), colour in zip(ARAS_PARTS, colours):
            y = np.nan_to_num(values(v, col))
            ax.bar(pos - 0.4 + h * (j + 0.5), y, h, bottom=bottom, color=colour,
                   label=lab if j == 0 else None, edgecolor="white", linewidth=0.3)
            bottom += y
    ax.set_xticks(pos, nets, fontsize=8, rotation=20, ha="right")
    ax.set(title="c) energy / baseline, bars: " + ", ".join(ARAS_VARIANTS) + " (Fig. 15)",
           ylabel="normalised energy")
    ax.title.set_fontsize(8)
    ax.legend(fontsize=7)
    bars(axes[3], "fraction_of_upper_bound", "d) fraction of the upper bound", "fraction")
    bars(axes[4], "lifespan_real_time_years", "e) lifespan at real time, 1e12 cycles (Table IV)",
         "years", log=True)
    ax = axes[5]
    for j, (col, lab) in enumerate((("reference_speedup", "speedup"),
                                    ("reference_energy", "energy ratio"))):
        ax.bar(pos - 0.2 + 0.4 * j, values("reuse", col), 0.4, label=lab)
    ax.axhline(1.0, color="k", linewidth=0.8)
    ax.axhline(0.67, color="tab:red", linestyle="--", linewidth=0.8, label="paper: energy 0.67")
    ax.set_xticks(pos, nets, fontsize=8, rotation=20, ha="right")
    ax.set(title="f) all optimisations vs the TPU-like array (Figs. 16, 17)", ylabel="ratio")
    logy(ax)
    ax.legend(fontsize=7)
    return fig


KINDS = {  # kind: (draw function, /cases extras, /points columns)
    "model-accuracy": (draw_model_accuracy, (), ("alg1_steps", "exact_lag0_steps")),
    "optimality": (draw_optimality, ("bandwidth",),
                   ("dp_cycles", "search_cycles", "search_kind", "search_samples")),
    "heuristics": (lambda f, c, p: draw_lines(c, p, "crossbars", "steps", "allocator",
                                              ["dp", "wo-ho", "sc2", "identical"],
                                              "crossbars", "steps"), (), ("allocator", "steps")),
    "isaac": (lambda f, c, p: draw_lines(c, p, "tiles", "sim_cycles", "variant",
                                         ["dp-bandwidth", "dp-no-bandwidth", "isaac-sc2",
                                          "dp-exact-bandwidth"],
                                         "tiles", "simulated inference time (cycles)"),
              ("tiles",), ("variant", "sim_cycles")),
    "bandwidth": (draw_bandwidth, ("scale",), ("layer", "wo_ho_over_r")),
    "solver-runtime": (draw_solver_runtime, (), ("variant", "seconds")),
    "dp-objective": (draw_dp_objective, (), ("objective", "sim_steps")),
    "aras": (draw_aras, (), ("variant",)),
    "dataflows": (draw_dataflows, (), ("scheme", "sim_cycles", "energy_j")),
    "ou-sharing": (draw_ou_sharing, (), ("ou", "sharing", "sim_cycles", "compression")),
}


def plot(f):
    kind = plot_common.text(f.attrs.get("kind", ""))
    if kind not in KINDS:
        raise plot_common.PlotError(f"{f.filename}: unknown experiment kind '{kind}' "
                                    f"(known: {', '.join(KINDS)})")
    draw, case_cols, point_cols = KINDS[kind]
    cases = table(f, "cases", ("workload", "crossbars", "xbar") + case_cols)
    points = table(f, "points", ("case",) + point_cols)
    fig = draw(f, cases, points)
    a = f.attrs
    paper = plot_common.text(a.get("paper", ""))
    title = (plot_common.text(a.get("experiment", kind)) + (f" — paper {paper}" if paper else "")
             + ("" if int(a.get("complete", 1)) else " (incomplete)"))
    info = [f"kind {kind}", f"{nrows(cases)} cases, {nrows(points)} points"]
    info += [f"seed {int(a['seed'])}"] if "seed" in a else []
    info += [f"wall {float(a['wall_s']):.1f} s"] if "wall_s" in a else []
    fig.suptitle(title + "\n" + ", ".join(info), fontsize=12)
    fig.tight_layout()
    return fig


def main(argv=None):
    return plot_common.run_cli(__doc__, "plot_validation", "EXP.h5",
                               "xbarsim validation-experiment file",
                               "xbarsim-experiment", "experiment", plot, argv)


if __name__ == "__main__":
    sys.exit(main())
