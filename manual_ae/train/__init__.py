"""Training: the one step loop (graph.py), the trainer around it (trainer.py), the run recipe that
reads a post's case (run.py), what a run writes (runlog.py), and the reference-run helpers."""
from manual_ae.train.graph import StepLoop, build_training_graph
from manual_ae.train.run import RunConfig, options_from_flags, run, train_case
from manual_ae.train.trainer import ResumeError, RunExistsError, Trainer, TrainingDiverged, train
