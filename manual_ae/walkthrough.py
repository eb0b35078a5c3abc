"""What the walkthroughs (scripts/post*.py) call to show each step of a post: its data, its model's
weight dictionary, one real training step forward and backward, its gradient check, its training
and its results. The scripts carry the story; the mechanics live here, and everything shown is run,
not described.

Every walkthrough is one file in jupytext's percent format: `python scripts/<case>.py [flags]`
runs it as a script (text and files; figures written to the run folder), and Jupyter, VS Code or
Colab open it as a notebook (the same, with figures inline and one log line per epoch). In a
notebook the flags are the post's settings, or quick ones where the notebook's `QUICK` cell says so.

    from manual_ae import walkthrough
    args = walkthrough.arguments(__doc__, quick=QUICK)
    case = walkthrough.Walkthrough("stacked", args)
    case.show_data(); case.show_model(); case.show_step(); case.show_gradcheck()
    case.train(); case.show_figures(); case.show_numbers()
"""
import copy
import glob
import json
import os
import sys

import numpy as np

from manual_ae import scripting
from manual_ae.train.runlog import in_notebook

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = {   # a layer's kind -> where docs/ derives its gradient
    "dense": "dense_backprop.md", "dense_act": "dense_backprop.md", "tied_dense": "dense_backprop.md",
    "tied_dense_act": "dense_backprop.md", "sigmoid_bce": "log_loss.md", "bce": "log_loss.md",
    "mse": "dense_backprop.md", "sigmoid": "activations.md",
    "conv2d": "convolution.md", "conv2d_transpose": "convolution.md", "max_pool2d": "convolution.md",
    "conv_act_pool": "convolution.md", "conv_transpose_act": "convolution.md",
    "lstm": "lstm.md", "repeat_vector": "lstm.md", "time_distributed_dense": "lstm.md",
    "eigen_projection": "eigen_projection.md",
    "gaussian_sample": "vae.md", "sigma_sample": "vae.md", "kl_latent": "vae.md", "kl_latent_sigma": "vae.md",
    "kl_sparsity": "sparsity.md", "l1_activity": "sparsity.md",
    "dropout": "noise.md", "gaussian_noise": "noise.md",
    "selu": "activations.md", "elu": "activations.md", "tanh": "activations.md", "atan": "activations.md",
    "relu": "activations.md", "softsign": "activations.md",
}


def arguments(doc, quick=False, extra=None, argv=None):
    """The script's flags. In a terminal: the command line (`--quick` also when QUICK is True). In a
    notebook: the post's settings, or `--quick` when the notebook's QUICK cell says True (a kernel's
    own command line is not the walkthrough's)."""
    if in_notebook():
        argv = ["--quick"] if quick else []
    elif argv is None:
        argv = sys.argv[1:] + (["--quick"] if quick and "--quick" not in sys.argv else [])
    return scripting.parse(doc, argv, extra)


def only_flag(kinds):
    """The `--only KIND` flag of a walkthrough with several variants (pass as `extra` to `arguments`)."""
    return lambda p: p.add_argument("--only", choices=kinds, help="train only this variant")


def variants(prefix, kinds, args):
    """{kind: Walkthrough of case PREFIX-KIND} for the variants `--only` keeps (all in a notebook), each in
    its own run folder: OUT/KIND with --out, else runs/PREFIX-KIND-<time>."""
    chosen = {}
    for kind in kinds:
        if getattr(args, "only", None) in (None, kind):
            own = copy.copy(args)
            own.out = os.path.join(args.out, kind) if args.out else None
            chosen[kind] = Walkthrough(f"{prefix}-{kind}", own)
    return chosen


def show_text(lines):
    """Lines of text, as text in a terminal and as preformatted output in a notebook."""
    print("\n".join(lines) if isinstance(lines, (list, tuple)) else lines)


def show_markdown(text):
    if in_notebook():
        from IPython.display import Markdown, display
        display(Markdown(text))
    else:
        print(text)


def show_image(path):
    """A PNG or GIF: inline in a notebook; its path in a terminal."""
    if in_notebook():
        from IPython.display import Image, display
        display(Image(filename=path))
    else:
        print(f"figure: {path}")


def show_figure(fig, path):
    """A matplotlib figure: saved to `path`, then shown as `show_image` shows files."""
    from manual_ae import figures
    figures.save(fig, path)
    show_image(path)


def markdown_section(path, heading, rows_with=()):
    """The Markdown table under `heading` in a table file of logs/ (the claims tables), keeping only the
    rows that mention one of `rows_with` (all rows if empty)."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read()
    start = text.index(heading)
    block = text[start:].split("\n\n")
    table = next(b for b in block[1:] if b.lstrip().startswith("|")).strip().splitlines()
    keep = table[:2] + [r for r in table[2:] if not rows_with or any(w.lower() in r.lower() for w in rows_with)]
    return "\n".join(keep)


def show_checks(names, models=()):
    """Gradient-check entries `names` as a compact table that fits a notebook (check, gradient, shape,
    vs tape, vs numeric, direction, result), the report's notes and diagnoses under it. `models`: the
    entries to label "model". Returns the failing rows."""
    from manual_ae import gradcheck
    report = []
    rows, failures = gradcheck.run(names, out=report.append)
    named = [(("model " if r.entry in models else "") + r.entry, r) for r in rows]
    width = max(len(n) for n, _ in named) + 2
    pw = max([len(r.param) for r in rows] + [8]) + 2
    rule = "-" * (width + pw + 52)
    lines = [f"{'check':<{width}}{'gradient':<{pw}}{'shape':<12}{'vs tape':>9}{'vs numeric':>12}"
             f"{'direction':>11}  result", rule]
    for name, r in named:
        shape = "x".join(map(str, r.shape)) or "scalar"
        lines.append(f"{name:<{width}}{r.param:<{pw}}{shape:<12}{r.err_tape:>9.1e}{r.err_num:>12.1e}"
                     f"{r.err_dir:>11.1e}  {r.result}")
    rules = [i for i, line in enumerate(report) if line and set(line) == {"-"}]
    lines += [rule] + report[rules[-1] + 1:]           # the notes, the diagnoses, the count
    show_text(report[:2] + [""] + lines)
    return failures


def checked_as(model):
    """The gradient-check entry of a configured model: the case with the same architecture and options
    (`digit-vae --set head=logvar` is checked as `digit-vae-logvar`), else the model's own name."""
    from manual_ae.posts import CASES
    if model.name in CASES and CASES[model.name].model().options == model.options:
        return model.name
    same = [c.name for c in CASES.values() if c.architecture is type(model) and c.model().options == model.options]
    return same[0] if same else model.name


def reference_figures(name):
    """The committed figures of case `name`'s reference run in docs/figures (`NAME.png` or `NAME_*.png`,
    with `_` for `-`; post 000's `X_*.png` for eigen-X), PNG only; not those of a longer name (stacked's
    are not stacked-mnist's)."""
    from manual_ae.posts import CASES
    folder = os.path.join(ROOT, "docs", "figures")
    if name.startswith("eigen-"):
        return sorted(glob.glob(os.path.join(folder, "post000", f"{name[-1]}_*.png")))

    def stem_of(n):
        return lambda stem: stem == n or stem.startswith(n + "_")
    mine = [stem_of(n) for n in {name, name.replace("-", "_")}]
    longer = [stem_of(n) for other in list(CASES) + ["stacked-mnist"] if other.startswith(name + "-")
              for n in {other, other.replace("-", "_")}]
    paths = glob.glob(os.path.join(folder, "*.png")) + glob.glob(os.path.join(folder, "post00[1-4]", "*.png"))
    stems = {p: os.path.basename(p)[:-4] for p in paths}
    return sorted(p for p, stem in stems.items()
                  if any(m(stem) for m in mine) and not any(m(stem) for m in longer))


def reference_run(name, path=None):
    """The committed reference run of case `name` at the post's settings (logs/**/NAME.metrics.json,
    seed 42 where there are several; or the metrics file `path`), or None."""
    if path:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            return json.load(f) | {"path": path}
    candidates = [p for p in glob.glob(os.path.join(ROOT, "logs", "**", f"{name}*.metrics.json"), recursive=True)
                  if os.path.basename(p).split(".metrics")[0] in (name, f"{name}-seed42", f"{name}-42")]
    if not candidates:
        return None
    return reference_run(name, os.path.relpath(min(candidates, key=len), ROOT))


def friendly(method):
    """Bad input (a flag, a data file, a re-used run folder) ends a script with the one-line error
    `manual-ae train` gives (exit 2); a notebook shows the exception as it is."""
    import functools

    @functools.wraps(method)
    def run(*args, **kwargs):
        from manual_ae.data import DataError
        from manual_ae.train import ResumeError, RunExistsError
        try:
            return method(*args, **kwargs)
        except (DataError, ResumeError, RunExistsError, ValueError) as err:
            if in_notebook():
                raise
            print(f"error: {err}", file=sys.stderr)
            raise SystemExit(2) from None
    return run


class Walkthrough:
    """One case of a post, step by step, with the script's flags `args`.

    The run folder is chosen (and checked: a folder holding a run is refused unless --resume or
    --overwrite) before anything is shown, so the walkthrough's own figures go beside the run's."""

    @friendly
    def __init__(self, name, args, **overrides):
        from manual_ae.posts import Pipeline, get_case
        from manual_ae.train.run import default_out
        from manual_ae.train.trainer import claim_output_folder
        self.name, self.args, self.overrides = name, args, overrides
        self.case = get_case(name)
        self.pipeline = isinstance(self.case, Pipeline)
        args.out = args.out or default_out(name)
        self.out = args.out
        self.config = scripting.config(name, args, **overrides)
        claim_output_folder(self.out, self.config.resume, self.config.overwrite)
        self.config = self.config.replace(overwrite=False)      # cleared above, if asked
        self.models()                                          # a bad --set fails here, in one line
        os.makedirs(self.out, exist_ok=True)
        self.result, self._data = None, None

    # ------------------------------------------------------------------ 2. the data
    @friendly
    def data(self):
        """The data set exactly as training will see it (the post's split, quick subsets, recipes)."""
        if self._data is None:
            from manual_ae.train.run import load_data
            data, self.epochs = load_data(self.case, self.config)
            if getattr(self.case, "prepare", None) is not None:
                _, data_options = self.case.split_options(self.config.options)
                data = self.case.prepare(data, self.config.seed, **data_options)
            self._data = data
        return self._data

    def models(self):
        if self.pipeline:
            return [stage.model() for stage in self.case.stages]
        model_options, _ = self.case.split_options(self.config.options)
        return [self.case.model(**model_options)]

    def show_data(self, n=10):
        """Where the data came from, its split, and the first `n` training examples as a figure."""
        from manual_ae import figures
        data = self.data()
        show_text([data.describe()] + list(data.notes))
        x = np.asarray(data.x_train[:n])
        if x.ndim == 2 and x.shape[1] == 3:                      # points in 3-D
            fig = figures.points_3d_figure(np.asarray(data.x_train), title=f"{data.name}: training points")
        else:                                                    # 28x28 images, flat or not
            fig = figures.image_grid(x, 1, title=f"{data.name}: the first {n} training images")
        show_figure(fig, os.path.join(self.out, "data_samples.png"))
        return data

    # ------------------------------------------------------------------ 3. the model
    def show_model(self):
        """The weight dictionary as Keras's summary shows a model: layer, output shape, parameters."""
        from manual_ae import summary
        for model in self.models():
            show_text(summary.table(model))
        return self.models()

    def show_weights(self):
        """The weight dictionary itself: each name with its shape and how it is drawn."""
        for model in self.models():
            if self.pipeline:
                show_text(f"-- stage {model.name}")
            w = model.init_weights(np.random.default_rng(self.config.seed), np.float32)
            show_text([f"{k:<20} {str(v.shape):<16} {v.size:>9,}  mean {v.mean():+.4f}  std {v.std():.4f}"
                       for k, v in w.items()])

    def show_step(self):
        """One training step on the first real batch: each layer's forward call with what it returns,
        beside the backward call that undoes it with the gradients it returns."""
        from manual_ae import trace
        from manual_ae.train.trainer import flatten_for
        data = self.data()
        for model in self.models():
            if self.pipeline:
                show_text(f"-- stage {model.name}")
            if int(np.prod(model.input_shape)) == int(np.prod(np.shape(data.x_train)[1:])):
                x = flatten_for(model, data.x_train[:self.case.batch_size])
            else:       # a stage that reads another stage's codes (greedy AE2): its check batch stands in
                show_text(f"(the input of {model.name} is the previous stage's codes, known only after that stage "
                          "trains: a batch of stand-in values of that shape here)")
                x = np.asarray(model.gradcheck_input(np.random.default_rng(0), self.case.batch_size), np.float32)
            w = model.init_weights(np.random.default_rng(self.config.seed), np.float32)
            show_text(trace.step_table(model, w, x))

    def show_projection(self):
        """Each eigenvector projection of the model (layers.eigen_projection_*) on the first real batch at
        the initial weights, as `show_step` runs it: the eigenvalues of the batch covariance, the basis V,
        and the gradient it passes down split into its two terms (docs/eigen_projection.md)."""
        from manual_ae import trace
        from manual_ae.train.trainer import flatten_for

        def distances(a):
            return np.linalg.norm(a[:, None] - a[None], axis=-1)
        model = self.models()[0]
        x = flatten_for(model, self.data().x_train[:self.case.batch_size])
        w = model.init_weights(np.random.default_rng(self.config.seed), np.float32)
        calls, _, _, _ = trace.one_step(model, w, x)
        back = {c.label: c for c in calls if c.direction == "backward"}
        for call in [c for c in calls if c.kind == "eigen_projection" and c.direction == "forward"]:
            out, (h, _, _, lam, v, _, gap_tol) = call.result
            dout, dh = back[call.label].args[0], back[call.label].result
            h, out, lam, v, dout, dh = (np.asarray(t, np.float64) for t in (h, out, lam, v, dout, dh))
            (n, k), fixed = h.shape, dout @ v.T
            lines = [f"-- {call.label}: h {h.shape} -> C = hc^T hc / {n} ({k}, {k}) -> eigh -> V ({k}, {k}); "
                     f"out = h V {out.shape}"]
            if k <= 5:
                lines += ["eigenvalues of C, ascending: " + " ".join(f"{x:.3g}" for x in lam),
                          "V (a column per eigenvector, its largest-magnitude entry positive):"]
                lines += ["  " + " ".join(f"{x:+.4f}" for x in row) for row in v]
            else:
                zero = int((np.abs(lam) <= gap_tol * np.abs(lam).max()).sum())
                lines += [f"{k} eigenvalues of C, from {lam[0]:.3g} to {lam[-1]:.3g}; {zero} of them are 0 up to "
                          f"rounding (within {gap_tol:g} x the largest, where the gap guard sets F_ij = 0): "
                          f"a batch of {n} has a covariance of rank <= {n - 1}"]
            lines += [f"V^T V = I to {np.abs(v.T @ v - np.eye(k)).max():.1e}; the distances between the {n} rows "
                      f"of out and of h agree to {np.abs(distances(out) - distances(h)).max() / distances(h).max():.1e}"
                      " (relative): within one batch, a rotation",
                      "backward: d_in = dout V^T (V held fixed) + the term through eigh, C and the mean:",
                      f"  |dout| {np.linalg.norm(dout):.3g}   |dout V^T| {np.linalg.norm(fixed):.3g}   "
                      f"|through eigh| {np.linalg.norm(dh - fixed):.3g}   |d_in| {np.linalg.norm(dh):.3g}"]
            show_text(lines)

    # ------------------------------------------------------------------ 4. the gradient check
    def show_gradcheck(self, layers=True):
        """This model's rows of the gradient-check report (and, with `layers`, the rows of every layer it
        calls), each with the doc that derives it."""
        from manual_ae import trace
        from manual_ae.gradcheck.registry import LAYER_TABLE
        kinds = []
        for model in self.models():
            w = model.init_weights(np.random.default_rng(0), np.float32)
            x = np.asarray(model.gradcheck_input(np.random.default_rng(0), 2), np.float32)
            calls, _, _, _ = trace.one_step(model, w, x)
            for c in calls:
                if c.direction == "forward":    # the layer, and the activation it was given ("selu")
                    kinds += [k for k in [c.kind] + [a for a in c.args if isinstance(a, str)] if k not in kinds]
        # every entry covering a layer the model calls (its kinks and clip edges included), then the model
        checked = [checked_as(m) for m in self.models()]
        covered = [k for k in kinds if any(e.covers == f"{k}_forward" for e in LAYER_TABLE)] if layers else []
        names = list(dict.fromkeys([e.name for k in covered for e in LAYER_TABLE if e.covers == f"{k}_forward"]
                                   + checked))
        show_text("(a layer's checks cover its configurations, other activations, strides and paddings than this "
                  "model's included; the model's own rows are last)")
        failures = show_checks(names, set(checked))
        links = sorted({f"docs/{DOCS[k]}" for k in kinds if k in DOCS})
        show_text(f"derivations: {', '.join(links)}. The full report (every column, the worst entry of each "
                  f"gradient; docs/gradient_check.md explains them): manual-ae gradcheck "
                  + " ".join(covered + checked))
        return failures

    # ------------------------------------------------------------------ 5. training
    def train(self):
        """Train with the post's hyperparameters (the trainer shows a progress bar in a terminal, one line
        per epoch in a notebook). Bad input ends the script with a one-line error, as `manual-ae train` does."""
        self.result = scripting.train_case(self.name, self.args, compare=False, overwrite=False, **self.overrides)
        return self.result

    # ------------------------------------------------------------------ 6. the results
    def figure_paths(self, names=None):
        folders = [self.out] + sorted(glob.glob(os.path.join(self.out, "*", "")))
        paths = []
        for folder in folders:
            paths += sorted(glob.glob(os.path.join(folder, "*.png")) + glob.glob(os.path.join(folder, "*.gif")))
        paths = [p for p in paths if os.path.basename(p) != "data_samples.png"]
        if names:     # in the order asked for
            paths = [p for n in names for p in paths if os.path.basename(p).startswith(n)]
        return paths

    def show_figures(self, names=None, reference=True):
        """The run's figures (those whose file names start with one of `names`; all by default). After a
        quick run, which shows the mechanics and not the post's results, a banner says so and (with
        `reference`) the committed figures of the reference run at the post's settings follow."""
        if self.config.quick:
            show_markdown(f"**A quick run** ({self.epochs} epochs on {len(self.data().x_train):,} examples): these "
                          "figures show what the code draws, not what training at the post's settings reaches"
                          + ("; the reference run's figures follow them." if reference and
                             reference_figures(self.name) else "."))
        for p in self.figure_paths(names):
            show_image(p)
        if self.config.quick and reference:
            for p in reference_figures(self.name):
                show_markdown(f"reference run at the post's settings: `{os.path.relpath(p, ROOT)}`")
                show_image(p)

    def show_numbers(self, keys=None, reference_log=None):
        """This run's numbers beside the published ones, and the committed reference run's (the post's
        settings, logs/) beside them too: a quick run is for seeing the mechanics, not the numbers."""
        from manual_ae.data import resolve_name
        reference = dict(getattr(self.case, "reference", {}) or {})
        other_data = self.result and self.result.get("dataset") != resolve_name(self.case.dataset)
        if self.pipeline or other_data:
            keys = keys or list(reference)
            reference = {}
        keys = keys or list(reference) or ["train_loss", "val_loss"]
        ref_run = reference_run(self.name, reference_log)
        rows = ["| number | this run | reference run (post's settings) | published |", "|---|---|---|---|"]
        for k in keys:
            ours = (self.result or {}).get(k)
            theirs = (ref_run or {}).get(k)
            rows.append(f"| {k} | {_fmt(ours)} | {_fmt(theirs)} | {_fmt(reference.get(k))} |")
        if other_data:
            rows.append(f"\n(no published numbers for {self.name} on {self.result['dataset']}: the post's are "
                        f"for {self.case.dataset})")
        note = (f"\n\nreference run: `{ref_run['path']}` ({ref_run.get('dataset')}, {ref_run.get('epochs')} "
                f"epochs, seed {ref_run.get('seed')})" if ref_run else "")
        show_markdown("\n".join(rows) + note)

    def show_claims(self, table, heading="## Claims", rows_with=()):
        """The post's claims with their measured verdicts, from a claims table in logs/."""
        show_markdown(markdown_section(table, heading, rows_with) + f"\n\n(from `{table}`)")


def _fmt(value):
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)
