"""A convolutional VAE to a small latent (post 002, case c).

    encoder  conv encoder (models/conv_parts.py) -> flatten -dense K-> mean, -dense K-> logvar
    sample   z = mean + exp(logvar / 2) * eps
    decoder  z -dense 7*7*c3-> (7,7,c3) -> conv decoder -> logits -> sigmoid
    loss     reconstruction + KL(q(z|x) || N(0, I)), both per image (summed over pixels / latent axes)

Reconstruction terms (`loss`): "logloss", the post's "maximum likelihood" (Bernoulli log loss summed
over the pixels); "sse" (squared error summed over the pixels: the Gaussian log-likelihood up to a
constant, so that it and the KL term are on the same per-image scale; a per-pixel mean next to a
per-image KL would let the KL term win and collapse the codes); "none", the KL-only run: no
reconstruction term, so the decoder gets no gradient at all. No biases, N(0, init_std) weights.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              gaussian_sample_backward, gaussian_sample_forward, kl_latent_backward, kl_latent_forward)
from manual_ae.models.base import Model, check_choice, check_widths, normal
from manual_ae.models.conv_latent import LATENT, image_metrics
from manual_ae.models.conv_parts import (SMALL_CHANNELS, conv_decoder_backward, conv_decoder_forward,
                                         conv_encoder_backward, conv_encoder_forward, image_loss_backward,
                                         image_loss_forward, init_conv_decoder, init_conv_encoder, varied_images)


class ConvVAE(Model):
    input_shape = (28, 28, 1)
    outputs = ("recon", "codes", "logvar", "sampled")
    gradcheck_batch = 6
    options = dict(channels=SMALL_CHANNELS, loss="logloss", init_std=0.05)
    noise_keys = noise_required = ("eps",)
    option_ranges = {"init_std": "> 0"}

    def validate_options(self):
        check_widths(self.label, self.options["channels"], 4)
        check_choice(self.label, "loss", self.options["loss"], ("logloss", "sse", "none"))

    def gradcheck_config(self):
        return self.configured(channels=(2, 3, 2, 2), init_std=0.3)   # as ConvLatentAE's, for the same reasons

    def gradcheck_input(self, rng, batch):
        return varied_images(rng, batch, self.input_shape)

    def zero_gradients(self):
        if self.options["loss"] != "none":
            return {}
        why = "KL alone: the loss never reads the decoder, so its gradient is exactly 0"
        return {k: why for k in ("decoder_dense", "decoder_t1", "decoder_t2", "decoder_c3")}

    def init_weights(self, rng, dtype=np.float32):
        c1, c2, c3, c4 = self.options["channels"]
        std = self.options["init_std"]
        w = init_conv_encoder(rng, c1, c2, dtype, std)
        w["mean_h"] = normal(rng, (7 * 7 * c2, LATENT), dtype, std)
        w["logvar_h"] = normal(rng, (7 * 7 * c2, LATENT), dtype, std)
        w["decoder_dense"] = normal(rng, (LATENT, 7 * 7 * c3), dtype, std)
        w.update(init_conv_decoder(rng, c3, c3, c4, dtype, std))
        return w

    def sample_noise(self, x, training):
        return {"eps": tf.random.normal(tf.stack([tf.shape(x)[0], LATENT]), dtype=x.dtype)}

    def forward(self, w, x, noise=None, training=True):
        c = {}
        feat = conv_encoder_forward(w, x, c)                                   # (N, 7, 7, c2)
        c["feature_shape"] = tf.shape(feat)
        h = tf.reshape(feat, [-1, feat.shape[1] * feat.shape[2] * feat.shape[3]])
        mean, c["mean_h"] = dense_forward(h, w["mean_h"], None)                # (N, 3)
        logvar, c["logvar_h"] = dense_forward(h, w["logvar_h"], None)          # (N, 3)
        z, c["sample"] = gaussian_sample_forward(mean, logvar, noise["eps"])
        d, c["decoder_dense"] = dense_act_forward(z, w["decoder_dense"], None, "identity")
        logits = conv_decoder_forward(w, tf.reshape(d, [-1, 7, 7, w["decoder_dense"].shape[1] // 49]), c)
        kl, c["kl"] = kl_latent_forward(mean, logvar, 1.0)                     # nats per image
        kind = self.options["loss"]
        rec, recon, c["loss"] = image_loss_forward(logits, x, "logloss" if kind == "none" else kind)
        loss = kl if kind == "none" else rec + kl
        return loss, {"recon": recon, "codes": mean, "logvar": logvar, "sampled": z}, c

    def backward(self, c):
        g = {}
        dlogits = image_loss_backward(c["loss"])
        if self.options["loss"] == "none":
            dlogits = tf.zeros_like(dlogits)     # no reconstruction term: the decoder gets no gradient
        dd = conv_decoder_backward(dlogits, c, g)
        dz, g["decoder_dense"], _ = dense_act_backward(tf.reshape(dd, [tf.shape(dd)[0], -1]), c["decoder_dense"])
        dmean, dlogvar = gaussian_sample_backward(dz, c["sample"])
        dmean_kl, dlogvar_kl = kl_latent_backward(1.0, c["kl"])
        dmean, dlogvar = dmean + dmean_kl, dlogvar + dlogvar_kl   # both heads feed the sample and the KL term
        dh_mean, g["mean_h"], _ = dense_backward(dmean, c["mean_h"])
        dh_logvar, g["logvar_h"], _ = dense_backward(dlogvar, c["logvar_h"])
        conv_encoder_backward(tf.reshape(dh_mean + dh_logvar, c["feature_shape"]), c, g)
        return g

    def metrics(self, x, outputs):
        """Besides the reconstruction errors, the KL term (nats per image)."""
        kl, _ = kl_latent_forward(outputs["codes"], outputs["logvar"], 1.0)
        return {**image_metrics(x, outputs["recon"]), "kl": kl}
