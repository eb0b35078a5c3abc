"""Sandwich layers built only by chaining primitive pairs (as CS231n's layer_utils)."""
from manual_ae.layers.activations import activation
from manual_ae.layers.dense import dense_backward, dense_forward, tied_dense_backward, tied_dense_forward


def dense_act_forward(x, w, b, act):
    """h = act(x W + b).   x: (N, D), w: (D, M), b: (M,) -> h: (N, M)"""
    act_forward, act_backward = activation(act)
    z, dense_cache = dense_forward(x, w, b)
    h, act_cache = act_forward(z)
    return h, (dense_cache, act_backward, act_cache)


def dense_act_backward(dh, cache, input_grad=True):
    """dz = act'(z) * dh, then the dense backward: returns (dx, dw, db) (dx None if not input_grad)."""
    dense_cache, act_backward, act_cache = cache
    dz = act_backward(dh, act_cache)
    return dense_backward(dz, dense_cache, input_grad)


def tied_dense_act_forward(x, w, b, act):
    """h = act(x W^T + b) with W another layer's (D, M) weight.   x: (N, M) -> h: (N, D)"""
    act_forward, act_backward = activation(act)
    z, dense_cache = tied_dense_forward(x, w, b)
    h, act_cache = act_forward(z)
    return h, (dense_cache, act_backward, act_cache)


def tied_dense_act_backward(dh, cache):
    """dz = act'(z) * dh, then the tied dense backward: returns (dx, dw, db)."""
    dense_cache, act_backward, act_cache = cache
    dz = act_backward(dh, act_cache)
    return tied_dense_backward(dz, dense_cache)
