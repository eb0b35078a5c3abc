"""The run plan: one run built once, from its config to its data, models and output folder.

    config = RunConfig("stacked", hyper=Hyper(epochs=3), out="runs/s")   # what was asked (None: the post's)
    p = plan(config)      # the case, its models, its data (all options), the hyperparameters, the folder
    execute(p)            # train/run.py: the trainer (or a pipeline's stages) on exactly that

Every entry point builds its run here and nowhere else: `manual-ae train` and the per-case scripts
(train/run.py), the walkthroughs (they show the plan's data and models, then train them),
`manual-ae summary` (its models, no data) and `manual-ae gradcheck --at RUN` (`plan_of_run`: the run's
own data, rebuilt from what its state.json recorded). `--resume` rebuilds the same way: what the
command line leaves out (the dataset, --data-dir, --set, --quick) comes from the run being resumed.

The output folder is checked first (a folder holding a run is refused unless --resume or
--overwrite) and claimed last, after the data loaded: a run that cannot start never deletes one that
finished.
"""
import dataclasses
import os
import time
from typing import Optional

from manual_ae import data as datasets
from manual_ae.hyper import Hyper
from manual_ae.posts import Pipeline, get_case
from manual_ae.train.runlog import read_json
from manual_ae.train.trainer import claim_output_folder, holds_a_run

QUICK_SIZES = (2048, 512, 512)  # train / validation / test images for --quick
QUICK_EPOCHS = 2
FULL_TRAIN = 55000  # training images of the posts' MNIST / Fashion-MNIST split (mnist.train, X_train)


@dataclasses.dataclass
class RunConfig:
    """What was asked for; None (and an empty hyper field) means the post's choice."""
    case: str
    hyper: Hyper = Hyper()
    dataset: Optional[str] = None
    data_dir: Optional[str] = None
    options: dict = dataclasses.field(default_factory=dict)   # `--set NAME=VALUE`, already typed
    out: Optional[str] = None
    resume: bool = False
    overwrite: bool = False
    quick: bool = False
    snapshot_every: Optional[int] = None
    progress: bool = True
    console: bool = True
    xla: bool = False        # run the step loop compiled by XLA (train/graph.py)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass
class RunPlan:
    """One run, built: everything the trainer needs, and what state.json records to rebuild it."""
    config: RunConfig
    case: object                 # a posts.Case, or a posts.Pipeline of several
    models: dict                 # stage name -> its model, configured once (one entry for a case)
    model_options: dict
    data_options: dict
    data: object                 # a data.Dataset as the run trains on it (None when not loaded)
    hyper: Hyper                 # complete: the config's over the case's; epochs as the data needs
    out: str

    @property
    def pipeline(self):
        return isinstance(self.case, Pipeline)

    @property
    def model(self):
        """The model of a single case."""
        if self.pipeline:
            raise ValueError(f"{self.case.name} is a pipeline of several models, not one model")
        return self.models[self.case.name]

    def stage_hyper(self, stage):
        """A pipeline stage's hyperparameters: its own post's, with the run's seed, and the run's epochs
        where the run set them (--epochs, --quick)."""
        own = stage.hyper.replace(seed=self.hyper.seed)
        if self.config.hyper.epochs or self.config.quick:
            own = own.replace(epochs=self.hyper.epochs)
        return own

    def record(self, stage=None):
        """What rebuilds this run (state.json's "plan"): the case, the data's name, folder and options,
        --quick, the model options, the hyperparameters; `stage`: a pipeline stage's case name."""
        return dict(case=self.case.name, stage=stage, dataset=self.config.dataset, data_dir=self.config.data_dir,
                    options={**_jsonable(self.model_options), **_jsonable(self.data_options)},
                    quick=self.config.quick, hyper=self.hyper.as_dict())

    def run_options(self, stage=None):
        """The trainer's keyword arguments besides the hyperparameters."""
        c = self.config
        return dict(resume=c.resume, overwrite=False, progress=c.progress, console=c.console,
                    snapshot_every=c.snapshot_every, xla=c.xla, plan_record=self.record(stage))


def _jsonable(options):
    return {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}


def default_out(name):
    return os.path.join("runs", f"{name}-{time.strftime('%Y%m%d-%H%M%S')}")


def options_from_flags(name, pairs):
    """`--set NAME=VALUE` flags for case `name`, each typed by its default (a pipeline takes none)."""
    from manual_ae.models import parse_options
    case = get_case(name)
    if isinstance(case, Pipeline):
        if pairs:
            raise ValueError(f"{name} is a pipeline of several models: --set does not apply")
        return {}
    return parse_options(case.all_options(), pairs, name)


def load_data(case, config):
    """The case's data set as its post used it (its first `train_images` training images; --quick
    subsets); returns (data, epochs). The epochs are the post's (or --epochs) on every data set: a run
    on the 5,000-digit mnist-5k, chosen by name, trains the post's epochs on 3,929 digits and says so."""
    data = datasets.load(config.dataset or case.dataset, data_dir=config.data_dir)
    post_images = getattr(case, "train_images", None) or FULL_TRAIN
    if len(data.x_train) > post_images:
        own = "as its post's code did" if getattr(case, "train_images", None) else "the posts' training split"
        data = data.subset(post_images, len(data.x_val), len(data.x_test),
                           why=f"{case.name} trains on the first {post_images:,} of the training split, {own}")
    epochs = config.hyper.epochs or case.epochs
    if data.name == "mnist-5k":
        default = ("its default data set, full MNIST, has them: manual-ae data mnist" if case.dataset == "digits"
                   else f"its default data set is {case.dataset}")
        data.notes.append(f"mnist-5k: a stand-in chosen by --dataset mnist-5k, {len(data.x_train):,} training digits of "
                          f"MNIST's 60,000; the post trained on {post_images:,} ({default})")
    if config.quick:
        data = data.subset(*QUICK_SIZES)
        epochs = min(epochs, QUICK_EPOCHS)
    return data, epochs


def recorded_config(run_dir, state=None):
    """The RunConfig that rebuilds the run in `run_dir` from its state.json (a pipeline's top folder:
    from its first stage's). A run written before plans were recorded gives its case, data set name,
    options and hyperparameters."""
    state = state or read_json(_state_path(run_dir))
    cfg, rec = state["config"], state.get("plan")
    if rec is None:                  # an older run: its data set by name, without its folders
        return RunConfig(cfg["model"], hyper=Hyper(cfg["epochs"], cfg["batch_size"], cfg["lr"], cfg["optimizer"],
                                                   cfg["seed"]),
                         dataset=cfg["dataset"].split("+")[0], options=_typed(cfg.get("options", {})), out=run_dir)
    return RunConfig(rec["case"], hyper=Hyper(**rec["hyper"]), dataset=rec["dataset"], data_dir=rec["data_dir"],
                     options=_typed(rec["options"]), out=run_dir, quick=rec["quick"])


def _state_path(run_dir):
    path = os.path.join(run_dir, "state.json")
    if os.path.exists(path):
        return path
    stages = sorted(d for d in (os.listdir(run_dir) if os.path.isdir(run_dir) else [])
                    if os.path.exists(os.path.join(run_dir, d, "state.json")))
    if not stages:
        raise ValueError(f"{run_dir}: no state.json there; give the --out folder of a `manual-ae train` run")
    return os.path.join(run_dir, stages[0], "state.json")


def _typed(options):
    return {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}


def _resumed(config):
    """The config of a --resume: what the command line leaves out comes from the run being resumed."""
    if not config.out:
        raise ValueError("--resume needs --out DIR: the folder of the run to continue")
    try:
        old = recorded_config(config.out)
    except ValueError:
        return config          # nothing recorded: the trainer says there is no run to resume
    return config.replace(dataset=config.dataset or old.dataset, data_dir=config.data_dir or old.data_dir,
                          options=config.options or old.options, quick=config.quick or old.quick)


def plan(config, claim=True, load=True):
    """Build the run `config` asks for: the case, its models (a bad option fails here, before any data
    loads), the data with every option (`load`), the complete hyperparameters, and the output folder
    (`claim`: refused if it holds a run, unless --resume or --overwrite; replaced on --overwrite)."""
    case = get_case(config.case)
    if config.resume:
        config = _resumed(config)
    out = config.out or default_out(case.name)
    if claim and holds_a_run(out) and not (config.resume or config.overwrite):
        claim_output_folder(out)                       # raises RunExistsError, saying what to do
    if isinstance(case, Pipeline):
        if config.options:
            raise ValueError(f"{case.name} is a pipeline of several models: --set does not apply")
        model_options, data_options = {}, {}
        models = {stage.name: stage.model() for stage in case.stages}
    else:
        model_options, data_options = case.split_options(config.options)
        models = {case.name: case.model(**model_options)}
    data, epochs = None, config.hyper.epochs or case.epochs
    if load:
        data, epochs = load_data(case, config)
        if getattr(case, "prepare", None) is not None:
            data = case.prepare(data, config.hyper.seed, **data_options)
    hyper = config.hyper.over(case.hyper).replace(epochs=epochs)
    if claim:
        claim_output_folder(out, config.resume, config.overwrite)
        os.makedirs(out, exist_ok=True)
    return RunPlan(config.replace(out=out, overwrite=False), case, models, model_options, data_options, data, hyper,
                   out)


def plan_of_run(run_dir):
    """The plan of a finished (or interrupted) run, rebuilt from its state.json: the same case, options
    and data (its own --data-dir and data options), nothing claimed."""
    return plan(recorded_config(run_dir), claim=False)
