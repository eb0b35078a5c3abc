"""Speed benchmark (not a test): our trainer vs Keras `fit` vs a `tf.GradientTape` loop.

Same architecture, same data, same initial weights, same batch size and learning rate. Prints
seconds per epoch (median), the ratio to Keras, achieved GFLOP/s (matrix products only) and the
final losses side by side. Autodiff and Keras appear here only as the things we compare against.
"""
import json
import os
import statistics
import tempfile
import time

import numpy as np
import tensorflow as tf

from manual_ae import data as datasets
from manual_ae.models import get_model
from manual_ae.train import train


def matmul_flops_per_example(sizes=(784, 100, 30, 100, 784)):
    """Forward x W, backward dW = x^T dz and dx = dz W^T, except dx of the first layer (it is data)."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    forward = sum(2 * a * b for a, b in pairs)
    return 3 * forward - 2 * sizes[0] * sizes[1]


def _keras_model(init):
    import keras
    model = keras.Sequential([keras.Input((784,)),
                              keras.layers.Dense(100, activation="selu"), keras.layers.Dense(30, activation="selu"),
                              keras.layers.Dense(100, activation="selu"), keras.layers.Dense(784, activation="sigmoid")])
    order = ["encoder_h1", "encoder_b1", "encoder_h2", "encoder_b2", "decoder_h1", "decoder_b1",
             "decoder_h2", "decoder_b2"]
    model.set_weights([init[k] for k in order])
    return model


def _val_loss(model, weights, x_val):
    w = {k: tf.constant(v) for k, v in weights.items()}
    return float(model.forward(w, tf.constant(x_val), {}, training=False)[0])


def run_ours(model, data, init_seed, batch_size, epochs, lr):
    with tempfile.TemporaryDirectory() as out:
        result = train(model, data, out, epochs=epochs, batch_size=batch_size, lr=lr, optimizer="sgd",
                       seed=init_seed, console=False, progress=False, make_figures=False)
        weights = dict(np.load(os.path.join(out, "weights.npz")))
    return [h["seconds"] for h in result["history"]], result["train_loss"], weights


def run_keras(init, x, batch_size, epochs, lr):
    import keras
    model = _keras_model(init)
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=lr))
    times = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.t0)

    hist = model.fit(x, x, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0, callbacks=[Timer()])
    names = ["encoder_h1", "encoder_b1", "encoder_h2", "encoder_b2", "decoder_h1", "decoder_b1",
             "decoder_h2", "decoder_b2"]
    return times, hist.history["loss"][-1], dict(zip(names, model.get_weights()))


def run_tape(init, x, batch_size, epochs, lr, seed):
    """The usual eager alternative: a GradientTape step compiled with tf.function, fed by tf.data."""
    import keras
    model = _keras_model(init)
    opt = keras.optimizers.SGD(learning_rate=lr)
    bce = keras.losses.BinaryCrossentropy()

    @tf.function
    def step(xb):
        with tf.GradientTape() as tape:
            loss = bce(xb, model(xb, training=True))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    ds = tf.data.Dataset.from_tensor_slices(x).shuffle(len(x), seed=seed).batch(batch_size).prefetch(2)
    times, loss = [], None
    for _ in range(epochs):
        t0, losses = time.perf_counter(), []
        for xb in ds:
            losses.append(step(xb) * xb.shape[0])
        times.append(time.perf_counter() - t0)
        loss = float(tf.add_n(losses)) / len(x)  # the epoch's running mean, as fit reports
    names = ["encoder_h1", "encoder_b1", "encoder_h2", "encoder_b2", "decoder_h1", "decoder_b1",
             "decoder_h2", "decoder_b2"]
    return times, loss, dict(zip(names, [v.numpy() for v in model.weights]))


def main(model_name="stacked", batch_size=32, epochs=3, json_path=None, data_dir=None, n_train=None, seed=42,
         out=print):
    model = get_model(model_name)
    lr = model.defaults["lr"]
    data = datasets.load(model.dataset, data_dir=data_dir)
    if n_train:
        data = data.subset(n_train, len(data.x_val), len(data.x_test))
    x = data.x_train.reshape(len(data.x_train), -1)
    x_val = data.x_val.reshape(len(data.x_val), -1)
    init = model.init_weights(np.random.default_rng(seed), np.float32)
    gflop = matmul_flops_per_example() * len(x) / 1e9
    out(f"bench {model_name}: {len(x)} images, batch {batch_size}, {epochs} epochs, SGD lr {lr}, "
        f"same initial weights; {gflop:.1f} GFLOP of matrix products per epoch")
    rows = {}
    for how, fn in (("ours (hand-written, tf.compat.v1 while loop)", lambda: run_ours(model, data, seed, batch_size,
                                                                                      epochs, lr)),
                    ("keras model.fit", lambda: run_keras(init, x, batch_size, epochs, lr)),
                    ("GradientTape + tf.function", lambda: run_tape(init, x, batch_size, epochs, lr, seed))):
        times, train_loss, weights = fn()
        rows[how] = dict(seconds_per_epoch=statistics.median(times), epoch_seconds=times, final_train_loss=train_loss,
                         final_val_loss=_val_loss(model, weights, x_val))
    keras_s = rows["keras model.fit"]["seconds_per_epoch"]
    out(f"{'how':<46} {'s/epoch':>8} {'x Keras':>8} {'GFLOP/s':>8} {'train loss':>11} {'val loss':>9}")
    for how, r in rows.items():
        r["ratio_to_keras"] = r["seconds_per_epoch"] / keras_s
        r["gflops"] = gflop / r["seconds_per_epoch"]
        out(f"{how:<46} {r['seconds_per_epoch']:>8.3f} {r['ratio_to_keras']:>8.2f} {r['gflops']:>8.1f} "
            f"{r['final_train_loss']:>11.4f} {r['final_val_loss']:>9.4f}")
    ours, ker = rows["ours (hand-written, tf.compat.v1 while loop)"], rows["keras model.fit"]
    diff = abs(ours["final_val_loss"] - ker["final_val_loss"]) / ker["final_val_loss"]
    out(f"val loss ours vs Keras: {100 * diff:.2f}% apart")
    result = dict(model=model_name, batch_size=batch_size, epochs=epochs, n_train=len(x), gflop_per_epoch=gflop,
                  tensorflow=tf.__version__, cpu_count=os.cpu_count(), rows=rows,
                  ratio_to_keras=ours["ratio_to_keras"], val_loss_rel_diff=diff)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return result
