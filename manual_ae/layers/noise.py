"""Noise layers, active only in training. The random sample is an input, so a gradient check
(and a reader) sees exactly which noise was used."""
import tensorflow as tf


def gaussian_noise_forward(x, noise):
    """out = x + noise, noise ~ N(0, stddev^2) drawn by the caller.   x, noise: same shape."""
    return x + noise, None


def gaussian_noise_backward(dout, cache):
    """dx = dout (adding a constant does not change slopes)."""
    return dout


def dropout_forward(x, keep, rate):
    """out = x * keep / (1 - rate): inverted dropout, keep is a 0/1 mask with P(1) = 1 - rate."""
    scale = keep / (1.0 - rate)
    return x * scale, scale


def dropout_backward(dout, cache):
    """dx = dout * keep / (1 - rate): dropped units pass no gradient."""
    return dout * cache


def dropout_mask(shape, rate, dtype=tf.float32):
    """A 0/1 keep mask with P(keep) = 1 - rate."""
    return tf.cast(tf.random.uniform(shape) >= rate, dtype)
