"""The gradient check at a trained run's weights, on a real data batch, in float64.

Bugs hide where activations saturate, which is rarely at initialisation: `manual-ae gradcheck
MODEL --at RUN_DIR` reads the run's last checkpoint, its options and its data set, and checks the
model there with the same three-way comparison as the registry.
"""
import os

import numpy as np
import tensorflow as tf

from manual_ae.gradcheck.core import check_model


def check_run(run_dir, names=None, seed=0, batch=None, out=print):
    from manual_ae import data as datasets
    from manual_ae.gradcheck.report import table
    from manual_ae.posts import get_case
    from manual_ae.train.runlog import read_json
    from manual_ae.train.trainer import flatten_for
    state_path = os.path.join(run_dir, "state.json")
    if not os.path.exists(state_path):
        raise ValueError(f"--at {run_dir}: no state.json there; give the --out folder of a `manual-ae train` run")
    state = read_json(state_path)
    cfg = state["config"]
    if names and cfg["model"] not in names:
        raise ValueError(f"--at {run_dir}: that run trained {cfg['model']}, not {', '.join(names)}")
    case = get_case(cfg["model"])
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in cfg.get("options", {}).items()}
    model = case.model(**options)
    reader = tf.train.load_checkpoint(os.path.join(run_dir, state["checkpoint"]))
    weights = {k: reader.get_tensor(k).astype(np.float64) for k in model.init_weights(np.random.default_rng(0))}
    if cfg["dataset"] == "greedy-ae1 codes":
        raise ValueError(f"--at {run_dir}: a greedy stage-2 run trains on stage 1's codes, which are not saved; "
                         "check stage 1 or 3 instead")
    data = datasets.load(cfg["dataset"].split("+")[0])
    if case.prepare is not None:
        data = case.prepare(data, cfg["seed"])
    batch = batch or (cfg["batch_size"] if model.uses_batch_statistics else min(16, cfg["batch_size"]))
    pool = data.x_val if len(data.x_val) >= batch else data.x_train
    x = flatten_for(model, pool[:batch]).astype(np.float64)
    rows = check_model(model, seed, weights=weights, x=x)
    note = (f"at the weights of {state['checkpoint']} (epoch {state['epoch']}), on the first {len(x)} "
            f"{'validation' if pool is data.x_val else 'training'} examples of {data.name}, float64")
    table([(f"model:{model.name} --at {run_dir}", rows, note)], out)
    failures = [r for r in rows if not r.passed]
    out(f"{len(rows) - len(failures)} of {len(rows)} gradients PASS")
    return rows, failures
