#!/usr/bin/python3
"""Plot an xbarsim sweep file (HDF5, format xbarsim-sweep) as overlaid lines.

One panel per figure the sweep collected; the x axis is the sweep's plot x (its
first axis unless the sweep names another), numeric when every value is a number,
categories otherwise; one line per combination of the other axes' values. Failed
points are left out and counted in the panel's title.  --panel FIGURE draws one
figure alone, one column of a paper wide.  Errors print one line and exit 2.

Example:
  /usr/bin/python3 tools/plot_sweep.py out/tiles.h5 -o tiles.pdf
  /usr/bin/python3 tools/plot_sweep.py out/tiles.h5 --panel cycles -o cycles.svg
"""

import sys

import matplotlib

matplotlib.use("Agg")  # no display on build machines
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import plot_common  # noqa: E402

MARKERS = "os^vD<>ph*"


def read(f):
    axes = [plot_common.text(k) for k in f["axes/key"][()]]
    figures = [plot_common.text(k) for k in f["figures"][()]]
    points = f["points"]
    cols = {}
    for name in axes + ["error"]:
        cols[name] = [plot_common.text(v) for v in np.atleast_1d(points[name][()])]
    for name in figures:
        cols[name] = np.atleast_1d(points[name][()]).astype(float)
    x = plot_common.text(f["plot"].attrs.get("x", axes[0]))
    log_x = bool(f["plot"].attrs.get("log_x", 0))
    return axes, figures, cols, x, log_x


def as_numbers(values):
    try:
        return [float(v) for v in values]
    except ValueError:
        return None


def draw_figure(ax, axes, cols, x, log_x, figure):
    others = [a for a in axes if a != x]
    xs = cols[x]
    numbers = as_numbers(xs)
    categories = list(dict.fromkeys(xs))
    series = {}
    failed = 0
    for i, xv in enumerate(xs):
        y = cols[figure][i]
        if cols["error"][i] or not np.isfinite(y):
            failed += 1
            continue
        key = tuple(cols[a][i] for a in others)
        pos = numbers[i] if numbers is not None else categories.index(xv)
        series.setdefault(key, []).append((pos, y))
    if not series:
        plot_common.note(ax, "no point of this figure succeeded")
        return
    for n, (key, pts) in enumerate(series.items()):
        pts.sort()
        label = ", ".join(f"{a}={v}" for a, v in zip(others, key)) or figure
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=MARKERS[n % len(MARKERS)],
                markersize=4, label=label)
    if numbers is None:
        ax.set_xticks(range(len(categories)))
        ax.set_xticklabels(categories, rotation=30 if len(categories) > 4 else 0, ha="right"
                           if len(categories) > 4 else "center")
    else:
        if log_x:
            ax.set_xscale("log")
        ticks = sorted(set(numbers))
        if len(ticks) <= 12:  # label the swept values themselves, not the scale's decades
            ax.set_xticks(ticks)
            ax.set_xticklabels([f"{t:g}" for t in ticks])
            ax.minorticks_off()
    ax.set_xlabel(x)
    ax.set_ylabel(figure)
    ax.grid(alpha=0.3)
    if others:
        ax.legend(fontsize="small")
    if failed:
        ax.set_title(f"{failed} failed point(s) not drawn", fontsize="small")


def title(f):
    name = plot_common.text(f.attrs.get("name", "sweep"))
    command = plot_common.text(f.attrs.get("command", "?"))
    fixed = ", ".join(plot_common.text(s) for s in f["set"][()]) if "set" in f else ""
    incomplete = "" if int(f.attrs.get("complete", 1)) else " (incomplete)"
    return f"sweep {name}: xbarsim {command}" + (f" ({fixed})" if fixed else "") + incomplete


def plot(f, panel=None):
    axes, figures, cols, x, log_x = read(f)
    if panel:
        if panel not in figures:
            raise plot_common.PlotError(
                f"panel '{panel}' is not a figure of this sweep (its figures: "
                f"{', '.join(figures)})")
        return plot_common.column_figure(
            plt, lambda ax, fig: draw_figure(ax, axes, cols, x, log_x, panel), title(f))
    n = len(figures)
    ncols = 1 if n == 1 else 2
    nrows = (n + ncols - 1) // ncols
    fig, grid = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, 4.2 * nrows), squeeze=False)
    for i, figure in enumerate(figures):
        draw_figure(grid[i // ncols][i % ncols], axes, cols, x, log_x, figure)
    for j in range(n, nrows * ncols):
        grid[j // ncols][j % ncols].axis("off")
    fig.suptitle(title(f), fontsize=11)
    fig.tight_layout()
    return fig


def main(argv=None):
    # --panel takes a figure's name, which only the file knows: any name passes argparse.
    return plot_common.run_cli(__doc__, "plot_sweep", "SWEEP.h5", "xbarsim sweep file",
                               "xbarsim-sweep", "sweep", plot, argv, panels=True)


if __name__ == "__main__":
    sys.exit(main())
