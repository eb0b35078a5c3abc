"""Posts 003 / 004: the stacked autoencoder 784-100-30-100-784 (SELU, sigmoid output, log loss)."""
import numpy as np

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageAutoencoder, glorot_uniform


class Stacked(ImageAutoencoder):
    """x (N, 784) -> 100 selu -> codes 30 selu -> 100 selu -> 784 logits -> sigmoid; BCE.

    The output sigmoid and the log loss are fused on the logits (dL/dlogits = (y_hat - x) / K),
    which is what Keras computes for a sigmoid output with binary_crossentropy.
    """

    name = "stacked"
    post = "003, 004"
    script = "scripts/post003_stacked_autoencoder.py, scripts/post004_stacked_mnist.py"
    description = "784-100-30-100-784 SELU, sigmoid output, BCE"
    defaults = dict(epochs=20, batch_size=32, lr=1.5, optimizer="sgd")
    reference = {"train_loss": 0.2814, "val_loss": 0.2835, "val_rounded_accuracy": 0.9370}
    sizes = (784, 100, 30)

    def init_weights(self, rng, dtype=np.float32):
        d, h, c = self.sizes
        return {"encoder_h1": glorot_uniform(rng, d, h, dtype), "encoder_b1": np.zeros(h, dtype),
                "encoder_h2": glorot_uniform(rng, h, c, dtype), "encoder_b2": np.zeros(c, dtype),
                "decoder_h1": glorot_uniform(rng, c, h, dtype), "decoder_b1": np.zeros(h, dtype),
                "decoder_h2": glorot_uniform(rng, h, d, dtype), "decoder_b2": np.zeros(d, dtype)}

    def corrupt(self, x, noise):
        """The input as the encoder sees it (denoising autoencoders add noise here)."""
        return x

    def forward(self, w, x, noise=None, training=True):
        x_in = self.corrupt(x, noise) if noise else x  # noise has no weights: nothing to backprop into
        h1, c1 = dense_act_forward(x_in, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c2 = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        h3, c3 = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu")
        logits, c4 = dense_forward(h3, w["decoder_h2"], w["decoder_b2"])
        loss, c5 = sigmoid_bce_forward(logits, x)  # the target is always the clean x
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
