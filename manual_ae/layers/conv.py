"""Convolution, transposed convolution and max pooling: forward above backward. NHWC, filters HWIO.

Shapes: N images, H x W pixels, C channels; a filter is (KH, KW, C_in, C_out).
    conv2d            H_out = ceil(H / s)                 (SAME)
                      H_out = (H - KH) // s + 1           (VALID)
    conv2d_transpose  H_out = H * s                       (SAME)
                      H_out = H * s + max(KH - s, 0)      (VALID, as Keras: (H - 1) * s + KH, 3 -> 7 for
                                                           KH 3, s 2; H * s for a filter smaller than s)
    max_pool2d 2x2    H_out = H // 2                      (VALID, as Keras's MaxPool2D)

The backward passes are written as the math says (docs/convolution.md):
  * the input gradient of a convolution is a transposed convolution of the upstream gradient
    with the same filter (tf.nn.conv2d_transpose: the forward op of a transposed-convolution layer);
  * the filter gradient is a correlation of the input with the upstream gradient: for each filter
    tap, the shifted input times the upstream gradient (a dense dW); all taps at once as one
    forward convolution with batch and channels swapped, dilated by the stride;
  * a transposed convolution's gradients are the same two things the other way round.
No TensorFlow gradient function (MaxPoolGrad, Conv2DBackpropFilter, ...) is called; the one kernel
shared with TensorFlow's own gradients is tf.nn.conv2d_transpose's, Conv2DBackpropInput.
Derivation: docs/convolution.md (the input gradient index by index, output shapes, SAME's padding).
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers.kinds import layer


def _same_padding(size, out, k, stride):
    """(before, after) padding of one spatial axis, as TensorFlow pads for SAME."""
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def _correlate(x, dout, kh, kw, stride, padding):
    """dW[a, c] = sum over n, i, j of x_pad[n, s*i + a, s*j + c, :] outer dout[n, i, j, :].

    For each tap (a, c) of the filter: the input shifted by (a, c) and strided, times the upstream
    gradient, summed over every position and image. All taps at once, as ONE forward convolution:
    swap batch and channels, so that the input becomes C_x "images" of N channels, (C_x, H, W, N),
    and the upstream gradient a filter of (H_out, W_out) taps, (H_out, W_out, N, C_d). Sliding that
    filter over the input at offset (a, c) reads x_pad[s*i + a, s*j + c] for tap (i, j): the filter's
    taps lie s pixels apart, a convolution with dilation s. Its VALID output is (C_x, KH, KW, C_d).
    x: (N, H, W, C_x), dout: (N, H_out, W_out, C_d) -> (KH, KW, C_x, C_d)
    """
    h_out, w_out = dout.shape[1], dout.shape[2]
    if padding == "SAME":
        x = tf.pad(x, [[0, 0], _same_padding(x.shape[1], h_out, kh, stride),
                       _same_padding(x.shape[2], w_out, kw, stride), [0, 0]])
    # x_pad has (H_out - 1) s + KH rows, or more (VALID with rows the stride skips): keep the first KH offsets
    dw = tf.nn.conv2d(tf.transpose(x, [3, 1, 2, 0]), tf.transpose(dout, [1, 2, 0, 3]), 1, "VALID",
                      dilations=stride)                                  # (C_x, >= KH, >= KW, C_d)
    return tf.transpose(dw[:, :kh, :kw], [1, 2, 0, 3])                  # -> (KH, KW, C_x, C_d)


def _check(x, w, stride, padding, what):
    """Clear errors for the inputs TensorFlow would reject obscurely (or accept and misread)."""
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise ValueError(f"{what}: stride is one positive whole number (the same along H and W), not {stride!r}")
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"{what}: padding is 'SAME' or 'VALID', not {padding!r}")
    if padding == "VALID" and what.startswith("conv2d_forward"):
        small = [(k, n, axis) for k, n, axis in ((w.shape[0], x.shape[1], "H"), (w.shape[1], x.shape[2], "W"))
                 if k is not None and n is not None and k > n]
        if small:
            k, n, axis = small[0]
            raise ValueError(f"{what}: w is {w.shape[0]}x{w.shape[1]} but x is {x.shape[1]}x{x.shape[2]} pixels; "
                             f"expected a filter no larger than the input for a VALID convolution ({axis}: {k} > {n}): "
                             "the filter fits nowhere and the output would be empty. Use padding='SAME' or a "
                             "smaller filter.")


@layer("convolution.md", x="N H W C", w="KH KW C O", b="O, or None", stride="int, >= 1")
def conv2d_forward(x, w, b, stride=1, padding="SAME"):
    """out = conv(x, W) + b.

    x: (N, H, W, C_in), w: (KH, KW, C_in, C_out), b: (C_out,) or None -> out: (N, H_out, W_out, C_out)
    """
    _check(x, w, stride, padding, "conv2d_forward")
    out = tf.nn.conv2d(x, w, strides=stride, padding=padding)
    out = out if b is None else out + b
    return out, (x, w, stride, padding)


@layer("convolution.md", input_grad="bool")
def conv2d_backward(dout, cache, input_grad=True):
    """dx = conv_transpose(dout, W),  dW = correlate(x, dout) (im2col(x)^T dout),  db = sum dout.

    dout: (N, H_out, W_out, C_out) -> dx: (N, H, W, C_in), dw: (KH, KW, C_in, C_out), db: (C_out,)
    """
    x, w, stride, padding = cache
    kh, kw = w.shape[0], w.shape[1]
    dx = None
    if input_grad:
        dx = tf.nn.conv2d_transpose(dout, w, output_shape=tf.shape(x), strides=stride, padding=padding)
    dw = _correlate(x, dout, kh, kw, stride, padding)
    db = tf.reduce_sum(dout, axis=[0, 1, 2])
    return dx, dw, db


@layer("convolution.md", x="N H W CI", w="KH KW CO CI", b="CO, or None", stride="int, >= 1")
def conv2d_transpose_forward(x, w, b, stride=2, padding="SAME"):
    """out = conv_transpose(x, W) + b: each input pixel stamps W, scaled, onto an s-times larger grid.

    x: (N, H, W, C_in), w: (KH, KW, C_out, C_in) (TensorFlow's layout), b: (C_out,) or None
    -> out: (N, H_out, W_out, C_out)
    """
    _check(x, w, stride, padding, "conv2d_transpose_forward")
    n, h, wd = tf.shape(x)[0], x.shape[1], x.shape[2]
    kh, kw, c_out = w.shape[0], w.shape[1], w.shape[2]
    if padding == "SAME":
        h_out, w_out = h * stride, wd * stride
    else:   # as Keras's Conv2DTranspose: a filter smaller than the stride leaves zero rows between stamps
        h_out, w_out = h * stride + max(kh - stride, 0), wd * stride + max(kw - stride, 0)
    out = tf.nn.conv2d_transpose(x, w, output_shape=tf.stack([n, h_out, w_out, c_out]), strides=stride,
                                 padding=padding)
    out = tf.reshape(out, [-1, h_out, w_out, c_out])
    out = out if b is None else out + b
    return out, (x, w, stride, padding)


@layer("convolution.md", input_grad="bool")
def conv2d_transpose_backward(dout, cache, input_grad=True):
    """dx = conv(dout, W) (a plain strided convolution),  dW = correlate(dout, x),  db = sum dout.

    dout: (N, H_out, W_out, C_out) -> dx: (N, H, W, C_in), dw: (KH, KW, C_out, C_in), db: (C_out,)
    """
    x, w, stride, padding = cache
    kh, kw = w.shape[0], w.shape[1]
    dx = tf.nn.conv2d(dout, w, strides=stride, padding=padding) if input_grad else None
    dw = _correlate(dout, x, kh, kw, stride, padding)
    db = tf.reduce_sum(dout, axis=[0, 1, 2])
    return dx, dw, db


@layer("convolution.md", x="N H W C")
def max_pool2d_forward(x):
    """out = the maximum of each 2x2 window (stride 2, VALID: an odd last row/column is dropped).

    A NaN inside a window is dropped by the maximum, as TensorFlow's MaxPool kernel drops it (its
    comparison x > max is false for NaN): the window's largest number comes out, and the NaN gets no
    gradient. An eager call refuses a NaN before that (layers/signature.py); in a training graph the
    loss, and the trainer's NaN check, see the NaN only if another path carries it.

    x: (N, H, W, C) -> out: (N, H // 2, W // 2, C)
    """
    if x.shape[1] < 2 or x.shape[2] < 2:     # no complete window: an empty output (TF's op refuses in a graph)
        out = tf.zeros(tf.stack([tf.shape(x)[0], x.shape[1] // 2, x.shape[2] // 2, tf.shape(x)[3]]), x.dtype)
    else:
        out = tf.nn.max_pool2d(x, ksize=2, strides=2, padding="VALID")
    return out, (x, out)


def _upsample(t):
    """Each pixel repeated into a 2x2 block (nearest-neighbour resize).   (N, H, W, C) -> (N, 2H, 2W, C)"""
    return tf.image.resize(t, [2 * t.shape[1], 2 * t.shape[2]], method="nearest")


@layer("convolution.md")
def max_pool2d_backward(dout, cache):
    """dx = dout at the position of each window's maximum, 0 elsewhere.

    Ties: only the first maximum in row-major order gets the gradient, as TensorFlow does. Each
    window position gets a priority (4, 3 / 2, 1); among the maxima the highest priority wins.
    dout: (N, H // 2, W // 2, C) -> dx: (N, H, W, C)
    """
    x, out = cache
    h, w = x.shape[1], x.shape[2]
    h_out, w_out = h // 2, w // 2
    if h_out == 0 or w_out == 0:        # no complete window: the forward's output is empty
        return tf.zeros_like(x)
    is_max = tf.equal(x[:, :2 * h_out, :2 * w_out, :], _upsample(out))
    priority = tf.constant(np.tile([[4.0, 3.0], [2.0, 1.0]], (h_out, w_out))[None, :, :, None], x.dtype)
    score = tf.cast(is_max, x.dtype) * priority
    first = tf.equal(score, _upsample(tf.nn.max_pool2d(score, 2, 2, "VALID")))
    dx = tf.where(tf.logical_and(is_max, first), _upsample(dout), tf.zeros_like(score))
    return tf.pad(dx, [[0, 0], [0, h - 2 * h_out], [0, w - 2 * w_out], [0, 0]])  # a dropped odd row/column
