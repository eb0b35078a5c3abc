"""Noise layers, active only in training. The random sample is an input, so a gradient check
(and a reader) sees exactly which noise was used.
Derivation: docs/noise.md (and why the denoising autoencoder backpropagates nothing into the noise)."""
import numpy as np
import tensorflow as tf

from manual_ae.layers.kinds import layer
from manual_ae.layers.signature import check_arguments, parse


WHY = {"keep": "A keep mask is 0 (dropped) or 1 (kept), one per unit and example (dropout_mask draws one); "
               "the 1 / (1 - rate) scale is the layer's, not the mask's.",
       "rate": "At 1 every unit is dropped and the inverted-dropout scale 1 / (1 - rate) is infinite."}


_MASK = parse({"rate": "scalar, in [0, 1)"})


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
    return x * scale, (scale,)


@layer("noise.md")
def dropout_backward(dout, cache):
    """dx = dout * keep / (1 - rate): dropped units pass no gradient."""
    (scale,) = cache
    return dout * scale


def dropout_mask(shape, rate, dtype=tf.float32):
    """A 0/1 keep mask with P(keep) = 1 - rate.   shape: the shape of what it drops, (N, D)."""
    check_arguments("dropout_mask", _MASK, {"rate": rate}, WHY)
    if not tf.as_dtype(dtype).is_floating:
        raise ValueError(f"dropout_mask: dtype is {tf.as_dtype(dtype).name}; expected a floating dtype (the mask "
                         "multiplies the activations): tf.float32 or tf.float64")
    known = tf.get_static_value(shape) if tf.is_tensor(shape) else np.asarray(shape)
    if known is None or known.ndim != 1 or not np.issubdtype(known.dtype, np.integer) or np.any(known < 1):
        if known is not None or not tf.is_tensor(shape):
            raise ValueError(f"dropout_mask: shape is {shape!r:.60}; expected the shape of what it drops, whole "
                             "numbers at least 1 (tf.shape(x))")
    return tf.cast(tf.random.uniform(shape) >= rate, dtype)
