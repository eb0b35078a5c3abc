"""Learn by breaking it: the classic backprop mistakes, each made on a real layer and checked.

`manual-ae gradcheck --mistakes` runs every one through the same check as the registry and shows
the report rows: each mistake leaves a signature (which columns fail, the worst entry, the
diagnosis). docs/gradient_check.md explains them. Every mistake must be caught: the command exits
1 if one slips through.
"""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from manual_ae import layers as L
from manual_ae.gradcheck.core import check_layer
from manual_ae.layers.activations import SELU_SCALE


@dataclass
class Mistake:
    name: str           # what was done wrong
    layer: str          # the real layer it was done on
    forward: object
    backward: object    # the broken backward
    inputs: object      # rng -> dict of float64 arrays
    wrt: tuple
    signature: str      # what to look for in the report

    def run(self, seed=0):
        return check_layer(f"{self.layer}: {self.name}", self.forward, self.backward,
                           self.inputs(np.random.default_rng(seed)), self.wrt, self.wrt, seed)


# ---------------------------------------------------------------- the broken backward passes

def dense_backward_no_transpose(dout, cache):
    """dx = dout W (should be dout W^T): with a square W the shapes fit, the values do not."""
    x, w = cache
    return tf.matmul(dout, w), tf.matmul(x, dout, transpose_a=True), tf.reduce_sum(dout, axis=0)


def dense_backward_bias_mean(dout, cache):
    """db = mean_n dout (should be the sum: every example adds its own contribution)."""
    x, w = cache
    return tf.matmul(dout, w, transpose_b=True), tf.matmul(x, dout, transpose_a=True), tf.reduce_mean(dout, axis=0)


def sigmoid_backward_no_one_minus_y(dy, cache):
    """dz = dy y (should be dy y (1 - y))."""
    (y,) = cache
    return dy * y


def tanh_backward_one_minus_y(dy, cache):
    """dz = dy (1 - y) (should be dy (1 - y^2))."""
    (y,) = cache
    return dy * (1 - y)


def mse_backward_no_mean(dloss, cache):
    """dL/dy_hat = 2 (y_hat - y) (should be divided by K, the number of elements the mean ran over)."""
    diff, _ = cache
    return dloss * 2 * diff


def bce_backward_sign_flipped(dloss, cache):
    """dL/dz = (y - y_hat) / K (should be (y_hat - y) / K)."""
    y_hat, y, count = cache
    return dloss * (y - y_hat) / count


def relu_backward_no_mask(dy, z):
    """dz = dy everywhere (should be 0 where the unit was off, z <= 0)."""
    return dy


def selu_backward_recomputed_wrong(dy, cache):
    """dz on the negative side = dy scale alpha exp(z) written as dy scale exp(z): alpha forgotten."""
    z, y = cache
    return tf.where(y < 0, dy * SELU_SCALE * tf.exp(z), SELU_SCALE * dy)


def dropout_backward_no_mask(dout, cache):
    """dx = dout / (1 - rate) (should be dout * keep / (1 - rate): dropped units pass nothing back)."""
    (scale,) = cache
    return dout * tf.reduce_max(scale)


def max_pool_backward_everywhere(dout, cache):
    """dx = dout copied to all four entries of each window (should go to the maximum only)."""
    x, _ = cache
    up = tf.image.resize(dout, [2 * dout.shape[1], 2 * dout.shape[2]], method="nearest")
    return tf.pad(up, [[0, 0], [0, x.shape[1] - up.shape[1]], [0, x.shape[2] - up.shape[2]], [0, 0]])


def lstm_backward_not_through_time(dout, cache):
    """Each step's gradient is not carried to the previous step (dh_prev, dc_prev dropped): only the
    last steps' direct contributions survive."""
    x, wx, wh, caches, return_sequences = cache
    t_steps, d = x.shape[1], x.shape[2]
    dzs = []
    for t in range(t_steps):
        dh = dout[:, t] if return_sequences else (dout if t == t_steps - 1 else tf.zeros_like(caches[t][1]))
        dz, _ = L.recurrent._step_dz(dh, tf.zeros_like(dh), caches[t])
        dzs.append(dz)
    dz = tf.stack(dzs, axis=1)
    dz_flat = tf.reshape(dz, [-1, dz.shape[2]])
    dwh = tf.add_n([tf.matmul(caches[t][1], dzs[t], transpose_a=True) for t in range(t_steps)])
    dwx = tf.matmul(tf.reshape(x, [-1, d]), dz_flat, transpose_a=True)
    dx = tf.reshape(tf.matmul(dz_flat, wx, transpose_b=True), [-1, t_steps, d])
    return dx, dwx, dwh, tf.reduce_sum(dz_flat, axis=0)


def _tied_forward(x, w, b1, b2):
    """A tiny tied autoencoder: h = tanh(x W + b1), out = h W^T + b2 (W used twice)."""
    h, c1 = L.dense_act_forward(x, w, b1, "tanh")
    out, c2 = L.tied_dense_forward(h, w, b2)
    return out, (c1, c2)


def tied_backward_one_use(dout, cache):
    """dW = the decoder's use only (should be the encoder's term plus the decoder's)."""
    c1, c2 = cache
    dh, dw_decoder, db2 = L.tied_dense_backward(dout, c2)
    dx, _, db1 = L.dense_act_backward(dh, c1)
    return dx, dw_decoder, db1, db2


def sigmoid_backward_stale_cache(dy, cache):
    """Reads a cached y from an earlier step (here y + 0.05): the derivative of another point."""
    (y,) = cache
    stale = y + 0.05
    return dy * stale * (1 - stale)


# ---------------------------------------------------------------- the mistakes

def _dense_square(rng):
    return {"x": rng.standard_normal((4, 5)), "w": rng.standard_normal((5, 5)), "b": rng.standard_normal(5)}


def _away(rng, shape=(4, 6)):
    z = rng.standard_normal(shape)
    return np.sign(z) * (0.1 + np.abs(z))


MISTAKES = [
    Mistake("a missing transpose (dx = dout W)", "dense", L.dense_forward, dense_backward_no_transpose, _dense_square,
            ("x", "w", "b"), "dx wrong at (nearly) every entry, dw and db right: the diagnosis says 'not by a "
            "constant factor'; only the input gradient's formula is involved"),
    Mistake("the sigmoid's (1 - y) left out", "sigmoid", L.sigmoid_forward, sigmoid_backward_no_one_minus_y,
            lambda rng: {"z": _away(rng)}, ("z",), "wrong everywhere, by a factor 1 / (1 - y) that differs entry "
            "by entry: large where y is near 1"),
    Mistake("tanh's derivative written 1 - y", "tanh", L.tanh_forward, tanh_backward_one_minus_y,
            lambda rng: {"z": _away(rng)}, ("z",), "right where y = 0, wrong elsewhere by 1 / (1 + y): a formula "
            "mistake shows a pattern tied to the activation's value"),
    Mistake("the mean's 1/N forgotten", "mse", L.mse_forward, mse_backward_no_mean,
            lambda rng: {"y_hat": rng.standard_normal((4, 5)), "y": rng.standard_normal((4, 5))}, ("y_hat",),
            "hand = K x true at every entry (K = 20 elements): the diagnosis names the constant factor"),
    Mistake("the bias gradient averaged, not summed, over the batch", "dense", L.dense_forward,
            dense_backward_bias_mean, _dense_square, ("x", "w", "b"),
            "only db fails, by exactly 1/N (N = 4): a constant factor on one parameter"),
    Mistake("the log loss's gradient with its sign flipped", "sigmoid_bce", L.sigmoid_bce_forward,
            bce_backward_sign_flipped, lambda rng: {"z": 2 * rng.standard_normal((4, 5)),
                                                    "y": rng.uniform(0, 1, (4, 5))}, ("z",),
            "hand = -1 x true: vs tape about 2 (the largest possible disagreement of two equal-sized tensors)"),
    Mistake("relu's gradient passed where the unit was off", "relu", L.relu_forward, relu_backward_no_mask,
            lambda rng: {"z": _away(rng)}, ("z",), "wrong at the entries with z < 0 only, where the true gradient "
            "is 0: the diagnosis says the backward leaks into them"),
    Mistake("selu's alpha forgotten on the negative side", "selu", L.selu_forward, selu_backward_recomputed_wrong,
            lambda rng: {"z": _away(rng)}, ("z",), "wrong at the negative entries only, by 1 / alpha"),
    Mistake("the dropout mask not applied in the backward", "dropout", lambda x, keep: L.dropout_forward(x, keep, 0.5),
            dropout_backward_no_mask, lambda rng: {"x": rng.standard_normal((3, 5)),
                                                   "keep": (rng.uniform(size=(3, 5)) > 0.5) * 1.0}, ("x",),
            "wrong exactly at the dropped entries, where the true gradient is 0"),
    Mistake("the max-pool gradient sent to every element of its window", "max_pool2d", L.max_pool2d_forward,
            max_pool_backward_everywhere, lambda rng: {"x": rng.standard_normal((2, 4, 4, 2))}, ("x",),
            "wrong at three of every four entries (the window's losers), where the true gradient is 0"),
    Mistake("the LSTM's gradient not carried to the previous step", "lstm",
            lambda x, wx, wh, b: L.lstm_forward(x, wx, wh, b, True), lstm_backward_not_through_time,
            lambda rng: {"x": rng.standard_normal((3, 4, 5)), "wx": rng.standard_normal((5, 24)) * 0.5,
                         "wh": rng.standard_normal((6, 24)) * 0.5, "b": rng.standard_normal(24) * 0.5},
            ("x", "wx", "wh", "b"), "every gradient wrong, dx least at the last step: the part that flows "
            "back through time is missing"),
    Mistake("a tied weight's gradient from one use only", "tied_dense", _tied_forward, tied_backward_one_use,
            lambda rng: {"x": rng.standard_normal((4, 5)), "w": rng.standard_normal((5, 3)) * 0.5,
                         "b1": rng.standard_normal(3), "b2": rng.standard_normal(5)}, ("x", "w", "b1", "b2"),
            "only dw fails, at every entry: the encoder's term is missing from the shared weight"),
    Mistake("a stale value in the cache", "sigmoid", L.sigmoid_forward, sigmoid_backward_stale_cache,
            lambda rng: {"z": _away(rng)}, ("z",), "vs tape and vs numeric both large: a stale value breaks "
            "both sides (it is the derivative at another point), not the tape alone"),
]


def run(out=print, seed=0):
    """Check every mistake; print each one's rows, its signature, and whether it was caught.
    Returns the mistakes that were not caught."""
    from manual_ae.gradcheck import render
    from manual_ae.gradcheck.report import table
    missed = []
    for m in MISTAKES:
        rows = m.run(seed)
        caught = any(not r.passed for r in rows)
        out(f"== {m.layer}: {m.name}  ->  {'caught' if caught else 'NOT CAUGHT'}")
        table([(f"{m.layer}: {m.name}", rows, None)], out)
        for line in render.wrap(f"signature: {m.signature}"):
            out(line)
        out("")
        if not caught:
            missed.append(m)
    out(f"{len(MISTAKES) - len(missed)} of {len(MISTAKES)} mistakes caught")
    return missed
