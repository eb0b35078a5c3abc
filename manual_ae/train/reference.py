"""What the reference-run drivers in scripts/ share: run a case into runs/, copy its log and
metrics to logs/<post>/, read them back, and write the post's table."""
import glob
import json
import os
import time

from manual_ae.errors import TrainingDiverged
from manual_ae.hyper import Hyper
from manual_ae.train.plan import RunConfig
from manual_ae.train.run import run


def run_case(name, seed, logs_dir, label=None, options=None, epochs=None, history_keys=None, batch_size=None):
    """Train `name` with its post's defaults (replacing an earlier reference run of it; a run that
    diverges is kept with status "diverged"); copy
    train.log and metrics.json (without the history) to logs_dir as LABEL-seedS.*; return the
    metrics with the wall time. `history_keys`: the per-epoch values kept in the copied metrics (none
    by default: the run folder has them all); `batch_size`: another batch than the post's."""
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")   # TensorFlow's deprecation notices are not part of a reference log
    label = label or name
    out = os.path.join("runs", os.path.basename(logs_dir), f"seed{seed}", label)
    t0 = time.perf_counter()
    try:
        result = run(RunConfig(name, hyper=Hyper(epochs=epochs, batch_size=batch_size, seed=seed), out=out, progress=False, options=options or {},
                               overwrite=True))
    except TrainingDiverged:   # a reference run that diverges is a result too: keep its log and metrics
        with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
            result = json.load(f)
    result["wall_seconds"] = round(time.perf_counter() - t0, 1)
    result["label"] = label
    os.makedirs(logs_dir, exist_ok=True)
    with open(os.path.join(out, "train.log"), encoding="utf-8") as src, \
            open(os.path.join(logs_dir, f"{label}-seed{seed}.log"), "w", encoding="utf-8") as dst:
        dst.write(src.read())
    history = result.pop("history", None) or []
    if history_keys:
        result["history"] = [{k: h.get(k) for k in ("epoch",) + tuple(history_keys)} for h in history]
    with open(os.path.join(logs_dir, f"{label}-seed{seed}.metrics.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"== {label} seed {seed}: {result['status']}, {result['wall_seconds']:.0f} s", flush=True)
    return result


def load_results(logs_dir):
    """label -> list of metrics dicts, one per seed."""
    results = {}
    for path in sorted(glob.glob(os.path.join(logs_dir, "*.metrics.json"))):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        label = m.get("label") or os.path.basename(path)[:-len(f"-seed{m['seed']}.metrics.json")]
        results.setdefault(label, []).append(m)
    return results


def write_tables(logs_dir, lines):
    """Write logs_dir/table.md and print it."""
    os.makedirs(logs_dir, exist_ok=True)
    with open(os.path.join(logs_dir, "table.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


def loss_on(run_dir, name, x, options=None, chunk=5000):
    """The loss of a finished run (its weights.npz) on the images x, evaluated as validation is (inference
    mode, the mean over all images): the training set's loss without the lag of a running mean."""
    import numpy as np
    import tensorflow as tf
    from manual_ae.posts import get_case
    model = get_case(name).model(**(options or {}))
    with np.load(os.path.join(run_dir, "weights.npz")) as f:
        w = {k: tf.constant(f[k]) for k in f.files}
    x = np.asarray(x, np.float32).reshape((len(x),) + tuple(model.input_shape))
    total = 0.0
    for i in range(0, len(x), chunk):
        xb = tf.constant(x[i:i + chunk])
        loss, _, _ = model.forward(w, xb, model.sample_noise(xb, training=False), training=False)
        total += float(loss) * len(xb)
    return total / len(x)
