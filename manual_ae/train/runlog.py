"""What a run leaves behind that a person reads: the text log, metrics.json, TensorBoard scalars."""
import json
import os
import sys
import time

import numpy as np
import tensorflow as tf
from tqdm import tqdm


class RunLog:
    """One line at a time to the console (through tqdm, so progress bars stay intact) and to
    DIR/train.log, flushed after every line so an interrupted run keeps everything it printed."""

    def __init__(self, out_dir, console=True, append=False):
        self.path = os.path.join(out_dir, "train.log")
        self.file = open(self.path, "a" if append else "w", encoding="utf-8")
        self.console = console

    def __call__(self, line=""):
        stamp = time.strftime("%H:%M:%S")
        self.file.write(f"{stamp} {line}\n")
        self.file.flush()
        if self.console:
            tqdm.write(line)

    def close(self):
        self.file.close()


def in_notebook():
    """True inside a Jupyter kernel (a notebook): no progress bar there, one log line per epoch."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


class Scalars:
    """TensorBoard scalars and the training graph, written with tf.compat.v1.summary.FileWriter (no
    summary ops in the graph). `tensorboard --logdir runs` shows both; the step's layer calls are in
    its while loop's body (Graph tab: train_steps, then the body function)."""

    def __init__(self, out_dir, graph):
        with graph.as_default():
            self.writer = tf.compat.v1.summary.FileWriter(out_dir, graph=graph)

    def add(self, step, values):
        summary = tf.compat.v1.Summary(value=[tf.compat.v1.Summary.Value(tag=k, simple_value=float(v))
                                              for k, v in values.items() if v is not None])
        self.writer.add_summary(summary, step)
        self.writer.flush()

    def close(self):
        self.writer.close()


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def write_json(path, data):
    """Write atomically, so a crash mid-write never leaves half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(_plain(data), f, indent=2)
    os.replace(tmp, path)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
