"""The gradient check at a trained run's weights, on a real data batch, in float64.

Bugs hide where activations saturate, which is rarely at initialisation: `manual-ae gradcheck
MODEL --at RUN_DIR` rebuilds the run's plan from its state.json (train/plan.py: the same case,
options and data, its own --data-dir and data options included), reads its last checkpoint, and
checks the model there with the same three-way comparison as the registry.
"""
import os

import numpy as np
import tensorflow as tf

from manual_ae.gradcheck.core import check_model


def check_run(run_dir, names=None, seed=0, batch=None, out=print, json_path=None):
    from manual_ae.gradcheck.report import table
    from manual_ae.train.plan import plan_of_run
    from manual_ae.train.runlog import read_json
    from manual_ae.train.trainer import flatten_for
    state_path = os.path.join(run_dir, "state.json")
    if not os.path.exists(state_path):
        raise ValueError(f"--at {run_dir}: no state.json there; give the --out folder of a `manual-ae train` run "
                         "(a pipeline's: one of its stage folders)")
    state = read_json(state_path)
    trained = state["config"]["model"]
    if names and trained not in names:
        raise ValueError(f"--at {run_dir}: that run trained {trained}, not {', '.join(names)}")
    if state["config"]["dataset"] == "greedy-ae1 codes":
        raise ValueError(f"--at {run_dir}: a greedy stage-2 run trains on stage 1's codes, which are not saved; "
                         "check stage 1 or 3 instead")
    p = plan_of_run(run_dir)
    model = p.models[trained]
    reader = tf.train.load_checkpoint(os.path.join(run_dir, state["checkpoint"]))
    weights = {k: reader.get_tensor(k).astype(np.float64) for k in model.init_weights(np.random.default_rng(0))}
    data = p.data
    if data.name != state["config"]["dataset"]:
        raise ValueError(f"--at {run_dir}: the run trained on {state['config']['dataset']}, but its data rebuilds as "
                         f"{data.name} here; give the same data (its --data-dir) back")
    batch = batch or (p.hyper.batch_size if model.uses_batch_statistics else min(16, p.hyper.batch_size))
    pool = data.x_val if len(data.x_val) >= batch else data.x_train
    x = flatten_for(model, pool[:batch]).astype(np.float64)
    rows = check_model(model, seed, weights=weights, x=x)
    note = (f"at the weights of {state['checkpoint']} (epoch {state['epoch']}), on the first {len(x)} "
            f"{'validation' if pool is data.x_val else 'training'} examples of {data.name} ({data.source}), float64")
    table([(f"model:{model.name} --at {run_dir}", rows, note)], out, json_path)
    failures = [r for r in rows if not r.passed]
    out(f"{len(rows) - len(failures)} of {len(rows)} gradients PASS")
    return rows, failures
