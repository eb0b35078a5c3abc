"""Speed benchmark (not a test): our trainer vs Keras `fit` vs a `tf.GradientTape` loop.

Same architecture, same data, same initial weights, same batch size and learning rate. Prints
seconds per epoch (median), the ratio to Keras, achieved GFLOP/s (matrix products only) and the
final losses side by side. Autodiff and Keras appear here only as the things we compare against.
"""
import json
import math
import os
import statistics
import time

import numpy as np
import tensorflow as tf

from manual_ae import data as datasets
from manual_ae.models import get_model
from manual_ae.train.graph import build_training_graph
from manual_ae.train.trainer import CHUNKS_PER_EPOCH


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
    model.set_weights([init[k] for k in NAMES])
    return model


NAMES = ["encoder_h1", "encoder_b1", "encoder_h2", "encoder_b2", "decoder_h1", "decoder_b1", "decoder_h2", "decoder_b2"]


def _val_loss(model, weights, x_val):
    w = {k: tf.constant(v) for k, v in weights.items()}
    return float(model.forward(w, tf.constant(x_val), {}, training=False)[0])


class Ours:
    """Our trainer's step loop (train/graph.py), chunked as the trainer runs it."""

    name = "ours (hand-written, tf.compat.v1 while loop)"

    def __init__(self, model, init, x, batch_size, lr, seed):
        self.g = build_training_graph(model, init, x, batch_size, "sgd", lr, seed)
        self.sess = tf.compat.v1.Session(graph=self.g.graph)
        feeds = {self.g.weight_inits[k]: v for k, v in init.items()}
        feeds[self.g.data_init] = x
        self.sess.run(self.g.init, feeds)
        self.n, self.batch, self.seed, self.epochs = len(x), batch_size, seed, 0
        self.steps = math.ceil(self.n / batch_size)
        self.chunk = max(1, math.ceil(self.steps / CHUNKS_PER_EPOCH))

    def epoch(self):
        self.epochs += 1
        order = np.random.default_rng([self.seed, self.epochs]).permutation(self.n).astype(np.int32)
        self.sess.run(self.g.set_perm, {self.g.perm_init: order})
        t0, total = time.perf_counter(), 0.0
        for start in range(0, self.steps, self.chunk):
            _, loss_sum, _ = self.sess.run(self.g.loop, {self.g.start: start,
                                                         self.g.stop: min(start + self.chunk, self.steps)})
            total += loss_sum
        self.loss = total / self.n
        return time.perf_counter() - t0

    def weights(self):
        return self.sess.run(self.g.weights)


class KerasFit:
    name = "keras model.fit"

    def __init__(self, init, x, batch_size, lr):
        import keras
        self.model = _keras_model(init)
        self.model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=lr))
        self.x, self.batch = x, batch_size

    def epoch(self):
        t0 = time.perf_counter()
        hist = self.model.fit(self.x, self.x, batch_size=self.batch, epochs=1, shuffle=True, verbose=0)
        self.loss = hist.history["loss"][-1]
        return time.perf_counter() - t0

    def weights(self):
        return dict(zip(NAMES, self.model.get_weights()))


class TapeLoop:
    """The usual eager alternative: a GradientTape step compiled with tf.function, fed by tf.data."""

    name = "GradientTape + tf.function"

    def __init__(self, init, x, batch_size, lr, seed):
        import keras
        self.model = _keras_model(init)
        opt = keras.optimizers.SGD(learning_rate=lr)
        bce = keras.losses.BinaryCrossentropy()
        model = self.model

        @tf.function
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
        return dict(zip(NAMES, [v.numpy() for v in self.model.weights]))


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
    runners = [Ours(model, init, x, batch_size, lr, seed), KerasFit(init, x, batch_size, lr),
               TapeLoop(init, x, batch_size, lr, seed)]
    times = {r.name: [] for r in runners}
    # Round-robin, one epoch each in turn, so a noisy neighbour on a shared machine slows all three alike.
    for _ in range(epochs):
        for r in runners:
            times[r.name].append(r.epoch())
    rows = {r.name: dict(seconds_per_epoch=statistics.median(times[r.name]), epoch_seconds=times[r.name],
                         final_train_loss=r.loss, final_val_loss=_val_loss(model, r.weights(), x_val))
            for r in runners}
    keras_s = rows["keras model.fit"]["seconds_per_epoch"]
    out(f"{'how':<46} {'s/epoch':>8} {'x Keras':>8} {'GFLOP/s':>8} {'train loss':>11} {'val loss':>9}")
    for how, r in rows.items():
        r["ratio_to_keras"] = r["seconds_per_epoch"] / keras_s
        r["gflops"] = gflop / r["seconds_per_epoch"]
        out(f"{how:<46} {r['seconds_per_epoch']:>8.3f} {r['ratio_to_keras']:>8.2f} {r['gflops']:>8.1f} "
            f"{r['final_train_loss']:>11.4f} {r['final_val_loss']:>9.4f}")
    ours, ker = rows[Ours.name], rows[KerasFit.name]
    diff = abs(ours["final_val_loss"] - ker["final_val_loss"]) / ker["final_val_loss"]
    diff_train = abs(ours["final_train_loss"] - ker["final_train_loss"]) / ker["final_train_loss"]
    out(f"ours vs Keras: train loss {100 * diff_train:.2f}% apart, val loss {100 * diff:.2f}% apart "
        f"(different shuffles: the val loss after the last step carries SGD's step-to-step noise)")
    result = dict(model=model_name, batch_size=batch_size, epochs=epochs, n_train=len(x), gflop_per_epoch=gflop,
                  tensorflow=tf.__version__, cpu_count=os.cpu_count(), rows=rows,
                  ratio_to_keras=ours["ratio_to_keras"], val_loss_rel_diff=diff, train_loss_rel_diff=diff_train)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return result
