"""What a post's case declares: which model with which options, the data and its recipe, the
hyperparameters, the published numbers, and the numbers and figures made after training.

A `Case` holds no mechanism: the run recipe (manual_ae/train/run.py) reads it. A `Pipeline` is
several cases trained in turn (greedy layer-wise training).
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

from manual_ae.hyper import Hyper
from manual_ae.models.base import show_option


@dataclass
class Case:
    name: str
    post: str
    architecture: type            # a manual_ae.models class
    description: str
    script: str
    dataset: str                  # a manual_ae.data name
    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    options: dict = field(default_factory=dict)            # the model's options for this case
    reference: dict = field(default_factory=dict)          # published numbers (docs/reference.md)
    train_images: Optional[int] = None                     # the post trained on its first N images
    post_size_options: dict = field(default_factory=dict)  # the post's full widths (scripts' --post-size)
    data_options: dict = field(default_factory=dict)       # `--set` options of the data recipe
    prepare: Optional[Callable] = None    # (data, seed, **data_options) -> the data set this case trains on
    report: Optional[Callable] = None     # (model, predict, data, weights) -> numbers after training
    figures: Optional[Callable] = None    # (model, predict, data, snapshots, out_dir, weights) -> paths
    snapshot_outputs: tuple = ("codes",)  # outputs kept at each snapshot, for figures over training
    full_batches: bool = False            # drop each epoch's last partial batch (TF1 code ran N // batch steps)
    last_batch_metrics: bool = False      # log the loss on each epoch's last batch (what TF1 notebooks printed)

    @property
    def hyper(self):
        """The post's hyperparameters (the seed: the project's default)."""
        return Hyper(self.epochs, self.batch_size, self.lr, self.optimizer)

    def all_options(self):
        """Every `--set` name with its default for this case: the model's, then the data recipe's."""
        return {**self.architecture.options, **self.options, **self.data_options}

    def split_options(self, options):
        """(model options, data options) from one `--set` dictionary; unknown names are an error."""
        options = options or {}
        unknown = sorted(set(options) - set(self.all_options()))
        if unknown:
            known = ", ".join(f"{k}={show_option(v)!r}" for k, v in self.all_options().items()) or "none"
            raise ValueError(f"{self.name} has no option {', '.join(unknown)}; its options: {known}")
        model = {k: v for k, v in options.items() if k not in self.data_options}
        data = {**self.data_options, **{k: v for k, v in options.items() if k in self.data_options}}
        return model, data

    def model(self, **options):
        """The model this case trains, with its options changed by `options` (data options ignored)."""
        model_options, _ = self.split_options(options)
        return self.architecture(self.name, **{**self.options, **model_options})

    def summary(self):
        return (f"{self.name:<19} {self.post:<9} {self.dataset:<17} {self.epochs:<7} {self.batch_size:<6} "
                f"{self.lr:<7g} {self.optimizer:<8} {self.description}")


@dataclass
class Pipeline:
    """Cases trained in turn. `run(data, out_dir, train_stage, epochs)` trains them and returns
    {stage label: metrics}; `train_stage(case, data, label, epochs, **kw)` is the run recipe's."""
    name: str
    post: str
    description: str
    script: str
    dataset: str
    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    run: Callable
    references: dict = field(default_factory=dict)   # stage label -> published numbers
    stages: tuple = ()                               # the stages' cases, in training order

    summary = Case.summary
    hyper = Case.hyper
