"""The run recipe: from a case's name and a few choices to a finished run folder.

`run(RunConfig(...))` is what `manual-ae train`, the per-case scripts and the reference drivers
call. It loads the case's data set (`--data-dir` when given), keeps the post's first N training
images, rescales the epochs on the offline mnist-5k to the post's number of updates, shrinks
everything for `quick`, applies the case's data recipe, configures the model from `options`, and
trains (train/trainer.py). A pipeline (greedy layer-wise) trains its stages in turn.
"""
import dataclasses
import os
import time
from typing import Optional

from manual_ae import data as datasets
from manual_ae.models import parse_options
from manual_ae.posts import Pipeline, get_case
from manual_ae.train.runlog import write_json
from manual_ae.train.trainer import claim_output_folder, train

QUICK_SIZES = (2048, 512, 512)  # train / validation / test images for --quick
QUICK_EPOCHS = 2
FULL_TRAIN = 55000  # training images of the posts' MNIST / Fashion-MNIST split


@dataclasses.dataclass
class RunConfig:
    """What to train and how; None means the post's choice."""
    case: str
    dataset: Optional[str] = None
    data_dir: Optional[str] = None
    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    lr: Optional[float] = None
    optimizer: Optional[str] = None
    seed: int = 42
    out: Optional[str] = None
    resume: bool = False
    overwrite: bool = False
    quick: bool = False
    options: dict = dataclasses.field(default_factory=dict)   # `--set NAME=VALUE`, already typed
    snapshot_every: Optional[int] = None
    progress: bool = True
    console: bool = True
    xla: bool = False        # run the step loop compiled by XLA (train/graph.py)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


def default_out(name):
    return os.path.join("runs", f"{name}-{time.strftime('%Y%m%d-%H%M%S')}")


def options_from_flags(name, pairs):
    """`--set NAME=VALUE` flags for case `name`, each typed by its default (a pipeline takes none)."""
    case = get_case(name)
    if isinstance(case, Pipeline):
        if pairs:
            raise ValueError(f"{name} is a pipeline of several models: --set does not apply")
        return {}
    return parse_options(case.all_options(), pairs, name)


def load_data(case, config):
    """The case's data set as the post used it (first N images, epochs in updates on mnist-5k);
    returns (data, epochs)."""
    data = datasets.load(config.dataset or case.dataset, data_dir=config.data_dir)
    post_images = getattr(case, "train_images", None) or FULL_TRAIN
    if len(data.x_train) > post_images:
        data = data.subset(post_images, len(data.x_val), len(data.x_test),
                           why=f"{case.name} trains on the first {post_images}, as its post did or by default")
    epochs = config.epochs
    if epochs is None and data.name == "mnist-5k" and not config.quick:
        # The posts' epochs are passes over 55,000 (or `train_images`); keep their number of updates instead.
        epochs = max(1, round(case.epochs * post_images / len(data.x_train)))
        data.notes.append(f"mnist-5k: {epochs} epochs of {len(data.x_train)} images = the post's {case.epochs} "
                          f"epochs of {post_images} in number of updates (pass --epochs to override)")
    epochs = epochs or case.epochs
    if config.quick:
        data = data.subset(*QUICK_SIZES)
        epochs = min(epochs, QUICK_EPOCHS)
    return data, epochs


def train_case(case, data, out_dir, options=None, **kwargs):
    """Train one case on `data` (already prepared) into `out_dir`: its model configured with
    `options`, its report and figures after training. kwargs: the trainer's (epochs, batch_size,
    lr, optimizer, seed, resume, overwrite, ...); a hyperparameter left out is the post's."""
    model = case.model(**(options or {}))
    hyper = {**case.defaults, **{k: v for k, v in kwargs.items() if v is not None}}
    return train(model, data, out_dir, case=case, **hyper)


def run(config):
    """Train a case (or a pipeline) as `config` says; returns the metrics dictionary."""
    case = get_case(config.case)
    if config.resume and not config.out:
        raise ValueError("--resume needs --out DIR: the folder of the run to continue")
    if isinstance(case, Pipeline):
        return run_pipeline(case, config)
    model_options, data_options = case.split_options(config.options)
    case.model(**model_options)   # a bad option fails here, before any data is loaded
    data, epochs = load_data(case, config)
    if case.prepare is not None:
        data = case.prepare(data, config.seed, **data_options)
    return train_case(case, data, config.out or default_out(case.name), model_options, epochs=epochs,
                      batch_size=config.batch_size, lr=config.lr, optimizer=config.optimizer, seed=config.seed,
                      resume=config.resume, overwrite=config.overwrite, progress=config.progress,
                      snapshot_every=config.snapshot_every, console=config.console, xla=config.xla)


def run_pipeline(pipeline, config):
    """Several cases trained in turn; returns the last stage's metrics with every stage's in `stages`."""
    if config.options:
        raise ValueError(f"{pipeline.name} is a pipeline of several models: --set does not apply")
    data, epochs = load_data(pipeline, config)
    out = config.out or default_out(pipeline.name)
    claim_output_folder(out, config.resume, config.overwrite)

    # Each stage trains for its own post's epochs, unless the run says otherwise (--epochs, --quick,
    # or the number of updates kept on mnist-5k).
    stage_epochs = epochs if (config.epochs or config.quick or data.name == "mnist-5k") else None

    def train_stage(case, stage_data, label, **kw):
        return train_case(case, stage_data, os.path.join(out, label), epochs=stage_epochs, seed=config.seed,
                          resume=config.resume, progress=config.progress, console=config.console,
                          snapshot_every=config.snapshot_every, xla=config.xla, **kw)

    stages = pipeline.run(data, out, train_stage)
    result = dict(list(stages.values())[-1])
    result["stages"] = {k: {m: v.get(m) for m in ("train_loss", "val_loss", "val_rounded_accuracy", "epochs",
                                                  "seconds_per_epoch")} for k, v in stages.items()}
    write_json(os.path.join(out, "stages.json"), result["stages"])
    return result
