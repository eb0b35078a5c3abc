"""The registry of gradient checks: every layer pair and every model.

A layer entry names the forward function it covers; tests/test_gradcheck.py fails when a
`*_forward` in manual_ae.layers has no entry, or when a model in the model registry has none
(models are added automatically, so a new model is checked the moment it is registered).
"""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

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
    return lambda rng: {"x": rng.standard_normal(shape)}


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
        LayerEntry("sigmoid_bce (fused, summed per image)",
                   lambda z, y: L.sigmoid_bce_forward(z, y, per_image_sum=True), L.sigmoid_bce_backward,
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
    entries.append(LayerEntry("conv_act_pool (elu)", lambda x, w, b: L.conv_act_pool_forward(x, w, b, "elu"),
                              L.conv_act_pool_backward, _xwb((2, 6, 6, 2), (3, 3, 2, 3), 3), ("x", "w", "b"),
                              ("x", "w", "b")))
    entries.append(LayerEntry("conv_transpose_act (tanh)",
                              lambda x, w, b: L.conv_transpose_act_forward(x, w, b, "tanh"),
                              L.conv_transpose_act_backward, _xwb((2, 3, 3, 2), (3, 3, 3, 2), 3), ("x", "w", "b"),
                              ("x", "w", "b")))
    entries += _conv_entries() + _recurrent_entries() + _noise_and_latent_entries()
    return entries


def _xwb(x_shape, w_shape, b_size):
    return lambda rng: {"x": rng.standard_normal(x_shape), "w": rng.standard_normal(w_shape) * 0.5,
                        "b": rng.standard_normal(b_size)}


def _conv_entries():
    e = []
    for stride, pad, x_shape in ((1, "SAME", (2, 6, 6, 3)), (2, "SAME", (2, 7, 7, 3)), (2, "VALID", (2, 7, 7, 3))):
        e.append(LayerEntry(f"conv2d ({pad}, stride {stride})",
                            lambda x, w, b, s=stride, p=pad: L.conv2d_forward(x, w, b, s, p), L.conv2d_backward,
                            _xwb(x_shape, (3, 3, 3, 4), 4), ("x", "w", "b"), ("x", "w", "b")))
        e[-1].covers = "conv2d_forward"
    for pad, x_shape in (("SAME", (2, 4, 4, 3)), ("VALID", (2, 3, 3, 3))):
        e.append(LayerEntry(f"conv2d_transpose ({pad}, stride 2)",
                            lambda x, w, b, p=pad: L.conv2d_transpose_forward(x, w, b, 2, p),
                            L.conv2d_transpose_backward, _xwb(x_shape, (3, 3, 5, 3), 5), ("x", "w", "b"),
                            ("x", "w", "b")))
        e[-1].covers = "conv2d_transpose_forward"
    for shape in ((2, 6, 6, 3), (2, 7, 7, 2)):
        e.append(LayerEntry(f"max_pool2d ({shape[1]}x{shape[2]})", L.max_pool2d_forward, L.max_pool2d_backward,
                            _normal(*shape), ("x",), ("x",)))
    return e


def _lstm_step_forward(x, h_prev, c_prev, wx, wh, b):
    """Both outputs in one tensor, so the check's upstream gradient reaches h and c."""
    h, c, cache = L.lstm_step_forward(x, h_prev, c_prev, wx, wh, b)
    return tf.concat([h, c], axis=1), cache


def _lstm_step_backward(dout, cache):
    dh, dc = tf.split(dout, 2, axis=1)
    return L.lstm_step_backward(dh, dc, cache)


def _lstm_inputs(rng, n=3, t=4, d=5, h=6):
    return {"x": rng.standard_normal((n, t, d)), "wx": rng.standard_normal((d, 4 * h)) * 0.5,
            "wh": rng.standard_normal((h, 4 * h)) * 0.5, "b": rng.standard_normal(4 * h) * 0.5}


def _recurrent_entries():
    step = LayerEntry("lstm_step", _lstm_step_forward, _lstm_step_backward,
                      lambda rng: {"x": rng.standard_normal((3, 5)), "h_prev": rng.standard_normal((3, 6)),
                                   "c_prev": rng.standard_normal((3, 6)), "wx": rng.standard_normal((5, 24)) * 0.5,
                                   "wh": rng.standard_normal((6, 24)) * 0.5, "b": rng.standard_normal(24) * 0.5},
                      ("x", "h_prev", "c_prev", "wx", "wh", "b"), ("x", "h_prev", "c_prev", "wx", "wh", "b"))
    step.covers = "lstm_step_forward"
    e = [step]
    for seq in (True, False):
        e.append(LayerEntry(f"lstm ({'sequences' if seq else 'last state'})",
                            lambda x, wx, wh, b, s=seq: L.lstm_forward(x, wx, wh, b, s), L.lstm_backward,
                            _lstm_inputs, ("x", "wx", "wh", "b"), ("x", "wx", "wh", "b")))
        e[-1].covers = "lstm_forward"
    e.append(LayerEntry("repeat_vector", lambda x: L.repeat_vector_forward(x, 4), L.repeat_vector_backward,
                        _normal(3, 5), ("x",), ("x",)))
    e[-1].covers = "repeat_vector_forward"
    e.append(LayerEntry("time_distributed_dense", L.time_distributed_dense_forward, L.time_distributed_dense_backward,
                        _xwb((3, 4, 5), (5, 2), 2), ("x", "w", "b"), ("x", "w", "b")))
    return e


def _noise_and_latent_entries():
    e = [
        LayerEntry("gaussian_noise", L.gaussian_noise_forward, L.gaussian_noise_backward,
                   lambda rng: {"x": rng.standard_normal((3, 5)), "noise": 0.2 * rng.standard_normal((3, 5))},
                   ("x",), ("x",)),
        LayerEntry("dropout", lambda x, keep: L.dropout_forward(x, keep, 0.5), L.dropout_backward,
                   lambda rng: {"x": rng.standard_normal((3, 5)), "keep": (rng.uniform(size=(3, 5)) > 0.5) * 1.0},
                   ("x",), ("x",)),
        LayerEntry("l1_activity", lambda h: L.l1_activity_forward(h, 1e-3), L.l1_activity_backward,
                   lambda rng: {"h": _away_from_zero(rng, (4, 6))}, ("h",), ("h",)),
        LayerEntry("kl_sparsity", lambda h: L.kl_sparsity_forward(h, 0.1, 0.05), L.kl_sparsity_backward,
                   lambda rng: {"h": _prob(rng, (4, 6))}, ("h",), ("h",)),
        LayerEntry("gaussian_sample", _sample_forward, _sample_backward,
                   lambda rng: {"mean": rng.standard_normal((3, 4)), "logvar": rng.standard_normal((3, 4)),
                                "eps": rng.standard_normal((3, 4))}, ("mean", "logvar"), ("mean", "logvar")),
        LayerEntry("kl_latent", lambda mean, logvar: L.kl_latent_forward(mean, logvar, 1 / 784), _kl_latent_backward,
                   lambda rng: {"mean": rng.standard_normal((3, 4)), "logvar": rng.standard_normal((3, 4))},
                   ("mean", "logvar"), ("mean", "logvar")),
    ]
    e += _eigen_entries()
    for entry, fwd in zip(e, ("gaussian_noise_forward", "dropout_forward", "l1_activity_forward",
                              "kl_sparsity_forward", "gaussian_sample_forward", "kl_latent_forward")
                          + ("eigen_projection_forward",) * 4):
        entry.covers = fwd
    return e


def _separated_spectrum(n, k):
    """A batch whose covariance has well-separated eigenvalues (scales 3, 2.2, 1.4, ...)."""
    def make(rng):
        return {"h": rng.standard_normal((n, k)) * np.linspace(3.0, 0.6, k) + rng.standard_normal(k)}
    return make


def _eigen_frozen_forward(h, basis):
    """The V-constant variant's function: h projected on the eigenvectors of `basis` (a copy of h
    that neither finite differences nor the tape move). At the checked point it equals the layer."""
    out, cache = L.eigen_projection_forward(h, stop_gradient=True)
    _, (_, _, _, _, v_frozen, _, _) = L.eigen_projection_forward(basis, stop_gradient=True)
    return tf.matmul(h, v_frozen), cache


def _eigen_entries():
    e = [LayerEntry(f"eigen_projection (through eigh, {n}x{k})", L.eigen_projection_forward,
                    L.eigen_projection_backward, _separated_spectrum(n, k), ("h",), ("h",))
         for n, k in ((6, 3), (20, 3), (12, 5))]
    frozen = LayerEntry("eigen_projection (V constant, 20x3)", _eigen_frozen_forward, L.eigen_projection_backward,
                        lambda rng: (lambda h: {"h": h, "basis": h.copy()})(_separated_spectrum(20, 3)(rng)["h"]),
                        ("h",), ("h",))
    return e[:1] + [frozen] + e[1:]


def eigen_variants_note(seed=0):
    """The two backward passes of the projection on the same 20x3 batch: how far apart they are."""
    rng = np.random.default_rng(seed)
    h = tf.constant(_separated_spectrum(20, 3)(rng)["h"])
    dout = tf.constant(rng.standard_normal((20, 3)))
    full = L.eigen_projection_backward(dout, L.eigen_projection_forward(h)[1]).numpy()
    const = L.eigen_projection_backward(dout, L.eigen_projection_forward(h, stop_gradient=True)[1]).numpy()
    cos = float(np.sum(full * const) / np.linalg.norm(full) / np.linalg.norm(const))
    return [f"eigen_projection, the two variants on one 20x3 batch: through eigh vs V constant differ by "
            f"max|a - b| / max|a| = {np.max(np.abs(full - const)) / np.max(np.abs(full)):.2f} (cosine {cos:.2f}): "
            "the gradient through the eigenvectors is a large part of the whole."]


def _sample_forward(mean, logvar, eps):
    return L.gaussian_sample_forward(mean, logvar, eps)


def _sample_backward(dz, cache):
    return L.gaussian_sample_backward(dz, cache)


def _kl_latent_backward(dloss, cache):
    return L.kl_latent_backward(dloss, cache)


LAYER_CHECKS = {e.name: e for e in _layer_entries()}
# Which primitive forward functions the entries above exercise (a wrapped one names it in `covers`).
COVERED_FORWARDS = {getattr(e, "covers", e.forward.__name__) for e in LAYER_CHECKS.values()} | {
    "dense_act_forward", "tied_dense_act_forward", "conv_act_pool_forward", "conv_transpose_act_forward"}


def cppn_check(seed=0):
    """The CPPN fitted to an image by the fused log loss: every weight, tanh and atan."""
    from manual_ae.gradcheck.core import check
    from manual_ae.models.cppn import coordinates, cppn_fit_backward, cppn_fit_forward, init_cppn
    rows = []
    for act in ("tanh", "atan"):
        rng = np.random.default_rng(seed)
        w = init_cppn(rng, units=5, depth=3, z_dim=2, channels=3, std=0.7, dtype=np.float64)
        coords, z = coordinates(4, 3, 1.5, np.float64), rng.standard_normal(2)
        target = rng.uniform(0, 1, (12, 3))
        consts = {k: tf.constant(v) for k, v in w.items()}
        _, _, cache = cppn_fit_forward(consts, tf.constant(coords), tf.constant(z), tf.constant(target), act)
        hand = cppn_fit_backward(cache)

        def scalar_fn(values, act=act):
            return cppn_fit_forward({k: values[k] for k in w}, values["coords"], values["z"], values["target"], act)[0]

        for row in check(f"cppn ({act}, fit by log loss)", scalar_fn, hand,
                         {**w, "coords": coords, "z": z, "target": target}, sorted(w), rng):
            rows.append(row)
    return rows


def model_check(name):
    return lambda seed=0: check_model(MODELS[name], seed)


def all_checks():
    """name -> callable(seed) returning report rows: layers first, then models."""
    checks = {name: entry.run for name, entry in LAYER_CHECKS.items()}
    checks.update({f"model:{name}": model_check(name) for name in MODELS})
    checks["model:cppn"] = cppn_check
    return checks
