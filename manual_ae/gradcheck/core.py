"""Checking one hand-written gradient three ways, in float64, eagerly.

    hand     the backward function under test
    tape     tf.GradientTape on the same forward code (automatic differentiation)
    numeric  centered finite differences, (f(x + h e_i) - f(x - h e_i)) / 2h, of the scalar
             L = sum(out * g) for a fixed random upstream gradient g, at sampled coordinates i

Error measure (one number per parameter):  max|a - b| / max(max|a|, max|b|)
i.e. the largest difference relative to the gradient's scale, so entries that are zero
on both sides do not blow it up. For the numeric column the maximum runs over the sampled
coordinates, and the scale includes the whole hand-written gradient.
"""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

TAPE_TOL = 1e-9
NUMERIC_TOL = 1e-6
NUMERIC_STEP = 1e-5
MAX_NUMERIC_COORDS = 12
EXPECTED = ("should be: vs tape <= 1e-9 (same math in float64: usually 1e-16..1e-12); "
            "vs numeric <= 1e-6 (centered differences, step 1e-5: usually 1e-11..1e-8)")


def rel_error(a, b, scale=0.0):
    """max|a - b| / max(max|a|, max|b|, scale); 0 when both are exactly zero.

    `scale` lets a comparison on sampled coordinates use the whole gradient's size.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), scale)
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b), initial=0.0) / scale)


@dataclass
class Row:
    entry: str
    param: str
    shape: tuple
    err_tape: float
    err_num: float

    @property
    def passed(self):
        return self.err_tape <= TAPE_TOL and self.err_num <= NUMERIC_TOL


def sample_coords(size, rng, max_coords=MAX_NUMERIC_COORDS):
    """All coordinates of a small tensor, a random sample of a large one."""
    if size <= max_coords:
        return np.arange(size)
    return np.sort(rng.choice(size, max_coords, replace=False))


def check(entry, scalar_fn, hand_grads, inputs, wrt, rng):
    """Compare hand-written gradients against the tape and finite differences.

    scalar_fn(values: dict) -> scalar tensor L (the forward, contracted with the upstream gradient)
    hand_grads: dict name -> hand-written dL/d(name)
    inputs: dict name -> float64 array (all inputs; `wrt` names the differentiated ones)
    """
    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    watched = {k: tf.Variable(consts[k]) for k in wrt}
    with tf.GradientTape() as tape:
        loss = scalar_fn({**consts, **{k: v.read_value() for k, v in watched.items()}})
    tape_grads = tape.gradient(loss, watched, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    rows = []
    for name in wrt:
        x = np.array(inputs[name], np.float64)
        dx_hand = np.asarray(hand_grads[name], np.float64)
        dx_tape = np.asarray(tape_grads[name], np.float64)
        if dx_hand.shape != x.shape:
            raise AssertionError(f"{entry}: hand-written d{name} has shape {dx_hand.shape}, expected {x.shape}")
        coords = sample_coords(x.size, rng)
        dx_num = np.empty(len(coords))
        flat = x.reshape(-1)
        for j, i in enumerate(coords):
            old = flat[i]
            flat[i] = old + NUMERIC_STEP
            plus = float(scalar_fn({**consts, name: tf.constant(x)}))
            flat[i] = old - NUMERIC_STEP
            minus = float(scalar_fn({**consts, name: tf.constant(x)}))
            flat[i] = old
            dx_num[j] = (plus - minus) / (2 * NUMERIC_STEP)
        rows.append(Row(entry, name, x.shape, rel_error(dx_hand, dx_tape),
                        rel_error(dx_hand.reshape(-1)[coords], dx_num, np.max(np.abs(dx_hand), initial=0.0))))
    return rows


def check_layer(entry, forward, backward, inputs, wrt, grad_order, seed=0):
    """A layer pair: forward(**inputs) -> (out, ..., cache) (a loss also returns its prediction);
    backward(dout, cache) -> grads in `grad_order`."""
    rng = np.random.default_rng(seed)
    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    result = forward(**consts)
    out, cache = result[0], result[-1]
    upstream = tf.constant(rng.standard_normal(np.shape(out)), tf.float64)
    grads = backward(upstream, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    hand = dict(zip(grad_order, grads))

    def scalar_fn(values):
        return tf.reduce_sum(forward(**values)[0] * upstream)

    return check(entry, scalar_fn, hand, inputs, wrt, rng)


def check_model(model, seed=0, batch=None):
    """A whole model: the loss w.r.t. every weight, on a fixed batch and fixed noise, at the sizes of
    `model.gradcheck_config()`. Rows are named after the model."""
    model = model.gradcheck_config()
    batch = batch or model.gradcheck_batch
    rng = np.random.default_rng(seed)
    weights = model.init_weights(rng, np.float64)
    # Nudge every weight off its initial value (biases start at zero, where some kinks sit).
    weights = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in weights.items()}
    x = model.gradcheck_input(rng, batch)
    noise = {k: np.asarray(v, np.float64) for k, v in
             model.sample_noise(tf.constant(x, tf.float64), training=True).items()}
    names = sorted(weights)
    inputs = {**weights, "x": x, **{f"noise:{k}": v for k, v in noise.items()}}

    def split(values):
        w = {k: values[k] for k in names}
        nz = {k[len("noise:"):]: v for k, v in values.items() if k.startswith("noise:")}
        return w, values["x"], nz

    def scalar_fn(values):
        w, xx, nz = split(values)
        return model.forward(w, xx, nz, training=True)[0]

    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    w, xx, nz = split(consts)
    _, _, cache = model.forward(w, xx, nz, training=True)
    hand = model.backward(cache)
    if set(hand) != set(names):
        raise AssertionError(f"{model.name}: backward() keys {sorted(hand)} differ from weights {names}")
    return check(model.name, scalar_fn, hand, inputs, names, rng)
