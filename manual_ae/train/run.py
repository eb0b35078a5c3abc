"""Running a plan: `run(RunConfig(...))` is what `manual-ae train`, the per-case scripts and the
reference drivers call. The plan (train/plan.py) has already chosen the data, models, hyperparameters
and folder; here the trainer (train/trainer.py) trains the case, or a pipeline (greedy layer-wise)
trains its stages in turn, each in a folder of its own.
"""
import os

from manual_ae.hyper import Hyper
from manual_ae.train.plan import plan
from manual_ae.train.runlog import write_json
from manual_ae.train.trainer import train

HYPER_FIELDS = tuple(Hyper().as_dict())


def run(config):
    """Train a case (or a pipeline) as `config` says; returns the metrics dictionary."""
    return execute(plan(config))


def execute(p):
    """Train what plan `p` built; returns the metrics dictionary (a pipeline: the last stage's, with
    every stage's under "stages")."""
    if p.pipeline:
        return _run_pipeline(p)
    return train(p.model, p.data, p.out, p.hyper, case=p.case, **p.run_options())


def train_case(case, data, out_dir, options=None, **kwargs):
    """Train one case on `data` (already prepared) into `out_dir`, outside a plan (tests, notebooks that
    bring their own data): its model configured with `options`; kwargs: hyperparameters (epochs,
    batch_size, lr, optimizer, seed: the post's where left out) and the trainer's run options."""
    hyper = Hyper(**{k: kwargs.pop(k) for k in HYPER_FIELDS if k in kwargs}).over(case.hyper)
    return train(case.model(**(options or {})), data, out_dir, hyper, case=case, **kwargs)


def _run_pipeline(p):
    """Several cases trained in turn; returns the last stage's metrics with every stage's in `stages`."""
    def train_stage(case, stage_data, label, **kw):
        return train(p.models[case.name], stage_data, os.path.join(p.out, label), p.stage_hyper(case), case=case,
                     **p.run_options(stage=case.name), **kw)

    stages = p.case.run(p.data, p.out, train_stage)
    result = dict(list(stages.values())[-1])
    result["stages"] = {k: {m: v.get(m) for m in ("train_loss", "val_loss", "val_rounded_accuracy", "epochs",
                                                  "seconds_per_epoch")} for k, v in stages.items()}
    write_json(os.path.join(p.out, "stages.json"), result["stages"])
    return result
