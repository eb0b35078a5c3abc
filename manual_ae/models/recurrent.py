"""Post 003: the recurrent autoencoder. Each image is a sequence of 28 rows of 28 pixels.

    encoder  LSTM100 (sequences) -> LSTM30 (last state) = codes
    decoder  RepeatVector28 -> LSTM100 (sequences) -> TimeDistributed Dense28 -> sigmoid; BCE
"""
import numpy as np

from manual_ae.layers import (lstm_backward, lstm_forward, repeat_vector_backward, repeat_vector_forward,
                              sigmoid_bce_backward, sigmoid_bce_forward, time_distributed_dense_backward,
                              time_distributed_dense_forward)
from manual_ae.models.base import ImageAutoencoder, glorot_uniform, orthogonal


def lstm_weights(rng, prefix, n_in, n_hidden, dtype):
    """Keras's LSTM initialisation: glorot kernel, orthogonal recurrent kernel, forget-gate bias 1."""
    b = np.zeros(4 * n_hidden, dtype)
    b[n_hidden:2 * n_hidden] = 1.0
    return {f"{prefix}_wx": glorot_uniform(rng, n_in, 4 * n_hidden, dtype),
            f"{prefix}_wh": orthogonal(rng, n_hidden, 4 * n_hidden, dtype), f"{prefix}_b": b}


class RecurrentAE(ImageAutoencoder):
    name = "recurrent"
    post = "003"
    script = "scripts/post003_recurrent_autoencoder.py"
    description = "LSTM100-LSTM30 / RepeatVector28-LSTM100-TimeDistributed Dense28 (rows as time steps)"
    input_shape = (28, 28)
    defaults = dict(epochs=10, batch_size=32, lr=0.1, optimizer="sgd")
    reference = {"train_loss": 0.3190, "val_loss": 0.3206, "val_rounded_accuracy": 0.9015}

    def init_weights(self, rng, dtype=np.float32):
        w = {}
        w.update(lstm_weights(rng, "encoder_lstm1", 28, 100, dtype))
        w.update(lstm_weights(rng, "encoder_lstm2", 100, 30, dtype))
        w.update(lstm_weights(rng, "decoder_lstm1", 30, 100, dtype))
        w["decoder_h1"] = glorot_uniform(rng, 100, 28, dtype)
        w["decoder_b1"] = np.zeros(28, dtype)
        return w

    def forward(self, w, x, noise=None, training=True):
        hs1, c1 = lstm_forward(x, w["encoder_lstm1_wx"], w["encoder_lstm1_wh"], w["encoder_lstm1_b"], True)
        codes, c2 = lstm_forward(hs1, w["encoder_lstm2_wx"], w["encoder_lstm2_wh"], w["encoder_lstm2_b"], False)
        rep, c3 = repeat_vector_forward(codes, 28)
        hs4, c4 = lstm_forward(rep, w["decoder_lstm1_wx"], w["decoder_lstm1_wh"], w["decoder_lstm1_b"], True)
        logits, c5 = time_distributed_dense_forward(hs4, w["decoder_h1"], w["decoder_b1"])
        loss, c6 = sigmoid_bce_forward(logits, x)
        return loss, {"recon": c6[0], "codes": codes}, (c1, c2, c3, c4, c5, c6)

    def backward(self, cache):
        c1, c2, c3, c4, c5, c6 = cache
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c6)
        dhs4, g["decoder_h1"], g["decoder_b1"] = time_distributed_dense_backward(dlogits, c5)
        drep, g["decoder_lstm1_wx"], g["decoder_lstm1_wh"], g["decoder_lstm1_b"] = lstm_backward(dhs4, c4)
        dcodes = repeat_vector_backward(drep, c3)
        dhs1, g["encoder_lstm2_wx"], g["encoder_lstm2_wh"], g["encoder_lstm2_b"] = lstm_backward(dcodes, c2)
        _, g["encoder_lstm1_wx"], g["encoder_lstm1_wh"], g["encoder_lstm1_b"] = lstm_backward(dhs1, c1)
        return g
