"""CPPN art (post 002, case a): render at any resolution in tiles, animate z along a smooth loop,
and fit a CPPN to a grayscale image by the log loss with hand-written gradients.

Everything runs in tf.compat.v1 graphs and sessions. A render builds one graph whose input is a
tile of pixel coordinates, so a 4096 x 4096 image never holds more than one tile's activations.
A fit is the CPPN model (models/cppn.py, one example per pixel) trained full-batch by the one step
loop (train/graph.py), as every model is. `run(CppnConfig(...))` is the `manual-ae cppn` command.
"""
import dataclasses
import json
import os
import time
from typing import Optional

import numpy as np
import tensorflow as tf
from tqdm import tqdm

from manual_ae import figures
from manual_ae.models.cppn import CPPN, coordinates, cppn_forward, init_cppn, pixel_rows, tile_z
from manual_ae.hyper import Hyper
from manual_ae.train.graph import StepLoop

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
            logits, _ = cppn_forward(w, self.coords, tile_z(self.z, tf.shape(self.coords)[0]), act)
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

def load_target(source, size=None, dataset="digits"):
    """A grayscale target in [0, 1]: 'digit' (the first MNIST test digit, or 'digit:N' for the N-th;
    `dataset`: another digit set, e.g. mnist-5k), or an image file read with imageio (colour is
    averaged to grey)."""
    if source.startswith("digit"):
        from manual_ae import data as datasets
        index = int(source.split(":")[1]) if ":" in source else 0
        d = datasets.load(dataset)
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
    sigmoid + log loss: dL/dlogits = y_hat - y, docs/log_loss.md) with Adam, full batch: the CPPN
    model trained by the one step loop, all pixels in one batch, in pixel order.
    Returns (weights, z, history of (step, loss before that step's update))."""
    h, w_px = target.shape
    rng = np.random.default_rng(seed)
    model = CPPN("cppn", units=units, depth=depth, z_dim=z_dim, channels=1, act=act, std=std)
    init = model.init_weights(rng)
    z = rng.standard_normal(z_dim).astype(np.float32)
    rows = pixel_rows(coordinates(h, w_px, scale), z, target.reshape(-1, 1)).astype(np.float32)
    loop = StepLoop(model, init, rows, Hyper(batch_size=len(rows), optimizer="adam", lr=lr, seed=seed))
    loop.set_order(np.arange(len(rows)))
    every = max(1, steps // 20)
    history = []
    try:
        bar = tqdm(range(1, steps + 1), desc="fit", unit="step", leave=False, disable=not progress)
        for i in bar:
            _, loss_sum, finite = loop.run(0, 1)   # one epoch = one full-batch step: its loss, then its update
            value = loss_sum / len(rows)
            if not finite:
                raise FloatingPointError(f"the fit diverged at step {i} (loss {value}); try a smaller --fit-lr")
            if i == 1 or i % every == 0 or i == steps:
                history.append((i - 1, value))    # the loss before step i's update
                bar.set_postfix(loss=f"{value:.4f}")
                log(f"step {i - 1:>5}/{steps}  log loss {value:.4f}")
        history.append((steps, loop.evaluate_loss(rows)))
        fitted = loop.weights()
    finally:
        loop.close()
    return fitted, z, history


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


# ---------------------------------------------------------------- the `manual-ae cppn` command

@dataclasses.dataclass
class CppnConfig:
    out: str                       # the PNG to write (a .log beside it; a .json and a large render for a fit)
    width: int = 1080
    height: int = 1080
    channels: int = 3
    seed: int = 0
    units: int = 32
    depth: int = 4
    z_dim: int = 8
    scale: float = 1.0
    activation: str = "tanh"
    gif: Optional[str] = None      # also a GIF along a z loop
    frames: int = 24
    gif_size: int = 256
    fit: Optional[str] = None      # fit to 'digit', 'digit:N' or an image file instead of drawing at random
    fit_steps: int = 2000
    fit_lr: float = 0.01
    fit_init_std: float = 1.0
    fit_size: int = 512
    progress: bool = True


def run(cfg):
    """Render CPPN art (and a z-loop GIF), or fit a CPPN to an image and render it large. Writes
    cfg.out and, beside it, a .log (and for a fit a .json and a cfg.fit_size render)."""
    if not cfg.out.lower().endswith(".png"):
        raise ValueError(f"--out {cfg.out}: give a .png path (the GIF goes to --gif)")
    os.makedirs(os.path.dirname(os.path.abspath(cfg.out)), exist_ok=True)
    stem = os.path.splitext(cfg.out)[0]
    lines = []

    def log(line):
        lines.append(f"{time.strftime('%H:%M:%S')} {line}")
        if not cfg.progress:
            print(line)
        with open(stem + ".log", "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    net = dict(units=cfg.units, depth=cfg.depth, z_dim=cfg.z_dim, scale=cfg.scale, act=cfg.activation)
    if cfg.fit is None:
        r = make_art(cfg.out, cfg.width, cfg.height, cfg.channels, cfg.seed, gif=cfg.gif, frames=cfg.frames,
                     gif_size=cfg.gif_size, progress=cfg.progress, **net)
        log(f"CPPN seed {cfg.seed}: {cfg.units} units x {cfg.depth} {cfg.activation} layers, z {cfg.z_dim}-D, "
            f"scale {cfg.scale}, weights N(0, 1)")
        log(f"rendered {r['width']}x{r['height']}x{r['channels']} in {r['seconds']} s -> {r['image']}"
            + (f"; GIF of {cfg.frames} frames along a z loop -> {r['gif']}" if cfg.gif else ""))
        print(f"wrote {r['image']}" + (f" and {r['gif']}" if cfg.gif else ""))
        return r
    target, what = load_target(cfg.fit)
    log(f"fitting a CPPN ({cfg.units} units x {cfg.depth} {cfg.activation} layers, z {cfg.z_dim}-D, scale "
        f"{cfg.scale}, seed {cfg.seed}) to {what}, {target.shape[1]}x{target.shape[0]}, by the pixel-wise log "
        f"loss (fused: dL/dlogits = y_hat - y), Adam lr {cfg.fit_lr}, {cfg.fit_steps} full-batch steps")
    weights, z, history = fit(target, cfg.fit_steps, cfg.fit_lr, cfg.seed, std=cfg.fit_init_std,
                              progress=cfg.progress, log=log, **net)
    renderer = Renderer(weights, cfg.activation)
    fitted = renderer.render(*target.shape, z, cfg.scale)[..., 0]
    big = renderer.render(cfg.fit_size, cfg.fit_size, z, cfg.scale)[..., 0]
    renderer.close()
    floor = entropy_floor(target)
    log(f"fitted log loss {history[-1][1]:.4f} (start {history[0][1]:.4f}; the target's own entropy, the least "
        f"possible, {floor:.4f}); mean |fit - target| {np.mean(np.abs(fitted - target)):.4f}")
    import imageio.v2 as imageio
    imageio.imwrite(stem + f"-{cfg.fit_size}.png", to_uint8(big[..., None]))
    figures.save(fit_figure(target, fitted, big, f"CPPN fitted to {what} by log loss: {history[-1][1]:.4f}"), cfg.out)
    result = {"target": what, "fitted_log_loss": history[-1][1], "initial_log_loss": history[0][1],
              "entropy_floor": floor, "mean_abs_error": float(np.mean(np.abs(fitted - target))),
              "history": history, **net, "steps": cfg.fit_steps, "lr": cfg.fit_lr, "seed": cfg.seed}
    with open(stem + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    log(f"wrote {cfg.out} (target | fit | {cfg.fit_size}x{cfg.fit_size} render), {stem}-{cfg.fit_size}.png, "
        f"{stem}.json")
    print(f"fitted log loss {history[-1][1]:.4f}; wrote {cfg.out}")
    return result
