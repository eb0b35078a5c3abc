"""Posts 003 / 004: the stacked autoencoder 784-100-30-100-784 (SELU, sigmoid output, log loss)."""
import os

import numpy as np

from manual_ae import figures
from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              rounded_accuracy, sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import Autoencoder, glorot_uniform


class Stacked(Autoencoder):
    """x (N, 784) -> 100 selu -> codes 30 selu -> 100 selu -> 784 logits -> sigmoid; BCE.

    The output sigmoid and the log loss are fused on the logits (dL/dlogits = (y_hat - x) / K),
    which is what Keras computes for a sigmoid output with binary_crossentropy.
    """

    name = "stacked"
    post = "003, 004"
    dataset = "fashion-mnist"
    script = "scripts/post003_stacked_autoencoder.py, scripts/post004_stacked_mnist.py"
    description = "784-100-30-100-784 SELU, sigmoid output, BCE"
    defaults = dict(epochs=20, batch_size=32, lr=1.5, optimizer="sgd")
    metric = "rounded_accuracy"
    reference = {"train_loss": 0.2814, "val_loss": 0.2835, "val_rounded_accuracy": 0.9370}
    sizes = (784, 100, 30)

    def init_weights(self, rng, dtype=np.float32):
        d, h, c = self.sizes
        return {"encoder_h1": glorot_uniform(rng, d, h, dtype), "encoder_b1": np.zeros(h, dtype),
                "encoder_h2": glorot_uniform(rng, h, c, dtype), "encoder_b2": np.zeros(c, dtype),
                "decoder_h1": glorot_uniform(rng, c, h, dtype), "decoder_b1": np.zeros(h, dtype),
                "decoder_h2": glorot_uniform(rng, h, d, dtype), "decoder_b2": np.zeros(d, dtype)}

    def forward(self, w, x, noise=None, training=True):
        h1, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c2 = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        h3, c3 = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu")
        logits, c4 = dense_forward(h3, w["decoder_h2"], w["decoder_b2"])
        loss, c5 = sigmoid_bce_forward(logits, x)
        recon = c5[0]  # sigmoid(logits), computed once by the fused loss
        return loss, {"recon": recon, "codes": codes}, (c1, c2, c3, c4, c5)

    def backward(self, cache):
        c1, c2, c3, c4, c5 = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c5)
        dh3, g["decoder_h2"], g["decoder_b2"] = dense_backward(dlogits, c4)
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh3, c3)
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dcodes, c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c1, input_grad=False)  # x is data: no dx
        return g

    def metrics(self, x, outputs):
        return {"rounded_accuracy": rounded_accuracy(outputs["recon"], x)}

    def figures(self, predict, data, snapshots, out_dir):
        originals = data.x_val[:10]
        recon = predict(originals)["recon"]
        paths = [figures.save(figures.reconstructions_figure(originals, recon, f"{self.name} ({data.name})"),
                              os.path.join(out_dir, "reconstructions.png"))]
        if snapshots.get("recon"):
            frames = [figures.fig_to_array(figures.reconstructions_figure(
                snapshots["inputs"][:10], r[:10], f"{self.name}: epoch {e}"))
                for e, r in zip(snapshots["epoch"], snapshots["recon"])]
            paths.append(figures.save_gif(frames, os.path.join(out_dir, "reconstructions.gif")))
        return paths
