"""Post 002, case d: a convolutional denoising autoencoder that removes stickers ("de-emoji").

Each example carries three channels (manual_ae/data/stickers.py): the stickered image (the input),
the clean image (the target) and the covered-pixel mask (for the numbers only).

    (28,28) stickered -> conv encoder (models/conv_parts.py) -> (7,7,c2) -> conv decoder -> logits
    loss  Bernoulli log loss of sigmoid(logits) against the clean image, summed over the pixels

The post's network was never published: this uses post 002's conventions (no biases, N(0, 0.05)
weights, ELU, log loss) and a 7x7 bottleneck with no dense layer, so the network can keep the
uncovered parts of the image in place.

`residual=true` adds the input's own logit, log(x / (1 - x)) (x clipped to [0.01, 0.99]), to the
network's output logit: the network then learns a correction to the image rather than the image.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers import sigmoid_bce_backward, sigmoid_bce_forward
from manual_ae.models.base import Model, check_widths
from manual_ae.models.conv_parts import (conv_decoder_backward, conv_decoder_forward, conv_encoder_backward,
                                         conv_encoder_forward, init_conv_decoder, init_conv_encoder)

RESIDUAL_CLIP = 0.01


class DeEmoji(Model):
    input_shape = (28, 28, 3)
    outputs = ("recon",)
    options = dict(channels=(16, 32, 32, 16), init_std=0.05, residual=False)
    option_ranges = {"init_std": "> 0"}

    def validate_options(self):
        check_widths(self.label, self.options["channels"], 4)

    def gradcheck_config(self):
        return self.configured(channels=(2, 3, 2, 2), init_std=0.5)

    def gradcheck_input(self, rng, batch):
        """Stickered, clean and mask channels; the mask plays no part in the loss."""
        x = rng.uniform(0.02, 0.98, size=(batch,) + self.input_shape)
        x[..., 2] = x[..., 0] > 0.7
        return x

    def init_weights(self, rng, dtype=np.float32):
        c1, c2, c3, c4 = self.options["channels"]
        std = self.options["init_std"]
        return {**init_conv_encoder(rng, c1, c2, dtype, std), **init_conv_decoder(rng, c2, c3, c4, dtype, std)}

    def forward(self, w, x, noise=None, training=True):
        c = {}
        stickered, clean = x[..., 0:1], x[..., 1:2]
        feat = conv_encoder_forward(w, stickered, c)                     # (N, 7, 7, c2)
        logits = conv_decoder_forward(w, feat, c)                        # (N, 28, 28, 1)
        if self.options["residual"]:
            # The network adds a correction to the input's own logit, so it starts at "leave the image
            # as it is" and learns only what to change. The input is data: no gradient is needed there.
            p = tf.clip_by_value(stickered, RESIDUAL_CLIP, 1 - RESIDUAL_CLIP)
            logits = logits + tf.math.log(p / (1 - p))
        loss, recon, c["loss"] = sigmoid_bce_forward(logits, clean, reduce="per_image")
        return loss, {"recon": recon}, c

    def backward(self, c):
        g = {}
        dlogits = sigmoid_bce_backward(1.0, c["loss"])                   # (y_hat - clean) / N
        dfeat = conv_decoder_backward(dlogits, c, g)
        conv_encoder_backward(dfeat, c, g)
        return g

    def metrics(self, x, outputs):
        err = tf.square(outputs["recon"] - x[..., 1:2])
        cover = x[..., 2:3]
        return {"mse": tf.reduce_mean(err),
                "mse_covered": tf.reduce_sum(err * cover) / tf.maximum(tf.reduce_sum(cover), 1.0)}
