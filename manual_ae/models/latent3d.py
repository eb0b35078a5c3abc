"""Post 002, cases b and c: MNIST clustered into a 3-D latent by an autoencoder and by a VAE.

    AE   encoder (models/conv_latent.py) -dense 3-> codes -> decoder -> sigmoid
    VAE  encoder -dense 3-> mean, -dense 3-> logvar;  z = mean + exp(logvar / 2) * eps;  z -> decoder
         loss = reconstruction + KL(q(z|x) || N(0, I)), both per image (summed over pixels / latent axes)

Reconstruction terms (the `loss` option): "logloss", the post's "maximum likelihood" (Bernoulli log
loss summed over the pixels); "mse" for the AE (mean squared error); "sse" for the VAE (squared error
summed over the pixels: the Gaussian log-likelihood up to a constant, so that it and the KL term are
on the same per-image scale; a per-pixel mean next to a per-image KL would let the KL term win and
collapse the codes); "none" for the VAE's KL-only run. Same conventions as post 000 (same author):
no biases, N(0, 0.05) weights, ELU, Adam 3e-4, batch 20, 21 epochs on the first 10,000 MNIST images.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (dense_backward, dense_forward, gaussian_sample_backward, gaussian_sample_forward,
                              kl_latent_backward, kl_latent_forward)
from manual_ae.models.conv_latent import (SMALL_CHANNELS, decoder_backward, decoder_forward, encoder_backward,
                                          encoder_forward, image_loss_backward, image_loss_forward, init_decoder,
                                          init_encoder, normal)
from manual_ae.models.eigen import LATENT, EigenAE


class AE3D(EigenAE):
    """conv autoencoder to a 3-D latent (post 002's figure), log loss"""
    name = "ae3d-logloss"
    post = "002"
    script = "scripts/post002_case_b_ae_3d_latent.py"
    options = dict(channels=SMALL_CHANNELS, loss="logloss", init_std=0.05)


class AE3DMSE(AE3D):
    """conv autoencoder to a 3-D latent (post 002's figure), MSE"""
    name = "ae3d-mse"
    options = dict(AE3D.options, loss="mse")


class VAE3D(EigenAE):
    """conv VAE: mean and log-variance heads of 3, sampled code; log loss + KL"""
    name = "vae3d-logloss"
    post = "002"
    script = "scripts/post002_case_c_vae_3d_latent.py"
    options = dict(channels=SMALL_CHANNELS, loss="logloss", init_std=0.05)
    loss_depends_on_batch = False   # no batch statistics: evaluate in large batches

    def validate_options(self):
        o = self.options
        if len(o["channels"]) != 4 or min(o["channels"]) < 1:
            raise ValueError(f"{self.name}: channels takes four positive widths c1,c2,c3,c4, not {o['channels']!r}")
        if o["loss"] not in ("logloss", "sse", "none"):
            raise ValueError(f"{self.name}: loss is logloss, sse (squared error summed per image) or none "
                             f"(KL alone); not {o['loss']!r}")

    def init_weights(self, rng, dtype=np.float32):
        channels, std = self.options["channels"], self.options["init_std"]
        w = init_encoder(rng, channels, dtype, std)
        w["mean_h"] = normal(rng, (7 * 7 * channels[1], LATENT), dtype, std)
        w["logvar_h"] = normal(rng, (7 * 7 * channels[1], LATENT), dtype, std)
        w.update(init_decoder(rng, channels, LATENT, dtype, std))
        return w

    def sample_noise(self, x, training):
        return {"eps": tf.random.normal(tf.stack([tf.shape(x)[0], LATENT]), dtype=x.dtype)}

    def forward(self, w, x, noise=None, training=True):
        c = {}
        h, c["encoder"] = encoder_forward(w, x)                              # (N, 7*7*c2)
        mean, c["mean"] = dense_forward(h, w["mean_h"], None)                # (N, 3)
        logvar, c["logvar"] = dense_forward(h, w["logvar_h"], None)          # (N, 3)
        z, c["sample"] = gaussian_sample_forward(mean, logvar, noise["eps"])
        logits, c["decoder"] = decoder_forward(w, z)
        kl, c["kl"] = kl_latent_forward(mean, logvar, 1.0)                   # nats per image
        kind = self.options["loss"]
        rec, recon, c["loss"] = image_loss_forward(logits, x, "logloss" if kind == "none" else kind)
        c["kl_only"] = kind == "none"
        loss = kl if kind == "none" else rec + kl
        return loss, {"recon": recon, "codes": mean, "logvar": logvar, "sampled": z}, c

    def backward(self, c):
        g = {}
        dlogits = image_loss_backward(c["loss"])
        if c["kl_only"]:
            dlogits = tf.zeros_like(dlogits)     # no reconstruction term: the decoder gets no gradient
        dz = decoder_backward(dlogits, c["decoder"], g)
        dmean, dlogvar = gaussian_sample_backward(dz, c["sample"])
        dmean_kl, dlogvar_kl = kl_latent_backward(1.0, c["kl"])
        dmean, dlogvar = dmean + dmean_kl, dlogvar + dlogvar_kl   # both heads feed the sample and the KL term
        dh_mean, g["mean_h"], _ = dense_backward(dmean, c["mean"])
        dh_logvar, g["logvar_h"], _ = dense_backward(dlogvar, c["logvar"])
        encoder_backward(dh_mean + dh_logvar, c["encoder"], g)
        return g

    def metrics(self, x, outputs):
        """Besides the reconstruction errors, the KL term (nats per image)."""
        kl, _ = kl_latent_forward(outputs["codes"], outputs["logvar"], 1.0)
        return {**super().metrics(x, outputs), "kl": kl}

    def report(self, predict, data, weights=None):
        """As the AE's (k-NN of the mean codes, latent ranges), plus the spread of the codes."""
        out = super().report(predict, data, weights)
        codes = predict(data.x_test[:1000])["codes"]
        out["codes_std"] = [round(float(s), 4) for s in codes.std(axis=0)]
        return out


class VAE3DSSE(VAE3D):
    """conv VAE to 3-D: squared error (summed per image) + KL"""
    name = "vae3d-mse"
    options = dict(VAE3D.options, loss="sse")


class VAE3DKL(VAE3D):
    """conv VAE to 3-D trained on the KL term alone (no reconstruction)"""
    name = "vae3d-kl"
    options = dict(VAE3D.options, loss="none")


LATENT3D_CASES = (AE3D(), AE3DMSE(), VAE3D(), VAE3DSSE(), VAE3DKL())
