"""A convolutional autoencoder to a small latent, with optional eigenvector projections: post 000's
six cases and post 002's 3-D autoencoder.

    encoder  conv encoder (models/conv_parts.py) -> (7,7,c2) -> flatten
             [hidden_layers x: -dense `hidden` tanh-> (project_hidden: PROJECT)]
             -dense 3 (latent_act)-> codes
    latent   the decoder reads PROJECT(codes) if project_codes, then (network_effect) times a
             trainable 3x3 matrix; else the codes
    decoder  -dense 7*7*c3 (latent_act)-> (7,7,c3) -> conv decoder -> logits -> sigmoid
    loss     `loss`: MSE + Bernoulli log loss summed over the pixels ("mse+logloss"), or one of them

PROJECT(h) = h V, V the eigenvectors of the batch covariance of h (layers.eigen_projection_forward);
its backward goes through the eigendecomposition, or, with `stop_gradient=true`, treats V as a
constant. No biases, weights N(0, init_std). The post's widths (512, 512, 512, 256) cost about
1 GFLOP per image on a CPU; the default `channels` is small.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (EIGEN_GAP_TOL, dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              eigen_projection_backward, eigen_projection_forward)
from manual_ae.models.base import Model, check_choice, check_widths, normal
from manual_ae.models.conv_parts import (SMALL_CHANNELS, conv_decoder_backward, conv_decoder_forward,
                                         conv_encoder_backward, conv_encoder_forward, image_loss_backward,
                                         image_loss_forward, init_conv_decoder, init_conv_encoder, varied_images)

LATENT = 3


def image_metrics(x, recon):
    """The two reconstruction errors, whatever the loss trained: MSE and log loss (nats per image)."""
    y_hat = tf.clip_by_value(recon, 1e-7, 1 - 1e-7)
    n = tf.cast(tf.shape(x)[0], x.dtype)
    return {"mse": tf.reduce_mean(tf.square(recon - x)),
            "logloss": -tf.reduce_sum(x * tf.math.log(y_hat) + (1 - x) * tf.math.log(1 - y_hat)) / n}


class ConvLatentAE(Model):
    input_shape = (28, 28, 1)
    gradcheck_batch = 6
    options = dict(channels=SMALL_CHANNELS, loss="mse+logloss", init_std=0.05, latent_act="identity",
                   hidden_layers=0, hidden=50, project_hidden=False, project_codes=False, network_effect=False,
                   stop_gradient=False, gap_tol=EIGEN_GAP_TOL)
    option_ranges = {"init_std": "> 0", "gap_tol": ">= 0", "hidden_layers": ">= 0"}

    def validate_options(self):
        o = self.options
        check_widths(self.label, o["channels"], 4)
        check_choice(self.label, "loss", o["loss"], ("mse+logloss", "logloss", "mse"))
        check_choice(self.label, "latent_act", o["latent_act"], ("identity", "tanh"))

    @property
    def uses_batch_statistics(self):
        # a projection uses the batch's covariance: evaluate in training-size batches
        return self.options["project_codes"] or (self.options["project_hidden"] and self.options["hidden_layers"] > 0)

    @property
    def outputs(self):
        o = self.options
        names = ["recon", "codes"]
        if o["project_codes"]:
            names.append("projected")
        if o["hidden_layers"]:
            names += ["hidden", "hidden_projected"] if o["project_hidden"] else ["hidden"]
        return tuple(names)

    def gradcheck_config(self):
        # Larger weights than training starts with: with N(0, 0.05) the activations, and so the
        # gradients, are so small next to the loss (~540 nats) that finite differences lose digits.
        # Not so large that tanh saturates (0.5 did): saturated codes are nearly equal, and a batch
        # of nearly equal codes has a nearly degenerate covariance (see gradcheck_input). Two hidden
        # units: with more, a batch of 6 leaves the hidden covariance nearly singular at some seeds.
        return self.configured(channels=(2, 3, 2, 2), init_std=0.3, hidden=2)

    def gradcheck_input(self, rng, batch):
        return varied_images(rng, batch, self.input_shape)

    def init_weights(self, rng, dtype=np.float32):
        o = self.options
        c1, c2, c3, c4 = o["channels"]
        std = o["init_std"]
        w = init_conv_encoder(rng, c1, c2, dtype, std)
        width = 7 * 7 * c2
        for i in range(1, o["hidden_layers"] + 1):
            w[f"encoder_hidden{i}"] = normal(rng, (width, o["hidden"]), dtype, std)
            width = o["hidden"]
        w["encoder_code"] = normal(rng, (width, LATENT), dtype, std)
        if o["network_effect"]:
            w["network_effect"] = rng.uniform(0.0, 1.0, (LATENT, LATENT)).astype(dtype)
        w["decoder_dense"] = normal(rng, (LATENT, 7 * 7 * c3), dtype, std)
        w.update(init_conv_decoder(rng, c3, c3, c4, dtype, std))
        return w

    def _project(self, h):
        return eigen_projection_forward(h, self.options["stop_gradient"], self.options["gap_tol"])

    def forward(self, w, x, noise=None, training=True):
        o = self.options
        c, outputs = {}, {}
        feat = conv_encoder_forward(w, x, c)                                                  # (N, 7, 7, c2)
        c["feature_shape"] = tf.shape(feat)
        h = tf.reshape(feat, [-1, feat.shape[1] * feat.shape[2] * feat.shape[3]])            # (N, 7*7*c2)
        for i in range(1, o["hidden_layers"] + 1):
            h, c[f"encoder_hidden{i}"] = dense_act_forward(h, w[f"encoder_hidden{i}"], None, "tanh")  # (N, hidden)
            if i == 1:
                outputs["hidden"] = h
            if o["project_hidden"]:
                h, c[f"project{i}"] = self._project(h)
                if i == 1:
                    outputs["hidden_projected"] = h
        codes, c["encoder_code"] = dense_act_forward(h, w["encoder_code"], None, o["latent_act"])  # (N, 3)
        outputs["codes"] = z = codes
        if o["project_codes"]:
            z, c["project_codes"] = self._project(codes)
            outputs["projected"] = z
        if o["network_effect"]:
            z, c["network_effect"] = dense_forward(z, w["network_effect"], None)
        d, c["decoder_dense"] = dense_act_forward(z, w["decoder_dense"], None, o["latent_act"])
        c3 = w["decoder_dense"].shape[1] // 49
        logits = conv_decoder_forward(w, tf.reshape(d, [-1, 7, 7, c3]), c)                   # (N, 28, 28, 1)
        loss, outputs["recon"], c["loss"] = image_loss_forward(logits, x, o["loss"])
        return loss, outputs, c

    def backward(self, c):
        o = self.options
        g = {}
        dd = conv_decoder_backward(image_loss_backward(c["loss"]), c, g)
        dz, g["decoder_dense"], _ = dense_act_backward(tf.reshape(dd, [tf.shape(dd)[0], -1]), c["decoder_dense"])
        if o["network_effect"]:
            dz, g["network_effect"], _ = dense_backward(dz, c["network_effect"])   # no bias: db dropped
        if o["project_codes"]:
            dz = eigen_projection_backward(dz, c["project_codes"])   # through the eigendecomposition
        dh, g["encoder_code"], _ = dense_act_backward(dz, c["encoder_code"])
        for i in range(o["hidden_layers"], 0, -1):
            if o["project_hidden"]:
                dh = eigen_projection_backward(dh, c[f"project{i}"])
            dh, g[f"encoder_hidden{i}"], _ = dense_act_backward(dh, c[f"encoder_hidden{i}"])
        conv_encoder_backward(tf.reshape(dh, c["feature_shape"]), c, g)
        return g

    def metrics(self, x, outputs):
        return image_metrics(x, outputs["recon"])
