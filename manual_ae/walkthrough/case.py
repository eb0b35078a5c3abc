"""`Walkthrough`: one case of a post, shown part by part from its run plan (train/plan.py).

The plan is built once, when the walkthrough starts: the models, the data exactly as training will
see it (the post's split, quick subsets, recipes), the hyperparameters, and the run folder (checked
and claimed: a folder holding a run is refused unless --resume or --overwrite), so the walkthrough's
own figures go beside the run's. Each `show_*` shows a part of that plan; `train` runs it.
"""
import functools
import glob
import os

import numpy as np

from manual_ae import scripting
from manual_ae.train.runlog import in_notebook
from manual_ae.walkthrough import checks, references
from manual_ae.walkthrough.display import ROOT, fmt, markdown_section, show_figure, show_image, show_markdown, show_text


def friendly(method):
    """An error a user can act on (bad input, a diverged run, Ctrl-C) ends a script as `manual-ae train`
    ends: one line, the documented exit status (manual_ae/errors.py). A notebook shows it as it is."""
    @functools.wraps(method)
    def run(*args, **kwargs):
        from manual_ae.errors import exit_with, expected
        try:
            return method(*args, **kwargs)
        except (Exception, KeyboardInterrupt) as err:
            if in_notebook() or not expected(err):
                raise
            exit_with(err)
    return run


class Compared(list):
    """The step's tensors compared with the tape (a list of rows). A notebook shows a cell's last value:
    this one says what it holds in a line, not thousands of array entries (each row is a list item)."""

    def __repr__(self):
        wrong = sum(1 for r in self if getattr(r, "status", "") == "WRONG")
        return f"<{len(self)} tensors of the step compared with the tape: {wrong or 'none'} wrong>"


class Walkthrough:
    """One case of a post, step by step, with the script's flags `args` (and `overrides`: RunConfig
    fields or hyperparameters the script fixes)."""

    @friendly
    def __init__(self, name, args, **overrides):
        from manual_ae.train.plan import plan
        self.name, self.args = name, args
        self.plan = plan(scripting.config(name, args, **overrides))
        self.case, self.config, self.out = self.plan.case, self.plan.config, self.plan.out
        self.pipeline, self.epochs = self.plan.pipeline, self.plan.hyper.epochs
        args.out = self.out
        self.replay = bool(getattr(args, "replay", False))
        self.result = None

    # ------------------------------------------------------------------ 2. the data
    def data(self):
        """The data set exactly as training will see it."""
        return self.plan.data

    def models(self):
        """The plan's models: one, or a pipeline's stages in training order."""
        return list(self.plan.models.values())

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
            w = model.init_weights(np.random.default_rng(self.plan.hyper.seed), np.float32)
            show_text([f"{k:<20} {str(v.shape):<16} {v.size:>9,}  mean {v.mean():+.4f}  std {v.std():.4f}"
                       for k, v in w.items()])

    def _first_batch(self, model):
        """The first real training batch, shaped for `model`, and its initial weights."""
        from manual_ae.train.trainer import flatten_for
        x_train, batch = self.data().x_train, self.plan.hyper.batch_size
        w = model.init_weights(np.random.default_rng(self.plan.hyper.seed), np.float32)
        if int(np.prod(model.input_shape)) == int(np.prod(np.shape(x_train)[1:])):
            return flatten_for(model, x_train[:batch]), w
        # a stage that reads another stage's codes (greedy AE2): its check batch stands in
        show_text(f"(the input of {model.name} is the previous stage's codes, known only after that stage "
                  "trains: a batch of stand-in values of that shape here)")
        return np.asarray(model.gradcheck_input(np.random.default_rng(0), batch), np.float32), w

    def show_step(self, source=True, tensors=True):
        """One training step on the first real batch: each layer's forward call with what it returns,
        beside the backward call that undoes it with the gradients it returns; then (`source`) the
        model's backward as written, and (`tensors`) every tensor's values and each gradient checked
        against TensorFlow's autodiff, tensor by tensor. Returns the comparison's rows."""
        from manual_ae import trace
        from manual_ae.walkthrough import backward
        rows = []
        for model in self.models():
            if self.pipeline:
                show_text(f"-- stage {model.name}")
            x, w = self._first_batch(model)
            show_text(trace.step_table(model, w, x))
            if source:
                backward.show_backward(model, w, x)
            if tensors:
                rows += backward.show_tensors(model, w, x)
        return Compared(rows)

    def show_projection(self):
        """Each eigenvector projection of the model on the first real batch at the initial weights
        (post 000's geometry: posts/post000.py)."""
        from manual_ae.posts.post000 import projection_lines
        model = self.models()[0]
        x, w = self._first_batch(model)
        for lines in projection_lines(model, w, x):
            show_text(lines)

    # ------------------------------------------------------------------ 4. the gradient check
    def show_gradcheck(self, layers=True):
        """This model's rows of the gradient-check report (and, with `layers`, the rows of every layer it
        calls), each with the doc that derives it."""
        return checks.show_model_checks(self.models(), layers)

    # ------------------------------------------------------------------ 5. training
    @friendly
    def train(self):
        """Train the plan (the trainer shows a progress bar in a terminal, one line per epoch in a
        notebook). An error ends the script as `manual-ae train` ends."""
        import tensorflow as tf

        from manual_ae.train.run import execute
        if self.replay:
            self.result = self._replayed()
            return self.result
        tf.get_logger().setLevel("ERROR")
        self.result = execute(self.plan)
        return self.result

    def _replayed(self):
        """With --replay (QUICK = "replay"; the course website): nothing trains. The committed reference
        run's log is shown where the training would print it, and its metrics stand for the result."""
        if self.pipeline:
            # a pipeline's stages as its run names them (greedy: stage1-ae1, ...), logs/NAME-STAGE.log
            names = list(getattr(self.case, "references", None) or self.plan.models)
            stages = {name: references.reference_run(f"{self.name}-{name}") for name in names}
            missing = [name for name, m in stages.items() if m is None]
            runs = list(stages.values())
        else:
            ref = self.reference()
            missing, runs = ([] if ref else [self.name]), [ref]
        if missing:
            raise ValueError(f"--replay: no committed reference run of {', '.join(missing)} in logs/ "
                             "(train it at the post's settings, or drop --replay)")
        for ref in runs:
            show_markdown(f"**Replayed, not trained:** the committed reference run at the post's settings "
                          f"(`{os.path.splitext(os.path.splitext(ref['path'])[0])[0]}.log`, {ref.get('dataset')}, "
                          f"{ref.get('epochs')} epochs, seed {ref.get('seed')}). Its log:")
            show_text(references.log_lines(ref["path"]))
        result = dict(runs[-1])
        if self.pipeline:
            result["stages"] = stages
        return result

    # ------------------------------------------------------------------ 6. the results
    def reference(self):
        """The committed reference run of this plan (walkthrough/references.py), or None."""
        return None if self.pipeline else references.reference_of(self.plan)

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
        ref = self.reference()
        committed = references.reference_figures(ref["label"] if ref else self.name) if reference else []
        if self.replay:       # nothing trained: the reference run's figures, those asked for first, then the rest
            chosen = references.named_figures(committed, ref["label"] if ref else self.name, names)
            chosen += [p for p in committed if p not in chosen]
            for p in chosen:
                show_markdown(f"reference run at the post's settings: `{os.path.relpath(p, ROOT)}`")
                show_image(p)
            return
        if self.config.quick:
            show_markdown(f"**A quick run** ({self.epochs} epochs on {len(self.data().x_train):,} examples): these "
                          "figures show what the code draws, not what training at the post's settings reaches"
                          + ("; the reference run's figures follow them." if committed else "."))
        for p in self.figure_paths(names):
            show_image(p)
        if self.config.quick:
            for p in committed:
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
        ref_run = references.reference_run(None, reference_log) if reference_log else self.reference()
        # with --replay nothing trained: a "this run" column would repeat the reference run's
        heads = ["number"] + ([] if self.replay else ["this run"]) + ["reference run (post's settings)", "published"]
        rows = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        for k in keys:
            cells = [k] + ([] if self.replay else [fmt((self.result or {}).get(k))]) + [
                fmt((ref_run or {}).get(k)), fmt(reference.get(k))]
            rows.append("| " + " | ".join(cells) + " |")
        if other_data:
            rows.append(f"\n(no published numbers for {self.name} on {self.result['dataset']}: the post's are "
                        f"for {self.case.dataset})")
        note = (f"\n\nreference run: `{ref_run['path']}` ({ref_run.get('dataset')}, {ref_run.get('epochs')} "
                f"epochs, seed {ref_run.get('seed')})" if ref_run else "")
        show_markdown("\n".join(rows) + note)

    def show_claims(self, table, heading="## Claims", rows_with=()):
        """The post's claims with their measured verdicts, from a claims table in logs/."""
        show_markdown(markdown_section(table, heading, rows_with) + f"\n\n(from `{table}`)")
