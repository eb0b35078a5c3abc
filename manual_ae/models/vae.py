"""Post 004: the variational autoencoder that generates new images.

    encoder  784 -150 selu -100 selu -> mean (10), logvar (10)
    sample   z = mean + exp(logvar / 2) * eps,  eps ~ N(0, I)   (also at evaluation, as Keras's
             Sampling layer does, so validation losses compare with the reference)
    decoder  z -100 selu -150 selu -784 sigmoid
    loss     BCE (mean over pixels) + mean_n(-1/2 sum(1 + logvar - exp(logvar) - mean^2)) / 784

Optimizer: RMSprop as the reference run had it (TF 2.0's Keras: g / (sqrt(v) + eps), `rmsprop-tf2`).
With Keras 3's g / sqrt(v + eps) (`--optimizer rmsprop`) the same run ends about 0.003 worse in
loss and 0.004 in rounded accuracy (logs/vae-keras3-rmsprop*.log): the two differ only where
gradients are tiny, and there the TF 2.0 form takes much larger steps.
"""
import os

import numpy as np
import tensorflow as tf

from manual_ae import figures
from manual_ae.layers import (dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              gaussian_sample_backward, gaussian_sample_forward, kl_latent_backward, kl_latent_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageAutoencoder, glorot_uniform

CODINGS = 10


class VAE(ImageAutoencoder):
    name = "vae"
    post = "004"
    script = "scripts/post004_variational_autoencoder.py"
    description = "784-150-100 selu, mean/logvar heads of 10, sampled codings / 10-100-150-784; BCE + KL/784"
    defaults = dict(epochs=25, batch_size=128, lr=1e-3, optimizer="rmsprop-tf2")
    reference = {"train_loss": 0.3118, "val_loss": 0.3133, "val_rounded_accuracy": 0.9228}

    def init_weights(self, rng, dtype=np.float32):
        sizes = [("encoder_h1", "encoder_b1", 784, 150), ("encoder_h2", "encoder_b2", 150, 100),
                 ("mean_h", "mean_b", 100, CODINGS), ("logvar_h", "logvar_b", 100, CODINGS),
                 ("decoder_h1", "decoder_b1", CODINGS, 100), ("decoder_h2", "decoder_b2", 100, 150),
                 ("decoder_h3", "decoder_b3", 150, 784)]
        w = {}
        for wk, bk, n_in, n_out in sizes:
            w[wk], w[bk] = glorot_uniform(rng, n_in, n_out, dtype), np.zeros(n_out, dtype)
        return w

    def sample_noise(self, x, training):
        return {"eps": tf.random.normal(tf.stack([tf.shape(x)[0], CODINGS]), dtype=x.dtype)}

    def decode_forward(self, w, z):
        h4, c4 = dense_act_forward(z, w["decoder_h1"], w["decoder_b1"], "selu")
        h5, c5 = dense_act_forward(h4, w["decoder_h2"], w["decoder_b2"], "selu")
        logits, c6 = dense_forward(h5, w["decoder_h3"], w["decoder_b3"])
        return logits, (c4, c5, c6)

    def forward(self, w, x, noise=None, training=True):
        h1, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        h2, c2 = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        mean, cm = dense_forward(h2, w["mean_h"], w["mean_b"])
        logvar, cv = dense_forward(h2, w["logvar_h"], w["logvar_b"])
        z, cz = gaussian_sample_forward(mean, logvar, noise["eps"])
        logits, cd = self.decode_forward(w, z)
        bce, cb = sigmoid_bce_forward(logits, x)
        kl, ck = kl_latent_forward(mean, logvar, 1.0 / 784)
        return bce + kl, {"recon": cb[0], "codes": mean}, (c1, c2, cm, cv, cz, cd, cb, ck)

    def backward(self, cache):
        c1, c2, cm, cv, cz, (c4, c5, c6), cb, ck = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, cb)
        dh5, g["decoder_h3"], g["decoder_b3"] = dense_backward(dlogits, c6)
        dh4, g["decoder_h2"], g["decoder_b2"] = dense_act_backward(dh5, c5)
        dz, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh4, c4)
        dmean, dlogvar = gaussian_sample_backward(dz, cz)
        dmean_kl, dlogvar_kl = kl_latent_backward(1.0, ck)
        dmean, dlogvar = dmean + dmean_kl, dlogvar + dlogvar_kl    # both heads feed the sample and the KL term
        dh2_from_mean, g["mean_h"], g["mean_b"] = dense_backward(dmean, cm)
        dh2_from_logvar, g["logvar_h"], g["logvar_b"] = dense_backward(dlogvar, cv)
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dh2_from_mean + dh2_from_logvar, c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c1, input_grad=False)
        return g

    def decode(self, weights, z):
        """Images (N, 784) from codings z (N, 10), NumPy in and out."""
        w = {k: tf.constant(v) for k, v in weights.items()}
        return tf.sigmoid(self.decode_forward(w, tf.constant(z, tf.float32))[0]).numpy()

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Reconstructions; a grid generated from random codings; a row interpolating two codings."""
        paths = super().figures(predict, data, snapshots, out_dir, weights)
        if weights is None:
            return paths
        rng = np.random.default_rng(42)
        generated = self.decode(weights, rng.standard_normal((24, CODINGS)).astype(np.float32))
        paths.append(figures.save(figures.image_grid(generated, 3, f"{self.name}: images from random codings"),
                                  os.path.join(out_dir, "generated.png")))
        ends = predict(data.x_val[:2])["codes"]
        steps = np.linspace(0, 1, 10)[:, None]
        row = self.decode(weights, ((1 - steps) * ends[0] + steps * ends[1]).astype(np.float32))
        paths.append(figures.save(figures.image_grid(row, 1, f"{self.name}: interpolating two codings"),
                                  os.path.join(out_dir, "interpolation.png")))
        return paths
