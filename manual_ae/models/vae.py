"""Post 004: the variational autoencoder that generates new images.

    encoder  784 -150 selu -100 selu -> mean (10), logvar (10)
    sample   z = mean + exp(logvar / 2) * eps,  eps ~ N(0, I)   (also at evaluation, as Keras's
             Sampling layer does, so validation losses compare with the reference)
    decoder  z -100 selu -150 selu -784 sigmoid
    loss     BCE (mean over pixels) + mean_n(-1/2 sum(1 + logvar - exp(logvar) - mean^2)) / D

D, the number of pixels, puts the KL term on the per-pixel scale of the BCE; it is read from x.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              gaussian_sample_backward, gaussian_sample_forward, kl_latent_backward, kl_latent_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageModel, glorot_uniform


class VAE(ImageModel):
    options = dict(sizes=(784, 150, 100), codings=10)
    noise_keys = noise_required = ("eps",)

    def init_weights(self, rng, dtype=np.float32):
        d, h1, h2 = self.options["sizes"]
        k = self.options["codings"]
        sizes = [("encoder_h1", "encoder_b1", d, h1), ("encoder_h2", "encoder_b2", h1, h2),
                 ("mean_h", "mean_b", h2, k), ("logvar_h", "logvar_b", h2, k),
                 ("decoder_h1", "decoder_b1", k, h2), ("decoder_h2", "decoder_b2", h2, h1),
                 ("decoder_h3", "decoder_b3", h1, d)]
        w = {}
        for wk, bk, n_in, n_out in sizes:
            w[wk], w[bk] = glorot_uniform(rng, n_in, n_out, dtype), np.zeros(n_out, dtype)
        return w

    def sample_noise(self, x, training):
        return {"eps": tf.random.normal(tf.stack([tf.shape(x)[0], self.options["codings"]]), dtype=x.dtype)}

    def decoder_forward(self, w, z, c):
        """z (N, K) -> logits (N, D); fills the decoder's entries of the cache c."""
        h4, c["decoder_h1"] = dense_act_forward(z, w["decoder_h1"], w["decoder_b1"], "selu")
        h5, c["decoder_h2"] = dense_act_forward(h4, w["decoder_h2"], w["decoder_b2"], "selu")
        logits, c["decoder_h3"] = dense_forward(h5, w["decoder_h3"], w["decoder_b3"])
        return logits

    def forward(self, w, x, noise=None, training=True):
        c = {}
        pixels = tf.cast(tf.shape(x)[1], x.dtype)
        h1, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        h2, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        mean, c["mean_h"] = dense_forward(h2, w["mean_h"], w["mean_b"])
        logvar, c["logvar_h"] = dense_forward(h2, w["logvar_h"], w["logvar_b"])
        z, c["sample"] = gaussian_sample_forward(mean, logvar, noise["eps"])
        logits = self.decoder_forward(w, z, c)
        bce, recon, c["loss"] = sigmoid_bce_forward(logits, x)
        kl, c["kl"] = kl_latent_forward(mean, logvar, 1.0 / pixels)
        return bce + kl, {"recon": recon, "codes": mean}, c

    def backward(self, c):
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dh5, g["decoder_h3"], g["decoder_b3"] = dense_backward(dlogits, c["decoder_h3"])
        dh4, g["decoder_h2"], g["decoder_b2"] = dense_act_backward(dh5, c["decoder_h2"])
        dz, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh4, c["decoder_h1"])
        dmean, dlogvar = gaussian_sample_backward(dz, c["sample"])
        dmean_kl, dlogvar_kl = kl_latent_backward(1.0, c["kl"])
        dmean, dlogvar = dmean + dmean_kl, dlogvar + dlogvar_kl    # both heads feed the sample and the KL term
        dh2_from_mean, g["mean_h"], g["mean_b"] = dense_backward(dmean, c["mean_h"])
        dh2_from_logvar, g["logvar_h"], g["logvar_b"] = dense_backward(dlogvar, c["logvar_h"])
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dh2_from_mean + dh2_from_logvar, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)
        return g

    def decode(self, weights, z):
        """Images (N, D) from codings z (N, K), NumPy in and out (eager)."""
        w = {k: tf.constant(v) for k, v in weights.items()}
        return tf.sigmoid(self.decoder_forward(w, tf.constant(z, tf.float32), {})).numpy()
