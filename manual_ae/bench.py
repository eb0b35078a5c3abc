"""Speed benchmark (not a test): our trainer against the autodiff ways of training the same model.

Same architecture, same data, same initial weights, same batch size and SGD learning rate. Rows:
ours (the trainer's step loop, plain and compiled by XLA), Keras `fit` as its users run it (one
call over all the epochs, each epoch timed by a callback), Keras `fit` tuned (steps_per_execution;
that plus jit_compile), and a tape step in `tf.function` fed by tf.data (plain and jit_compile).
The runners take turns one epoch each, so a noisy neighbour on a shared machine slows all alike;
each row's figure is its median epoch. The ratio that counts is ours over the FASTEST autodiff row.
Also printed: achieved GFLOP/s (the matrix products and convolutions of training, counted
analytically), as a fraction of this machine's fp32 matmul peak measured in the same run, and the
final losses side by side. Autodiff and Keras appear here only as the things we compare against.
`markdown(results)` turns the --json results into docs/speed.md's tables (scripts/bench_tables.py writes them).
`sweep` runs the whole bench at each batch size (or the conv model's width) on the same images:
`manual-ae bench MODEL --sweep batch=16,32,64` gives a table (`sweep_markdown`) and a log-log plot
(`plot_sweep`) of seconds per epoch and fraction of the matmul peak, ours against the fastest peer.
"""
import collections
import json
import math
import os
import statistics
import threading
import time

import numpy as np
import tensorflow as tf

from manual_ae import data as datasets
from manual_ae.models.conv import ConvAE
from manual_ae.posts import get_case
from manual_ae.hyper import Hyper
from manual_ae.train.graph import StepLoop
from manual_ae.train.trainer import CHUNKS_PER_EPOCH, flatten_for


def _dense_flops(sizes):
    """Training FLOPs of a dense chain: forward x W, backward dW and dx (no dx for the input layer)."""
    forward = [2 * a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 3 * sum(forward) - forward[0]


def _conv_flops(channels):
    """Training FLOPs of the conv autoencoder per image: each layer's multiply-adds, times 3 (forward,
    dx, dW), minus the input layer's dx. (output pixels, KH*KW*C_in, C_out) per layer."""
    c1, c2, c3 = channels
    layers = [(28 * 28, 9 * 1, c1), (14 * 14, 9 * c1, c2), (7 * 7, 9 * c2, c3),     # convolutions
              (3 * 3, 9 * c2, c3), (7 * 7, 9 * c1, c2), (14 * 14, 9 * 1, c1)]       # transposed: input pixels
    forward = [2 * p * k * c for p, k, c in layers]
    return 3 * sum(forward) - forward[0]


def _lstm_flops(t, d, h):
    return 3 * t * 2 * 4 * h * (d + h)


FLOPS_PER_EXAMPLE = {     # model options -> FLOPs of one training example
    "stacked": lambda **_: _dense_flops((784, 100, 30, 100, 784)),
    "conv": lambda channels=ConvAE.options["channels"], **_: _conv_flops(channels),
    "recurrent": lambda **_: _lstm_flops(28, 28, 100) + _lstm_flops(28, 100, 30) + _lstm_flops(28, 30, 100)
    + 3 * 28 * 2 * 100 * 28,
}


def _keras_layers(name, options=None):
    import keras
    L = keras.layers
    if name == "stacked":
        return [keras.Input((784,)), L.Dense(100, activation="selu"), L.Dense(30, activation="selu"),
                L.Dense(100, activation="selu"), L.Dense(784, activation="sigmoid")]
    if name == "conv":
        c1, c2, c3 = (options or {}).get("channels", ConvAE.options["channels"])
        conv = dict(kernel_size=3, padding="same", activation="selu")
        return [keras.Input((28, 28, 1)), L.Conv2D(c1, **conv), L.MaxPool2D(2), L.Conv2D(c2, **conv), L.MaxPool2D(2),
                L.Conv2D(c3, **conv), L.MaxPool2D(2),
                L.Conv2DTranspose(c2, 3, strides=2, padding="valid", activation="selu"),
                L.Conv2DTranspose(c1, 3, strides=2, padding="same", activation="selu"),
                L.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")]
    if name == "recurrent":
        return [keras.Input((28, 28)), L.LSTM(100, return_sequences=True), L.LSTM(30), L.RepeatVector(28),
                L.LSTM(100, return_sequences=True), L.TimeDistributed(L.Dense(28, activation="sigmoid"))]
    raise ValueError(f"no Keras twin for {name!r}; bench knows {sorted(KERAS_WEIGHT_ORDER)}")


KERAS_WEIGHT_ORDER = {
    "stacked": ["encoder_h1", "encoder_b1", "encoder_h2", "encoder_b2", "decoder_h1", "decoder_b1", "decoder_h2",
                "decoder_b2"],
    "conv": ["encoder_h1", "encoder_b1", "encoder_h2", "encoder_b2", "encoder_h3", "encoder_b3", "decoder_h1",
             "decoder_b1", "decoder_h2", "decoder_b2", "decoder_h3", "decoder_b3"],
    "recurrent": ["encoder_lstm1_wx", "encoder_lstm1_wh", "encoder_lstm1_b", "encoder_lstm2_wx", "encoder_lstm2_wh",
                  "encoder_lstm2_b", "decoder_lstm1_wx", "decoder_lstm1_wh", "decoder_lstm1_b", "decoder_h1",
                  "decoder_b1"],
}


def _keras_model(name, init, options=None):
    """The same network in Keras (with our model's options), starting from our initial weights."""
    import keras
    model = keras.Sequential(_keras_layers(name, options))
    model.set_weights([init[k] for k in KERAS_WEIGHT_ORDER[name]])
    return model


def _val_loss(model, weights, x_val):
    """Our forward (inference mode) on the validation set, in batches, for any method's weights."""
    w = {k: tf.constant(v) for k, v in weights.items()}
    total = 0.0
    for i in range(0, len(x_val), 1000):
        xb = tf.constant(x_val[i:i + 1000])
        total += float(model.forward(w, xb, {}, training=False)[0]) * len(xb)
    return total / len(x_val)


class Ours:
    """Our trainer's step loop (train/graph.py), chunked as the trainer runs it."""

    name = "ours (hand-written, tf.compat.v1 while loop)"

    def __init__(self, model, init, x, batch_size, lr, seed, xla=False):
        self.loop = StepLoop(model, init, x, Hyper(batch_size=batch_size, optimizer="sgd", lr=lr, seed=seed), xla=xla)
        if xla:
            self.name = "ours, step loop compiled by XLA (train --xla)"
        self.n, self.seed, self.epochs = len(x), seed, 0

    def epoch(self):
        self.epochs += 1
        order = np.random.default_rng([self.seed, self.epochs]).permutation(self.n)
        t0 = time.perf_counter()
        self.loss = self.loop.epoch(order, CHUNKS_PER_EPOCH)
        return time.perf_counter() - t0

    def weights(self):
        return self.loop.weights()


class KerasFit:
    """Keras `fit` as its users run it: ONE call over all the epochs, each epoch timed by a callback.

    The fit runs in a thread of its own; the callback holds each epoch until the bench gives this
    runner its turn (so the runners still take turns epoch by epoch) and times the epoch from
    on_epoch_begin to on_epoch_end. Nothing is timed while the fit waits for its turn.
    `steps_per_execution` and `jit_compile` are Keras's own tuning knobs (compile arguments).
    """

    name = "keras fit"      # the plain row's name: compile's defaults

    def __init__(self, name, init, x, batch_size, lr, epochs, steps_per_execution=1, jit_compile=False, options=None):
        import keras
        self.model, self.order = _keras_model(name, init, options), KERAS_WEIGHT_ORDER[name]
        self.model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=lr),
                           steps_per_execution=steps_per_execution, jit_compile=jit_compile)
        tuned = [f"steps_per_execution={steps_per_execution}"] if steps_per_execution > 1 else []
        tuned += ["jit_compile"] if jit_compile else []
        self.name = "keras fit" + (f" ({', '.join(tuned)})" if tuned else "")
        self.turn, self.done = threading.Semaphore(0), threading.Semaphore(0)
        self.error, self.loss = None, None
        runner = self

        class Turns(keras.callbacks.Callback):
            async_safe = True       # epoch hooks only: Keras keeps dispatching steps asynchronously

            def on_epoch_begin(self, epoch, logs=None):
                runner.turn.acquire()
                runner.t0 = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                runner.seconds = time.perf_counter() - runner.t0
                runner.loss = logs["loss"]
                runner.done.release()

        def fit():
            try:
                self.model.fit(x, x, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0,
                               callbacks=[Turns()])
            except BaseException as e:      # handed to the bench's thread, which raises it
                self.error = e
                self.done.release()

        self.thread = threading.Thread(target=fit, daemon=True)
        self.thread.start()

    def epoch(self):
        self.turn.release()
        self.done.acquire()
        if self.error is not None:
            raise self.error
        return self.seconds

    def weights(self):
        self.thread.join()
        return dict(zip(self.order, self.model.get_weights()))


class TapeLoop:
    """The usual eager alternative: a GradientTape step compiled with tf.function (optionally by
    XLA, jit_compile=True), fed by tf.data."""

    def __init__(self, name, init, x, batch_size, lr, seed, jit_compile=False, options=None):
        import keras
        self.model, self.order = _keras_model(name, init, options), KERAS_WEIGHT_ORDER[name]
        self.name = "GradientTape + tf.function" + (" (jit_compile)" if jit_compile else "")
        opt = keras.optimizers.SGD(learning_rate=lr)
        bce = keras.losses.BinaryCrossentropy()
        model = self.model

        @tf.function(jit_compile=jit_compile)
        def step(xb):
            with tf.GradientTape() as tape:
                loss = bce(xb, model(xb, training=True))
            opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            return loss

        self.step, self.n = step, len(x)
        self.ds = tf.data.Dataset.from_tensor_slices(x).shuffle(len(x), seed=seed).batch(batch_size).prefetch(2)

    def epoch(self):
        t0, losses = time.perf_counter(), []
        for xb in self.ds:
            losses.append(self.step(xb) * xb.shape[0])
        self.loss = float(tf.add_n(losses)) / self.n  # the epoch's running mean, as fit reports
        return time.perf_counter() - t0

    def weights(self):
        return dict(zip(self.order, [v.numpy() for v in self.model.weights]))


def matmul_peak(n=2048, repeats=5):
    """This machine's fp32 ceiling, GFLOP/s: the best of `repeats` timings of 8 chained n x n
    tf.matmul products in one tf.function (2 n^3 FLOPs each)."""
    a = tf.random.stateless_normal([n, n], seed=[1, 2]) / n ** 0.5

    @tf.function
    def chain(m):
        for _ in range(8):
            m = tf.matmul(m, a)
        return tf.reduce_sum(m)

    chain(a).numpy()
    best = min(_timed(lambda: chain(a).numpy()) for _ in range(repeats))
    return 8 * 2 * n ** 3 / best / 1e9


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# The targets: ours (the faster of our two rows) over the fastest autodiff row, by (model, batch size),
# at the model's post widths
TARGET_RATIO = {("stacked", 32): 0.5, ("stacked", 256): 0.5, ("conv", 32): 0.9, ("recurrent", 32): 0.7}
STEPS_PER_EXECUTION = 64


def profile(loop, steps=20, top=15):
    """Where a step's time goes: `steps` steps of our loop traced by the session (RunMetadata), the
    time of each kind of op as a share of all ops' time. Returns [(op type, share)], largest first."""
    meta = tf.compat.v1.RunMetadata()
    loop.sess.run(loop.g.loop, {loop.g.start: 0, loop.g.stop: min(steps, loop.full_steps or 1)},
                  options=tf.compat.v1.RunOptions(trace_level=tf.compat.v1.RunOptions.FULL_TRACE), run_metadata=meta)
    by_op = collections.Counter()
    for device in meta.step_stats.dev_stats:
        for node in device.node_stats:
            label = node.timeline_label
            op = label.split("=", 1)[1].split("(")[0].strip() if "=" in label else node.node_name
            by_op[op] += node.all_end_rel_micros
    total = sum(by_op.values()) or 1
    return [(op, micros / total) for op, micros in by_op.most_common(top)]


def peers(model_name, init, x, batch_size, lr, epochs, seed, options=None):
    """The autodiff rows: Keras fit as its users run it, Keras fit tuned (more steps per call; that
    plus XLA), and the tape loop plain and compiled by XLA. The ratio that counts is ours over the
    fastest of them."""
    spe = STEPS_PER_EXECUTION
    return [KerasFit(model_name, init, x, batch_size, lr, epochs, options=options),
            KerasFit(model_name, init, x, batch_size, lr, epochs, steps_per_execution=spe, options=options),
            KerasFit(model_name, init, x, batch_size, lr, epochs, steps_per_execution=spe, jit_compile=True,
                     options=options),
            TapeLoop(model_name, init, x, batch_size, lr, seed, options=options),
            TapeLoop(model_name, init, x, batch_size, lr, seed, jit_compile=True, options=options)]


def main(model_name="stacked", batch_size=None, epochs=3, json_path=None, data_dir=None, n_train=None, seed=42,
         out=print, with_profile=False, options=None, data=None):
    """One interleaved bench of every row; returns (and with json_path writes) its figures.
    options: the model's options (the conv model's channels); data: a loaded data set to reuse."""
    case = get_case(model_name)
    options = dict(options or {})
    model = case.model(**options)
    lr = case.lr
    batch_size = batch_size or case.batch_size
    if data is None:
        data = datasets.load(case.dataset, data_dir=data_dir)
    if n_train:
        data = data.subset(n_train, len(data.x_val), len(data.x_test))
    x = flatten_for(model, data.x_train)
    x_val = flatten_for(model, data.x_val)
    init = model.init_weights(np.random.default_rng(seed), np.float32)
    gflop = FLOPS_PER_EXAMPLE[model_name](**options) * len(x) / 1e9
    peak = matmul_peak()
    shown = "".join(f", {k}={v}" for k, v in options.items())
    out(f"bench {model_name}{shown}: {len(x)} images, batch {batch_size}, {epochs} epochs, SGD lr {lr}, "
        f"same initial weights; {gflop:.1f} GFLOP of matrix products per epoch")
    out(f"matmul peak of this machine (2048x2048 fp32 tf.matmul, best of 5): {peak:.0f} GFLOP/s")
    runners = [Ours(model, init, x, batch_size, lr, seed), Ours(model, init, x, batch_size, lr, seed, xla=True)]
    runners += peers(model_name, init, x, batch_size, lr, epochs, seed, options)
    times = {r.name: [] for r in runners}
    # Round-robin, one epoch each in turn, so a noisy neighbour on a shared machine slows all alike.
    for _ in range(epochs):
        for r in runners:
            times[r.name].append(r.epoch())
    peak = max(peak, matmul_peak())           # measured again after the runs: the better of the two
    rows = {r.name: dict(seconds_per_epoch=statistics.median(times[r.name]), epoch_seconds=times[r.name],
                         final_train_loss=r.loss, final_val_loss=_val_loss(model, r.weights(), x_val))
            for r in runners}
    ours_names = [r.name for r in runners if isinstance(r, Ours)]
    fastest = min((name for name in rows if name not in ours_names), key=lambda name: rows[name]["seconds_per_epoch"])
    best_ours = min(ours_names, key=lambda name: rows[name]["seconds_per_epoch"])
    keras_s, fastest_s = rows[KerasFit.name]["seconds_per_epoch"], rows[fastest]["seconds_per_epoch"]
    out(f"{'how':<52} {'s/epoch':>8} {'x fastest':>9} {'x Keras':>8} {'GFLOP/s':>8} {'of peak':>8} "
        f"{'train loss':>11} {'val loss':>9}")
    for how, r in rows.items():
        r["ratio_to_fastest_autodiff"] = r["seconds_per_epoch"] / fastest_s
        r["ratio_to_keras"] = r["seconds_per_epoch"] / keras_s
        r["gflops"] = gflop / r["seconds_per_epoch"]
        r["fraction_of_peak"] = r["gflops"] / peak
        out(f"{how:<52} {r['seconds_per_epoch']:>8.3f} {r['ratio_to_fastest_autodiff']:>9.2f} "
            f"{r['ratio_to_keras']:>8.2f} {r['gflops']:>8.1f} {100 * r['fraction_of_peak']:>7.1f}% "
            f"{r['final_train_loss']:>11.4f} {r['final_val_loss']:>9.4f}")
    ours, best, ker = rows[Ours.name], rows[best_ours], rows[KerasFit.name]
    for name in ours_names:
        r = rows[name]
        r["train_loss_rel_diff_to_keras"] = abs(r["final_train_loss"] - ker["final_train_loss"]) / ker["final_train_loss"]
        r["val_loss_rel_diff_to_keras"] = abs(r["final_val_loss"] - ker["final_val_loss"]) / ker["final_val_loss"]
    diff, diff_train = ours["val_loss_rel_diff_to_keras"], ours["train_loss_rel_diff_to_keras"]
    out(f"fastest autodiff: {fastest}; ours takes {ours['ratio_to_fastest_autodiff']:.2f}x its time, "
        + ", ".join(f"{name}: {rows[name]['ratio_to_fastest_autodiff']:.2f}x" for name in ours_names[1:]))
    out(f"ours vs Keras fit: train loss {100 * diff_train:.2f}% apart, val loss {100 * diff:.2f}% apart "
        f"(different shuffles: the val loss after the last step carries SGD's step-to-step noise)")
    targets = {}     # judged on our faster row (both are `manual-ae train`: plain, or with --xla)
    want = TARGET_RATIO.get((model_name, batch_size)) if not options else None
    if want is not None:
        targets["ratio_to_fastest_autodiff"] = dict(target=want, row=best_ours,
                                                    met=best["ratio_to_fastest_autodiff"] <= want)
    targets["losses_within_1pct"] = dict(target=0.01, row=best_ours,
                                         met=best["train_loss_rel_diff_to_keras"] <= 0.01)
    for what, t in targets.items():
        out(f"target {what} {t['target']} ({t['row']}): {'met' if t['met'] else 'MISSED'}")
    result = dict(model=model_name, options=options, batch_size=batch_size, epochs=epochs, n_train=len(x),
                  gflop_per_epoch=gflop,
                  matmul_peak_gflops=peak, tensorflow=tf.__version__, cpu_count=os.cpu_count(), rows=rows,
                  fastest_autodiff=fastest, best_ours=best_ours,
                  ratio_to_fastest_autodiff=best["ratio_to_fastest_autodiff"], ratio_to_keras=ours["ratio_to_keras"],
                  fraction_of_peak=best["fraction_of_peak"], val_loss_rel_diff=diff, train_loss_rel_diff=diff_train,
                  targets=targets)
    if with_profile:
        result["profile"] = profile(runners[0].loop)
        out(f"where our step's time goes ({Ours.name}, 20 steps traced, share of all ops' time):")
        for op, share in result["profile"]:
            out(f"    {op:<36} {100 * share:5.1f}%")
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return result


def markdown(results):
    """docs/speed.md's tables from bench results (the dicts `main` returns and writes with --json):
    one summary row per bench (targets included), then every row of every bench."""
    lines = ["| model, batch | matmul peak | fastest autodiff (s/epoch) | ours / fastest | ours --xla / fastest "
             "| target | met | ours, best of peak | train loss ours / Keras |",
             "|---|---|---|---|---|---|---|---|---|"]
    for res in results:
        rows, fastest = res["rows"], res["fastest_autodiff"]
        ours_names = [name for name in rows if name.startswith("ours")]
        plain, xla = (rows[name] for name in ours_names)
        target = res["targets"].get("ratio_to_fastest_autodiff")
        lines.append(
            f"| {res['model']}, {res['batch_size']} | {res['matmul_peak_gflops']:.0f} GFLOP/s "
            f"| {fastest} ({rows[fastest]['seconds_per_epoch']:.2f}) "
            f"| **{plain['ratio_to_fastest_autodiff']:.2f}** | **{xla['ratio_to_fastest_autodiff']:.2f}** "
            + (f"| <= {target['target']:g} | {'yes' if target['met'] else 'no'} " if target else "| none | - ")
            + f"| {100 * res['fraction_of_peak']:.1f}% "
            f"| {plain['final_train_loss']:.4f} / {rows[KerasFit.name]['final_train_loss']:.4f} "
            f"({100 * res['train_loss_rel_diff']:.2f}%) |")
    for res in results:
        lines += ["", f"{res['model']}, batch {res['batch_size']}, {res['n_train']} images, median of {res['epochs']} "
                      f"epochs, {res['gflop_per_epoch']:.1f} GFLOP per epoch:", "",
                  "| how | s/epoch | x fastest autodiff | x Keras fit | GFLOP/s | of peak | train loss | val loss |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, r in res["rows"].items():
            lines.append(f"| {name} | {r['seconds_per_epoch']:.3f} | {r['ratio_to_fastest_autodiff']:.2f} "
                         f"| {r['ratio_to_keras']:.2f} | {r['gflops']:.1f} | {100 * r['fraction_of_peak']:.1f}% "
                         f"| {r['final_train_loss']:.4f} | {r['final_val_loss']:.4f} |")
    return "\n".join(lines)


# --sweep: the same bench at several sizes, to see how the cost grows
SWEEP_KEYS = {"batch": ("stacked", "conv", "recurrent"), "width": ("conv",)}
SWEEP_IMAGES = {"stacked": 16384, "conv": 4096, "recurrent": 2048}    # images per epoch at each point
SWEEP_WIDTH_IMAGES = 256


def parse_sweep(model_name, text):
    """'batch=16,32,64' -> ("batch", [16, 32, 64]); a clear ValueError for anything else."""
    key, sep, values = str(text).partition("=")
    key = key.strip()
    if not sep or key not in SWEEP_KEYS:
        raise ValueError(f"--sweep is KEY=V1,V2,... with KEY one of {', '.join(SWEEP_KEYS)}, not {text!r} "
                         "(e.g. --sweep batch=16,32,64,128,256)")
    if model_name not in SWEEP_KEYS[key]:
        raise ValueError(f"--sweep {key}=... is for {', '.join(SWEEP_KEYS[key])}, not {model_name}: only the "
                         "conv model has a width to sweep (its widest layer's channels)")
    try:
        points = [int(v) for v in values.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"--sweep {key}=: whole numbers separated by commas, not {values!r}") from None
    if not points or min(points) < 1 or len(set(points)) != len(points):
        raise ValueError(f"--sweep {key}=: distinct positive whole numbers, not {values!r}")
    if key == "width" and any(p % 4 for p in points):
        raise ValueError(f"--sweep width=: multiples of 4 (width W gives the encoder W/4, W/2, W channels, "
                         f"as the post's 16, 32, 64), not {values!r}")
    return key, sorted(points)


def sweep(model_name, key, points, epochs=3, n_train=None, batch_size=None, json_path=None, plot_path=None,
          data_dir=None, out=print):
    """The bench at each point of `key` (batch size, or the conv model's width W: channels W/4, W/2, W),
    on the same n_train images. Returns {model, key, points, n_train, epochs, results}: each point's
    full bench result (every row), and writes the JSON and the log-log plot when asked."""
    case = get_case(model_name)
    n_train = n_train or (SWEEP_WIDTH_IMAGES if key == "width" else SWEEP_IMAGES[model_name])
    data = datasets.load(case.dataset, data_dir=data_dir)
    results = []
    for i, value in enumerate(points, 1):
        options = {"channels": (value // 4, value // 2, value)} if key == "width" else {}
        batch = value if key == "batch" else (batch_size or case.batch_size)
        out(f"--- sweep {model_name} {key}={value} ({i} of {len(points)}) ---")
        results.append(main(model_name, batch_size=batch, epochs=epochs, n_train=n_train, out=out, options=options,
                            data=data))
    swept = dict(model=model_name, key=key, points=list(points), n_train=n_train, epochs=epochs,
                 batch_size=batch_size or case.batch_size, results=results)
    out(sweep_markdown(swept))
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(swept, f, indent=2)
    if plot_path:
        plot_sweep(swept, plot_path)
        out(f"plot: {plot_path}")
    return swept


def _sweep_label(swept):
    return "batch size" if swept["key"] == "batch" else "width W (channels W/4, W/2, W)"


def sweep_markdown(swept):
    """The sweep as a table: at each point our faster row and the fastest autodiff row, s/epoch and
    fraction of the matmul peak, and their ratio."""
    fixed = (f"batch {swept['batch_size']}, " if swept["key"] == "width" else "")
    lines = [f"{swept['model']}, sweep over {_sweep_label(swept)}: {fixed}{swept['n_train']} images per epoch, "
             f"median of {swept['epochs']} epochs", "",
             f"| {swept['key']} | GFLOP/epoch | ours (best row) s/epoch | ours, of peak | fastest autodiff "
             "| its s/epoch | its share of peak | ours / fastest | train loss, ours / Keras fit |",
             "|---|---|---|---|---|---|---|---|---|"]
    for value, res in zip(swept["points"], swept["results"]):
        best, fastest = res["rows"][res["best_ours"]], res["rows"][res["fastest_autodiff"]]
        which = "--xla" if "XLA" in res["best_ours"] else "plain"
        lines.append(f"| {value} | {res['gflop_per_epoch']:.1f} | {best['seconds_per_epoch']:.3f} ({which}) "
                     f"| {100 * best['fraction_of_peak']:.1f}% | {res['fastest_autodiff']} "
                     f"| {fastest['seconds_per_epoch']:.3f} | {100 * fastest['fraction_of_peak']:.1f}% "
                     f"| **{res['ratio_to_fastest_autodiff']:.2f}** "
                     f"| {best['final_train_loss']:.4f} / {res['rows'][KerasFit.name]['final_train_loss']:.4f} |")
    return "\n".join(lines)


def _leading_digit(v):
    return int(round(v / 10 ** math.floor(math.log10(v)))) if v > 0 else 0


def plot_sweep(swept, path):
    """Two log-log panels against the swept size: seconds per epoch, and the percentage of this
    machine's matmul peak; every row faint, ours (best row) and the fastest autodiff row bold."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
    xs, results = swept["points"], swept["results"]
    panels = (("seconds_per_epoch", 1.0, f"seconds per epoch ({swept['n_train']} images)"),
              ("fraction_of_peak", 100.0, "% of the fp32 matmul peak"))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, (field, scale, label) in zip(axes, panels):
        for name in results[0]["rows"]:
            ax.plot(xs, [scale * r["rows"][name][field] for r in results], lw=1, marker=".",
                    color="#9ecae1" if name.startswith("ours") else "0.75")
        ax.plot(xs, [scale * r["rows"][r["best_ours"]][field] for r in results], color="#08519c", lw=2.5, marker="o",
                label="ours (hand-written, the faster of plain and --xla)")
        ax.plot(xs, [scale * r["rows"][r["fastest_autodiff"]][field] for r in results], color="#cb181d", lw=2.5,
                marker="s", label="the fastest autodiff row at each point")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}" if _leading_digit(v) in (2, 5) else ""))
        ax.set_xlabel(_sweep_label(swept))
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"{swept['model']}: cost against {_sweep_label(swept)}, log-log (faint: every other row of the "
                 "bench)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
