"""Post 003: the stacked autoencoder with tied weights: the decoder uses the encoder's weights,
transposed (Keras's DenseTranspose), with biases of its own. Half the weights, same sizes."""
import numpy as np

from manual_ae.layers import (dense_act_backward, dense_act_forward, sigmoid_bce_backward, sigmoid_bce_forward,
                              tied_dense_act_backward, tied_dense_act_forward, tied_dense_backward,
                              tied_dense_forward)
from manual_ae.models.base import ImageAutoencoder, glorot_uniform


class Tied(ImageAutoencoder):
    """x -> selu(x W1 + b1) -> codes = selu(h1 W2 + b2) -> selu(codes W2^T + b3) -> sigmoid(h3 W1^T + b4)."""

    name = "tied"
    post = "003"
    script = "scripts/post003_tied_autoencoder.py"
    description = "784-100-30 SELU encoder, decoder = encoder weights transposed"
    defaults = dict(epochs=10, batch_size=32, lr=1.5, optimizer="sgd")
    reference = {"train_loss": 0.2828, "val_loss": 0.2839, "val_rounded_accuracy": 0.9338}

    def init_weights(self, rng, dtype=np.float32):
        return {"encoder_h1": glorot_uniform(rng, 784, 100, dtype), "encoder_b1": np.zeros(100, dtype),
                "encoder_h2": glorot_uniform(rng, 100, 30, dtype), "encoder_b2": np.zeros(30, dtype),
                "decoder_b1": np.zeros(100, dtype), "decoder_b2": np.zeros(784, dtype)}

    def forward(self, w, x, noise=None, training=True):
        h1, c1 = dense_act_forward(x, w["encoder_h1"], w["encoder_b1"], "selu")
        codes, c2 = dense_act_forward(h1, w["encoder_h2"], w["encoder_b2"], "selu")
        h3, c3 = tied_dense_act_forward(codes, w["encoder_h2"], w["decoder_b1"], "selu")
        logits, c4 = tied_dense_forward(h3, w["encoder_h1"], w["decoder_b2"])
        loss, c5 = sigmoid_bce_forward(logits, x)
        return loss, {"recon": c5[0], "codes": codes}, (c1, c2, c3, c4, c5)

    def backward(self, cache):
        c1, c2, c3, c4, c5 = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c5)
        dh3, dw1_decoder, g["decoder_b2"] = tied_dense_backward(dlogits, c4)
        dcodes, dw2_decoder, g["decoder_b1"] = tied_dense_act_backward(dh3, c3)
        dh1, dw2_encoder, g["encoder_b2"] = dense_act_backward(dcodes, c2)
        _, dw1_encoder, g["encoder_b1"] = dense_act_backward(dh1, c1, input_grad=False)
        # Each shared weight is used twice: its gradient is the sum of both uses.
        g["encoder_h1"] = dw1_encoder + dw1_decoder
        g["encoder_h2"] = dw2_encoder + dw2_decoder
        return g
