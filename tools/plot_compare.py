#!/usr/bin/python3
"""Plot two xbarsim run files side by side (what `xbarsim compare` draws).

Panels: every layer's last cycle in A and B (layers matched by name, in A's
order); every layer's energy; and B/A for the totals both runs have (cycles,
energy, programming, messages).  --panel NAME (layers, energy, totals) draws one
alone, one column of a paper wide.  Errors print one line and exit 2.

Example:
  /usr/bin/python3 tools/plot_compare.py out/dp.h5 out/alg1.h5 -o dp-vs-alg1.pdf
"""

import sys

import matplotlib

matplotlib.use("Agg")  # no display on build machines
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import plot_common  # noqa: E402

TOTALS = ["cycles", "energy_j", "steps", "programming_cycles", "programming_energy_j",
          "messages", "crossbar_mvms"]
MAX_LABELS = 40  # layer names shown on the x axis; every k-th beyond


def layers(f):
    names = [plot_common.text(n) for n in f["sim/layers/name"][()]]
    end = f["sim/layers/last_cycle"][()].astype(float)
    energy = f["sim/layers/energy_j"][()].astype(float)
    return {n: (e, j) for n, e, j in zip(names, end, energy)}, names


def label(f, tag):
    a = lambda g, k: plot_common.text(f[g].attrs.get(k, "?")) if g in f else "?"  # noqa: E731
    return f"{tag}: {a('meta', 'allocator')}, {a('sim', 'mode')}, {a('sim/noc', 'topology')}"


def per_layer(ax, fa, fb, which, ylabel):
    la, order = layers(fa)
    lb, order_b = layers(fb)
    names = order + [n for n in order_b if n not in la]
    x = np.arange(len(names))
    nan = float("nan")
    ya = [la[n][which] if n in la else nan for n in names]
    yb = [lb[n][which] if n in lb else nan for n in names]
    ax.plot(x, ya, marker="o", markersize=3, label=label(fa, "A"))
    ax.plot(x, yb, marker="s", markersize=3, label=label(fb, "B"))
    step = max(1, (len(names) + MAX_LABELS - 1) // MAX_LABELS)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(names[::step], rotation=60, ha="right", fontsize="x-small")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")


def totals(ax, fa, fb):
    names, ratios = [], []
    for k in TOTALS:
        a, b = fa["sim"].attrs.get(k), fb["sim"].attrs.get(k)
        if a is None or b is None or float(a) == 0:
            continue
        names.append(k)
        ratios.append(float(b) / float(a))
    if not names:
        plot_common.note(ax, "no totals in common")
        return
    y = np.arange(len(names))
    ax.barh(y, ratios, color=["tab:green" if r <= 1 else "tab:red" for r in ratios])
    ax.axvline(1.0, color="0.3", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    for yi, r in zip(y, ratios):
        ax.text(r, yi, f" {r:.3g}", va="center", fontsize="small")
    ax.set_xlabel("B / A")


PANELS = {
    "layers": lambda ax, fa, fb: per_layer(ax, fa, fb, 0, "last cycle of the layer"),
    "energy": lambda ax, fa, fb: per_layer(ax, fa, fb, 1, "energy of the layer (J)"),
    "totals": totals,
}


def title(fa, fb):
    m = lambda f, k: plot_common.text(f["meta"].attrs.get(k, "?"))  # noqa: E731
    return (f"A: {m(fa, 'workload')} on {m(fa, 'arch')}   vs   "
            f"B: {m(fb, 'workload')} on {m(fb, 'arch')}")


def plot(fa, fb, panel=None):
    if panel:
        return plot_common.column_figure(plt, lambda ax, fig: PANELS[panel](ax, fa, fb),
                                         title(fa, fb))
    fig, axes = plt.subplots(1, 3, figsize=(19, 5.5), gridspec_kw={"width_ratios": [2, 2, 1.2]})
    for ax, draw in zip(axes, PANELS.values()):
        draw(ax, fa, fb)
    fig.suptitle(title(fa, fb), fontsize=11)
    fig.tight_layout()
    return fig


def main(argv=None):
    return plot_common.run_cli(__doc__, "plot_compare", ("A.h5", "B.h5"), "xbarsim run file",
                               "xbarsim-run", "run", plot, argv, version=5, panels=list(PANELS))


if __name__ == "__main__":
    sys.exit(main())
