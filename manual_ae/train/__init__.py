"""Training: the run plan (plan.py: config -> data, models, hyperparameters, folder), running it
(run.py), the trainer (trainer.py) around the one step loop (graph.py), what a run writes
(runlog.py), and the reference-run helpers."""
from manual_ae.errors import ResumeError, RunExistsError, TrainingDiverged
from manual_ae.hyper import Hyper
from manual_ae.train.graph import StepLoop, build_training_graph
from manual_ae.train.plan import RunConfig, RunPlan, options_from_flags, plan, plan_of_run
from manual_ae.train.run import execute, run, train_case
from manual_ae.train.trainer import Trainer, train
