"""Post 001: an MLP autoencoder that compresses MNIST to a 2-D code.

784-128-64-10 sigmoid, linear 2-D code, 2-10-64-128 sigmoid, sigmoid 784 output; MSE on the
probabilities. Weights and biases start N(0, 1) as in the post's `tf.random_normal`.
"""
import numpy as np

from manual_ae.layers import dense_act_backward, dense_act_forward, mse_backward, mse_forward
from manual_ae.models.base import Model, mirrored_dense_weights


class Deep2D(Model):
    options = dict(sizes=(784, 128, 64, 10, 2))

    def init_weights(self, rng, dtype=np.float32):
        return mirrored_dense_weights(rng, self.options["sizes"], dtype,
                                      kernel=lambda r, n_in, n_out: r.standard_normal((n_in, n_out)).astype(dtype),
                                      bias=lambda r, n: r.standard_normal(n).astype(dtype))

    def forward(self, w, x, noise=None, training=True):
        c = {}
        h1, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "sigmoid")
        h2, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "sigmoid")
        h3, c["encoder_h3"] = dense_act_forward(h2, w["encoder_h3"], w["encoder_b3"], "sigmoid")
        codes, c["encoder_h4"] = dense_act_forward(h3, w["encoder_h4"], w["encoder_b4"], "identity")
        h5, c["decoder_h1"] = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "sigmoid")
        h6, c["decoder_h2"] = dense_act_forward(h5, w["decoder_h2"], w["decoder_b2"], "sigmoid")
        h7, c["decoder_h3"] = dense_act_forward(h6, w["decoder_h3"], w["decoder_b3"], "sigmoid")
        recon, c["decoder_h4"] = dense_act_forward(h7, w["decoder_h4"], w["decoder_b4"], "sigmoid")
        loss, c["loss"] = mse_forward(recon, x)
        return loss, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        drecon = mse_backward(1.0, c["loss"])
        dh7, g["decoder_h4"], g["decoder_b4"] = dense_act_backward(drecon, c["decoder_h4"])
        dh6, g["decoder_h3"], g["decoder_b3"] = dense_act_backward(dh7, c["decoder_h3"])
        dh5, g["decoder_h2"], g["decoder_b2"] = dense_act_backward(dh6, c["decoder_h2"])
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh5, c["decoder_h1"])
        dh3, g["encoder_h4"], g["encoder_b4"] = dense_act_backward(dcodes, c["encoder_h4"])
        dh2, g["encoder_h3"], g["encoder_b3"] = dense_act_backward(dh3, c["encoder_h3"])
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dh2, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)  # x is data
        return g
