"""Post 003: greedy layer-wise training. Train a shallow autoencoder (AE1: 784-100-784), then a
second one on AE1's codes (AE2: 100-30-100, MSE), then stack enc1, enc2, dec2, dec1 into the
stacked autoencoder and fine-tune it (SGD lr 0.1, 10 epochs)."""
import os

import numpy as np

from manual_ae.data import Dataset
from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward, mse_backward,
                              mse_forward, sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.layers.activations import SELU_ALPHA, SELU_SCALE
from manual_ae.models.base import Autoencoder, ImageAutoencoder, glorot_uniform
from manual_ae.models.stacked import Stacked


class GreedyAE1(ImageAutoencoder):
    """Stage 1: x -> codes = selu(x W1 + b1) (100) -> sigmoid(codes W2 + b2); BCE."""

    name = "greedy-ae1"
    post = "003"
    script = "scripts/post003_greedy_layerwise.py"
    description = "greedy stage 1: 784-100-784 (SELU / sigmoid, BCE)"
    defaults = dict(epochs=10, batch_size=32, lr=1.5, optimizer="sgd")
    reference = {"train_loss": 0.2768, "val_loss": 0.2781, "val_rounded_accuracy": 0.9462}

    def init_weights(self, rng, dtype=np.float32):
        return {"encoder_h1": glorot_uniform(rng, 784, 100, dtype), "encoder_b1": np.zeros(100, dtype),
                "decoder_h1": glorot_uniform(rng, 100, 784, dtype), "decoder_b1": np.zeros(784, dtype)}

    def forward(self, w, x, noise=None, training=True):
        codes, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        logits, c2 = dense_forward(codes, w["decoder_h1"], w["decoder_b1"])
        loss, c3 = sigmoid_bce_forward(logits, x)
        return loss, {"recon": c3[0], "codes": codes}, (c1, c2, c3)

    def backward(self, cache):
        c1, c2, c3 = cache
        g = {}
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_backward(sigmoid_bce_backward(1.0, c3), c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dcodes, c1, input_grad=False)
        return g


class GreedyAE2(Autoencoder):
    """Stage 2, on AE1's 100-D codes: codes -> selu(. W1 + b1) (30) -> selu(. W2 + b2) (100); MSE."""

    name = "greedy-ae2"
    post = "003"
    dataset = "greedy-ae1 codes"
    script = "scripts/post003_greedy_layerwise.py"
    description = "greedy stage 2: 100-30-100 SELU on stage 1's codes (MSE)"
    input_shape = (100,)
    defaults = dict(epochs=10, batch_size=32, lr=0.05, optimizer="sgd")
    reference = {"train_loss": 0.1704, "val_loss": 0.1687}

    def gradcheck_input(self, rng, batch):
        return rng.standard_normal((batch, 100))

    def init_weights(self, rng, dtype=np.float32):
        return {"encoder_h1": glorot_uniform(rng, 100, 30, dtype), "encoder_b1": np.zeros(30, dtype),
                "decoder_h1": glorot_uniform(rng, 30, 100, dtype), "decoder_b1": np.zeros(100, dtype)}

    def forward(self, w, x, noise=None, training=True):
        codes, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        recon, c2 = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu")
        loss, c3 = mse_forward(recon, x)
        return loss, {"recon": recon, "codes": codes}, (c1, c2, c3)

    def backward(self, cache):
        c1, c2, c3 = cache
        g = {}
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(mse_backward(1.0, c3), c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dcodes, c1, input_grad=False)
        return g


def _selu(z):
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * (np.exp(np.minimum(z, 0)) - 1))


def encode_with_ae1(weights, data):
    """AE1's codes of every split: the data set AE2 trains on."""
    def enc(x):
        return _selu(x.reshape(len(x), -1) @ weights["encoder_h1"] + weights["encoder_b1"]).astype(np.float32)
    return Dataset("greedy-ae1 codes", f"AE1 codes of {data.name}", enc(data.x_train), data.y_train, enc(data.x_val),
                   data.y_val, enc(data.x_test), data.y_test)


def stack(w1, w2):
    """The stacked autoencoder's weights from the two stages: enc1, enc2, dec2, dec1."""
    return {"encoder_h1": w1["encoder_h1"], "encoder_b1": w1["encoder_b1"],
            "encoder_h2": w2["encoder_h1"], "encoder_b2": w2["encoder_b1"],
            "decoder_h1": w2["decoder_h1"], "decoder_b1": w2["decoder_b1"],
            "decoder_h2": w1["decoder_h1"], "decoder_b2": w1["decoder_b1"]}


class Greedy:
    """The three-stage pipeline. `manual-ae train greedy` and the script run it."""

    name = "greedy"
    post = "003"
    dataset = "fashion-mnist"
    script = "scripts/post003_greedy_layerwise.py"
    description = "greedy layer-wise: AE1, AE2 on AE1's codes, then fine-tune the stack (lr 0.1)"
    defaults = dict(epochs=10, batch_size=32, lr=0.1, optimizer="sgd")
    finetune_reference = {"train_loss": 0.2839, "val_loss": 0.2857, "val_rounded_accuracy": 0.9371}

    def summary(self):
        return Autoencoder.summary(self)

    def run(self, data, out_dir, train, epochs=None, seed=42, **kw):
        """train: the trainer function; returns the three stages' metrics."""
        def hyper(defaults):  # the stage's post hyperparameters, with --epochs if one was given
            return {**defaults, **({"epochs": epochs} if epochs else {})}

        r1 = train(GreedyAE1(), data, os.path.join(out_dir, "stage1-ae1"), seed=seed, **hyper(GreedyAE1.defaults), **kw)
        w1 = dict(np.load(os.path.join(out_dir, "stage1-ae1", "weights.npz")))
        r2 = train(GreedyAE2(), encode_with_ae1(w1, data), os.path.join(out_dir, "stage2-ae2"), seed=seed,
                   **hyper(GreedyAE2.defaults), **kw)
        w2 = dict(np.load(os.path.join(out_dir, "stage2-ae2", "weights.npz")))
        r3 = train(Stacked(), data, os.path.join(out_dir, "stage3-finetune"), seed=seed, initial_weights=stack(w1, w2),
                   **hyper(self.defaults), **kw)
        return {"stage1-ae1": r1, "stage2-ae2": r2, "stage3-finetune": r3}
