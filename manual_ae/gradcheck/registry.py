"""The registry of gradient checks: every layer pair (the table LAYER_TABLE) and every model.

A layer entry names the forward function it covers in its `covers` field, and so the declared layer
kind it checks (`entry.kind`, a key of manual_ae.layers.kinds.KINDS; `entries_of(kind)` lists them);
tests/test_gradcheck.py fails when a declared kind has no entry, or when a post's case has none (the
cases' models are added automatically, so a new case is checked the moment it is declared).
"""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from manual_ae import layers as L
from manual_ae.gradcheck.core import check_layer, check_model, describe_check_config


@dataclass
class LayerEntry:
    name: str             # the row label in the report
    covers: str           # the layer forward function this entry checks (tests/test_gradcheck.py reads it)
    forward: object
    backward: object
    inputs: object        # rng -> dict of float64 arrays
    wrt: tuple            # inputs to differentiate
    grad_order: tuple = None   # names of what backward returns, in order (default: wrt)
    tape_only: str = None      # why finite differences are not judged (inputs on a kink or a clip edge)
    zero: dict = None          # input name -> why its gradient is exactly zero here
    odd_shape: bool = False    # an edge of the shapes (batch 1, odd sizes): not a model's configuration

    @property
    def kind(self):
        """The declared layer kind this entry checks (manual_ae.layers.kinds.KINDS)."""
        return self.covers[:-len("_forward")]

    def run(self, seed=0):
        inputs = self.inputs(np.random.default_rng(seed))
        return check_layer(self.name, self.forward, self.backward, inputs, self.wrt, self.grad_order or self.wrt,
                           seed, self.tape_only, self.zero)


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


def _xwb(x_shape, w_shape, b_size):
    return lambda rng: {"x": rng.standard_normal(x_shape), "w": rng.standard_normal(w_shape) * 0.5,
                        "b": rng.standard_normal(b_size)}


def _dense_inputs(rng):
    return {"x": rng.standard_normal((4, 5)), "w": rng.standard_normal((5, 3)), "b": rng.standard_normal(3)}


def _tied_inputs(rng):
    return {"x": rng.standard_normal((4, 3)), "w": rng.standard_normal((5, 3)), "b": rng.standard_normal(5)}


def _loss_inputs(rng):
    return {"z": 2 * rng.standard_normal((4, 5)), "y": rng.uniform(0, 1, (4, 5))}


def _lstm_step_forward(x, h_prev, c_prev, wx, wh, b):
    """Both outputs in one tensor, so the check's upstream gradient reaches h and c."""
    h, c, cache = L.lstm_step_forward(x, h_prev, c_prev, wx, wh, b)
    return tf.concat([h, c], axis=1), cache


def _lstm_step_backward(dout, cache):
    dh, dc = tf.split(dout, 2, axis=1)
    return L.lstm_step_backward(dh, dc, cache)


def _lstm_step_inputs(rng):
    return {"x": rng.standard_normal((3, 5)), "h_prev": rng.standard_normal((3, 6)),
            "c_prev": rng.standard_normal((3, 6)), "wx": rng.standard_normal((5, 24)) * 0.5,
            "wh": rng.standard_normal((6, 24)) * 0.5, "b": rng.standard_normal(24) * 0.5}


def _lstm_inputs(rng, n=3, t=4, d=5, h=6):
    return {"x": rng.standard_normal((n, t, d)), "wx": rng.standard_normal((d, 4 * h)) * 0.5,
            "wh": rng.standard_normal((h, 4 * h)) * 0.5, "b": rng.standard_normal(4 * h) * 0.5}


def _separated_spectrum(n, k):
    """A batch whose covariance has well-separated eigenvalues (scales 3, 2.2, 1.4, ...)."""
    def make(rng):
        return {"h": rng.standard_normal((n, k)) * np.linspace(3.0, 0.6, k) + rng.standard_normal(k)}
    return make


def _frozen_inputs(rng):
    h = _separated_spectrum(20, 3)(rng)["h"]
    return {"h": h, "basis": h.copy()}


def _eigen_frozen_forward(h, basis):
    """The V-constant variant's function: h projected on the eigenvectors of `basis` (a copy of h
    that neither finite differences nor the tape move). At the checked point it equals the layer."""
    out, cache = L.eigen_projection_forward(h, stop_gradient=True)
    _, (_, _, _, _, v_frozen, _, _) = L.eigen_projection_forward(basis, stop_gradient=True)
    return tf.matmul(h, v_frozen), cache


def _on_kinks(rng, shape=(4, 6)):
    """Every third input exactly on the kink z = 0, the rest away from it."""
    z = _away_from_zero(rng, shape).ravel()
    z[::3] = 0.0
    return {"z": z.reshape(shape)}


def _bce_edges(rng):
    """Probabilities exactly on the clip's edges eps and 1 - eps, beyond them, and inside."""
    eps = L.losses.BCE_EPSILON
    p = np.array([[eps, 1 - eps, 1e-9, 1 - 1e-9, 0.3], [0.5, eps, 0.9, 1 - eps, 1e-12]])
    return {"p": p, "y": rng.uniform(0, 1, p.shape)}


def _kl_edges(rng):
    """Units whose batch mean is 0 or 1 (held by the clip: the penalty is flat there) beside free ones."""
    h = rng.uniform(0.05, 0.95, (4, 6))
    h[:, 0], h[:, 1] = 0.0, 1.0
    return {"h": h}


def _sigmas_near_zero(rng):
    """sigma exactly 0, at the gradient's peaks +-1e-5, and a few tiny values either side."""
    sigma = np.array([[0.0, 1e-5, -1e-5, 3e-6], [-2e-6, 1e-4, -1e-3, 0.0], [0.5, -0.7, 1e-7, -1e-7]])
    return {"mean": rng.standard_normal((3, 4)), "sigma": sigma}


def _ties(rng):
    return {"x": rng.integers(0, 3, (2, 4, 6, 2)).astype(np.float64)}


def _conv(x_shape, w_shape):
    return _xwb(x_shape, w_shape, w_shape[3])


NO_WINDOW = "an input below 2x2 has no complete pooling window: the output is empty and no gradient flows"
KINK = "inputs exactly on the kink z = 0, where finite differences straddle it: the slope there is TensorFlow's choice"
CLIP = "inputs exactly on (and beyond) the clip's edges: tf.clip_by_value passes the gradient on its edges, not beyond"
TIE = "windows with tied maxima: the gradient goes to the first maximum (row-major), as TensorFlow's"
SIGMA_NEAR_ZERO = ("sigma within a step of 0, where the gradient swings between +-5e4 over 2e-5: finite differences "
                   "cannot follow it; the tape can")

XWB, X, Z, H = ("x", "w", "b"), ("x",), ("z",), ("h",)


def _odd(entries):
    """Entries at odd shapes: checked with the rest, left out of a walkthrough's rows of its model."""
    for e in entries:
        e.odd_shape = True
    return entries
E = LayerEntry

# name, the forward it covers, forward, backward, inputs, what is differentiated (and returned, in order)
LAYER_TABLE = [
    E("dense", "dense_forward", L.dense_forward, L.dense_backward, _dense_inputs, XWB),
    E("tied_dense", "tied_dense_forward", L.tied_dense_forward, L.tied_dense_backward, _tied_inputs, XWB),
    *[E(act, f"{act}_forward", *L.activation(act), lambda rng: {"z": _away_from_zero(rng, (4, 6))}, Z)
      for act in ("identity", "sigmoid", "tanh", "relu", "elu", "selu", "softsign", "atan")],
    E("mse", "mse_forward", L.mse_forward, L.mse_backward,
      lambda rng: {"y_hat": rng.standard_normal((4, 5)), "y": rng.standard_normal((4, 5))}, ("y_hat",)),
    E("bce (on probabilities)", "bce_forward", L.bce_forward, L.bce_backward,
      lambda rng: {"p": _prob(rng, (4, 5)), "y": rng.uniform(0, 1, (4, 5))}, ("p",)),
    E("sigmoid_bce (fused, on logits)", "sigmoid_bce_forward", L.sigmoid_bce_forward, L.sigmoid_bce_backward,
      _loss_inputs, Z),
    E("sigmoid_bce (fused, summed per image)", "sigmoid_bce_forward",
      lambda z, y: L.sigmoid_bce_forward(z, y, reduce="per_image"), L.sigmoid_bce_backward, _loss_inputs, Z),
    E("sigmoid_bce (fused, summed over batch and pixels)", "sigmoid_bce_forward",
      lambda z, y: L.sigmoid_bce_forward(z, y, reduce="sum"), L.sigmoid_bce_backward, _loss_inputs, Z),
    E("sigmoid -> bce (unfused chain)", "bce_forward", _unfused_log_loss_forward, _unfused_log_loss_backward,
      _loss_inputs, Z),
    E("dense_act (selu)", "dense_act_forward", lambda x, w, b: L.dense_act_forward(x, w, b, "selu"),
      L.dense_act_backward, _dense_inputs, XWB),
    E("tied_dense_act (sigmoid)", "tied_dense_act_forward",
      lambda x, w, b: L.tied_dense_act_forward(x, w, b, "sigmoid"), L.tied_dense_act_backward, _tied_inputs, XWB),
    E("conv_act_pool (elu)", "conv_act_pool_forward", lambda x, w, b: L.conv_act_pool_forward(x, w, b, "elu"),
      L.conv_act_pool_backward, _xwb((2, 6, 6, 2), (3, 3, 2, 3), 3), XWB),
    E("conv_transpose_act (tanh)", "conv_transpose_act_forward",
      lambda x, w, b: L.conv_transpose_act_forward(x, w, b, "tanh"), L.conv_transpose_act_backward,
      _xwb((2, 3, 3, 2), (3, 3, 3, 2), 3), XWB),
    *[E(f"conv2d ({pad}, stride {stride})", "conv2d_forward",
        lambda x, w, b, s=stride, p=pad: L.conv2d_forward(x, w, b, s, p), L.conv2d_backward,
        _xwb(x_shape, (3, 3, 3, 4), 4), XWB)
      for stride, pad, x_shape in ((1, "SAME", (2, 6, 6, 3)), (2, "SAME", (2, 7, 7, 3)), (2, "VALID", (2, 7, 7, 3)))],
    *[E(f"conv2d_transpose ({pad}, stride 2)", "conv2d_transpose_forward",
        lambda x, w, b, p=pad: L.conv2d_transpose_forward(x, w, b, 2, p), L.conv2d_transpose_backward,
        _xwb(x_shape, (3, 3, 5, 3), 5), XWB)
      for pad, x_shape in (("SAME", (2, 4, 4, 3)), ("VALID", (2, 3, 3, 3)))],
    *[E(f"max_pool2d ({shape[1]}x{shape[2]})", "max_pool2d_forward", L.max_pool2d_forward, L.max_pool2d_backward,
        _normal(*shape), X)
      for shape in ((2, 6, 6, 3), (2, 7, 7, 2))],
    E("lstm_step", "lstm_step_forward", _lstm_step_forward, _lstm_step_backward, _lstm_step_inputs,
      ("x", "h_prev", "c_prev", "wx", "wh", "b")),
    *[E(f"lstm ({'sequences' if seq else 'last state'})", "lstm_forward",
        lambda x, wx, wh, b, s=seq: L.lstm_forward(x, wx, wh, b, s), L.lstm_backward, _lstm_inputs,
        ("x", "wx", "wh", "b"))
      for seq in (True, False)],
    E("repeat_vector", "repeat_vector_forward", lambda x: L.repeat_vector_forward(x, 4), L.repeat_vector_backward,
      _normal(3, 5), X),
    E("time_distributed_dense", "time_distributed_dense_forward", L.time_distributed_dense_forward,
      L.time_distributed_dense_backward, _xwb((3, 4, 5), (5, 2), 2), XWB),
    E("gaussian_noise", "gaussian_noise_forward", L.gaussian_noise_forward, L.gaussian_noise_backward,
      lambda rng: {"x": rng.standard_normal((3, 5)), "noise": 0.2 * rng.standard_normal((3, 5))}, X),
    E("dropout", "dropout_forward", lambda x, keep: L.dropout_forward(x, keep, 0.5), L.dropout_backward,
      lambda rng: {"x": rng.standard_normal((3, 5)), "keep": (rng.uniform(size=(3, 5)) > 0.5) * 1.0}, X),
    E("l1_activity", "l1_activity_forward", lambda h: L.l1_activity_forward(h, 1e-3), L.l1_activity_backward,
      lambda rng: {"h": _away_from_zero(rng, (4, 6))}, H),
    E("kl_sparsity", "kl_sparsity_forward", lambda h: L.kl_sparsity_forward(h, 0.1, 0.05), L.kl_sparsity_backward,
      lambda rng: {"h": _prob(rng, (4, 6))}, H),
    E("gaussian_sample", "gaussian_sample_forward", L.gaussian_sample_forward, L.gaussian_sample_backward,
      lambda rng: {"mean": rng.standard_normal((3, 4)), "logvar": rng.standard_normal((3, 4)),
                   "eps": rng.standard_normal((3, 4))}, ("mean", "logvar")),
    E("kl_latent", "kl_latent_forward", lambda mean, logvar: L.kl_latent_forward(mean, logvar, 1 / 784),
      L.kl_latent_backward, lambda rng: {"mean": rng.standard_normal((3, 4)), "logvar": rng.standard_normal((3, 4))},
      ("mean", "logvar")),
    E("sigma_sample", "sigma_sample_forward", L.sigma_sample_forward, L.sigma_sample_backward,
      lambda rng: {"mean": rng.standard_normal((3, 4)), "sigma": rng.standard_normal((3, 4)),
                   "eps": rng.standard_normal((3, 4))}, ("mean", "sigma")),
    E("kl_latent_sigma (summed over a batch of 3)", "kl_latent_sigma_forward",
      lambda mean, sigma: L.kl_latent_sigma_forward(mean, sigma, 3.0), L.kl_latent_sigma_backward,
      lambda rng: {"mean": rng.standard_normal((3, 4)), "sigma": _away_from_zero(rng, (3, 4))}, ("mean", "sigma")),
    E("l2_penalty", "l2_penalty_forward", lambda w: L.l2_penalty_forward(w, 1e-4), L.l2_penalty_backward,
      lambda rng: {"w": rng.standard_normal((5, 4))}, ("w",)),
    E("eigen_projection (through eigh, 6x3)", "eigen_projection_forward", L.eigen_projection_forward,
      L.eigen_projection_backward, _separated_spectrum(6, 3), H),
    E("eigen_projection (V constant, 20x3)", "eigen_projection_forward", _eigen_frozen_forward,
      L.eigen_projection_backward, _frozen_inputs, H),
    *[E(f"eigen_projection (through eigh, {n}x{k})", "eigen_projection_forward", L.eigen_projection_forward,
        L.eigen_projection_backward, _separated_spectrum(n, k), H)
      for n, k in ((20, 3), (12, 5))],

    # ---- kinks and clip edges: checked against the tape (TensorFlow's convention), shown against numeric
    *[E(f"{act} (on the kink z = 0)", f"{act}_forward", *L.activation(act), _on_kinks, Z, tape_only=KINK)
      for act in ("relu", "elu", "selu")],
    E("l1_activity (on the kink h = 0)", "l1_activity_forward", lambda h: L.l1_activity_forward(h, 1e-3),
      L.l1_activity_backward, lambda rng: {"h": _on_kinks(rng)["z"]}, H, tape_only=KINK),
    E("bce (on the clip edges)", "bce_forward", L.bce_forward, L.bce_backward, _bce_edges, ("p",), tape_only=CLIP),
    E("kl_sparsity (means on the clip edges)", "kl_sparsity_forward", lambda h: L.kl_sparsity_forward(h, 0.1, 0.05),
      L.kl_sparsity_backward, _kl_edges, H, tape_only=CLIP),
    E("kl_latent_sigma (sigma at and near 0)", "kl_latent_sigma_forward",
      lambda mean, sigma: L.kl_latent_sigma_forward(mean, sigma, 3.0), L.kl_latent_sigma_backward, _sigmas_near_zero,
      ("mean", "sigma"), tape_only=SIGMA_NEAR_ZERO),
    E("max_pool2d (tied maxima)", "max_pool2d_forward", L.max_pool2d_forward, L.max_pool2d_backward, _ties, X,
      tape_only=TIE),

    # ---- odd shapes: batch 1, odd and non-square sizes, kernels 1-5, strides 2 and 3, T = 1
    *_odd([
        E("dense (batch 1)", "dense_forward", L.dense_forward, L.dense_backward,
          lambda rng: {"x": rng.standard_normal((1, 7)), "w": rng.standard_normal((7, 2)), "b": rng.standard_normal(2)},
          XWB),
        *[E(f"conv2d ({kh}x{kw} kernel, {pad}, stride {stride}, {x_shape[1]}x{x_shape[2]})", "conv2d_forward",
            lambda x, w, b, s=stride, p=pad: L.conv2d_forward(x, w, b, s, p), L.conv2d_backward,
            _conv(x_shape, (kh, kw, x_shape[3], 3)), XWB)
          for kh, kw, stride, pad, x_shape in ((1, 1, 2, "SAME", (1, 5, 7, 2)), (2, 2, 2, "SAME", (2, 7, 6, 2)),
                                               (2, 3, 3, "VALID", (1, 8, 7, 2)), (4, 4, 3, "SAME", (2, 9, 5, 1)),
                                               (5, 5, 2, "VALID", (1, 9, 10, 2)), (5, 3, 3, "SAME", (1, 7, 11, 2)))],
        *[E(f"conv2d_transpose ({kh}x{kw} kernel, {pad}, stride {stride}, {x_shape[1]}x{x_shape[2]})",
            "conv2d_transpose_forward", lambda x, w, b, s=stride, p=pad: L.conv2d_transpose_forward(x, w, b, s, p),
            L.conv2d_transpose_backward, _xwb(x_shape, (kh, kw, 3, x_shape[3]), 3), XWB)
          for kh, kw, stride, pad, x_shape in ((1, 1, 2, "SAME", (1, 3, 4, 2)), (2, 2, 3, "SAME", (2, 3, 2, 2)),
                                               (5, 5, 3, "VALID", (1, 2, 3, 2)), (4, 3, 2, "SAME", (1, 3, 5, 1)))],
        *[E(f"max_pool2d ({shape[1]}x{shape[2]}, batch {shape[0]})", "max_pool2d_forward", L.max_pool2d_forward,
            L.max_pool2d_backward, _normal(*shape), X) for shape in ((1, 5, 7, 2), (1, 3, 2, 1))],
        E("max_pool2d (1x5: no complete window)", "max_pool2d_forward", L.max_pool2d_forward, L.max_pool2d_backward,
          _normal(2, 1, 5, 3), X, zero={"x": NO_WINDOW}),
        E("lstm (T = 1, batch 1)", "lstm_forward", lambda x, wx, wh, b: L.lstm_forward(x, wx, wh, b, True),
          L.lstm_backward, lambda rng: _lstm_inputs(rng, n=1, t=1, d=3, h=2), ("x", "wx", "wh", "b"),
          zero={"wh": "one step from h = 0: the recurrent weight multiplies zeros, so its gradient is exactly 0"}),
        E("time_distributed_dense (T = 1)", "time_distributed_dense_forward", L.time_distributed_dense_forward,
          L.time_distributed_dense_backward, _xwb((2, 1, 5), (5, 3), 3), XWB),
        E("eigen_projection (batch 2, rank 1)", "eigen_projection_forward", L.eigen_projection_forward,
          L.eigen_projection_backward, _separated_spectrum(2, 2), H, tape_only="a batch of 2 has one nonzero eigenvalue: "
          "the other pair is degenerate, where the gap guard and TensorFlow's regularised 1/gap differ from the "
          "true (undefined) derivative"),
    ]),
]
LAYER_CHECKS = {e.name: e for e in LAYER_TABLE}
COVERED_KINDS = {e.kind for e in LAYER_TABLE}


def entries_of(kind):
    """The check entries of a declared layer kind (layers/kinds.py), in the table's order."""
    return [e for e in LAYER_TABLE if e.kind == kind]


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


def model_checks():
    """'model:NAME' -> callable(seed): every post case's model, and the CPPN (both activations)."""
    from manual_ae.posts import CASES
    from manual_ae.posts.post002 import CPPN_CHECKS
    checks = {f"model:{name}": (lambda seed=0, case=case: check_model(case.model(), seed)) for name, case in
              CASES.items()}
    checks["model:cppn"] = lambda seed=0: [row for model in CPPN_CHECKS for row in check_model(model, seed)]
    return checks


def model_configuration(key):
    """For a model entry: how its check's sizes differ from training (None for a layer)."""
    if not key.startswith("model:"):
        return None
    from manual_ae.posts import CASES
    from manual_ae.posts.post002 import CPPN_CHECKS
    name = key[len("model:"):]
    return describe_check_config(CPPN_CHECKS[0] if name == "cppn" else CASES[name].model())


def all_checks():
    """name -> callable(seed) returning report rows: layers first, then models."""
    checks = {name: entry.run for name, entry in LAYER_CHECKS.items()}
    checks.update(model_checks())
    return checks
