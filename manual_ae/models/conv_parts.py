"""The convolutional encoder and decoder of posts 000 and 002 (the same author's architecture: no
biases, N(0, 0.05) weights, ELU, 2x2 max pools), shared by composition: the latent autoencoders,
the VAE and the de-emoji denoiser each call these four functions.

    encoder  (28,28,1) -conv3x3 c1 elu-> pool -> (14,14,c1) -conv3x3 c2 elu-> pool -> (7,7,c2)
    decoder  (7,7,c_in) -convT3x3 s2 c3 elu-> (14,14,c3) -convT3x3 s2 c4 elu-> (28,28,c4)
             -conv3x3 1-> logits (the caller applies its loss; the image is sigmoid(logits))

Weights: encoder_c1, encoder_c2 (conv filters, HWIO); decoder_t1, decoder_t2 (transposed
convolutions, (KH, KW, C_out, C_in)); decoder_c3. Also the reconstruction losses they share.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import (conv2d_backward, conv2d_forward, conv_act_pool_backward, conv_act_pool_forward,
                              conv_transpose_act_backward, conv_transpose_act_forward, mse_backward, mse_forward,
                              sigmoid_backward, sigmoid_bce_backward, sigmoid_bce_forward, sigmoid_forward)
from manual_ae.models.base import normal

POST_CHANNELS = (512, 512, 512, 256)
SMALL_CHANNELS = (16, 16, 16, 8)


def varied_images(rng, batch, shape=(28, 28, 1)):
    """Gradient-check inputs unlike each other: each image a few Gaussian blobs of its own, in
    [0.02, 0.98]. (Uniform noise images all encode to nearly the same code, and a batch of equal
    codes has a degenerate covariance: no eigenvector projection is differentiable there.)"""
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    out = np.empty((batch,) + tuple(shape))
    for n in range(batch):
        img = np.zeros(shape[:2])
        for _ in range(3):
            cy, cx, s = rng.uniform(0, shape[0]), rng.uniform(0, shape[1]), rng.uniform(2, 7)
            img += rng.uniform(0.3, 1.0) * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s * s))
        # 1 - exp(-img): smooth and strictly increasing (no plateau, so no tied maxima for a pool to
        # flip between inside a finite-difference step), between a dark and a light level of the
        # image's own; a little noise breaks near-ties
        lo, hi = rng.uniform(0.0, 0.5), rng.uniform(0.5, 1.0)
        smooth = lo + (hi - lo) * (1 - np.exp(-img))
        out[n] = (0.02 + 0.96 * (0.85 * smooth + 0.15 * rng.uniform(0, 1, img.shape)))[..., None]
    return out


def init_conv_encoder(rng, c1, c2, dtype, std):
    return {"encoder_c1": normal(rng, (3, 3, 1, c1), dtype, std), "encoder_c2": normal(rng, (3, 3, c1, c2), dtype, std)}


def conv_encoder_forward(w, x, c):
    """x: (N, 28, 28, 1) -> (N, 7, 7, c2); fills c["encoder_c1"], c["encoder_c2"]."""
    p1, c["encoder_c1"] = conv_act_pool_forward(x, w["encoder_c1"], None, "elu")     # (14, 14, c1)
    p2, c["encoder_c2"] = conv_act_pool_forward(p1, w["encoder_c2"], None, "elu")    # (7, 7, c2)
    return p2


def conv_encoder_backward(dp2, c, g):
    """Fills g["encoder_c2"], g["encoder_c1"]; the input is data, so no dx. No biases: db dropped."""
    dp1, g["encoder_c2"], _ = conv_act_pool_backward(dp2, c["encoder_c2"])
    _, g["encoder_c1"], _ = conv_act_pool_backward(dp1, c["encoder_c1"], input_grad=False)


def init_conv_decoder(rng, c_in, c3, c4, dtype, std):
    return {"decoder_t1": normal(rng, (3, 3, c3, c_in), dtype, std),
            "decoder_t2": normal(rng, (3, 3, c4, c3), dtype, std),
            "decoder_c3": normal(rng, (3, 3, c4, 1), dtype, std)}


def conv_decoder_forward(w, d, c):
    """d: (N, 7, 7, c_in) -> logits (N, 28, 28, 1); fills the decoder's entries of c."""
    t1, c["decoder_t1"] = conv_transpose_act_forward(d, w["decoder_t1"], None, "elu")      # (14, 14, c3)
    t2, c["decoder_t2"] = conv_transpose_act_forward(t1, w["decoder_t2"], None, "elu")     # (28, 28, c4)
    logits, c["decoder_c3"] = conv2d_forward(t2, w["decoder_c3"], None, 1, "SAME")         # (28, 28, 1)
    return logits


def conv_decoder_backward(dlogits, c, g):
    """Fills the decoder's gradients in g; returns dd, the gradient at its (N, 7, 7, c_in) input."""
    dt2, g["decoder_c3"], _ = conv2d_backward(dlogits, c["decoder_c3"])
    dt1, g["decoder_t2"], _ = conv_transpose_act_backward(dt2, c["decoder_t2"])
    dd, g["decoder_t1"], _ = conv_transpose_act_backward(dt1, c["decoder_t1"])
    return dd


def image_loss_forward(logits, x, loss):
    """The reconstruction term of y_hat = sigmoid(logits) against images x (N, H, W, 1):
        "logloss"      Bernoulli log loss summed over the pixels, mean over the batch (nats per image)
        "mse"          mean squared error over all pixels
        "sse"          squared error summed over the pixels, mean over the batch
        "mse+logloss"  post 000's sum of the first two
    Returns (L, y_hat, cache); the cache holds one entry per term that is present."""
    logloss, y_hat, c_ll = sigmoid_bce_forward(logits, x, reduce="per_image")
    cache = {}
    if loss in ("logloss", "mse+logloss"):
        cache["logloss"] = c_ll
    if loss == "logloss":
        return logloss, y_hat, cache
    _, cache["sigmoid"] = sigmoid_forward(logits)
    err, cache["squared_error"] = mse_forward(y_hat, x)
    # "sse": the per-pixel mean times the pixels of one image, read from x
    cache["scale"] = tf.cast(tf.reduce_prod(tf.shape(x)[1:]), x.dtype) if loss == "sse" else 1.0
    err = err * cache["scale"]
    return (err if loss in ("mse", "sse") else logloss + err), y_hat, cache


def image_loss_backward(cache):
    """dL/dz = (y_hat - x) / N (log loss, fused: docs/log_loss.md)
             + 2 (y_hat - x) / (N D) * scale * y_hat (1 - y_hat)  (squared error, through the sigmoid)."""
    dlogits = 0.0
    if "logloss" in cache:
        dlogits = sigmoid_bce_backward(1.0, cache["logloss"])
    if "squared_error" in cache:   # both terms read the same logits: they add
        dlogits += sigmoid_backward(mse_backward(cache["scale"], cache["squared_error"]), cache["sigmoid"])
    return dlogits
