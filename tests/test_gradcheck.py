"""Every registered layer and model passes its gradient check, and nothing escapes the registry."""
import inspect

import numpy as np
import pytest
import tensorflow as tf

import manual_ae.layers as layers_pkg
from manual_ae import gradcheck
from manual_ae.gradcheck import core, registry
from manual_ae.posts import CASES

CHECKS = gradcheck.all_checks()


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_passes(name, request):
    rows = CHECKS[name](0)
    request.config.gradcheck_rows[name] = rows     # the summary at the end of the run (conftest.py)
    assert rows, f"{name}: no gradients checked"
    for row in rows:
        assert row.passed, (f"{name} d{row.param}: vs tape {row.err_tape:.2e}, vs numeric {row.err_num:.2e}, "
                            f"direction {row.err_dir:.2e}, zero: {row.zero}; {row.diagnosis}")


def test_every_layer_forward_has_a_check():
    forwards = set()
    for _, module in inspect.getmembers(layers_pkg, inspect.ismodule):
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fname.endswith("_forward") and fn.__module__ == module.__name__:
                forwards.add(fname)
    missing = forwards - gradcheck.COVERED_FORWARDS
    assert not missing, f"layers without a gradient check entry: {sorted(missing)}"


def test_every_model_has_a_check():
    assert {f"model:{m}" for m in CASES} | {"model:cppn"} <= set(CHECKS)


def test_every_entry_says_what_it_covers():
    """`covers` is a real field naming a layer forward function that exists."""
    for entry in registry.LAYER_TABLE:
        assert hasattr(layers_pkg, entry.covers) and entry.covers.endswith("_forward"), entry.name


def test_checker_catches_a_wrong_gradient():
    """The check can fail: a sigmoid backward missing its (1 - y) factor is reported."""
    def bad_backward(dy, cache):
        return dy * cache

    rows = core.check_layer("bad sigmoid", layers_pkg.sigmoid_forward, bad_backward,
                            {"z": np.random.default_rng(0).standard_normal((3, 4))}, ("z",), ("z",))
    assert not rows[0].passed and rows[0].err_tape > 1e-3 and rows[0].err_num > 1e-3


def test_fused_and_unfused_log_loss_agree():
    """dL/dz through sigmoid then BCE on probabilities equals the fused y_hat - y (post 002's derivation)."""
    rng = np.random.default_rng(1)
    z = tf.constant(rng.standard_normal((5, 7)) * 2)
    y = tf.constant(rng.uniform(0, 1, (5, 7)))
    p, c_sig = layers_pkg.sigmoid_forward(z)
    loss_unfused, c_bce = layers_pkg.bce_forward(p, y)
    dz_unfused = layers_pkg.sigmoid_backward(layers_pkg.bce_backward(1.0, c_bce), c_sig)
    loss_fused, y_hat, c_fused = layers_pkg.sigmoid_bce_forward(z, y)
    np.testing.assert_allclose(y_hat.numpy(), p.numpy(), rtol=1e-12)   # the loss returns its prediction
    dz_fused = layers_pkg.sigmoid_bce_backward(1.0, c_fused)
    np.testing.assert_allclose(float(loss_fused), float(loss_unfused), rtol=1e-12)
    np.testing.assert_allclose(dz_fused.numpy(), dz_unfused.numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(dz_fused.numpy(), (tf.sigmoid(z) - y).numpy() / 35, rtol=1e-12)


def test_fused_log_loss_is_stable_for_large_logits():
    z = tf.constant([[-800.0, 800.0]], tf.float64)
    y = tf.constant([[0.0, 1.0]], tf.float64)
    loss, _, cache = layers_pkg.sigmoid_bce_forward(z, y)
    assert np.isfinite(float(loss)) and float(loss) < 1e-300 + 1e-12
    assert np.all(np.isfinite(layers_pkg.sigmoid_bce_backward(1.0, cache).numpy()))


def test_losses_reduce_like_keras():
    import keras
    rng = np.random.default_rng(2)
    y = rng.uniform(0, 1, (6, 9)).astype(np.float32)
    z = rng.standard_normal((6, 9)).astype(np.float32)
    p = 1 / (1 + np.exp(-z))
    ours = float(layers_pkg.bce_forward(tf.constant(p), tf.constant(y))[0])
    theirs = float(keras.losses.BinaryCrossentropy()(y, p))
    assert abs(ours - theirs) < 1e-5
    assert abs(float(layers_pkg.mse_forward(tf.constant(z), tf.constant(y))[0])
               - float(keras.losses.MeanSquaredError()(y, z))) < 1e-5


def test_report_table_and_exit_status(capsys):
    from manual_ae.cli import main
    assert main(["gradcheck", "dense", "pca"]) == 0
    out = capsys.readouterr().out
    assert "should be" in out and "vs tape" in out and "PASS" in out and " 0 FAIL" in out
    assert main(["gradcheck", "no-such-layer"]) == 2
