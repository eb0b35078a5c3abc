"""Post 003: sparse autoencoders: 300 sigmoid coding units, most of them pushed toward 0 by a
penalty on their activations (L1, or KL divergence from a target mean activation).

    x -> 100 selu -> codes 300 sigmoid (+ penalty) -> 100 selu -> 784 sigmoid; loss = BCE + penalty
"""
import numpy as np

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              kl_sparsity_backward, kl_sparsity_forward, l1_activity_backward, l1_activity_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageModel, check_choice, mirrored_dense_weights


class Sparse(ImageModel):
    """`penalty` "l1": weight * sum|codes| / N;  "kl": weight * sum_u KL(target || mean_n codes) / N."""

    options = dict(sizes=(784, 100, 300), penalty="l1", weight=1e-3, target=0.1)
    option_ranges = {"weight": ">= 0", "target": "in (0, 1)"}

    def validate_options(self):
        check_choice(self.label, "penalty", self.options["penalty"], ("l1", "kl"))

    @property
    def uses_batch_statistics(self):
        return self.options["penalty"] == "kl"   # the KL penalty reads the batch's mean activation

    def init_weights(self, rng, dtype=np.float32):
        return mirrored_dense_weights(rng, self.options["sizes"], dtype)

    def forward(self, w, x, noise=None, training=True):
        c = {}
        o = self.options
        h1, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "sigmoid")
        if o["penalty"] == "l1":
            penalty, c["penalty"] = l1_activity_forward(codes, o["weight"])
        else:
            penalty, c["penalty"] = kl_sparsity_forward(codes, o["target"], o["weight"])
        h3, c["decoder_h1"] = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu")
        logits, c["decoder_h2"] = dense_forward(h3, w["decoder_h2"], w["decoder_b2"])
        bce, recon, c["loss"] = sigmoid_bce_forward(logits, x)
        return bce + penalty, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dh3, g["decoder_h2"], g["decoder_b2"] = dense_backward(dlogits, c["decoder_h2"])
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh3, c["decoder_h1"])
        if self.options["penalty"] == "l1":
            dpenalty = l1_activity_backward(1.0, c["penalty"])
        else:
            dpenalty = kl_sparsity_backward(1.0, c["penalty"])
        dcodes += dpenalty  # the codes feed the decoder and the penalty: both paths add
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dcodes, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)
        return g
