"""Posts 003 / 004: the stacked autoencoder 784-100-30-100-784 (SELU, sigmoid output, log loss),
and its denoising form (noise on the input in training, the clean image as the target)."""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward, dropout_forward,
                              dropout_mask, gaussian_noise_forward, mse_backward, mse_forward, sigmoid_backward,
                              sigmoid_bce_backward, sigmoid_bce_forward, sigmoid_forward)
from manual_ae.models.base import ImageModel, check_choice, mirrored_dense_weights


class Stacked(ImageModel):
    """x (N, 784) -> 100 selu -> codes 30 selu -> 100 selu -> 784 logits -> sigmoid; BCE.

    The output sigmoid and the log loss are fused on the logits (dL/dlogits = (y_hat - x) / K),
    which is what Keras computes for a sigmoid output with binary_crossentropy.
    `noise` = "gaussian" (x + N(0, noise_level^2)) or "dropout" (rate noise_level) corrupts the
    input in training only; the target is always the clean x (post 003's denoising autoencoders).
    `loss` = "mse" trains the same sigmoid output on the mean squared error instead (post 003 says the
    log loss converges faster): dL/dlogits = 2 (y_hat - x) / K * y_hat (1 - y_hat), the sigmoid's
    slope now left in, so a saturated wrong pixel barely moves.
    """

    options = dict(sizes=(784, 100, 30), noise="none", noise_level=0.0, loss="bce")
    option_ranges = {"noise_level": ">= 0"}

    @property
    def noise_keys(self):
        """The sample its noise option reads: "noise" (gaussian), "keep" (dropout), none."""
        return {"gaussian": ("noise",), "dropout": ("keep",)}.get(self.options["noise"], ())

    def validate_options(self):
        check_choice(self.label, "noise", self.options["noise"], ("none", "gaussian", "dropout"))
        check_choice(self.label, "loss", self.options["loss"], ("bce", "mse"))
        if self.options["noise"] == "dropout" and not self.options["noise_level"] < 1:
            raise ValueError(f"{self.label}: option noise_level is {self.options['noise_level']!r}; expected a dropout "
                             "rate below 1 (at 1 every input is dropped)")

    def init_weights(self, rng, dtype=np.float32):
        return mirrored_dense_weights(rng, self.options["sizes"], dtype)

    def sample_noise(self, x, training):
        kind, level = self.options["noise"], self.options["noise_level"]
        if not training or kind == "none":
            return {}
        if kind == "gaussian":
            return {"noise": level * tf.random.normal(tf.shape(x), dtype=x.dtype)}
        return {"keep": dropout_mask(tf.shape(x), level, x.dtype)}

    def corrupt(self, x, noise):
        """The input as the encoder sees it. Noise has no weights: nothing to backprop into."""
        if "noise" in noise:
            return gaussian_noise_forward(x, noise["noise"])[0]
        if "keep" in noise:
            return dropout_forward(x, noise["keep"], self.options["noise_level"])[0]
        return x

    def forward(self, w, x, noise=None, training=True):
        c = {}
        x_in = self.corrupt(x, noise or {})
        h1, c["encoder_h1"] = dense_act_forward(x_in, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        h3, c["decoder_h1"] = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu")
        logits, c["decoder_h2"] = dense_forward(h3, w["decoder_h2"], w["decoder_b2"])
        if self.options["loss"] == "mse":
            recon, c["sigmoid"] = sigmoid_forward(logits)
            loss, c["loss"] = mse_forward(recon, x)
        else:
            loss, recon, c["loss"] = sigmoid_bce_forward(logits, x)  # the target is always the clean x
        return loss, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        if self.options["loss"] == "mse":
            dlogits = sigmoid_backward(mse_backward(1.0, c["loss"]), c["sigmoid"])
        else:
            dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dh3, g["decoder_h2"], g["decoder_b2"] = dense_backward(dlogits, c["decoder_h2"])
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh3, c["decoder_h1"])
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dcodes, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)  # x is data
        return g

    def metrics(self, x, outputs):
        """Rounded accuracy, and the pixel MSE: one unit in which the BCE and MSE variants compare."""
        return {**super().metrics(x, outputs), "mse": tf.reduce_mean(tf.square(outputs["recon"] - x))}
