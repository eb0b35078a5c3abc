"""Post 003: the stacked autoencoder with tied weights: the decoder uses the encoder's weights,
transposed (Keras's DenseTranspose), with biases of its own. Half the weights, same sizes."""
import numpy as np

from manual_ae.layers import (dense_act_backward, dense_act_forward, sigmoid_bce_backward, sigmoid_bce_forward,
                              tied_dense_act_backward, tied_dense_act_forward, tied_dense_backward,
                              tied_dense_forward)
from manual_ae.models.base import ImageModel, glorot_uniform


class Tied(ImageModel):
    """x -> selu(x W1 + b1) -> codes = selu(h1 W2 + b2) -> selu(codes W2^T + b3) -> sigmoid(h3 W1^T + b4)."""

    options = dict(sizes=(784, 100, 30))

    def init_weights(self, rng, dtype=np.float32):
        d, h, c = self.options["sizes"]
        return {"encoder_h1": glorot_uniform(rng, d, h, dtype), "encoder_b1": np.zeros(h, dtype),
                "encoder_h2": glorot_uniform(rng, h, c, dtype), "encoder_b2": np.zeros(c, dtype),
                "decoder_b1": np.zeros(h, dtype), "decoder_b2": np.zeros(d, dtype)}

    def forward(self, w, x, noise=None, training=True):
        c = {}
        h1, c["encoder_h1"] = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c["encoder_h2"] = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        h3, c["decoder_h1"] = tied_dense_act_forward(codes, w["encoder_h2"], w["decoder_b1"], "selu")
        logits, c["decoder_h2"] = tied_dense_forward(h3, w["encoder_h1"], w["decoder_b2"])
        loss, recon, c["loss"] = sigmoid_bce_forward(logits, x)
        return loss, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dh3, dw1_decoder, g["decoder_b2"] = tied_dense_backward(dlogits, c["decoder_h2"])
        dcodes, dw2_decoder, g["decoder_b1"] = tied_dense_act_backward(dh3, c["decoder_h1"])
        dh1, dw2_encoder, g["encoder_b2"] = dense_act_backward(dcodes, c["encoder_h2"])
        _, dw1_encoder, g["encoder_b1"] = dense_act_backward(dh1, c["encoder_h1"], input_grad=False)
        # Each shared weight is used twice: its gradient is the sum of both uses.
        g["encoder_h1"] = dw1_encoder + dw1_decoder
        g["encoder_h2"] = dw2_encoder + dw2_decoder
        return g
