"""Post 004's own stacked autoencoder (Geron's first edition, TF1): 784-300-150-300-784, ELU hidden
layers, a linear output, MSE, and L2 weight decay on every kernel.

    h1 = elu(x W1 + b1)  h2 = elu(h1 W2 + b2)  h3 = elu(h2 W3 + b3)  recon = h3 W4 + b4
    L  = mean((recon - x)^2) + sum_i scale * sum(W_i^2) / 2

The penalty reads the kernels, not the data: its gradient, scale * W_i, is added to each kernel's
gradient from the MSE (layers/regularizers.py). Biases are not penalised, as in the post.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              l2_penalty_backward, l2_penalty_forward, mse_backward, mse_forward)
from manual_ae.models.base import Model, he_truncated_normal, mirrored_dense_weights

KERNELS = ("encoder_h1", "encoder_h2", "decoder_h1", "decoder_h2")


class EluStacked(Model):
    options = dict(sizes=(784, 300, 150), l2=1e-4)
    option_ranges = {"l2": ">= 0"}

    def init_weights(self, rng, dtype=np.float32):
        return mirrored_dense_weights(rng, self.options["sizes"], dtype,
                                      kernel=lambda r, n_in, n_out: he_truncated_normal(r, n_in, n_out, dtype))

    def forward(self, w, x, noise=None, training=True):
        c = {}
        h1, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "elu")
        codes, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "elu")
        h3, c["decoder_h1"] = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "elu")
        recon, c["decoder_h2"] = dense_forward(h3, w["decoder_h2"], w["decoder_b2"])     # linear output
        mse, c["loss"] = mse_forward(recon, x)
        penalty = 0.0
        for k in KERNELS:
            p, c[f"l2_{k}"] = l2_penalty_forward(w[k], self.options["l2"])
            penalty += p
        return mse + penalty, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        drecon = mse_backward(1.0, c["loss"])
        dh3, g["decoder_h2"], g["decoder_b2"] = dense_backward(drecon, c["decoder_h2"])
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh3, c["decoder_h1"])
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dcodes, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)
        for k in KERNELS:                                   # each kernel is used twice: data term + penalty
            g[k] = g[k] + l2_penalty_backward(1.0, c[f"l2_{k}"])
        return g

    def metrics(self, x, outputs):
        """The reconstruction MSE alone (the post's "Train MSE"), without the penalty."""
        return {"mse": tf.reduce_mean(tf.square(outputs["recon"] - x))}
