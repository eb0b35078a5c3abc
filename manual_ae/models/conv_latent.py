"""The convolutional encoder and decoder around a small latent, shared by posts 000 and 002
(the same author's architecture: no biases, N(0, 0.05) weights, ELU, 2x2 max pools).

    encoder  (28,28,1) -conv3x3 c1 elu-> pool -> (14,14,c1) -conv3x3 c2 elu-> pool -> (7,7,c2) -> flatten
    decoder  z -dense 7*7*c3 (act)-> (7,7,c3) -convT3x3 s2 c3 elu-> (14,14,c3) -convT3x3 s2 c4 elu-> (28,28,c4)
             -conv3x3 1-> logits (the caller applies its loss; the image is sigmoid(logits))

Weights: encoder_c1, encoder_c2 (conv filters), decoder_dense, decoder_t1, decoder_t2 (transposed
convolutions, (KH, KW, C_out, C_in)), decoder_c3.
"""
import tensorflow as tf

from manual_ae.layers import (conv2d_backward, conv2d_forward, conv_act_pool_backward, conv_act_pool_forward,
                              conv_transpose_act_backward, conv_transpose_act_forward, dense_act_backward,
                              dense_act_forward, mse_backward, mse_forward, sigmoid_backward, sigmoid_bce_backward,
                              sigmoid_bce_forward, sigmoid_forward)

POST_CHANNELS = (512, 512, 512, 256)
SMALL_CHANNELS = (16, 16, 16, 8)


def normal(rng, shape, dtype, std):
    return rng.normal(0.0, std, size=shape).astype(dtype)


def init_encoder(rng, channels, dtype, std):
    c1, c2, _, _ = channels
    return {"encoder_c1": normal(rng, (3, 3, 1, c1), dtype, std), "encoder_c2": normal(rng, (3, 3, c1, c2), dtype, std)}


def init_decoder(rng, channels, latent, dtype, std):
    _, _, c3, c4 = channels
    return {"decoder_dense": normal(rng, (latent, 7 * 7 * c3), dtype, std),
            "decoder_t1": normal(rng, (3, 3, c3, c3), dtype, std),
            "decoder_t2": normal(rng, (3, 3, c4, c3), dtype, std),
            "decoder_c3": normal(rng, (3, 3, c4, 1), dtype, std)}


def encoder_forward(w, x):
    """x: (N, 28, 28, 1) -> h: (N, 7*7*c2)"""
    p1, c1 = conv_act_pool_forward(x, w["encoder_c1"], None, "elu")            # (14, 14, c1)
    p2, c2 = conv_act_pool_forward(p1, w["encoder_c2"], None, "elu")           # (7, 7, c2)
    return tf.reshape(p2, [-1, p2.shape[1] * p2.shape[2] * p2.shape[3]]), (c1, c2, tf.shape(p2))


def encoder_backward(dh, cache, g):
    """Fills g["encoder_c1"], g["encoder_c2"]; the input is data, so no dx."""
    c1, c2, p2_shape = cache
    dp1, g["encoder_c2"], _ = conv_act_pool_backward(tf.reshape(dh, p2_shape), c2)   # no biases: db dropped
    _, g["encoder_c1"], _ = conv_act_pool_backward(dp1, c1, input_grad=False)


def decoder_forward(w, z, act="identity"):
    """z: (N, K) -> logits: (N, 28, 28, 1)"""
    d, c0 = dense_act_forward(z, w["decoder_dense"], None, act)
    d = tf.reshape(d, [-1, 7, 7, w["decoder_dense"].shape[1] // 49])
    t1, c1 = conv_transpose_act_forward(d, w["decoder_t1"], None, "elu")           # (14, 14, c3)
    t2, c2 = conv_transpose_act_forward(t1, w["decoder_t2"], None, "elu")          # (28, 28, c4)
    logits, c3 = conv2d_forward(t2, w["decoder_c3"], None, 1, "SAME")              # (28, 28, 1)
    return logits, (c0, c1, c2, c3, tf.shape(d))


def decoder_backward(dlogits, cache, g):
    """Fills the decoder's gradients in g; returns dz."""
    c0, c1, c2, c3, d_shape = cache
    dt2, g["decoder_c3"], _ = conv2d_backward(dlogits, c3)
    dt1, g["decoder_t2"], _ = conv_transpose_act_backward(dt2, c2)
    dd, g["decoder_t1"], _ = conv_transpose_act_backward(dt1, c1)
    dz, g["decoder_dense"], _ = dense_act_backward(tf.reshape(dd, [-1, d_shape[1] * d_shape[2] * d_shape[3]]), c0)
    return dz


def image_loss_forward(logits, x, loss):
    """The reconstruction term, per image:
        "logloss"      Bernoulli log loss summed over the pixels, mean over the batch (nats per image)
        "mse"          mean squared error over all pixels
        "sse"          squared error summed over the pixels, mean over the batch
        "mse+logloss"  post 000's sum of the first two
    Returns (L, y_hat, cache)."""
    logloss, c_ll = sigmoid_bce_forward(logits, x, per_image_sum=True)
    y_hat = c_ll[0]
    if loss == "logloss":
        return logloss, y_hat, (c_ll, None, None)
    _, c_sig = sigmoid_forward(logits)
    err, c_err = mse_forward(y_hat, x)
    if loss == "sse":
        err = err * 784.0
    return (err if loss in ("mse", "sse") else logloss + err), y_hat, (None if loss in ("mse", "sse") else c_ll,
                                                                        c_sig, (c_err, 784.0 if loss == "sse" else 1.0))


def image_loss_backward(cache):
    """dL/dz = (y_hat - x) / N (log loss, fused: docs/log_loss.md)
             + 2 (y_hat - x) / (N D) * scale * y_hat (1 - y_hat)  (squared error, through the sigmoid)."""
    c_ll, c_sig, c_err = cache
    dlogits = 0.0
    if c_ll is not None:
        dlogits = sigmoid_bce_backward(1.0, c_ll)
    if c_sig is not None:
        c_mse, scale = c_err
        dlogits += sigmoid_backward(mse_backward(scale, c_mse), c_sig)   # both terms read the same logits
    return dlogits
