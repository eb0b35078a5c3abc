"""Convolution, transposed convolution and max pooling: forward above backward. NHWC, filters HWIO.

Shapes: N images, H x W pixels, C channels; a filter is (KH, KW, C_in, C_out).
    conv2d            H_out = ceil(H / s)                 (SAME)
                      H_out = (H - KH) // s + 1           (VALID)
    conv2d_transpose  H_out = H * s                       (SAME)
                      H_out = (H - 1) * s + KH            (VALID; 3 -> 7 for KH 3, s 2)
    max_pool2d 2x2    H_out = H // 2                      (VALID, as Keras's MaxPool2D)

The backward passes are written as the math says (docs/convolution.md):
  * the input gradient of a convolution is a transposed convolution of the upstream gradient
    with the same filter (tf.nn.conv2d_transpose: the forward op of a transposed-convolution layer);
  * the filter gradient is a correlation of the input with the upstream gradient, computed as
    im2col (tf.image.extract_patches) followed by one matrix product, so it reads like a dense dW;
  * a transposed convolution's gradients are the same two things the other way round.
No TensorFlow gradient kernel (MaxPoolGrad, Conv2DBackpropFilter, ...) is used.
"""
import tensorflow as tf


def _patches(x, kh, kw, stride, padding):
    """im2col: every KH x KW window of x as a row.   x: (N, H, W, C) -> (N, H_out, W_out, KH*KW*C)"""
    return tf.image.extract_patches(x, sizes=[1, kh, kw, 1], strides=[1, stride, stride, 1],
                                    rates=[1, 1, 1, 1], padding=padding)


def _correlate(patches, dout, filter_shape):
    """sum over n, i, j of patches[n, i, j, :] outer dout[n, i, j, :], shaped as the filter."""
    return tf.reshape(tf.tensordot(patches, dout, axes=[[0, 1, 2], [0, 1, 2]]), filter_shape)


def conv2d_forward(x, w, b, stride=1, padding="SAME"):
    """out = conv(x, W) + b.

    x: (N, H, W, C_in), w: (KH, KW, C_in, C_out), b: (C_out,) -> out: (N, H_out, W_out, C_out)
    """
    out = tf.nn.conv2d(x, w, strides=stride, padding=padding) + b
    return out, (x, w, stride, padding)


def conv2d_backward(dout, cache, input_grad=True):
    """dx = conv_transpose(dout, W),  dW = correlate(x, dout) (im2col(x)^T dout),  db = sum dout.

    dout: (N, H_out, W_out, C_out) -> dx: (N, H, W, C_in), dw: (KH, KW, C_in, C_out), db: (C_out,)
    """
    x, w, stride, padding = cache
    kh, kw = w.shape[0], w.shape[1]
    dx = None
    if input_grad:
        dx = tf.nn.conv2d_transpose(dout, w, output_shape=tf.shape(x), strides=stride, padding=padding)
    dw = _correlate(_patches(x, kh, kw, stride, padding), dout, tf.shape(w))
    db = tf.reduce_sum(dout, axis=[0, 1, 2])
    return dx, dw, db


def conv2d_transpose_forward(x, w, b, stride=2, padding="SAME"):
    """out = conv_transpose(x, W) + b: each input pixel stamps W, scaled, onto an s-times larger grid.

    x: (N, H, W, C_in), w: (KH, KW, C_out, C_in) (TensorFlow's layout), b: (C_out,)
    -> out: (N, H_out, W_out, C_out)
    """
    n, h, wd = tf.shape(x)[0], x.shape[1], x.shape[2]
    kh, kw, c_out = w.shape[0], w.shape[1], w.shape[2]
    if padding == "SAME":
        h_out, w_out = h * stride, wd * stride
    else:
        h_out, w_out = (h - 1) * stride + kh, (wd - 1) * stride + kw
    out = tf.nn.conv2d_transpose(x, w, output_shape=tf.stack([n, h_out, w_out, c_out]), strides=stride,
                                 padding=padding)
    out = tf.reshape(out, [-1, h_out, w_out, c_out]) + b
    return out, (x, w, stride, padding)


def conv2d_transpose_backward(dout, cache, input_grad=True):
    """dx = conv(dout, W) (a plain strided convolution),  dW = correlate(dout, x),  db = sum dout.

    dout: (N, H_out, W_out, C_out) -> dx: (N, H, W, C_in), dw: (KH, KW, C_out, C_in), db: (C_out,)
    """
    x, w, stride, padding = cache
    kh, kw = w.shape[0], w.shape[1]
    dx = tf.nn.conv2d(dout, w, strides=stride, padding=padding) if input_grad else None
    dw = _correlate(_patches(dout, kh, kw, stride, padding), x, tf.shape(w))
    db = tf.reduce_sum(dout, axis=[0, 1, 2])
    return dx, dw, db


def max_pool2d_forward(x):
    """out = the maximum of each 2x2 window (stride 2, VALID: an odd last row/column is dropped).

    x: (N, H, W, C) -> out: (N, H // 2, W // 2, C)
    """
    out = tf.nn.max_pool2d(x, ksize=2, strides=2, padding="VALID")
    return out, (x, out)


def _windows(x, h_out, w_out):
    """(N, 2*H_out, 2*W_out, C) -> (N, H_out, W_out, C, 4), window entries in row-major order."""
    c = x.shape[3]
    t = tf.reshape(x, [-1, h_out, 2, w_out, 2, c])
    return tf.reshape(tf.transpose(t, [0, 1, 3, 5, 2, 4]), [-1, h_out, w_out, c, 4])


def max_pool2d_backward(dout, cache):
    """dx = dout at the position of each window's maximum, 0 elsewhere.

    Ties: only the first maximum in row-major order gets the gradient, as TensorFlow does.
    dout: (N, H // 2, W // 2, C) -> dx: (N, H, W, C)
    """
    x, out = cache
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    h_out, w_out = h // 2, w // 2
    win = _windows(x[:, :2 * h_out, :2 * w_out, :], h_out, w_out)
    is_max = tf.equal(win, out[..., None])
    first = tf.logical_and(is_max, tf.equal(tf.cumsum(tf.cast(is_max, tf.int32), axis=-1), 1))
    dwin = tf.where(first, dout[..., None], tf.zeros_like(win))
    # back from windows to the image grid, then zeros for a dropped odd row/column
    dx = tf.reshape(tf.transpose(tf.reshape(dwin, [-1, h_out, w_out, c, 2, 2]), [0, 1, 4, 2, 5, 3]),
                    [-1, 2 * h_out, 2 * w_out, c])
    return tf.pad(dx, [[0, 0], [0, h - 2 * h_out], [0, w - 2 * w_out], [0, 0]])
