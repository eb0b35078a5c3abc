"""CPPN art (post 002, case a): render at any resolution in tiles, animate z along a smooth loop,
and fit a CPPN to a grayscale image by the log loss with hand-written gradients.

Everything runs in tf.compat.v1 graphs and sessions. A render builds one graph whose input is a
tile of pixel coordinates, so a 4096 x 4096 image never holds more than one tile's activations.
"""
import os
import time
from types import SimpleNamespace

import numpy as np
import tensorflow as tf
from tqdm import tqdm

from manual_ae import figures
from manual_ae.models.cppn import coordinates, cppn_fit_backward, cppn_fit_forward, cppn_forward, init_cppn
from manual_ae.optim import make_optimizer

TILE_PIXELS = 1 << 18   # pixels per session call: 262,144 x 64 units x 4 bytes = 64 MiB per layer


class Renderer:
    """A CPPN's weights in a graph, evaluated on tiles of coordinates for any z."""

    def __init__(self, weights, act="tanh"):
        self.weights, self.act = weights, act
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.coords = tf.compat.v1.placeholder(tf.float32, [None, 3], name="coords")
            self.z = tf.compat.v1.placeholder(tf.float32, [weights["input_z"].shape[0]], name="z")
            w = {k: tf.constant(v, tf.float32) for k, v in weights.items()}
            logits, _ = cppn_forward(w, self.coords, self.z, act)
            self.image = tf.sigmoid(logits)
        self.sess = tf.compat.v1.Session(graph=self.graph)

    def render(self, height, width, z, scale=1.0, progress=False):
        """(height, width, C) float32 in [0, 1], computed a band of rows at a time."""
        channels = self.weights["output"].shape[1]
        out = np.empty((height, width, channels), np.float32)
        band = max(1, TILE_PIXELS // width)
        for r0 in tqdm(range(0, height, band), desc=f"render {width}x{height}", unit="tile", leave=False,
                       disable=not progress):
            rows = range(r0, min(r0 + band, height))
            vals = self.sess.run(self.image, {self.coords: coordinates(height, width, scale, rows=rows), self.z: z})
            out[r0:r0 + len(rows)] = vals.reshape(len(rows), width, channels)
        return out

    def close(self):
        self.sess.close()


def to_uint8(image):
    image = np.clip(np.asarray(image) * 255 + 0.5, 0, 255).astype(np.uint8)
    return image[..., 0] if image.shape[-1] == 1 else image


def z_loop(rng, z_dim, frames):
    """z(t) = a cos(2 pi t) + b sin(2 pi t): a smooth closed path, so the GIF loops without a jump."""
    a, b = rng.standard_normal(z_dim), rng.standard_normal(z_dim)
    t = np.arange(frames) / frames * 2 * np.pi
    return (np.cos(t)[:, None] * a + np.sin(t)[:, None] * b).astype(np.float32)


def make_art(out, width=1080, height=1080, channels=3, seed=0, units=32, depth=4, z_dim=8, scale=1.0, act="tanh",
             gif=None, frames=24, gif_size=256, progress=True):
    """Render one image (PNG) and, if `gif`, an animation along a z loop. Returns a summary dict."""
    rng = np.random.default_rng(seed)
    weights = init_cppn(rng, units, depth, z_dim, channels)
    path = z_loop(rng, z_dim, frames)
    renderer = Renderer(weights, act)
    t0 = time.perf_counter()
    image = renderer.render(height, width, path[0], scale, progress)
    seconds = time.perf_counter() - t0
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    import imageio.v2 as imageio
    imageio.imwrite(out, to_uint8(image))
    result = {"image": out, "width": width, "height": height, "channels": channels, "seconds": round(seconds, 2)}
    if gif:
        gif_frames = [to_uint8(renderer.render(gif_size, gif_size, z, scale))
                      for z in tqdm(path, desc="gif frames", leave=False, disable=not progress)]
        if channels == 1:
            gif_frames = [np.repeat(f[..., None], 3, axis=2) for f in gif_frames]
        result["gif"] = figures.save_gif(gif_frames, gif, fps=8)
    renderer.close()
    return result


# ---------------------------------------------------------------- fitting an image by the log loss

def load_target(source, size=None):
    """A grayscale target in [0, 1]: 'digit' (the first test digit of the offline set, or 'digit:N'
    for the N-th), or an image file read with imageio (colour is averaged to grey)."""
    if source.startswith("digit"):
        from manual_ae import data as datasets
        index = int(source.split(":")[1]) if ":" in source else 0
        d = datasets.load("digits")
        if not 0 <= index < len(d.x_test):
            raise ValueError(f"--fit {source}: there are {len(d.x_test)} test digits (digit:0 .. digit:{len(d.x_test) - 1})")
        return d.x_test[index].reshape(28, 28).astype(np.float32), f"{d.name} test digit {index} (label {d.y_test[index]})"
    import imageio.v2 as imageio
    if not os.path.exists(source):
        raise ValueError(f"--fit {source}: no such file; give an image file (PNG, JPEG) or 'digit' / 'digit:N'")
    try:
        img = np.asarray(imageio.imread(source), np.float32)
    except Exception as err:  # imageio raises several kinds for unreadable files
        raise ValueError(f"--fit {source}: cannot read it as an image ({err})") from None
    if img.ndim == 3:
        img = img[..., :3].mean(axis=2)
    if img.ndim != 2 or min(img.shape) < 2:
        raise ValueError(f"--fit {source}: expected a 2-D image, got shape {img.shape}")
    return img / (255.0 if img.max() > 1 else 1.0), f"image file {source}"


def fit(target, steps=2000, lr=0.01, seed=0, units=32, depth=4, z_dim=8, scale=1.0, act="tanh", std=1.0,
        progress=True, log=print):
    """Fit a grayscale CPPN to `target` (H, W) by minimising the mean pixel-wise log loss (fused
    sigmoid + log loss: dL/dlogits = y_hat - y, docs/log_loss.md) with Adam, full batch, in a
    tf.compat.v1 session. Returns (weights, z, history of (step, loss))."""
    h, w_px = target.shape
    rng = np.random.default_rng(seed)
    init = init_cppn(rng, units, depth, z_dim, 1, std)
    z = rng.standard_normal(z_dim).astype(np.float32)
    g = build_fit_graph(target, init, z, lr, scale, act)
    history = []
    loss, step, weights = g.loss, g.step, g.weights
    with tf.compat.v1.Session(graph=g.graph) as sess:
        sess.run(g.init_op)
        bar = tqdm(range(1, steps + 1), desc="fit", unit="step", leave=False, disable=not progress)
        for i in bar:
            value, _ = sess.run([loss, step])
            if not np.isfinite(value):
                raise FloatingPointError(f"the fit diverged at step {i} (loss {value}); try a smaller --fit-lr")
            if i == 1 or i % max(1, steps // 20) == 0 or i == steps:
                history.append((i - 1, float(value)))    # the loss before step i's update
                bar.set_postfix(loss=f"{value:.4f}")
                log(f"step {i - 1:>5}/{steps}  log loss {value:.4f}")
        final = sess.run(loss)
        history.append((steps, float(final)))
        fitted = sess.run(weights)
    return fitted, z, history


def build_fit_graph(target, init, z, lr, scale=1.0, act="tanh"):
    """The fit as a tf.compat.v1 graph: variables from `init`, the hand-written gradients into Adam's
    update ops (no automatic differentiation; tests/test_no_autodiff.py inspects this graph)."""
    h, w_px = target.shape
    graph = tf.Graph()
    with graph.as_default():
        weights = {k: tf.compat.v1.Variable(v, name=k, use_resource=True) for k, v in init.items()}
        coords = tf.constant(coordinates(h, w_px, scale))
        y = tf.constant(target.reshape(-1, 1), tf.float32)
        loss, _, cache = cppn_fit_forward({k: v.read_value() for k, v in weights.items()}, coords, tf.constant(z), y,
                                          act)
        grads = cppn_fit_backward(cache)
        opt = make_optimizer("adam", lr)
        keys = sorted(weights)
        opt.build([weights[k] for k in keys])
        with tf.control_dependencies([loss] + [grads[k] for k in keys]):
            step = tf.group(*opt.update_ops([(weights[k], grads[k]) for k in keys]))
        init_op = tf.compat.v1.global_variables_initializer()
    return SimpleNamespace(graph=graph, loss=loss, step=step, weights=weights, init_op=init_op)


def entropy_floor(target):
    """The least possible mean log loss for a target with grey levels: its mean binary entropy."""
    t = np.clip(target, 1e-7, 1 - 1e-7)
    return float(np.mean(-(t * np.log(t) + (1 - t) * np.log(1 - t))))


def fit_figure(target, fitted, render, title):
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 1, 1]})
    for ax, img, name in zip(axes, (target, fitted, render),
                             (f"target {target.shape[1]}x{target.shape[0]}",
                              f"CPPN at {fitted.shape[1]}x{fitted.shape[0]}",
                              f"same CPPN at {render.shape[1]}x{render.shape[0]}")):
        ax.imshow(img, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(name, fontsize=9)
        ax.axis("off")
    fig.suptitle(title, fontsize=10)
    return fig
