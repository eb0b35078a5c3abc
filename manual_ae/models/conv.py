"""Post 003: the convolutional autoencoder.

    encoder  (28,28,1) -conv16 SAME selu-> pool -> (14,14,16) -conv32-> pool -> (7,7,32) -conv64-> pool
             -> codes (3,3,64)
    decoder  -convT32 stride 2 VALID selu-> (7,7,32) -convT16 stride 2 SAME selu-> (14,14,16)
             -convT1 stride 2 SAME-> (28,28,1) logits -> sigmoid; BCE

Option `channels` = (c1, c2, c3), the encoder's widths (the post's 16, 32, 64); the decoder mirrors
them. The speed bench sweeps it (`manual-ae bench conv --sweep width=...`, width = c3).
"""
import numpy as np

from manual_ae.layers import (conv2d_transpose_backward, conv2d_transpose_forward, conv_act_pool_backward,
                              conv_act_pool_forward, conv_transpose_act_backward, conv_transpose_act_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.models.base import ImageModel, check_widths, glorot_filter


class ConvAE(ImageModel):
    input_shape = (28, 28, 1)
    options = dict(channels=(16, 32, 64))

    def validate_options(self):
        check_widths(self.label, self.options["channels"], 3)

    def init_weights(self, rng, dtype=np.float32):
        c1, c2, c3 = self.options["channels"]
        return {"encoder_h1": glorot_filter(rng, 3, 3, 1, c1, dtype), "encoder_b1": np.zeros(c1, dtype),
                "encoder_h2": glorot_filter(rng, 3, 3, c1, c2, dtype), "encoder_b2": np.zeros(c2, dtype),
                "encoder_h3": glorot_filter(rng, 3, 3, c2, c3, dtype), "encoder_b3": np.zeros(c3, dtype),
                # transposed-convolution filters are (KH, KW, C_out, C_in)
                "decoder_h1": glorot_filter(rng, 3, 3, c2, c3, dtype), "decoder_b1": np.zeros(c2, dtype),
                "decoder_h2": glorot_filter(rng, 3, 3, c1, c2, dtype), "decoder_b2": np.zeros(c1, dtype),
                "decoder_h3": glorot_filter(rng, 3, 3, 1, c1, dtype), "decoder_b3": np.zeros(1, dtype)}

    def forward(self, w, x, noise=None, training=True):
        c = {}
        p1, c["encoder_h1"] = conv_act_pool_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")        # (14, 14, c1)
        p2, c["encoder_h2"] = conv_act_pool_forward(p1, w["encoder_h2"], w["encoder_b2"], "selu")       # (7, 7, c2)
        codes, c["encoder_h3"] = conv_act_pool_forward(p2, w["encoder_h3"], w["encoder_b3"], "selu")    # (3, 3, c3)
        h4, c["decoder_h1"] = conv_transpose_act_forward(codes, w["decoder_h1"], w["decoder_b1"], "selu",
                                                         padding="VALID")                              # (7, 7, c2)
        h5, c["decoder_h2"] = conv_transpose_act_forward(h4, w["decoder_h2"], w["decoder_b2"], "selu")  # (14, 14, c1)
        logits, c["decoder_h3"] = conv2d_transpose_forward(h5, w["decoder_h3"], w["decoder_b3"], 2, "SAME")  # (28, 28, 1)
        loss, recon, c["loss"] = sigmoid_bce_forward(logits, x)
        return loss, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dh5, g["decoder_h3"], g["decoder_b3"] = conv2d_transpose_backward(dlogits, c["decoder_h3"])
        dh4, g["decoder_h2"], g["decoder_b2"] = conv_transpose_act_backward(dh5, c["decoder_h2"])
        dcodes, g["decoder_h1"], g["decoder_b1"] = conv_transpose_act_backward(dh4, c["decoder_h1"])
        dp2, g["encoder_h3"], g["encoder_b3"] = conv_act_pool_backward(dcodes, c["encoder_h3"])
        dp1, g["encoder_h2"], g["encoder_b2"] = conv_act_pool_backward(dp2, c["encoder_h2"])
        _, g["encoder_h1"], g["encoder_b1"] = conv_act_pool_backward(dp1, c["encoder_h1"], input_grad=False)
        return g
