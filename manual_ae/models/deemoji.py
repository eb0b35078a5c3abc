"""Post 002, case d: removing stickers from images ("de-emoji") with a convolutional denoising
autoencoder.

Each example carries three channels (manual_ae/data/stickers.py): the stickered image (the input),
the clean image (the target) and the covered-pixel mask (for the numbers only).

    (28,28) stickered -conv3x3 c1 elu-> pool -> (14,14,c1) -conv3x3 c2 elu-> pool -> (7,7,c2)
             -convT3x3 s2 c3 elu-> (14,14,c3) -convT3x3 s2 c4 elu-> (28,28,c4) -conv3x3 1-> logits
    loss  Bernoulli log loss of sigmoid(logits) against the clean image, summed over the pixels

The post's images, stickers and network were never published: this uses post 002's conventions
(no biases, N(0, 0.05) weights, ELU, log loss) and a 7x7 bottleneck with no dense layer, so the
network can keep the uncovered parts of the image in place.

`residual=true` adds the input's own logit, log(x / (1 - x)) (x clipped to [0.01, 0.99]), to the
network's output logit: the network then learns a correction to the image rather than the image.
It keeps uncovered pixels far better (the plain network blurs the whole image), and removes less of
the sticker in the same number of epochs (logs/post002/table.md has both).
"""
import os

import numpy as np
import tensorflow as tf

from manual_ae import figures
from manual_ae.data.sources import Dataset
from manual_ae.data.stickers import add_stickers, load_image_folder, load_sticker_files
from manual_ae.layers import (conv2d_backward, conv2d_forward, conv_act_pool_backward, conv_act_pool_forward,
                              conv_transpose_act_backward, conv_transpose_act_forward, sigmoid_bce_backward,
                              sigmoid_bce_forward)
from manual_ae.models.base import Autoencoder
from manual_ae.models.conv_latent import normal


RESIDUAL_CLIP = 0.01


def psnr(mse):
    """Peak signal-to-noise ratio of images in [0, 1]: 10 log10(1 / MSE), in dB."""
    return float(10 * np.log10(1.0 / max(mse, 1e-12)))


class DeEmoji(Autoencoder):
    """conv denoising AE that removes emoji stickers (procedural, or your own PNGs)"""
    name = "de-emoji"
    post = "002"
    dataset = "fashion-mnist"
    script = "scripts/post002_case_d_de_emoji.py"
    description = "conv denoiser (7x7 bottleneck) trained to remove pasted emoji stickers; log loss to the clean image"
    input_shape = (28, 28, 3)
    defaults = dict(epochs=5, batch_size=32, lr=1e-3, optimizer="adam")
    train_images = 20_000
    options = dict(channels=(16, 32, 32, 16), stickers="", images="", init_std=0.05, residual=False)

    def validate_options(self):
        o = self.options
        if len(o["channels"]) != 4 or min(o["channels"]) < 1:
            raise ValueError(f"{self.name}: channels takes four positive widths c1,c2,c3,c4, not {o['channels']!r}")
        for key in ("stickers", "images"):
            if o[key] and not os.path.isdir(o[key]):
                raise ValueError(f"{self.name}: {key}={o[key]!r} is not a folder; give a folder of image files")

    def for_gradcheck(self):
        return self.configured(channels=(2, 3, 2, 2), init_std=0.5)

    def prepare(self, data, seed):
        """The stickered data set: your images (option `images`) or `data`, with stickers pasted once
        per image (procedural, or the PNGs in option `stickers`), seeded."""
        rng = np.random.default_rng([seed, 2])
        stickers = load_sticker_files(self.options["stickers"]) if self.options["stickers"] else None
        if self.options["images"]:
            x = load_image_folder(self.options["images"])
            order = rng.permutation(len(x))
            n_val = n_test = max(1, len(x) // 10)
            parts = np.split(x[order], [len(x) - n_val - n_test, len(x) - n_test])
            labels = [np.zeros(len(p), np.int64) for p in parts]
            data = Dataset("images", f"image folder {self.options['images']}", parts[0], labels[0], parts[1],
                           labels[1], parts[2], labels[2])
        what = f"stickers from {self.options['stickers']}" if stickers else "procedural emoji stickers"
        return Dataset(f"{data.name}+stickers", f"{data.source}, with {what} (seed {seed})",
                       add_stickers(data.x_train, rng, stickers), data.y_train,
                       add_stickers(data.x_val, rng, stickers), data.y_val,
                       add_stickers(data.x_test, rng, stickers), data.y_test, list(data.notes))

    def init_weights(self, rng, dtype=np.float32):
        c1, c2, c3, c4 = self.options["channels"]
        std = self.options["init_std"]
        return {"encoder_c1": normal(rng, (3, 3, 1, c1), dtype, std), "encoder_c2": normal(rng, (3, 3, c1, c2), dtype, std),
                # transposed-convolution filters are (KH, KW, C_out, C_in)
                "decoder_t1": normal(rng, (3, 3, c3, c2), dtype, std), "decoder_t2": normal(rng, (3, 3, c4, c3), dtype, std),
                "decoder_c3": normal(rng, (3, 3, c4, 1), dtype, std)}

    def gradcheck_input(self, rng, batch):
        clean = rng.uniform(0.02, 0.98, size=(batch, 28, 28))
        return add_stickers(clean, rng).astype(np.float64)

    def forward(self, w, x, noise=None, training=True):
        stickered, clean = x[..., 0:1], x[..., 1:2]
        p1, c1 = conv_act_pool_forward(stickered, w["encoder_c1"], None, "elu")      # (14, 14, c1)
        p2, c2 = conv_act_pool_forward(p1, w["encoder_c2"], None, "elu")             # (7, 7, c2)
        t1, c3 = conv_transpose_act_forward(p2, w["decoder_t1"], None, "elu")        # (14, 14, c3)
        t2, c4 = conv_transpose_act_forward(t1, w["decoder_t2"], None, "elu")        # (28, 28, c4)
        logits, c5 = conv2d_forward(t2, w["decoder_c3"], None, 1, "SAME")            # (28, 28, 1)
        if self.options["residual"]:
            # The network adds a correction to the input's own logit, so it starts at "leave the image
            # as it is" and learns only what to change. The input is data: no gradient is needed there.
            p = tf.clip_by_value(stickered, RESIDUAL_CLIP, 1 - RESIDUAL_CLIP)
            logits = logits + tf.math.log(p / (1 - p))
        loss, c6 = sigmoid_bce_forward(logits, clean, per_image_sum=True)
        return loss, {"recon": c6[0]}, (c1, c2, c3, c4, c5, c6)

    def backward(self, cache):
        c1, c2, c3, c4, c5, c6 = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c6)                      # (y_hat - clean) / N
        dt2, g["decoder_c3"], _ = conv2d_backward(dlogits, c5)      # no biases: the db's are dropped
        dt1, g["decoder_t2"], _ = conv_transpose_act_backward(dt2, c4)
        dp2, g["decoder_t1"], _ = conv_transpose_act_backward(dt1, c3)
        dp1, g["encoder_c2"], _ = conv_act_pool_backward(dp2, c2)
        _, g["encoder_c1"], _ = conv_act_pool_backward(dp1, c1, input_grad=False)
        return g

    def metrics(self, x, outputs):
        err = tf.square(outputs["recon"] - x[..., 1:2])
        cover = x[..., 2:3]
        return {"mse": tf.reduce_mean(err),
                "mse_covered": tf.reduce_sum(err * cover) / tf.maximum(tf.reduce_sum(cover), 1.0)}

    def report(self, predict, data, weights=None):
        """PSNR of the output against the clean image, on the covered pixels and on all pixels, next to
        the baseline of leaving the sticker in; and how much of the covered pixels' error is removed."""
        x = data.x_test
        out = predict(x)["recon"][..., 0]
        stickered, clean, cover = x[..., 0], x[..., 1], x[..., 2] > 0.5
        r = {}
        for name, pred in (("output", out), ("baseline", stickered)):
            err = (pred - clean) ** 2
            r[f"mse_covered_{name}"] = float(err[cover].mean())
            r[f"mse_uncovered_{name}"] = float(err[~cover].mean())
            r[f"psnr_covered_{name}"] = psnr(r[f"mse_covered_{name}"])
            r[f"psnr_all_{name}"] = psnr(float(err.mean()))
        r["covered_error_removed"] = 1 - r["mse_covered_output"] / r["mse_covered_baseline"]
        r["covered_fraction"] = float(cover.mean())
        return r

    def _rows(self, inputs, recon, title):
        x = np.asarray(inputs).reshape(-1, 28, 28, 3)
        return figures.image_rows([x[..., 0], x[..., 1], np.asarray(recon).reshape(-1, 28, 28)],
                                  ["with sticker", "clean", "de-emoji output"], title)

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Sticker image / clean image / output rows (as the post), and the same over training (GIF)."""
        x = data.x_test[:10]
        paths = [figures.save(self._rows(x, predict(x)["recon"], f"{self.name} ({data.name})"),
                              os.path.join(out_dir, "de_emoji.png"))]
        if snapshots.get("recon"):
            frames = [figures.fig_to_array(self._rows(snapshots["inputs"], r, f"{self.name}: epoch {e}"))
                      for e, r in zip(snapshots["epoch"], snapshots["recon"])]
            paths.append(figures.save_gif(frames, os.path.join(out_dir, "de_emoji.gif")))
        return paths
