"""Post 003: sparse autoencoders: 300 sigmoid coding units, most of them pushed toward 0 by a
penalty on their activations (L1, or KL divergence from a target mean activation of 0.1)."""
import os

import numpy as np

from manual_ae import figures
from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              kl_sparsity_backward, kl_sparsity_forward, l1_activity_backward, l1_activity_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageAutoencoder, glorot_uniform


class SparseL1(ImageAutoencoder):
    """x -> 100 selu -> codes 300 sigmoid (+ penalty) -> 100 selu -> 784 sigmoid; loss = BCE + penalty."""

    name = "sparse-l1"
    post = "003"
    script = "scripts/post003_sparse_autoencoders.py"
    description = "784-100-300 sigmoid codings + L1 activity 1e-3 / 300-100-784"
    defaults = dict(epochs=10, batch_size=32, lr=1.0, optimizer="sgd")
    reference = {"train_loss": 0.3205, "val_loss": 0.3212}

    def init_weights(self, rng, dtype=np.float32):
        return {"encoder_h1": glorot_uniform(rng, 784, 100, dtype), "encoder_b1": np.zeros(100, dtype),
                "encoder_h2": glorot_uniform(rng, 100, 300, dtype), "encoder_b2": np.zeros(300, dtype),
                "decoder_h1": glorot_uniform(rng, 300, 100, dtype), "decoder_b1": np.zeros(100, dtype),
                "decoder_h2": glorot_uniform(rng, 100, 784, dtype), "decoder_b2": np.zeros(784, dtype)}

    def penalty_forward(self, codes):
        return l1_activity_forward(codes, 1e-3)

    def penalty_backward(self, cache):
        return l1_activity_backward(1.0, cache)

    def forward(self, w, x, noise=None, training=True):
        h1, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c2 = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "sigmoid")
        penalty, cp = self.penalty_forward(codes)
        h3, c3 = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu")
        logits, c4 = dense_forward(h3, w["decoder_h2"], w["decoder_b2"])
        bce, c5 = sigmoid_bce_forward(logits, x)
        return bce + penalty, {"recon": c5[0], "codes": codes}, (c1, c2, cp, c3, c4, c5)

    def backward(self, cache):
        c1, c2, cp, c3, c4, c5 = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c5)
        dh3, g["decoder_h2"], g["decoder_b2"] = dense_backward(dlogits, c4)
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh3, c3)
        dcodes += self.penalty_backward(cp)  # the codes feed the decoder and the penalty: both paths add
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dcodes, c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c1, input_grad=False)
        return g

    def report(self, predict, data, weights=None):
        codes = predict(data.x_val)["codes"]
        unit_means = codes.mean(axis=0)
        return {"mean_code_activation": float(codes.mean()),
                "fraction_of_units_mean_below_0.1": float(np.mean(unit_means < 0.1)),
                "fraction_of_activations_below_0.1": float(np.mean(codes < 0.1))}

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Reconstructions, and histograms of the coding activations: all of them, and per-unit means."""
        paths = super().figures(predict, data, snapshots, out_dir, weights)
        codes = predict(data.x_val)["codes"]
        paths.append(figures.save(figures.sparsity_figure(codes, f"{self.name} ({data.name})"),
                                  os.path.join(out_dir, "sparsity.png")))
        return paths


class SparseKL(SparseL1):
    name = "sparse-kl"
    description = "784-100-300 sigmoid codings + KL(0.1 || mean activation), weight 0.05"
    reference = {"train_loss": 0.3044, "val_loss": 0.3053, "val_rounded_accuracy": 0.9174}
    target, weight = 0.1, 0.05
    loss_depends_on_batch = True  # the penalty is divided by the batch size (see kl_sparsity_forward)

    def penalty_forward(self, codes):
        return kl_sparsity_forward(codes, self.target, self.weight)

    def penalty_backward(self, cache):
        return kl_sparsity_backward(1.0, cache)
