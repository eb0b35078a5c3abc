"""Post 002, case a: a compositional pattern-producing network (CPPN).

A function of a pixel's coordinates: x, y in [-scale, scale], r = sqrt(x^2 + y^2), and a latent z
shared by every pixel. One dense layer per input, summed, then tanh (or atan) layers, then a
sigmoid output of 1 (grayscale) or 3 (RGB) channels. As the post's code: no biases, weights N(0, 1).

    u   = x W_x + y W_y + r W_r + z W_z            (P, U)   four dense layers, summed
    h_1 = act(u);  h_i = act(h_{i-1} W_hidden_i)   (P, U)   i = 2 .. depth
    out = sigmoid(h_depth W_output)                (P, C)

P pixels, U units, C channels, Z latent dimensions. Rendering, the z-path GIF and fitting to an
image with the log loss are in manual_ae/art.py.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (activation, dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)


def init_cppn(rng, units=32, depth=4, z_dim=8, channels=1, std=1.0, dtype=np.float32):
    """The weight dictionary: input_x, input_y, input_r (1, U), input_z (Z, U), hidden2..depth (U, U),
    output (U, C)."""
    w = {name: rng.normal(0.0, std, (1, units)).astype(dtype) for name in ("input_x", "input_y", "input_r")}
    w["input_z"] = rng.normal(0.0, std, (z_dim, units)).astype(dtype)
    for i in range(2, depth + 1):
        w[f"hidden{i}"] = rng.normal(0.0, std, (units, units)).astype(dtype)
    w["output"] = rng.normal(0.0, std, (units, channels)).astype(dtype)
    return w


def depth_of(w):
    return 1 + sum(k.startswith("hidden") for k in w)


def coordinates(height, width, scale=1.0, dtype=np.float32, rows=None):
    """(P, 3) columns x, y, r for the pixel centres of a height x width image (row-major), x and y in
    [-scale, scale] whatever the resolution, so one function renders at any size. `rows` (a range)
    gives only those rows, for tiled rendering."""
    rows = range(height) if rows is None else rows
    ys = ((np.asarray(rows, np.float64) + 0.5) / height * 2 - 1) * scale
    xs = ((np.arange(width) + 0.5) / width * 2 - 1) * scale
    x, y = np.meshgrid(xs, ys)
    return np.stack([x.ravel(), y.ravel(), np.sqrt(x * x + y * y).ravel()], axis=1).astype(dtype)


def cppn_forward(w, coords, z, act="tanh"):
    """coords: (P, 3) x, y, r;  z: (Z,)  ->  logits (P, C) (the image is sigmoid(logits)), cache."""
    act_forward, _ = activation(act)
    p = tf.shape(coords)[0]
    z_rows = tf.tile(tf.reshape(z, [1, -1]), tf.stack([p, 1]))               # z, the same at every pixel
    parts = [dense_forward(coords[:, i:i + 1], w[f"input_{k}"], None) for i, k in enumerate("xyr")]
    parts.append(dense_forward(z_rows, w["input_z"], None))
    u = parts[0][0] + parts[1][0] + parts[2][0] + parts[3][0]
    h, c_act = act_forward(u)
    hidden = []
    for i in range(2, depth_of(w) + 1):
        h, c = dense_act_forward(h, w[f"hidden{i}"], None, act)
        hidden.append(c)
    logits, c_out = dense_forward(h, w["output"], None)
    return logits, ([c for _, c in parts], act, c_act, hidden, c_out)


def cppn_backward(dlogits, cache):
    """The chain in reverse; the summed input layers all receive du. Returns the weight gradients."""
    c_inputs, act, c_act, hidden, c_out = cache
    _, act_backward = activation(act)
    g = {}
    dh, g["output"], _ = dense_backward(dlogits, c_out)
    for i, c in zip(range(len(hidden) + 1, 1, -1), reversed(hidden)):
        dh, g[f"hidden{i}"], _ = dense_act_backward(dh, c)
    du = act_backward(dh, c_act)
    for k, c in zip("xyrz", c_inputs):    # u is a sum: each input layer gets du
        _, g[f"input_{k}"], _ = dense_backward(du, c, input_grad=False)
    return g


def cppn_fit_forward(w, coords, z, target, act="tanh"):
    """L = mean pixel-wise log loss of sigmoid(logits) against target (P, C) in [0, 1] (fused form)."""
    logits, c_net = cppn_forward(w, coords, z, act)
    loss, c_loss = sigmoid_bce_forward(logits, target)
    return loss, c_loss[0], (c_net, c_loss)


def cppn_fit_backward(cache):
    """dL/dlogits = (y_hat - y) / (P C): docs/log_loss.md; then the network's chain."""
    c_net, c_loss = cache
    return cppn_backward(sigmoid_bce_backward(1.0, c_loss), c_net)
