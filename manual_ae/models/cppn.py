"""Post 002, case a: a compositional pattern-producing network (CPPN).

A function of a pixel's coordinates: x, y in [-scale, scale], r = sqrt(x^2 + y^2), and a latent z
shared by every pixel. One dense layer per input, summed, then tanh (or atan) layers, then a
sigmoid output of 1 (grayscale) or 3 (RGB) channels. As the post's code: no biases, weights N(0, 1).

    u   = x W_x + y W_y + r W_r + z W_z            (P, U)   four dense layers, summed
    h_1 = act(u);  h_i = act(h_{i-1} W_hidden_i)   (P, U)   i = 2 .. depth
    out = sigmoid(h_depth W_output)                (P, C)

P pixels, U units, C channels, Z latent dimensions. `CPPN` is the model that fits an image: one
example is one pixel, the row [x, y, r, z_1..z_Z, target_1..target_C], and the loss is the mean
pixel-wise log loss of sigmoid(out) against the target (the post's derivation: docs/log_loss.md).
Rendering and the z-path GIF are in manual_ae/art.py.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (activation, dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import Model, check_choice


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


def cppn_forward(w, coords, z_rows, act="tanh"):
    """coords: (P, 3) x, y, r;  z_rows: (P, Z), z at every pixel  ->  logits (P, C) (the image is
    sigmoid(logits)), cache."""
    c = {}
    parts = []
    for i, k in enumerate("xyr"):
        part, c[f"input_{k}"] = dense_forward(coords[:, i:i + 1], w[f"input_{k}"], None)
        parts.append(part)
    part, c["input_z"] = dense_forward(z_rows, w["input_z"], None)
    u = parts[0] + parts[1] + parts[2] + part
    h, c["act1"] = activation(act)[0](u)
    c["act"], c["depth"] = act, depth_of(w)
    for i in range(2, c["depth"] + 1):
        h, c[f"hidden{i}"] = dense_act_forward(h, w[f"hidden{i}"], None, act)
    logits, c["output"] = dense_forward(h, w["output"], None)
    return logits, c


def cppn_backward(dlogits, c):
    """The chain in reverse; the summed input layers all receive du. Returns the weight gradients."""
    g = {}
    dh, g["output"], _ = dense_backward(dlogits, c["output"])
    for i in range(c["depth"], 1, -1):
        dh, g[f"hidden{i}"], _ = dense_act_backward(dh, c[f"hidden{i}"])
    du = activation(c["act"])[1](dh, c["act1"])
    for k in "xyrz":    # u is a sum: each input layer gets du
        _, g[f"input_{k}"], _ = dense_backward(du, c[f"input_{k}"], input_grad=False)
    return g


class CPPN(Model):
    """One example = one pixel [x, y, r, z (Z), target (C)]; loss = mean log loss over pixels and channels."""

    outputs = ("recon",)
    gradcheck_batch = 12   # the pixels of a 4x3 image
    options = dict(units=32, depth=4, z_dim=8, channels=1, act="tanh", std=1.0)
    option_ranges = {"std": "> 0"}

    def validate_options(self):
        check_choice(self.label, "act", self.options["act"], ("tanh", "atan"))

    @property
    def input_shape(self):
        return (3 + self.options["z_dim"] + self.options["channels"],)

    def gradcheck_config(self):
        return self.configured(units=5, depth=3, z_dim=2, channels=3, std=0.7)

    def gradcheck_input(self, rng, batch):
        """A 4x3 image's pixels at scale 1.5, one z, random targets (`batch` is ignored: 12 pixels)."""
        z = rng.standard_normal(self.options["z_dim"])
        return pixel_rows(coordinates(4, 3, 1.5, np.float64), z, rng.uniform(0, 1, (12, self.options["channels"])))

    def init_weights(self, rng, dtype=np.float32):
        o = self.options
        return init_cppn(rng, o["units"], o["depth"], o["z_dim"], o["channels"], o["std"], dtype)

    def forward(self, w, x, noise=None, training=True):
        z_dim = self.options["z_dim"]
        c = {}
        logits, c["net"] = cppn_forward(w, x[:, :3], x[:, 3:3 + z_dim], self.options["act"])
        loss, recon, c["loss"] = sigmoid_bce_forward(logits, x[:, 3 + z_dim:])
        return loss, {"recon": recon}, c

    def backward(self, c):
        """dL/dlogits = (y_hat - y) / (P C): docs/log_loss.md; then the network's chain."""
        return cppn_backward(sigmoid_bce_backward(1.0, c["loss"]), c["net"])


def pixel_rows(coords, z, target):
    """The CPPN's examples: (P, 3) coordinates, one z (Z,) and the (P, C) target -> (P, 3 + Z + C)."""
    z_rows = np.broadcast_to(np.asarray(z, coords.dtype), (len(coords), len(z)))
    return np.concatenate([coords, z_rows, np.asarray(target, coords.dtype).reshape(len(coords), -1)], axis=1)


def tile_z(z, p):
    """z (Z,) at each of p pixels: (p, Z)."""
    return tf.tile(tf.reshape(z, [1, -1]), tf.stack([p, 1]))
