"""Pieces shared by tools/plot_run.py and tools/plot_validation.py; not a script itself.

It leaves matplotlib alone (no backend choice, no pyplot) so that each script
still picks the Agg backend before pyplot is first imported.
"""

import argparse
import os
import sys
import tempfile

import h5py
import numpy as np


class PlotError(Exception):
    """A problem with the input that deserves one clear line, not a traceback."""


def text(v):
    """h5py returns strings as bytes or str depending on how they were written."""
    if isinstance(v, np.ndarray) and v.shape == ():
        v = v[()]
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def note(ax, msg):
    """Annotate an empty panel instead of drawing it."""
    ax.text(0.5, 0.5, msg, ha="center", va="center", transform=ax.transAxes,
            fontsize=12, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])


def open_h5(path, fmt, kind_of_file, prog, version=1):
    """Open `path` read-only if its root attribute format is `fmt`; PlotError otherwise."""
    if not os.path.isfile(path):
        raise PlotError(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError:
        raise PlotError(f"{path}: not an HDF5 file") from None
    if text(f.attrs.get("format", "")) != fmt:
        f.close()
        raise PlotError(f"{path}: not an xbarsim {kind_of_file} file "
                        f"(root attribute format != '{fmt}')")
    ver = f.attrs.get("format_version")
    if ver is not None and int(ver) != version:
        print(f"{prog}: warning: format_version {ver}, expected {version}; trying anyway",
              file=sys.stderr)
    return f


FORMATS = (".png", ".pdf", ".svg")
COLUMN_WIDTH_IN = 3.4  # one column of a two-column paper (IEEE, ACM) is 3.3-3.5 in
COLUMN_FONT = {"font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8, "xtick.labelsize": 7,
               "ytick.labelsize": 7, "legend.fontsize": 7}


def column_figure(plt, draw, title, height=2.8):
    """One panel alone, one column of a paper wide with 7-8 pt fonts: draw(ax, fig) fills it,
    `title` goes above. `plt` is the caller's pyplot (this module does not import it)."""
    with plt.rc_context(COLUMN_FONT):
        fig, ax = plt.subplots(figsize=(COLUMN_WIDTH_IN, height))
        draw(ax, fig)
        ax.set_title(ax.get_title(), fontsize=7, wrap=True)
        fig.suptitle(title, fontsize=8, wrap=True)
        fig.tight_layout()
    return fig


def save_atomic(fig, out, dpi, prog):
    """Write to a temporary file next to `out`, then rename, so readers never see half a file.
    The format follows the extension (PNG, PDF or SVG)."""
    ext = os.path.splitext(out)[1].lower()
    d = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=f".{prog}-", suffix=ext, dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format=ext[1:], dpi=dpi)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run_cli(doc, prog, input_metavar, input_help, fmt, kind_of_file, draw, argv=None, version=1,
            panels=None):
    """The whole command line of a plotting script; returns its exit status.

    `doc` is the script's docstring (first paragraph: description, rest: epilog),
    `prog` prefixes its messages, and the file checked by open_h5(path, fmt,
    kind_of_file, prog, version) is passed to draw(h5file), which returns the figure.
    A tuple `input_metavar` takes one input file per name and calls draw(h5file, ...).
    With `panels` (names, or True for names only the file knows), --panel NAME calls
    draw(h5files..., panel=NAME) for that panel alone, one column wide with fonts of 7-8 pt.
    """
    names = input_metavar if isinstance(input_metavar, tuple) else (input_metavar,)
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                 epilog=doc.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    for i, name in enumerate(names):
        ap.add_argument(f"input{i}", metavar=name, help=input_help)
    ap.add_argument("-o", "--output", metavar="OUT.png",
                    help="output file, PNG, PDF or SVG by its extension (default: "
                         f"{os.path.splitext(names[0])[0]} with the extension replaced by "
                         ".png)")
    ap.add_argument("--dpi", type=int, default=150, help="resolution of a PNG (default 150)")
    if panels:
        ap.add_argument("--panel", choices=None if panels is True else panels,
                        help="draw this panel alone, one column of a paper wide "
                             f"({COLUMN_WIDTH_IN} in) with 7-8 pt fonts")
    args = ap.parse_args(argv)
    inputs = [getattr(args, f"input{i}") for i in range(len(names))]
    out = args.output or os.path.splitext(inputs[0])[0] + ".png"
    if os.path.splitext(out)[1].lower() not in FORMATS:
        ap.error(f"--output must end in {', '.join(FORMATS)} (the format follows it), got '{out}'")
    if args.dpi <= 0:
        ap.error("--dpi must be positive")
    if not os.path.isdir(os.path.dirname(os.path.abspath(out))):
        print(f"{prog}: error: {out}: output directory does not exist", file=sys.stderr)
        return 2
    current = inputs[0]
    try:
        files = []
        try:
            for current in inputs:
                files.append(open_h5(current, fmt, kind_of_file, prog, version))
            current = inputs[0]
            panel = getattr(args, "panel", None)
            fig = draw(*files, panel=panel) if panel else draw(*files)
        finally:
            for f in files:
                f.close()
        save_atomic(fig, out, args.dpi, prog)
    except PlotError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except (OSError, KeyError, ValueError, TypeError, IndexError) as e:
        # A damaged or inconsistent file (or an unwritable output): one line, no traceback.
        print(f"{prog}: error: {current}: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print(out)
    return 0
