"""Post 003: the convolutional autoencoder.

    encoder  (28,28,1) -conv16 SAME selu-> pool -> (14,14,16) -conv32-> pool -> (7,7,32) -conv64-> pool
             -> codes (3,3,64)
    decoder  -convT32 stride 2 VALID selu-> (7,7,32) -convT16 stride 2 SAME selu-> (14,14,16)
             -convT1 stride 2 SAME-> (28,28,1) logits -> sigmoid; BCE
"""
import numpy as np

from manual_ae.layers import (conv2d_backward, conv2d_forward, conv2d_transpose_backward, conv2d_transpose_forward,
                              max_pool2d_backward, max_pool2d_forward, selu_backward, selu_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageAutoencoder, glorot_filter


def conv_selu_pool_forward(x, w, b):
    z, c_conv = conv2d_forward(x, w, b, 1, "SAME")
    h, c_act = selu_forward(z)
    p, c_pool = max_pool2d_forward(h)
    return p, (c_conv, c_act, c_pool)


def conv_selu_pool_backward(dp, cache, input_grad=True):
    c_conv, c_act, c_pool = cache
    return conv2d_backward(selu_backward(max_pool2d_backward(dp, c_pool), c_act), c_conv, input_grad)


def convt_selu_forward(x, w, b, padding):
    z, c_conv = conv2d_transpose_forward(x, w, b, 2, padding)
    h, c_act = selu_forward(z)
    return h, (c_conv, c_act)


def convt_selu_backward(dh, cache):
    c_conv, c_act = cache
    return conv2d_transpose_backward(selu_backward(dh, c_act), c_conv)


class ConvAE(ImageAutoencoder):
    name = "conv"
    post = "003"
    script = "scripts/post003_conv_autoencoder.py"
    description = "Conv16-32-64 + 2x2 pools to 3x3x64 / ConvT32 VALID, ConvT16, ConvT1 (stride 2)"
    input_shape = (28, 28, 1)
    defaults = dict(epochs=5, batch_size=32, lr=1.0, optimizer="sgd")
    reference = {"train_loss": 0.2665, "val_loss": 0.2671}

    def init_weights(self, rng, dtype=np.float32):
        return {"encoder_h1": glorot_filter(rng, 3, 3, 1, 16, dtype), "encoder_b1": np.zeros(16, dtype),
                "encoder_h2": glorot_filter(rng, 3, 3, 16, 32, dtype), "encoder_b2": np.zeros(32, dtype),
                "encoder_h3": glorot_filter(rng, 3, 3, 32, 64, dtype), "encoder_b3": np.zeros(64, dtype),
                # transposed-convolution filters are (KH, KW, C_out, C_in)
                "decoder_h1": glorot_filter(rng, 3, 3, 32, 64, dtype), "decoder_b1": np.zeros(32, dtype),
                "decoder_h2": glorot_filter(rng, 3, 3, 16, 32, dtype), "decoder_b2": np.zeros(16, dtype),
                "decoder_h3": glorot_filter(rng, 3, 3, 1, 16, dtype), "decoder_b3": np.zeros(1, dtype)}

    def forward(self, w, x, noise=None, training=True):
        p1, c1 = conv_selu_pool_forward(x, w["encoder_h1"], w["encoder_b1"])       # (14, 14, 16)
        p2, c2 = conv_selu_pool_forward(p1, w["encoder_h2"], w["encoder_b2"])      # (7, 7, 32)
        codes, c3 = conv_selu_pool_forward(p2, w["encoder_h3"], w["encoder_b3"])   # (3, 3, 64)
        h4, c4 = convt_selu_forward(codes, w["decoder_h1"], w["decoder_b1"], "VALID")  # (7, 7, 32)
        h5, c5 = convt_selu_forward(h4, w["decoder_h2"], w["decoder_b2"], "SAME")      # (14, 14, 16)
        logits, c6 = conv2d_transpose_forward(h5, w["decoder_h3"], w["decoder_b3"], 2, "SAME")  # (28, 28, 1)
        loss, c7 = sigmoid_bce_forward(logits, x)
        return loss, {"recon": c7[0], "codes": codes}, (c1, c2, c3, c4, c5, c6, c7)

    def backward(self, cache):
        c1, c2, c3, c4, c5, c6, c7 = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c7)
        dh5, g["decoder_h3"], g["decoder_b3"] = conv2d_transpose_backward(dlogits, c6)
        dh4, g["decoder_h2"], g["decoder_b2"] = convt_selu_backward(dh5, c5)
        dcodes, g["decoder_h1"], g["decoder_b1"] = convt_selu_backward(dh4, c4)
        dp2, g["encoder_h3"], g["encoder_b3"] = conv_selu_pool_backward(dcodes, c3)
        dp1, g["encoder_h2"], g["encoder_b2"] = conv_selu_pool_backward(dp2, c2)
        _, g["encoder_h1"], g["encoder_b1"] = conv_selu_pool_backward(dp1, c1, input_grad=False)
        return g
