"""Post 003 / 004: the PCA autoencoder (linear 3-2-3, MSE) and the SELU variant.

With linear activations and MSE, the best an autoencoder can do is project onto the top-2
principal subspace, so `report` computes true PCA and compares: both reconstruction errors and
the largest angle between the learned plane (the decoder's row space) and PCA's plane.
"""
import os

import numpy as np

from manual_ae import figures
from manual_ae.layers import dense_act_backward, dense_act_forward, mse_backward, mse_forward
from manual_ae.metrics import pca_reconstruction, subspace_angle_degrees
from manual_ae.models.base import Autoencoder, glorot_uniform


class PCAAutoencoder(Autoencoder):
    """x (N, 3) -> codes = act(x W1 + b1) (N, 2) -> recon = act(codes W2 + b2) (N, 3); MSE."""

    name = "pca"
    post = "003, 004"
    dataset = "points-3d"
    script = "scripts/post003_pca_autoencoder.py"
    description = "linear 3-2-3 autoencoder = PCA (MSE)"
    input_shape = (3,)
    defaults = dict(epochs=20, batch_size=32, lr=1.5, optimizer="sgd")
    reference = {"train_loss": 0.0055}
    act = "identity"

    def gradcheck_input(self, rng, batch):
        return rng.standard_normal((batch, 3))

    def init_weights(self, rng, dtype=np.float32):
        return {"encoder_h1": glorot_uniform(rng, 3, 2, dtype), "encoder_b1": np.zeros(2, dtype),
                "decoder_h1": glorot_uniform(rng, 2, 3, dtype), "decoder_b1": np.zeros(3, dtype)}

    def forward(self, w, x, noise=None, training=True):
        codes, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], self.act)
        recon, c2 = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], self.act)
        loss, c3 = mse_forward(recon, x)
        return loss, {"recon": recon, "codes": codes}, (c1, c2, c3)

    def backward(self, cache):
        c1, c2, c3 = cache
        g = {}
        drecon = mse_backward(1.0, c3)
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(drecon, c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dcodes, c1, input_grad=False)  # x is data: no dx
        return g

    def report(self, predict, data, weights=None):
        x = data.x_train.astype(np.float64)
        out = predict(data.x_train)
        ae_mse = float(np.mean((out["recon"] - x) ** 2))
        pca_recon, basis = pca_reconstruction(x, 2)
        pca_mse = float(np.mean((pca_recon - x) ** 2))
        result = {"train_mse_autoencoder": ae_mse, "train_mse_pca": pca_mse,
                  "mse_ratio_to_pca": ae_mse / pca_mse}
        if weights is not None:
            result["subspace_angle_deg"] = subspace_angle_degrees(weights["decoder_h1"], basis)
        return result

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        out = predict(data.x_train)
        paths = [figures.save(figures.points_3d_figure(data.x_train, f"{self.name}: the 3-D training data"),
                              os.path.join(out_dir, "data_3d.png")),
                 figures.save(figures.codes_plane_figure(out["codes"], f"{self.name}: 2-D codings"),
                              os.path.join(out_dir, "codings_2d.png"))]
        if snapshots.get("codes"):
            lims = figures.limits(snapshots["codes"])
            frames = [figures.fig_to_array(figures.codes_plane_figure(c, f"{self.name}: codings, epoch {e}", lims))
                      for e, c in zip(snapshots["epoch"], snapshots["codes"])]
            paths.append(figures.save_gif(frames, os.path.join(out_dir, "codings.gif")))
        return paths


class SeluAutoencoder(PCAAutoencoder):
    """Post 003's "basic" autoencoder: the same 3-2-3 with SELU on both layers."""

    name = "basic-selu"
    post = "003"
    script = "scripts/post003_basic_selu_autoencoder.py"
    description = "3-2-3 autoencoder with SELU on both layers (MSE)"
    reference = {}
    act = "selu"
