"""Training: the graph (hand-written gradients into hand-written update ops) and the loop around it."""
from manual_ae.train.graph import build_training_graph
from manual_ae.train.trainer import ResumeError, Trainer, TrainingDiverged, train
