"""The trainer: runs any model that follows the contract in models/base.py.

It knows nothing about particular models. Per epoch: a seeded shuffle, the steps in chunks inside
the one step loop (train/graph.py) under a tqdm bar, validation, one log line, TensorBoard scalars,
a snapshot for the figures, a checkpoint. What a post adds after training (numbers, figures) comes
in through `case` (any object with `report`, `figures`, `snapshot_outputs`, `post`, `description`
and `reference`, as manual_ae/posts/case.py declares them). It also handles what goes wrong:

* a NaN or inf loss stops training, names the epoch and step, and keeps the last good checkpoint;
* Ctrl-C finishes the current chunk, saves a checkpoint and the log, and `--resume` continues
  from that very step (the shuffle of an epoch depends only on the seed and the epoch number);
* `--resume` also extends a finished run to more epochs;
* a folder that already holds a run is never overwritten unless asked (`overwrite=True`).
"""
import json
import math
import os
import shutil
import signal
import statistics
import time

import numpy as np
from tqdm import tqdm

from manual_ae import figures
from manual_ae.data import resolve_name
from manual_ae.errors import ResumeError, RunExistsError, TrainingDiverged
from manual_ae.train.graph import StepLoop
from manual_ae.train.runlog import RunLog, Scalars, in_notebook, read_json, write_json

CHUNKS_PER_EPOCH = 20      # progress-bar updates (and Ctrl-C checks) per epoch
EVAL_BATCH = 1000
SNAPSHOT_IMAGES = 10       # reconstructions kept per snapshot
SNAPSHOT_CODES = 1000      # codes kept per snapshot (test images, for the latent GIFs)
MAX_SNAPSHOTS = 40         # default snapshot interval: epochs / 40

RUN_FILES = ("state.json", "metrics.json", "train.log", "checkpoints", "stages.json")


def holds_a_run(out_dir):
    return os.path.isdir(out_dir) and any(os.path.exists(os.path.join(out_dir, f)) for f in RUN_FILES)


def claim_output_folder(out_dir, resume=False, overwrite=False):
    """Make sure a new run never silently replaces an old one in `out_dir`."""
    if resume or not holds_a_run(out_dir):
        return
    if not overwrite:
        raise RunExistsError(f"{out_dir} already holds a run (its metrics, checkpoints and figures would be "
                             f"overwritten). Continue it with --resume --out {out_dir}, choose a new --out folder, "
                             "or pass --overwrite to replace it.")
    shutil.rmtree(out_dir)


def flatten_for(model, x):
    """x reshaped to (N,) + model.input_shape, float32; a clear error if it cannot be."""
    x = np.asarray(x)
    want = int(np.prod(model.input_shape))
    if x.ndim < 1 or (len(x) and x[0].size != want):
        raise ValueError(f"model {model.name} takes examples of shape {tuple(model.input_shape)} ({want} values); "
                         f"got examples of shape {tuple(x.shape[1:])}. Pick a dataset this model was built for "
                         "(`manual-ae list` shows each model's dataset).")
    return np.ascontiguousarray(x.reshape((len(x),) + tuple(model.input_shape)), dtype=np.float32)


class Trainer:
    def __init__(self, model, data, out_dir, hyper, resume=False, overwrite=False, snapshot_every=None, console=True,
                 progress=True, make_figures=True, initial_weights=None, case=None, xla=False, plan_record=None):
        """hyper: a complete manual_ae.hyper.Hyper. plan_record: what rebuilds this run's data and model
        (train/plan.py), written into state.json for --resume and `gradcheck --at`."""
        self.model, self.data, self.out_dir, self.case = model, data, out_dir, case
        self.hyper = hyper.complete(f"training {model.name}")
        self.xla = bool(xla)    # the step loop compiled by XLA: same steps, last-bit rounding differs
        self.plan_record = plan_record
        self.config = dict(model=model.name, dataset=data.name, epochs=int(hyper.epochs),
                           batch_size=int(hyper.batch_size), lr=float(hyper.lr), optimizer=hyper.optimizer,
                           seed=int(hyper.seed), options=json.loads(json.dumps(model.options)))
        # By default about 40 snapshots per run, so the GIFs stay small however many epochs there are.
        self.resume, self.overwrite = resume, overwrite
        self.snapshot_outputs = tuple(getattr(case, "snapshot_outputs", ()))
        self.snapshot_every = max(1, int(snapshot_every or math.ceil(hyper.epochs / MAX_SNAPSHOTS)))
        self.console, self.progress, self.make_figures = console, progress, make_figures
        self.initial_weights = initial_weights  # e.g. the greedy stages' trained layers
        self.state_path = os.path.join(out_dir, "state.json")
        self.metrics_path = os.path.join(out_dir, "metrics.json")
        self.snapshot_path = os.path.join(out_dir, "snapshots.npz")
        self._interrupted = False

    # ---------------------------------------------------------------- set-up
    def _load_state(self):
        if not self.resume:
            return dict(epoch=0, step=0, loss_sum=0.0, elapsed=0.0, history=[], checkpoint=None)
        if not os.path.exists(self.state_path):
            raise ResumeError(f"--resume: {self.out_dir} holds no run to resume (no state.json). "
                              "Pass the --out folder of an earlier run, or drop --resume.")
        state = read_json(self.state_path)
        for key in ("model", "dataset", "batch_size", "seed", "options"):
            if state["config"].get(key, {}) != self.config[key]:
                raise ResumeError(f"--resume: {self.out_dir} was a run with {key}={state['config'][key]!r}, "
                                  f"not {self.config[key]!r}. Use the same {key} or a new --out folder.")
        return state

    def _snapshots(self):
        """epoch, recon (test images), train_recon, and the model's latent outputs, one entry per snapshot."""
        snaps = {"epoch": [], "recon": [], "train_recon": [], "inputs": None, "train_inputs": None}
        snaps.update({k: [] for k in self.snapshot_outputs})
        if self.resume and os.path.exists(self.snapshot_path):
            with np.load(self.snapshot_path) as f:
                for k in f.files:
                    snaps[k] = f[k] if k in ("inputs", "train_inputs") else list(f[k])
        return snaps

    def _on_sigint(self, signum, frame):
        if self._interrupted:  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        self._interrupted = True
        tqdm.write("Ctrl-C: finishing this chunk of steps, then saving a checkpoint (Ctrl-C again to abort).")

    # ---------------------------------------------------------------- helpers
    def predict(self, x):
        """The model's outputs (NumPy) for x, in inference mode, in batches."""
        x = flatten_for(self.model, x)
        batch = self.config["batch_size"] if self.model.uses_batch_statistics else EVAL_BATCH
        parts = [self.sess.run(self.g.eval_outputs, {self.g.x_eval: x[i:i + batch]}) for i in range(0, len(x), batch)]
        # per-example outputs only (a model may also return scalars, e.g. the parts of its loss)
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0] if np.ndim(parts[0][k])} if parts else {}

    def evaluate(self, x):
        """Loss and metrics over x: the mean over all images (each batch's mean weighted by its size).

        A model whose loss sums over the batch (`loss_reduction = "sum"`, post 004's own code) gets
        its summed quantities per batch of the training batch size instead, the scale its training
        loss and its post's printed numbers have; its metrics named in `mean_metrics` stay means."""
        x = flatten_for(self.model, x)
        totals = {}
        batch = self.config["batch_size"] if self.model.uses_batch_statistics else EVAL_BATCH
        summed = set()
        if getattr(self.model, "loss_reduction", "mean") == "sum":
            summed = {"loss"} | set(self.g.eval_metrics) - set(getattr(self.model, "mean_metrics", ()))
        for i in range(0, len(x), batch):
            xb = x[i:i + batch]
            vals = self.sess.run({"loss": self.g.eval_loss, **self.g.eval_metrics}, {self.g.x_eval: xb})
            for k, v in vals.items():
                totals[k] = totals.get(k, 0.0) + float(v) * (1 if k in summed else len(xb))
        per = {k: (self.config["batch_size"] if k in summed else 1) / len(x) for k in totals}
        return {k: v * per[k] for k, v in totals.items()}

    def _snapshot(self, epoch, snaps):
        x = self.data.x_test[:SNAPSHOT_CODES]
        out = self.predict(x)
        # Training images in one training-size batch (a batch-dependent model sees them as in training).
        x_train = self.data.x_train[:max(SNAPSHOT_IMAGES, self.config["batch_size"])]
        snaps["epoch"].append(epoch)
        snaps["recon"].append(out["recon"][:SNAPSHOT_IMAGES])
        snaps["train_recon"].append(self.predict(x_train)["recon"][:SNAPSHOT_IMAGES])
        for k in self.snapshot_outputs:
            if k in out:
                snaps[k].append(out[k])
        if snaps["inputs"] is None:
            snaps["inputs"] = flatten_for(self.model, x[:SNAPSHOT_IMAGES])
            snaps["train_inputs"] = flatten_for(self.model, x_train[:SNAPSHOT_IMAGES])
        arrays = {k: (v if k in ("inputs", "train_inputs") else np.stack(v) if k != "epoch" else np.array(v))
                  for k, v in snaps.items() if v is not None and len(v)}
        np.savez_compressed(self.snapshot_path, **arrays)

    def _save(self, state, tag):
        prefix = os.path.join(self.out_dir, "checkpoints", f"model-{tag}")
        with self.g.graph.as_default():  # the saver is a graph object: never save eagerly
            path = self.g.saver.save(self.sess, prefix, write_meta_graph=False)
        state["checkpoint"] = os.path.relpath(path, self.out_dir)
        state["config"] = self.config
        if self.plan_record is not None:
            state["plan"] = self.plan_record
        write_json(self.state_path, state)

    def _metrics(self, state, status, **extra):
        history = state["history"]
        last = history[-1] if history else {}
        seconds = [h["seconds"] for h in history]
        result = dict(status=status, model=self.model.name, dataset=self.data.name, data_source=self.data.source,
                      n_train=len(self.data.x_train), n_val=len(self.data.x_val), epochs=len(history),
                      batch_size=self.config["batch_size"], lr=self.config["lr"], optimizer=self.config["optimizer"],
                      seed=self.config["seed"], options=self.config["options"], train_loss=last.get("train_loss"), val_loss=last.get("val_loss"),
                      seconds_per_epoch=statistics.median(seconds) if seconds else None,
                      reference=self._reference() or {}, history=history)
        for k, v in last.items():
            if k.startswith(("val_", "last_batch_")):
                result[k] = v
        result.update(extra)
        write_json(self.metrics_path, result)
        return result

    def _reference(self):
        """The post's published numbers when this run trains on the post's data set; None when the post
        has numbers for another data set (nothing to compare with here); {} when it has none."""
        reference = getattr(self.case, "reference", {}) or {}
        if reference and resolve_name(self.case.dataset) != self.data.name:
            return None
        return reference

    # ---------------------------------------------------------------- the run

    def run(self):
        claim_output_folder(self.out_dir, self.resume, self.overwrite)
        os.makedirs(self.out_dir, exist_ok=True)
        state = self._load_state()
        cfg = self.config
        log = self.log = RunLog(self.out_dir, console=self.console, append=self.resume)
        model, data, case = self.model, self.data, self.case
        log(data.describe())
        for note in data.notes:
            log(note)
        about = f" (post {case.post}) - {case.description}" if case is not None else ""
        log(f"model: {model.name}{about}")
        log(f"hyperparameters: {self.hyper}; gradients: hand-written (model.backward)"
            + ("; step loop compiled by XLA (--xla)" if self.xla else ""))
        if model.options:
            log("options: " + ", ".join(f"{k}={v}" for k, v in model.options.items()))
        reference = self._reference()
        if reference:
            log("reference (docs/reference.md): " + ", ".join(f"{k} {v}" for k, v in reference.items()))
        elif reference is None:
            log(f"reference: none for {data.name} (the post's numbers are for {case.dataset})")
        if self.resume:
            log(f"resuming from {state['checkpoint']} (epoch {state['epoch']} done, step {state['step']})")

        x_train = flatten_for(model, data.x_train)
        init = model.init_weights(np.random.default_rng(cfg["seed"]), np.float32)
        if self.initial_weights is not None:
            if set(self.initial_weights) != set(init):
                raise ValueError(f"initial weights {sorted(self.initial_weights)} do not match {model.name}'s "
                                 f"{sorted(init)}")
            init = {k: np.asarray(v, np.float32).reshape(init[k].shape) for k, v in self.initial_weights.items()}
            log("initial weights: given (not random)")
        full_batches = bool(getattr(case, "full_batches", False))
        self.loop = loop = StepLoop(model, init, x_train, self.hyper, drop_remainder=full_batches, xla=self.xla)
        self.g, self.sess = g, sess = loop.g, loop.sess
        snaps = self._snapshots()
        if self.resume:
            with g.graph.as_default():
                g.saver.restore(sess, os.path.join(self.out_dir, state["checkpoint"]))
        else:
            self._save(state, 0)
            self._snapshot(0, snaps)
        scalars = Scalars(self.out_dir, g.graph)

        n, batch, steps = len(x_train), cfg["batch_size"], loop.steps
        n_seen = min(n, steps * batch)   # fewer than n when the last, partial batch is dropped
        chunk = loop.chunk(CHUNKS_PER_EPOCH)
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            for epoch in range(state["epoch"] + 1, cfg["epochs"] + 1):
                loop.set_order(np.random.default_rng([cfg["seed"], epoch]).permutation(n))
                bar = tqdm(total=steps, initial=state["step"], desc=f"epoch {epoch}/{cfg['epochs']}", unit="step",
                           leave=False, disable=not self.progress or in_notebook(), dynamic_ncols=True)
                while state["step"] < steps:
                    if self._interrupted:
                        bar.close()
                        state["epoch"] = epoch - 1
                        self._save(state, f"{epoch}-{state['step']}")
                        log(f"interrupted at epoch {epoch}, step {state['step']}/{steps}; checkpoint "
                            f"{state['checkpoint']} saved. Continue with --resume --out {self.out_dir}")
                        return self._metrics(state, "interrupted")
                    stop = min(state["step"] + chunk, steps)
                    t0 = time.perf_counter()
                    i_end, loss_sum, finite = loop.run(state["step"], stop)
                    state["elapsed"] += time.perf_counter() - t0
                    if not finite:
                        bar.close()
                        self._diverged(state, epoch, int(i_end), steps, "training loss")
                    state["loss_sum"] += float(loss_sum)
                    bar.update(int(i_end) - state["step"])
                    bar.set_postfix(loss=f"{state['loss_sum'] / min(n, int(i_end) * batch):.4f}")
                    state["step"] = int(i_end)
                bar.close()
                record = {"epoch": epoch, "train_loss": state["loss_sum"] / n_seen}
                if getattr(case, "last_batch_metrics", False):
                    # What a TF1 notebook printed after each epoch: the loss on the epoch's last batch.
                    last = loop.order[(steps - 1) * batch:steps * batch]
                    record.update({f"last_batch_{k}": v for k, v in self.evaluate(x_train[last]).items()})
                if len(data.x_val):
                    val = self.evaluate(data.x_val)
                    if not np.isfinite(val["loss"]):
                        self._diverged(state, epoch, steps, steps, "validation loss")
                    record.update({("val_loss" if k == "loss" else f"val_{k}"): v for k, v in val.items()})
                else:
                    record["val_loss"] = None
                record["seconds"] = state["elapsed"]
                state["history"].append(record)
                log("epoch {:>3}/{}  train_loss {:.4f}".format(epoch, cfg["epochs"], record["train_loss"])
                    + "".join(f"  {k} {v:.4f}" for k, v in record.items()
                              if k.startswith(("val_", "last_batch_")) and v is not None)
                    + f"  {record['seconds']:.2f}s")
                scalars.add(epoch, {k: v for k, v in record.items() if k != "epoch"})
                if epoch % self.snapshot_every == 0 or epoch == cfg["epochs"]:
                    self._snapshot(epoch, snaps)
                state.update(epoch=epoch, step=0, loss_sum=0.0, elapsed=0.0)
                self._save(state, epoch)
                self._metrics(state, "running")
        finally:
            signal.signal(signal.SIGINT, previous)
            scalars.close()

        weights = sess.run(g.weights)
        np.savez(os.path.join(self.out_dir, "weights.npz"), **weights)
        report, draw = getattr(case, "report", None), getattr(case, "figures", None)
        extra = report(model, self.predict, data, weights) if report else {}
        for k, v in extra.items():
            log(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}")
        paths = []
        if self.make_figures:
            paths = draw(model, self.predict, data, snaps, self.out_dir, weights) if draw else []
            paths.append(figures.save(figures.loss_curve_figure(state["history"], f"{model.name} ({data.name})"),
                                      os.path.join(self.out_dir, "loss.png")))
            paths.append(figures.save(figures.time_per_epoch_figure(state["history"], f"{model.name}: time per epoch"),
                                      os.path.join(self.out_dir, "time_per_epoch.png")))
            log("figures: " + ", ".join(os.path.basename(p) for p in paths))
        result = self._metrics(state, "finished", figures=[os.path.basename(p) for p in paths], **extra)
        log(f"done: metrics in {self.metrics_path}")
        return result

    def _diverged(self, state, epoch, i_end, steps, what):
        msg = (f"{what} became NaN/inf at epoch {epoch}, step {i_end}/{steps} (batch {i_end} of the epoch). "
               f"Training stopped; the weights after that step are not saved. The last good checkpoint is "
               f"{state['checkpoint']} (end of epoch {state['epoch']}). Try a smaller --lr, then "
               f"--resume --out {self.out_dir} to continue from that checkpoint.")
        self.log(msg)
        self._metrics(state, "diverged", error=msg)
        raise TrainingDiverged(msg)

    def close(self):
        if getattr(self, "sess", None) is not None:
            self.sess.close()
        if getattr(self, "log", None) is not None:
            self.log.close()


def train(model, data, out_dir, hyper, **kwargs):
    """Train `model` on `data` into `out_dir` with `hyper` (a complete Hyper); returns the metrics
    dictionary (also in metrics.json). kwargs: the Trainer's run options (resume, progress, ...)."""
    trainer = Trainer(model, data, out_dir, hyper, **kwargs)
    try:
        return trainer.run()
    finally:
        trainer.close()
