"""`manual-ae notebooks [--out DIR] [--execute]`: every walkthrough (scripts/learn_*.py, the warm-up,
and scripts/post*.py, one per post case; jupytext's percent format) written as a Jupyter notebook.

With `--execute` each notebook runs top to bottom in a real Jupyter kernel (nbclient) at quick
settings, its outputs and figures kept, so a teacher can hand out executed notebooks: the one
`QUICK = False` cell is set to `QUICK = True` first, and says so. Runs go to DIR/runs. Opened by
hand, a notebook runs the post's full settings until that cell is changed.
"""
import glob
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK_CELL = "QUICK = False"
QUICK_SET = "QUICK = True  # set by `manual-ae notebooks --execute`: seconds-long runs, not the post's numbers"
REPLAY_SET = ('QUICK = "replay"  # set by `manual-ae site`: nothing trains here; the committed reference run '
              "(logs/, docs/figures/) is shown where training would run")


def _need(module):
    """Import `module`, or say which install brings it (a one-line error, exit 2)."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ValueError(f"`manual-ae notebooks` needs {module}: pip install -e '.[notebooks]' "
                         "(jupytext, nbformat, nbclient, ipykernel)") from None


def walkthroughs(names=None):
    """The walkthrough scripts of a checkout (the warm-up, then scripts/post*.py), all or those whose name
    contains one of `names`."""
    paths = (sorted(glob.glob(os.path.join(ROOT, "scripts", "learn_*.py")))       # the warm-up first
             + sorted(glob.glob(os.path.join(ROOT, "scripts", "post*.py"))))
    if not paths:
        raise ValueError(f"no walkthroughs in {os.path.join(ROOT, 'scripts')}: `manual-ae notebooks` works in a "
                         "checkout of the repository (pip install -e .)")
    if names:
        chosen = [p for p in paths if any(n in os.path.basename(p) for n in names)]
        if not chosen:
            raise ValueError(f"no walkthrough matches {', '.join(names)}; choose from: "
                             + ", ".join(os.path.basename(p)[:-3] for p in paths))
        paths = chosen
    return paths


def to_notebook(path, quick=False):
    """The notebook of one walkthrough; with `quick` its QUICK cell set to True (to "replay" with
    quick="replay": the course website's notebooks, which show the committed reference runs)."""
    nb = _need("jupytext").read(path)
    if quick:
        cells = [c for c in nb.cells if c.cell_type == "code" and c.source.strip() == QUICK_CELL]
        if len(cells) > 1 or (not cells and not os.path.basename(path).startswith("learn_")):
            raise ValueError(f"{os.path.basename(path)}: expected one code cell `{QUICK_CELL}`, found {len(cells)}")
        for cell in cells:            # (the warm-up has none: it runs in seconds as it is)
            cell.source = REPLAY_SET if quick == "replay" else QUICK_SET
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def execute(nb, cwd, timeout=900):
    """Run every cell in a fresh python3 kernel started in `cwd`; raises nbclient's CellExecutionError
    (the notebook keeps its outputs up to the failing cell)."""
    _need("ipykernel")
    _need("nbclient").NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": cwd}},
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    return nb


def main(out="notebooks", run=False, names=None, timeout=900, log=print):
    """Write the notebooks into `out` (executed with `run`); returns the exit status (manual_ae/errors.py):
    0 when every notebook was written (and ran), else the status of the first that failed (2 bad input,
    3 diverged, 1 any other failure), each failure named on its line."""
    from manual_ae.errors import exit_status
    nbformat = _need("nbformat")
    os.makedirs(out, exist_ok=True)
    worst = 0     # the exit status of the first failure
    for path in walkthroughs(names):
        target = os.path.join(out, os.path.basename(path)[:-3] + ".ipynb")
        nb = to_notebook(path, quick=run)
        t0 = time.perf_counter()
        status = "written"
        if run:
            try:
                execute(nb, os.path.abspath(out), timeout)
                status = f"executed in {time.perf_counter() - t0:.0f} s"
            except Exception as err:             # the notebook is written with the error in it
                code = exit_status(err)
                worst = worst or code
                first = str(err).strip().splitlines()
                status = (f"FAILED (exit {code}) after {time.perf_counter() - t0:.0f} s: "
                          f"{first[-1] if first else err!r}")
        nbformat.write(nb, target)
        log(f"{target}: {status}")
    return worst


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
