"""An autoencoder with one hidden layer: post 003's PCA autoencoder, its SELU variant, and the two
stages of greedy layer-wise training.

    codes = act(x W1 + b1)                     (N, H)
    loss "mse":  recon = act(codes W2 + b2),   L = mean((recon - x)^2)
    loss "bce":  recon = sigmoid(codes W2 + b2), L = log loss, fused on the logits

N examples of D values; `sizes` = (D, H). With act "identity" and MSE, the best such a network
can do is project onto the top-H principal subspace: it performs PCA.
"""
import numpy as np

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward, mse_backward,
                              mse_forward, rounded_accuracy, sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.layers.activations import ACTIVATIONS
from manual_ae.models.base import Model, check_choice, mirrored_dense_weights


class ShallowAE(Model):
    options = dict(sizes=(3, 2), act="identity", loss="mse")

    def validate_options(self):
        sizes = self.options["sizes"]
        if len(sizes) != 2 or min(sizes) < 1:
            raise ValueError(f"{self.label}: option sizes is {sizes!r}; expected two positive widths D,H")
        check_choice(self.label, "loss", self.options["loss"], ("mse", "bce"))
        check_choice(self.label, "act", self.options["act"], tuple(sorted(ACTIVATIONS)))

    @property
    def input_shape(self):
        return (self.options["sizes"][0],)

    def gradcheck_input(self, rng, batch):
        if self.options["loss"] == "bce":
            return super().gradcheck_input(rng, batch)   # images in [0, 1]
        return rng.standard_normal((batch,) + self.input_shape)

    def init_weights(self, rng, dtype=np.float32):
        return mirrored_dense_weights(rng, self.options["sizes"], dtype)

    def forward(self, w, x, noise=None, training=True):
        c = {}
        act = self.options["act"]
        codes, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], act)
        if self.options["loss"] == "bce":
            logits, c["decoder_h1"] = dense_forward(codes, w["decoder_h1"], w["decoder_b1"])
            loss, recon, c["loss"] = sigmoid_bce_forward(logits, x)
        else:
            recon, c["decoder_h1"] = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], act)
            loss, c["loss"] = mse_forward(recon, x)
        return loss, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        if self.options["loss"] == "bce":
            dcodes, g["decoder_h1"], g["decoder_b1"] = dense_backward(sigmoid_bce_backward(1.0, c["loss"]),
                                                                      c["decoder_h1"])
        else:
            dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(mse_backward(1.0, c["loss"]),
                                                                          c["decoder_h1"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dcodes, c["encoder_h1"], input_grad=False)  # x is data
        return g

    def metrics(self, x, outputs):
        return {"rounded_accuracy": rounded_accuracy(outputs["recon"], x)} if self.options["loss"] == "bce" else {}
