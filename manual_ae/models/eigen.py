"""Post 000: autoencoders that change the basis of a layer to the eigenvectors of its batch covariance.

    encoder  (28,28,1) -conv3x3 c1 elu-> pool -> (14,14,c1) -conv3x3 c2 elu-> pool -> (7,7,c2) -> flatten
             [e: -dense 50 tanh-> PROJECT]   [f: -dense 50 tanh-> PROJECT -dense 50 tanh-> PROJECT]
             -dense 3 (identity; d: tanh)-> codes
    latent   a, d: the decoder reads PROJECT(codes);  b: PROJECT(codes) network_effect;  c, e, f: codes
    decoder  -dense 7*7*c3 (identity; d: tanh)-> (7,7,c3) -convT3x3 s2 c3 elu-> (14,14,c3)
             -convT3x3 s2 c4 elu-> (28,28,c4) -conv3x3 1-> logits -> sigmoid
    loss     MSE + Bernoulli log loss summed over the pixels (`loss=logloss`: the log loss alone)

PROJECT(h) = h V, V the eigenvectors of the batch covariance of h (layers.eigen_projection_forward);
its backward goes through the eigendecomposition as the original's autodiff did, or, with
`stop_gradient=true`, treats V as a constant. As the original: no biases, weights N(0, 0.05), ELU,
Adam 3e-4, batch 20, 21 epochs on the first 10,000 MNIST training images. The original widths
(c1, c2, c3, c4) = (512, 512, 512, 256) cost about 1 GFLOP per image on a CPU; the default is small.

Where the original differs from the post (REFERENCE.md), this follows the post's stated intent:
case b's network_effect is one trainable 3x3 matrix drawn once from U(0, 1) that mixes the projected
coordinates (the original drew a new one at every step and multiplied it into the covariance before
a symmetric eigensolver, which then read a non-symmetric matrix). The log loss is summed over the
pixels and averaged over the batch (the original also summed over the batch: with Adam a constant
factor changes almost nothing, and per image the number does not depend on the batch size).
"""
import os

import numpy as np
import tensorflow as tf

from manual_ae import figures
from manual_ae.layers import (EIGEN_GAP_TOL, dense_act_backward, dense_act_forward, dense_backward, dense_forward,
                              eigen_projection_backward, eigen_projection_forward)
from manual_ae.metrics import knn_accuracy
from manual_ae.models.base import Autoencoder
from manual_ae.models.conv_latent import (POST_CHANNELS, SMALL_CHANNELS, decoder_backward, decoder_forward,
                                          encoder_backward, encoder_forward, image_loss_backward, image_loss_forward,
                                          init_decoder, init_encoder, normal)

LATENT = 3
HIDDEN = 50


class EigenAE(Autoencoder):
    """The six cases share this chain; each case (below) switches on its parts with the class flags."""

    post = "000"
    dataset = "digits"
    input_shape = (28, 28, 1)
    defaults = dict(epochs=21, batch_size=20, lr=3e-4, optimizer="adam")
    train_images = 10_000
    loss_depends_on_batch = True   # a projection uses the batch's covariance: evaluate in training-size batches
    gradcheck_batch = 6
    options = dict(channels=SMALL_CHANNELS, loss="mse+logloss", stop_gradient=False, gap_tol=EIGEN_GAP_TOL,
                   hidden=HIDDEN, init_std=0.05)
    post_size_options = dict(channels=POST_CHANNELS)
    latent_act = "identity"
    hidden_layers = 0          # 50-unit tanh layers between the flatten and the code (cases e, f)
    project_hidden = False     # project each hidden layer (e, f)
    project_codes = False      # project the 3-D code before the decoder (a, b, d)
    network_effect = False     # b

    def validate_options(self):
        o = self.options
        if len(o["channels"]) != 4 or min(o["channels"]) < 1:
            raise ValueError(f"{self.name}: channels takes four positive widths c1,c2,c3,c4 "
                             f"(post: {','.join(map(str, POST_CHANNELS))}), not {o['channels']!r}")
        if o["loss"] not in ("mse+logloss", "logloss", "mse"):
            raise ValueError(f"{self.name}: loss is one of mse+logloss (post 000's), logloss, mse; "
                             f"not {o['loss']!r}")

    def for_gradcheck(self):
        # Larger weights than training starts with: with N(0, 0.05) the activations, and so the
        # gradients, are so small next to the loss (~540 nats) that finite differences lose digits.
        small = dict(channels=(2, 3, 2, 2), init_std=0.5)
        return self.configured(**small, **({"hidden": 4} if "hidden" in self.options else {}))

    @property
    def description(self):
        return type(self).__doc__.splitlines()[0]

    # ------------------------------------------------------------ weights
    def init_weights(self, rng, dtype=np.float32):
        channels, std = self.options["channels"], self.options["init_std"]
        hidden = self.options.get("hidden", HIDDEN)
        w = init_encoder(rng, channels, dtype, std)
        width = 7 * 7 * channels[1]
        for i in range(1, self.hidden_layers + 1):
            w[f"encoder_hidden{i}"] = normal(rng, (width, hidden), dtype, std)
            width = hidden
        w["encoder_code"] = normal(rng, (width, LATENT), dtype, std)
        if self.network_effect:
            w["network_effect"] = rng.uniform(0.0, 1.0, (LATENT, LATENT)).astype(dtype)
        w.update(init_decoder(rng, channels, LATENT, dtype, std))
        return w

    def gradcheck_input(self, rng, batch):
        return rng.uniform(0.02, 0.98, size=(batch, 28, 28, 1))

    # ------------------------------------------------------------ forward / backward
    def _project(self, h):
        return eigen_projection_forward(h, self.options["stop_gradient"], self.options["gap_tol"])

    def forward(self, w, x, noise=None, training=True):
        c, outputs = {}, {}
        h, c["encoder"] = encoder_forward(w, x)                                            # (N, 7*7*c2)
        for i in range(1, self.hidden_layers + 1):
            h, c[f"hidden{i}"] = dense_act_forward(h, w[f"encoder_hidden{i}"], None, "tanh")  # (N, 50)
            if i == 1:
                outputs["hidden"] = h
            if self.project_hidden:
                h, c[f"project{i}"] = self._project(h)
                if i == 1:
                    outputs["hidden_projected"] = h
        codes, c["code"] = dense_act_forward(h, w["encoder_code"], None, self.latent_act)  # (N, 3)
        outputs["codes"] = z = codes
        if self.project_codes:
            z, c["project_codes"] = self._project(codes)
            outputs["projected"] = z
        if self.network_effect:
            z, c["network_effect"] = dense_forward(z, w["network_effect"], None)
        logits, c["decoder"] = decoder_forward(w, z, self.latent_act)                     # (N, 28, 28, 1)
        loss, outputs["recon"], c["loss"] = image_loss_forward(logits, x, self.options["loss"])
        return loss, outputs, c

    def backward(self, c):
        g = {}
        dz = decoder_backward(image_loss_backward(c["loss"]), c["decoder"], g)
        if self.network_effect:
            dz, g["network_effect"], _ = dense_backward(dz, c["network_effect"])   # no bias: db dropped
        if self.project_codes:
            dz = eigen_projection_backward(dz, c["project_codes"])   # through the eigendecomposition
        dh, g["encoder_code"], _ = dense_act_backward(dz, c["code"])
        for i in range(self.hidden_layers, 0, -1):
            if self.project_hidden:
                dh = eigen_projection_backward(dh, c[f"project{i}"])
            dh, g[f"encoder_hidden{i}"], _ = dense_act_backward(dh, c[f"hidden{i}"])
        encoder_backward(dh, c["encoder"], g)
        return g

    def metrics(self, x, outputs):
        y_hat = tf.clip_by_value(outputs["recon"], 1e-7, 1 - 1e-7)
        n = tf.cast(tf.shape(x)[0], x.dtype)
        return {"mse": tf.reduce_mean(tf.square(outputs["recon"] - x)),
                "logloss": -tf.reduce_sum(x * tf.math.log(y_hat) + (1 - x) * tf.math.log(1 - y_hat)) / n}

    # ------------------------------------------------------------ numbers and figures
    def report(self, predict, data, weights=None):
        """k-NN accuracy (k=5) of the test codes against the training codes, before and after the
        projection, and the range of each latent axis over the first 1,000 test images."""
        train, test = predict(data.x_train), predict(data.x_test)
        out = {}
        for key in ("codes", "projected", "hidden", "hidden_projected"):
            if key in test:
                out[f"knn5_{key}"] = knn_accuracy(train[key], data.y_train, test[key], data.y_test, k=5)
        for key in ("codes", "projected"):
            if key in test:
                span = np.ptp(test[key][:1000], axis=0)
                out[f"range_{key}"] = [round(float(s), 4) for s in span]
                out[f"max_range_{key}"] = float(span.max())
        return out

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Reconstructions of training images over the epochs (GIF), time per epoch, and the 3-D codes
        of 1,000 test digits before and after the projection (PNG, and a GIF over training)."""
        paths = []
        if snapshots.get("train_recon"):
            frames = [figures.fig_to_array(figures.reconstructions_figure(
                snapshots["train_inputs"][:10], r[:10], f"{self.name}: training images, epoch {e}"))
                for e, r in zip(snapshots["epoch"], snapshots["train_recon"])]
            paths.append(figures.save(figures.reconstructions_figure(
                snapshots["train_inputs"][:10], snapshots["train_recon"][-1][:10], f"{self.name} ({data.name})"),
                os.path.join(out_dir, "reconstructions.png")))
            paths.append(figures.save_gif(frames, os.path.join(out_dir, "reconstructions.gif")))
        labels = data.y_test[:len(snapshots["codes"][0])] if snapshots.get("codes") else data.y_test
        for key, what in (("codes", "before projection"), ("projected", "after projection")):
            if not snapshots.get(key):
                continue
            label = what if self.project_codes else "3-D codes"
            paths.append(figures.save(figures.codes_3d_figure(snapshots[key][-1], labels,
                                                              f"{self.name}: {label} ({len(labels):,} test digits)"),
                                      os.path.join(out_dir, f"latent_{key}.png")))
            lims = figures.limits(snapshots[key], dims=3)
            frames = [figures.fig_to_array(figures.codes_3d_figure(c, labels, f"{self.name}: {label}, epoch {e}",
                                                                   lims))
                      for e, c in zip(snapshots["epoch"], snapshots[key])]
            paths.append(figures.save_gif(frames, os.path.join(out_dir, f"latent_{key}.gif")))
        return paths


class EigenA(EigenAE):
    """conv AE, 3-D latent projected on its batch covariance's eigenvectors before the decoder"""
    name = "eigen-a"
    script = "scripts/post000_case_a_latent_projection.py"
    project_codes = True


class EigenB(EigenAE):
    """as a, then a trainable 3x3 network_effect (U(0,1)) mixes the projected coordinates"""
    name = "eigen-b"
    script = "scripts/post000_case_b_network_effect.py"
    project_codes = True
    network_effect = True


class EigenC(EigenAE):
    """the plain conv AE to a 3-D latent (the baseline, no projection)"""
    name = "eigen-c"
    script = "scripts/post000_case_c_plain.py"


class EigenD(EigenAE):
    """as a, with tanh on the dense layers around the latent"""
    name = "eigen-d"
    script = "scripts/post000_case_d_tanh_latent.py"
    project_codes = True
    latent_act = "tanh"


class EigenE(EigenAE):
    """a 50-unit tanh layer after the encoder, projected; then the 3-D latent"""
    name = "eigen-e"
    script = "scripts/post000_case_e_hidden_projection.py"
    hidden_layers = 1
    project_hidden = True


class EigenF(EigenAE):
    """two 50-unit tanh layers, each projected; then the 3-D latent"""
    name = "eigen-f"
    script = "scripts/post000_case_f_two_projections.py"
    hidden_layers = 2
    project_hidden = True


EIGEN_CASES = (EigenA(), EigenB(), EigenC(), EigenD(), EigenE(), EigenF())
