"""The registry of gradient checks: every layer pair and every model.

A layer entry names the forward function it covers; tests/test_gradcheck.py fails when a
`*_forward` in manual_ae.layers has no entry, or when a model in the model registry has none
(models are added automatically, so a new model is checked the moment it is registered).
"""
from dataclasses import dataclass

import numpy as np

from manual_ae import layers as L
from manual_ae.gradcheck.core import check_layer, check_model
from manual_ae.models import MODELS


@dataclass
class LayerEntry:
    name: str
    forward: object
    backward: object
    inputs: object        # rng -> dict of float64 arrays
    wrt: tuple            # inputs to differentiate
    grad_order: tuple     # names of what backward returns, in order

    def run(self, seed=0):
        inputs = self.inputs(np.random.default_rng(seed))
        return check_layer(self.name, self.forward, self.backward, inputs, self.wrt, self.grad_order, seed)


def _normal(*shape):
    return lambda rng: rng.standard_normal(shape)


def _away_from_zero(rng, shape, gap=0.1):
    """Inputs at least `gap` from 0, so kinks (relu, elu, selu at 0) never sit inside the step."""
    z = rng.standard_normal(shape)
    return np.sign(z) * (gap + np.abs(z))


def _prob(rng, shape):
    return rng.uniform(0.05, 0.95, shape)


def _unfused_log_loss_forward(z, y):
    """sigmoid, then BCE on the probability: the two-step form the fused loss replaces."""
    p, c_sig = L.sigmoid_forward(z)
    loss, c_bce = L.bce_forward(p, y)
    return loss, (c_sig, c_bce)


def _unfused_log_loss_backward(dloss, cache):
    """dL/dz = dL/dp * p (1 - p), with dL/dp = (p - y) / (p (1 - p)) / K."""
    c_sig, c_bce = cache
    return L.sigmoid_backward(L.bce_backward(dloss, c_bce), c_sig)


def _layer_entries():
    entries = [
        LayerEntry("dense", L.dense_forward, L.dense_backward,
                   lambda rng: {"x": rng.standard_normal((4, 5)), "w": rng.standard_normal((5, 3)),
                                "b": rng.standard_normal(3)}, ("x", "w", "b"), ("x", "w", "b")),
        LayerEntry("tied_dense", L.tied_dense_forward, L.tied_dense_backward,
                   lambda rng: {"x": rng.standard_normal((4, 3)), "w": rng.standard_normal((5, 3)),
                                "b": rng.standard_normal(5)}, ("x", "w", "b"), ("x", "w", "b")),
    ]
    for act in ("identity", "sigmoid", "tanh", "relu", "elu", "selu", "softsign", "atan"):
        fwd, bwd = L.activation(act)
        entries.append(LayerEntry(act, fwd, bwd, lambda rng: {"z": _away_from_zero(rng, (4, 6))}, ("z",), ("z",)))
    entries += [
        LayerEntry("mse", L.mse_forward, L.mse_backward,
                   lambda rng: {"y_hat": rng.standard_normal((4, 5)), "y": rng.standard_normal((4, 5))},
                   ("y_hat",), ("y_hat",)),
        LayerEntry("bce (on probabilities)", L.bce_forward, L.bce_backward,
                   lambda rng: {"p": _prob(rng, (4, 5)), "y": rng.uniform(0, 1, (4, 5))}, ("p",), ("p",)),
        LayerEntry("sigmoid_bce (fused, on logits)", L.sigmoid_bce_forward, L.sigmoid_bce_backward,
                   lambda rng: {"z": 2 * rng.standard_normal((4, 5)), "y": rng.uniform(0, 1, (4, 5))},
                   ("z",), ("z",)),
        LayerEntry("sigmoid -> bce (unfused chain)", _unfused_log_loss_forward, _unfused_log_loss_backward,
                   lambda rng: {"z": 2 * rng.standard_normal((4, 5)), "y": rng.uniform(0, 1, (4, 5))},
                   ("z",), ("z",)),
        LayerEntry("dense_act (selu)", lambda x, w, b: L.dense_act_forward(x, w, b, "selu"), L.dense_act_backward,
                   lambda rng: {"x": rng.standard_normal((4, 5)), "w": rng.standard_normal((5, 3)),
                                "b": rng.standard_normal(3)}, ("x", "w", "b"), ("x", "w", "b")),
        LayerEntry("tied_dense_act (sigmoid)", lambda x, w, b: L.tied_dense_act_forward(x, w, b, "sigmoid"),
                   L.tied_dense_act_backward,
                   lambda rng: {"x": rng.standard_normal((4, 3)), "w": rng.standard_normal((5, 3)),
                                "b": rng.standard_normal(5)}, ("x", "w", "b"), ("x", "w", "b")),
    ]
    return entries


LAYER_CHECKS = {e.name: e for e in _layer_entries()}
# Which primitive forward functions the entries above exercise (wrapped ones listed by hand).
COVERED_FORWARDS = {e.forward.__name__ for e in LAYER_CHECKS.values()} | {
    "dense_act_forward", "tied_dense_act_forward"}


def model_check(name):
    return lambda seed=0: check_model(MODELS[name], seed)


def all_checks():
    """name -> callable(seed) returning report rows: layers first, then models."""
    checks = {name: entry.run for name, entry in LAYER_CHECKS.items()}
    checks.update({f"model:{name}": model_check(name) for name in MODELS})
    return checks
