"""Dense and tied dense layers: forward above backward.

Shapes: N examples, D inputs, M outputs.
"""
import tensorflow as tf

from manual_ae.layers.kinds import layer


# What the layers accept is declared above each (layers/signature.py): a dense layer multiplies
# matrices, (N, D) by (D, M); anything else is an error, never a broadcast.
FLATTEN = {"x": "Flatten images first (tf.reshape(x, [-1, 784])); a sequence takes time_distributed_dense."}


@layer("dense_backprop.md", why=FLATTEN, x="N D", w="D M", b="M, or None")
def dense_forward(x, w, b):
    """out = x W + b.

    x: (N, D), w: (D, M), b: (M,) or None (no bias, as posts 000/002)  ->  out: (N, M)
    """
    out = tf.matmul(x, w) if b is None else tf.matmul(x, w) + b
    return out, (x, w)


@layer("dense_backprop.md", input_grad="bool")
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


@layer("dense_backprop.md", why=FLATTEN, x="N M", w="D M", b="D")
def tied_dense_forward(x, w, b):
    """out = x W^T + b, where W is another layer's (D, M) weight.

    x: (N, M), w: (D, M), b: (D,)  ->  out: (N, D)
    """
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
