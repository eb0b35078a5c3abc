"""Post 003: the recurrent autoencoder. Each image is a sequence of 28 rows of 28 pixels.

    encoder  LSTM100 (sequences) -> LSTM30 (last state) = codes
    decoder  RepeatVector28 -> LSTM100 (sequences) -> TimeDistributed Dense28 -> sigmoid; BCE
"""
import numpy as np

from manual_ae.layers import (lstm_backward, lstm_forward, repeat_vector_backward, repeat_vector_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward, time_distributed_dense_backward,
                              time_distributed_dense_forward)
from manual_ae.models.base import ImageModel, glorot_uniform, orthogonal


def lstm_weights(rng, prefix, n_in, n_hidden, dtype):
    """Keras's LSTM initialisation: glorot kernel, orthogonal recurrent kernel, forget-gate bias 1."""
    b = np.zeros(4 * n_hidden, dtype)
    b[n_hidden:2 * n_hidden] = 1.0
    return {f"{prefix}_wx": glorot_uniform(rng, n_in, 4 * n_hidden, dtype),
            f"{prefix}_wh": orthogonal(rng, n_hidden, 4 * n_hidden, dtype), f"{prefix}_b": b}


class RecurrentAE(ImageModel):
    input_shape = (28, 28)

    def init_weights(self, rng, dtype=np.float32):
        w = {}
        w.update(lstm_weights(rng, "encoder_lstm1", 28, 100, dtype))
        w.update(lstm_weights(rng, "encoder_lstm2", 100, 30, dtype))
        w.update(lstm_weights(rng, "decoder_lstm1", 30, 100, dtype))
        w["decoder_h1"] = glorot_uniform(rng, 100, 28, dtype)
        w["decoder_b1"] = np.zeros(28, dtype)
        return w

    def forward(self, w, x, noise=None, training=True):
        c = {}
        steps = x.shape[1]
        hs1, c["encoder_lstm1"] = lstm_forward(x, w["encoder_lstm1_wx"], w["encoder_lstm1_wh"], w["encoder_lstm1_b"],
                                               True)
        codes, c["encoder_lstm2"] = lstm_forward(hs1, w["encoder_lstm2_wx"], w["encoder_lstm2_wh"],
                                                 w["encoder_lstm2_b"], False)
        rep, c["repeat"] = repeat_vector_forward(codes, steps)
        hs4, c["decoder_lstm1"] = lstm_forward(rep, w["decoder_lstm1_wx"], w["decoder_lstm1_wh"], w["decoder_lstm1_b"],
                                               True)
        logits, c["decoder_h1"] = time_distributed_dense_forward(hs4, w["decoder_h1"], w["decoder_b1"])
        loss, recon, c["loss"] = sigmoid_bce_forward(logits, x)
        return loss, {"recon": recon, "codes": codes}, c

    def backward(self, c):
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c["loss"])
        dhs4, g["decoder_h1"], g["decoder_b1"] = time_distributed_dense_backward(dlogits, c["decoder_h1"])
        drep, g["decoder_lstm1_wx"], g["decoder_lstm1_wh"], g["decoder_lstm1_b"] = lstm_backward(dhs4,
                                                                                                 c["decoder_lstm1"])
        dcodes = repeat_vector_backward(drep, c["repeat"])
        dhs1, g["encoder_lstm2_wx"], g["encoder_lstm2_wh"], g["encoder_lstm2_b"] = lstm_backward(dcodes,
                                                                                                 c["encoder_lstm2"])
        _, g["encoder_lstm1_wx"], g["encoder_lstm1_wh"], g["encoder_lstm1_b"] = lstm_backward(dhs1, c["encoder_lstm1"],
                                                                                                 input_grad=False)
        return g
