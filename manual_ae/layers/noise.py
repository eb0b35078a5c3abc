"""Noise layers, active only in training. The random sample is an input, so a gradient check
(and a reader) sees exactly which noise was used.
Derivation: docs/noise.md (and why the denoising autoencoder backpropagates nothing into the noise)."""
import tensorflow as tf

from manual_ae.layers.kinds import layer


WHY = {"keep": "A keep mask is 0 (dropped) or 1 (kept), one per unit and example (dropout_mask draws one); "
               "the 1 / (1 - rate) scale is the layer's, not the mask's.",
       "rate": "At 1 every unit is dropped and the inverted-dropout scale 1 / (1 - rate) is infinite."}


def _check_rate(rate):
    if not 0 <= rate < 1:
        raise ValueError(f"dropout rate must be in [0, 1), not {rate!r}: at 1 every unit is dropped and the "
                         "inverted-dropout scale 1 / (1 - rate) is infinite")


@layer("noise.md", x="any", noise="like x")
def gaussian_noise_forward(x, noise):
    """out = x + noise, noise ~ N(0, stddev^2) drawn by the caller.   x, noise: same shape."""
    return x + noise, ()   # nothing to remember


@layer("noise.md")
def gaussian_noise_backward(dout, cache):
    """dx = dout (adding a constant does not change slopes)."""
    return dout


@layer("noise.md", why=WHY, x="any", keep="like x, in {0, 1}", rate="scalar, in [0, 1)")
def dropout_forward(x, keep, rate):
    """out = x * keep / (1 - rate): inverted dropout, keep is a 0/1 mask with P(1) = 1 - rate."""
    scale = keep / (1.0 - rate)
    return x * scale, scale


@layer("noise.md")
def dropout_backward(dout, cache):
    """dx = dout * keep / (1 - rate): dropped units pass no gradient."""
    return dout * cache


def dropout_mask(shape, rate, dtype=tf.float32):
    """A 0/1 keep mask with P(keep) = 1 - rate."""
    _check_rate(rate)
    return tf.cast(tf.random.uniform(shape) >= rate, dtype)
