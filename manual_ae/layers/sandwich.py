"""Sandwich layers built only by chaining primitive pairs (as CS231n's layer_utils).

A cache holds the activation's name, not its function: `activation(name)` gives the backward.
"""
from manual_ae.layers.activations import activation
from manual_ae.layers.conv import (conv2d_backward, conv2d_forward, conv2d_transpose_backward, conv2d_transpose_forward,
                                   max_pool2d_backward, max_pool2d_forward)
from manual_ae.layers.dense import dense_backward, dense_forward, tied_dense_backward, tied_dense_forward
from manual_ae.layers.kinds import layer


@layer("dense_backprop.md", x="N D", w="D M", b="M, or None")
def dense_act_forward(x, w, b, act):
    """h = act(x W + b).   x: (N, D), w: (D, M), b: (M,) -> h: (N, M)"""
    z, dense_cache = dense_forward(x, w, b)
    h, act_cache = activation(act)[0](z)
    return h, (dense_cache, act, act_cache)


@layer("dense_backprop.md", input_grad="bool")
def dense_act_backward(dh, cache, input_grad=True):
    """dz = act'(z) * dh, then the dense backward: returns (dx, dw, db) (dx None if not input_grad)."""
    dense_cache, act, act_cache = cache
    dz = activation(act)[1](dh, act_cache)
    return dense_backward(dz, dense_cache, input_grad)


@layer("dense_backprop.md", x="N M", w="D M", b="D")
def tied_dense_act_forward(x, w, b, act):
    """h = act(x W^T + b) with W another layer's (D, M) weight.   x: (N, M) -> h: (N, D)"""
    z, dense_cache = tied_dense_forward(x, w, b)
    h, act_cache = activation(act)[0](z)
    return h, (dense_cache, act, act_cache)


@layer("dense_backprop.md")
def tied_dense_act_backward(dh, cache):
    """dz = act'(z) * dh, then the tied dense backward: returns (dx, dw, db)."""
    dense_cache, act, act_cache = cache
    dz = activation(act)[1](dh, act_cache)
    return tied_dense_backward(dz, dense_cache)


@layer("convolution.md", x="N H W C", w="KH KW C O", b="O, or None")
def conv_act_pool_forward(x, w, b, act):
    """p = max_pool_2x2(act(conv(x, W) + b)), stride 1 SAME.   x: (N, H, W, C_in) -> p: (N, H//2, W//2, C_out)

    Computed as act(max_pool_2x2(conv(x, W) + b)): every activation here is non-decreasing, so in
    exact arithmetic the maximum of the activated window is the activation of the window's maximum,
    and the activation (forward and backward) runs on a quarter of the pixels. In floating point the
    computed activation can decrease between two z a few floats apart; in a window holding such a
    pair this output is smaller than Keras's order by that rounding (at most 1.2e-7 for SELU in
    float32, measured), and the gradient goes to the larger z, not the larger activation.
    Derivation: docs/convolution.md ("Pool first, then the activation").
    """
    z, conv_cache = conv2d_forward(x, w, b, 1, "SAME")
    zp, pool_cache = max_pool2d_forward(z)
    p, act_cache = activation(act)[0](zp)
    return p, (conv_cache, act, act_cache, pool_cache)


@layer("convolution.md", input_grad="bool")
def conv_act_pool_backward(dp, cache, input_grad=True):
    """Back through the activation (on the pooled pixels), the pool, then the convolution: (dx, dw, db)."""
    conv_cache, act, act_cache, pool_cache = cache
    dzp = activation(act)[1](dp, act_cache)
    return conv2d_backward(max_pool2d_backward(dzp, pool_cache), conv_cache, input_grad)


@layer("convolution.md", x="N H W CI", w="KH KW CO CI", b="CO, or None", stride="int, >= 1")
def conv_transpose_act_forward(x, w, b, act, stride=2, padding="SAME"):
    """h = act(conv_transpose(x, W) + b).   x: (N, H, W, C_in) -> h: (N, s*H, s*W, C_out) for SAME"""
    z, conv_cache = conv2d_transpose_forward(x, w, b, stride, padding)
    h, act_cache = activation(act)[0](z)
    return h, (conv_cache, act, act_cache)


@layer("convolution.md")
def conv_transpose_act_backward(dh, cache):
    """dz = act'(z) * dh, then the transposed convolution's backward: returns (dx, dw, db)."""
    conv_cache, act, act_cache = cache
    return conv2d_transpose_backward(activation(act)[1](dh, act_cache), conv_cache)
