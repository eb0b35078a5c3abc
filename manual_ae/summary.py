"""`manual-ae summary MODEL`: a Keras-style table of a model's layers (name, type, output shape,
parameters) with totals per part (encoder, decoder, ...) and for the whole model.

Nothing is declared twice: the table is traced from one real forward pass. While the model's
`forward` runs once, eagerly, on a small batch, every layer call the model's code makes is recorded
(manual_ae/trace.py) with the shape of its output and the weights it was given. A weight is counted at its first use (a tied kernel's
second use adds only its own bias, as Keras counts a shared layer once); a weight no layer call
received (used with a bare TensorFlow op) gets a row of its own. Losses and penalties (scalar
outputs) are left out, as Keras's summary leaves them out.
"""
import numpy as np
import tensorflow as tf

from manual_ae.trace import label_calls, recording
from manual_ae.models import show_option

def _shape(t):
    return "(None, " + ", ".join(str(d) for d in t.shape[1:]) + ")" if t.shape.rank else "()"


def layer_rows(model, batch=4, seed=0):
    """[(layer, type, output shape, [weight names counted here], params)] from one traced forward pass."""
    rng = np.random.default_rng(seed)
    weights = model.init_weights(rng, np.float32)
    w = {k: tf.constant(v) for k, v in weights.items()}
    by_id = {id(t): k for k, t in w.items()}
    x = tf.constant(np.asarray(model.gradcheck_input(rng, batch), np.float32))
    calls = []
    with recording(calls):
        _, _, cache = model.forward(w, x, model.sample_noise(x, training=False), training=False)
    label_calls(calls, w, cache)      # each call named as the model's code names it (its cache key)
    rows, counted = [], set()
    for call in calls:
        kind, args, kwargs, result = call.kind, call.args, call.kwargs, call.result
        out = result[0] if isinstance(result, tuple) else result
        if out.shape.rank == 0:
            continue          # a loss or a penalty: not a layer
        names = [by_id[id(a)] for a in args if id(a) in by_id]
        new = [k for k in names if k not in counted]
        shared = [k for k in names if k in counted]
        counted.update(new)
        detail = [a for a in list(args) + list(kwargs.values()) if isinstance(a, str)]
        label = call.label
        if shared:                          # a tied weight's second use: its own bias counted here
            label = f"{call.label} (tied: {', '.join(shared)})"
        rows.append((label, " ".join([kind] + detail), _shape(out), new, sum(weights[k].size for k in new)))
    for k in [k for k in weights if k not in counted]:
        rows.append((k, "weight (used directly)", "-", [k], int(weights[k].size)))
    return rows, weights


def part_of(weight_name):
    """encoder_h1 -> encoder; mean_h -> mean; network_effect -> network; hidden2 -> hidden."""
    return weight_name.split("_")[0].rstrip("0123456789")


def table(model, batch=4):
    """The summary as lines of text."""
    rows, weights = layer_rows(model, batch)
    width = max([len(r[0]) for r in rows] + [12]) + 2
    type_width = max([len(r[1]) for r in rows] + [10]) + 2
    rule = "-" * (width + type_width + 34)
    options = ", ".join(f"{k}={show_option(v)}" for k, v in model.options.items())
    lines = [f'Model: "{model.name}"' + (f"  ({options})" if options else ""), rule,
             f"{'Layer':<{width}}{'Type':<{type_width}}{'Output Shape':<22}{'Param #':>12}", rule]
    for label, kind, shape, _, params in rows:
        lines.append(f"{label:<{width}}{kind:<{type_width}}{shape:<22}{params:>12,}")
    lines.append(rule)
    parts = {}
    for k, v in weights.items():
        parts[part_of(k)] = parts.get(part_of(k), 0) + int(v.size)
    total = sum(parts.values())
    lines += [f"{part} params: {n:,}" for part, n in parts.items()]
    lines += [f"Total params: {total:,} ({total * 4 / 1024:.2f} KB)", f"Trainable params: {total:,}",
              "Non-trainable params: 0", rule]
    return lines


def main(name, pairs=None):
    """Print the table of case `name` (or the CPPN) with `--set NAME=VALUE` pairs; a pipeline prints
    one table per stage. The models are the run plan's (train/plan.py), built without data."""
    from manual_ae.models import CPPN, parse_options
    from manual_ae.train.plan import RunConfig, options_from_flags, plan
    if name == "cppn":                 # post 002's generator: `manual-ae cppn` trains and draws it
        models = [CPPN("cppn", **parse_options(CPPN.options, pairs, "cppn"))]
    else:
        p = plan(RunConfig(name, options=options_from_flags(name, pairs)), claim=False, load=False)
        models = list(p.models.values())
    print("\n\n".join("\n".join(table(model)) for model in models))
    return 0
