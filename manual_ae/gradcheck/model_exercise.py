"""Model exercises, the backprop-ninja form: a model's forward as the package has it, its backward
blank; the learner writes the whole backward chain, and the check says which tensor is the FIRST to
go wrong, in the order the backward computes them.

    manual-ae exercise stacked                       # writes exercise_stacked.py
    manual-ae gradcheck stacked --using exercise_stacked.py

The backward may call the layer backwards (`dense_act_backward(dout, c["encoder_h1"])`, every one
imported in the file) or be written with raw TensorFlow ops. The check runs at the model's
gradient-check sizes, in float64: first every tensor of one step beside TensorFlow's autodiff
(gradcheck/tensors.py), then the model's three-way check (hand vs tape vs finite differences).
"""
import inspect
import os
import textwrap

import numpy as np
import tensorflow as tf

from manual_ae.gradcheck import render, tensors
from manual_ae.gradcheck.core import Row, check_model, diagnose
from manual_ae.gradcheck.exercise import BlankExercise, exception_row
from manual_ae.gradcheck.report import table

MODEL_EXERCISES = ("pca", "stacked", "tied", "sparse-kl", "conv", "recurrent", "vae", "digit-vae", "eigen-a")


def _case(name):
    from manual_ae.posts import CASES
    if name not in CASES:
        raise ValueError(f"no model {name!r} to exercise; choose one of: {', '.join(MODEL_EXERCISES)} "
                         "(any case of `manual-ae list` works)")
    return CASES[name]


def _method_source(method):
    """A method's source as a top-level function (dedented)."""
    return textwrap.dedent(inspect.getsource(method))


def stub_docstring(model, forward_src):
    """What the blank backward is told: what it returns (the gradients, keyed and shaped like the
    weights) and what the forward cached under each key; not how to compute them."""
    small = model.gradcheck_config()
    rng = np.random.default_rng(0)
    weights = small.init_weights(rng, np.float64)
    x = tf.constant(np.asarray(small.gradcheck_input(rng, small.gradcheck_batch), np.float64))
    w = {k: tf.constant(v) for k, v in weights.items()}
    _, _, cache = small.forward(w, x, small.sample_noise(x, training=True), training=True)
    cached = list(cache)      # the keys this model's options fill (not those of branches it does not take)
    lines = ['"""Return {weight name: dL/dweight}, keyed and shaped like the weights (at the check\'s sizes):']
    lines += [f"    {k:<14} {tuple(v.shape)}" for k, v in weights.items()]
    lines += ["", "c: the cache the forward filled (with this model's options), one entry per layer call:",
              "    " + ", ".join(f'c["{k}"]' for k in cached),
              "Each entry is what that layer's forward returned as its cache: the layer's backward takes it",
              "(`LAYER_backward(dout, c[KEY])`), or unpack it and use raw TensorFlow ops. The loss is the",
              'last call: start from dL/dL = 1.0 and go back up the chain."""']
    return "\n".join("    " + line if line else "" for line in lines)


def write(name, out=None, solution=False):
    """Write the exercise file of model `name` (`solution`: with the package's own backward); its path."""
    case = _case(name)
    model = case.model()
    cls = type(model)
    module = inspect.getmodule(cls)
    forward_src = _method_source(cls.forward)
    path = out or f"exercise_{name}.py"
    if solution:
        body = _method_source(cls.backward)
    else:
        body = ("def backward(self, c):\n" + stub_docstring(model, forward_src) + "\n"
                "    # Your code here: the chain in reverse, each gradient from the one above it.\n"
                '    raise NotImplementedError("backward is still blank: write its body")\n')
    text = [f'"""Exercise: the backward pass of the model `{name}` ({cls.__name__}, {module.__name__}).',
            "",
            "The forward below is the package's. Write `backward(self, c)` from the cache it fills (the",
            "layer backwards are imported; raw TensorFlow ops work too), then check it, tensor by tensor:",
            "",
            f"    manual-ae gradcheck {name} --using {os.path.basename(path)}",
            "",
            "The check names the FIRST tensor that differs from TensorFlow's autodiff: the bug is in the",
            f"backward call that made it, or just above it. Stuck? manual-ae exercise {name} --hint 1 (then 2, 3).",
            '"""',
            "import numpy as np  # noqa: F401",
            "import tensorflow as tf  # noqa: F401",
            "",
            "from manual_ae.layers import *  # noqa: F401,F403  (every layer forward and backward)",
            f"from {module.__name__} import *  # noqa: F401,F403  (the model's own helpers)",
            "",
            f'MODEL = "{name}"',
            "",
            "",
            "# The forward, as the package has it (a method of the model: `self.options` are its options).",
            forward_src.rstrip(),
            "",
            "",
            body.rstrip(),
            ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(text))
    return path


def _diagnose_tensor(wrong, steps, x):
    """What the first wrong tensor of a model exercise is: another tensor's gradient passed in (the
    wrong upstream), or what core.diagnose names (scale, batch-reduction, ...)."""
    if wrong.hand.shape != wrong.tape.shape:
        return f"shape: came back {wrong.hand.shape}, expected {wrong.tape.shape}"
    for other in steps:
        if other is not wrong and other.tape is not None and other.tape.shape == wrong.hand.shape and \
                np.allclose(wrong.hand, other.tape, rtol=1e-9, atol=1e-15 * max(wrong.scale, 1e-300)):
            return (f"wrong-upstream: it equals {other.name} (layer {other.layer}): the gradient of another "
                    "layer's output was passed in where this one belongs")
    err = wrong.max_diff / max(wrong.scale, 1e-300)
    sizes = sorted({int(x.shape[0]), int(x.size), int(x.size // max(x.shape[0], 1))})
    return diagnose(wrong.hand, wrong.tape, err, err, err, {"sizes": sizes})


def check(path, module, seed=0, out=print, json_path=None, traceback=False):
    """Check the `backward` written in `module` (loaded from `path`): every tensor in order, the first
    wrong one named and diagnosed, then the model's three-way rows. Returns (rows, failures)."""
    case = _case(module.MODEL)
    base = case.model()
    mine = type(f"{type(base).__name__}Exercise", (type(base),), {"backward": module.backward})
    model = mine(base.name, **base.options).gradcheck_config()
    rng = np.random.default_rng(seed)
    weights = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in model.init_weights(rng, np.float64).items()}
    x = np.asarray(model.gradcheck_input(rng, model.gradcheck_batch), np.float64)
    tf.random.set_seed(seed)
    noise = model.sample_noise(tf.constant(x), training=True)
    label = f"model:{case.name} [{os.path.basename(path)}]"
    try:
        steps = tensors.compare_step(model, weights, x, noise=noise)
    except NotImplementedError:
        raise BlankExercise(f"blank: {path}: backward is still blank (it raises NotImplementedError). Write its "
                            "body, then run this check again.") from None
    except Exception as err:
        rows = table([(label, [exception_row(label, path, err, out, traceback)], None)], out, json_path)
        return rows, rows
    out(f"One step of {case.name} at its check sizes (float64), your backward beside TensorFlow's autodiff:")
    for line in tensors.lines(steps):
        out(line)
    wrong = tensors.first_wrong(steps)
    if wrong is not None:
        for line in render.wrap(f"{wrong.name}: {_diagnose_tensor(wrong, steps, x)}"):
            out(line)
    out("")
    try:
        rows = check_model(model, seed)
    except AssertionError as err:         # keys that are not the weights'
        inf = float("inf")
        rows = [Row(case.name, "(all)", (), inf, inf, inf, inf, diagnosis=f"shape: {err}")]
    table([(label, rows, None)], out, json_path)
    failures = [r for r in rows if not r.passed]
    out(f"{len(rows) - len(failures)} of {len(rows)} gradients PASS"
        + (f"; the first wrong tensor: {wrong.name}" if wrong is not None else ""))
    return rows, failures
