"""Post 004's own variational autoencoder (Geron's first edition, TF1), which generates digits.

    encoder  784 -500 elu -500 elu -> mean (20), and a second head of 20, both linear
    head "sigma"   (as published)  s = the head's output,   z = mean + s * eps
                   latent = 1/2 sum (s^2 + mean^2 - 1 - log(1e-10 + s^2))
    head "logvar"  (Geron's fix)   gamma = the head's output, z = mean + exp(gamma / 2) * eps
                   latent = 1/2 sum (exp(gamma) + mean^2 - 1 - gamma)
    decoder  z -500 elu -500 elu -784 logits -> sigmoid
    loss     sum over the batch and the pixels of the log loss on the logits + latent (summed over the batch)

He initialisation on every kernel (TF1's variance_scaling_initializer), zero biases. The loss is a
sum over the batch, as the post wrote it: its size grows with the batch (reported per batch of the
training batch size, `loss_reduction = "sum"`). Both heads' gradients, and what the 1e-10 does as
sigma crosses 0, are derived in docs/vae.md.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              gaussian_sample_backward, gaussian_sample_forward, kl_latent_backward, kl_latent_forward,
                              kl_latent_sigma_backward, kl_latent_sigma_forward, sigma_sample_backward,
                              sigma_sample_forward, sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageModel, check_choice, he_truncated_normal


class DigitVAE(ImageModel):
    options = dict(sizes=(784, 500, 500), codings=20, head="sigma")
    noise_keys = noise_required = ("eps",)
    outputs = ("recon", "codes", "sigma", "reconstruction", "latent")   # the last two: the loss's parts (scalars)
    loss_reduction = "sum"   # the loss sums over the batch: evaluation reports it per training batch
    mean_metrics = ("rounded_accuracy", "min_abs_sigma")

    def validate_options(self):
        check_choice(self.label, "head", self.options["head"], ("sigma", "logvar"))

    def gradcheck_config(self):
        return self.configured(sizes=(784, 24, 16), codings=4)

    @property
    def spread(self):
        """The second head's weight names: sigma_h / sigma_b, or logvar_h / logvar_b."""
        return self.options["head"]

    def init_weights(self, rng, dtype=np.float32):
        d, h1, h2 = self.options["sizes"]
        k, s = self.options["codings"], self.spread
        shapes = [("encoder_h1", "encoder_b1", d, h1), ("encoder_h2", "encoder_b2", h1, h2),
                  ("mean_h", "mean_b", h2, k), (f"{s}_h", f"{s}_b", h2, k),
                  ("decoder_h1", "decoder_b1", k, h2), ("decoder_h2", "decoder_b2", h2, h1),
                  ("decoder_h3", "decoder_b3", h1, d)]
        w = {}
        for wk, bk, n_in, n_out in shapes:
            w[wk], w[bk] = he_truncated_normal(rng, n_in, n_out, dtype), np.zeros(n_out, dtype)
        return w

    def sample_noise(self, x, training):
        return {"eps": tf.random.normal(tf.stack([tf.shape(x)[0], self.options["codings"]]), dtype=x.dtype)}

    def decoder_forward(self, w, z, c):
        """z (N, K) -> logits (N, D); fills the decoder's entries of the cache c."""
        h3, c["decoder_h1"] = dense_act_forward(z, w["decoder_h1"], w["decoder_b1"], "elu")
        h4, c["decoder_h2"] = dense_act_forward(h3, w["decoder_h2"], w["decoder_b2"], "elu")
        logits, c["decoder_h3"] = dense_forward(h4, w["decoder_h3"], w["decoder_b3"])
        return logits

    def forward(self, w, x, noise=None, training=True):
        c, s = {}, self.spread
        n = tf.cast(tf.shape(x)[0], x.dtype)
        h1, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "elu")
        h2, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "elu")
        mean, c["mean_h"] = dense_forward(h2, w["mean_h"], w["mean_b"])
        head, c[f"{s}_h"] = dense_forward(h2, w[f"{s}_h"], w[f"{s}_b"])
        if s == "sigma":
            z, c["sample"] = sigma_sample_forward(mean, head, noise["eps"])
            latent, c["latent"] = kl_latent_sigma_forward(mean, head, n)    # scale N: the sum over the batch
            sigma = tf.abs(head)
        else:
            z, c["sample"] = gaussian_sample_forward(mean, head, noise["eps"])
            latent, c["latent"] = kl_latent_forward(mean, head, n)
            sigma = tf.exp(0.5 * head)
        logits = self.decoder_forward(w, z, c)
        reconstruction, recon, c["loss"] = sigmoid_bce_forward(logits, x, reduce="sum")
        outputs = {"recon": recon, "codes": mean, "sigma": sigma, "reconstruction": reconstruction, "latent": latent}
        return reconstruction + latent, outputs, c

    def backward(self, c):
        g, s = {}, self.spread
        dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dh4, g["decoder_h3"], g["decoder_b3"] = dense_backward(dlogits, c["decoder_h3"])
        dh3, g["decoder_h2"], g["decoder_b2"] = dense_act_backward(dh4, c["decoder_h2"])
        dz, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh3, c["decoder_h1"])
        if s == "sigma":
            dmean, dhead = sigma_sample_backward(dz, c["sample"])
            dmean_kl, dhead_kl = kl_latent_sigma_backward(1.0, c["latent"])
        else:
            dmean, dhead = gaussian_sample_backward(dz, c["sample"])
            dmean_kl, dhead_kl = kl_latent_backward(1.0, c["latent"])
        dmean, dhead = dmean + dmean_kl, dhead + dhead_kl     # both heads feed the sample and the latent loss
        dh2_from_mean, g["mean_h"], g["mean_b"] = dense_backward(dmean, c["mean_h"])
        dh2_from_head, g[f"{s}_h"], g[f"{s}_b"] = dense_backward(dhead, c[f"{s}_h"])
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dh2_from_mean + dh2_from_head, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)
        return g

    def metrics(self, x, outputs):
        """The loss's two parts, each summed over the batch (the post printed both), rounded accuracy, and
        the smallest spread in the batch, min |sigma| (how close a coding unit comes to collapsing;
        over several evaluation batches, the mean of their minima)."""
        return {**super().metrics(x, outputs), "reconstruction": outputs["reconstruction"],
                "latent": outputs["latent"], "min_abs_sigma": tf.reduce_min(outputs["sigma"])}

    def decode(self, weights, z):
        """Images (N, D) from codings z (N, K), NumPy in and out (eager)."""
        w = {k: tf.constant(v) for k, v in weights.items()}
        return tf.sigmoid(self.decoder_forward(w, tf.constant(z, tf.float32), {})).numpy()
