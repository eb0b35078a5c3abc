"""Post 001: compress MNIST to 2-D and look at how the digits spread out.

784-128-64-10 sigmoid, linear 2-D code, 2-10-64-128 sigmoid, sigmoid 784 output; MSE;
Adam lr 1e-3, batch 256, 50 epochs. Weights and biases start N(0, 1) as in the post's
`tf.random_normal`.
"""
import os

import numpy as np

from manual_ae import figures
from manual_ae.layers import dense_act_backward, dense_act_forward, mse_backward, mse_forward
from manual_ae.metrics import knn_accuracy
from manual_ae.models.base import Autoencoder

SIZES = (784, 128, 64, 10, 2)


class Deep2D(Autoencoder):
    name = "deep2d"
    post = "001"
    dataset = "digits"
    script = "scripts/post001_mnist_2d_latent.py"
    description = "784-128-64-10-2 sigmoid MLP to a 2-D code, MSE"
    defaults = dict(epochs=50, batch_size=256, lr=1e-3, optimizer="adam")

    def init_weights(self, rng, dtype=np.float32):
        w = {}
        for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:]), start=1):
            w[f"encoder_h{i}"] = rng.standard_normal((n_in, n_out)).astype(dtype)
            w[f"encoder_b{i}"] = rng.standard_normal(n_out).astype(dtype)
        rev = SIZES[::-1]
        for i, (n_in, n_out) in enumerate(zip(rev[:-1], rev[1:]), start=1):
            w[f"decoder_h{i}"] = rng.standard_normal((n_in, n_out)).astype(dtype)
            w[f"decoder_b{i}"] = rng.standard_normal(n_out).astype(dtype)
        return w

    def forward(self, w, x, noise=None, training=True):
        h1, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "sigmoid")
        h2, c2 = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "sigmoid")
        h3, c3 = dense_act_forward(h2, w["encoder_h3"], w["encoder_b3"], "sigmoid")
        codes, c4 = dense_act_forward(h3, w["encoder_h4"], w["encoder_b4"], "identity")
        h5, c5 = dense_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "sigmoid")
        h6, c6 = dense_act_forward(h5, w["decoder_h2"], w["decoder_b2"], "sigmoid")
        h7, c7 = dense_act_forward(h6, w["decoder_h3"], w["decoder_b3"], "sigmoid")
        recon, c8 = dense_act_forward(h7, w["decoder_h4"], w["decoder_b4"], "sigmoid")
        loss, c9 = mse_forward(recon, x)
        return loss, {"recon": recon, "codes": codes}, (c1, c2, c3, c4, c5, c6, c7, c8, c9)

    def backward(self, cache):
        c1, c2, c3, c4, c5, c6, c7, c8, c9 = cache
        g = {}
        drecon = mse_backward(1.0, c9)
        dh7, g["decoder_h4"], g["decoder_b4"] = dense_act_backward(drecon, c8)
        dh6, g["decoder_h3"], g["decoder_b3"] = dense_act_backward(dh7, c7)
        dh5, g["decoder_h2"], g["decoder_b2"] = dense_act_backward(dh6, c6)
        dcodes, g["decoder_h1"], g["decoder_b1"] = dense_act_backward(dh5, c5)
        dh3, g["encoder_h4"], g["encoder_b4"] = dense_act_backward(dcodes, c4)
        dh2, g["encoder_h3"], g["encoder_b3"] = dense_act_backward(dh3, c3)
        dh1, g["encoder_h2"], g["encoder_b2"] = dense_act_backward(dh2, c2)
        _, g["encoder_h1"], g["encoder_b1"] = dense_act_backward(dh1, c1, input_grad=False)  # x is data: no dx
        return g

    def report(self, predict, data, weights=None):
        train_codes = predict(data.x_train)["codes"]
        test_codes = predict(data.x_test)["codes"]
        return {"knn5_test_accuracy": knn_accuracy(train_codes, data.y_train, test_codes, data.y_test, k=5)}

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        codes = predict(data.x_test)["codes"]
        title = f"{self.name}: 2-D codes of {len(codes)} test digits ({data.name})"
        paths = [figures.save(figures.codes_2d_figure(codes, data.y_test, title),
                              os.path.join(out_dir, "codes_2d.png"))]
        if snapshots.get("codes"):
            labels = data.y_test[:len(snapshots["codes"][0])]
            frames = [figures.fig_to_array(figures.codes_2d_figure(c, labels, f"{self.name}: epoch {e}",
                                                                   figures.limits([c])))
                      for e, c in zip(snapshots["epoch"], snapshots["codes"])]
            paths.append(figures.save_gif(frames, os.path.join(out_dir, "codes_2d.gif")))
        return paths
