"""Dense and tied dense layers: forward above backward.

Shapes: N examples, D inputs, M outputs.
"""
import tensorflow as tf

from manual_ae.layers.kinds import layer


def _check_rank2(x, w, what):
    """A dense layer multiplies matrices: (N, D) by (D, M). Anything else is an error, not a broadcast."""
    if x.shape.rank != 2 or w.shape.rank != 2:
        raise ValueError(f"{what}: x must be (N, D) and w (D, M); got x of shape {tuple(x.shape)} and w of shape "
                         f"{tuple(w.shape)}. Flatten x first (time_distributed_dense for a sequence).")


@layer("dense_backprop.md")
def dense_forward(x, w, b):
    """out = x W + b.

    x: (N, D), w: (D, M), b: (M,) or None (no bias, as posts 000/002)  ->  out: (N, M)
    """
    _check_rank2(x, w, "dense_forward")
    out = tf.matmul(x, w) if b is None else tf.matmul(x, w) + b
    return out, (x, w)


@layer("dense_backprop.md")
def dense_backward(dout, cache, input_grad=True):
    """dx = dout W^T,  dW = x^T dout,  db = sum_n dout.

    dout: (N, M)  ->  dx: (N, D), dw: (D, M), db: (M,)
    input_grad=False skips dx (returned as None) for a first layer, whose input is data.
    """
    x, w = cache
    dx = tf.matmul(dout, w, transpose_b=True) if input_grad else None
    dw = tf.matmul(x, dout, transpose_a=True)
    db = tf.reduce_sum(dout, axis=0)
    return dx, dw, db


@layer("dense_backprop.md")
def tied_dense_forward(x, w, b):
    """out = x W^T + b, where W is another layer's (D, M) weight.

    x: (N, M), w: (D, M), b: (D,)  ->  out: (N, D)
    """
    _check_rank2(x, w, "tied_dense_forward")
    out = tf.matmul(x, w, transpose_b=True) + b
    return out, (x, w)


@layer("dense_backprop.md")
def tied_dense_backward(dout, cache):
    """dx = dout W,  dW = dout^T x,  db = sum_n dout.

    dout: (N, D)  ->  dx: (N, M), dw: (D, M), db: (D,)
    The caller adds dw to the gradient of the layer that owns W (shared weights accumulate).
    """
    x, w = cache
    dx = tf.matmul(dout, w)
    dw = tf.matmul(dout, x, transpose_a=True)
    db = tf.reduce_sum(dout, axis=0)
    return dx, dw, db
