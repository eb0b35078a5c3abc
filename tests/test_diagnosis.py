"""Feedback that names the mistake: each mistake of the documented vocabulary (gradcheck/core.py
MISTAKES, docs/gradient_check.md) made on a real layer, and the name the check gives it."""
import numpy as np
import pytest
import tensorflow as tf

from manual_ae import layers as L
from manual_ae.gradcheck import core
from manual_ae.gradcheck.registry import LAYER_CHECKS


def named(entry, backward, forward=None, inputs=None):
    """The mistakes named by the check of registry entry `entry` with `backward` in place of its own."""
    e = LAYER_CHECKS[entry]
    rows = core.check_layer(e.name, forward or e.forward, backward, inputs or e.inputs(np.random.default_rng(0)),
                            e.wrt, e.grad_order or e.wrt, 0, e.tape_only, e.zero)
    return {r.param: (r.diagnosis or "").split(":")[0] for r in rows if not r.passed}


def unpacked(backward):
    """An activation's backward written with its cached tensor: the cache is a one-item tuple."""
    return lambda dy, cache: backward(dy, cache[0])


def test_upstream_ignored():
    assert named("sigmoid", unpacked(lambda dy, y: y * (1 - y))) == {"z": "upstream-ignored"}


def test_sign():
    assert named("tanh", unpacked(lambda dy, y: -dy * (1 - y * y))) == {"z": "sign"}


def test_scale_names_the_factor():
    e = LAYER_CHECKS["tanh"]
    rows = core.check_layer("tanh", e.forward, unpacked(lambda dy, y: 2.5 * dy * (1 - y * y)),
                            e.inputs(np.random.default_rng(0)),
                            e.wrt, e.wrt)
    assert rows[0].diagnosis.startswith("scale: hand = 2.5 x true")


def test_batch_reduction_a_mean_where_a_sum_belongs():
    def bias_mean(dout, cache):
        dx, dw, _ = L.dense_backward(dout, cache)
        return dx, dw, tf.reduce_mean(dout, axis=0)
    assert named("dense", bias_mean) == {"b": "batch-reduction"}


def test_transpose():
    def dw_transposed(dout, cache):
        dx, dw, db = L.dense_backward(dout, cache)
        return dx, tf.transpose(dw), db
    assert named("dense", dw_transposed) == {"w": "transpose"}
    square = {"x": np.random.default_rng(1).standard_normal((4, 5)), "w": np.random.default_rng(2).standard_normal((5, 5)),
              "b": np.zeros(5)}
    assert named("dense", dw_transposed, inputs=square) == {"w": "transpose"}


def test_flipped_kernel_in_the_input_and_the_kernel_gradient():
    def unflipped(dout, cache):
        x, w, stride, padding = cache
        dx = tf.nn.conv2d_transpose(dout, w[::-1, ::-1], output_shape=tf.shape(x), strides=stride, padding=padding)
        _, dw, db = L.conv2d_backward(dout, cache)
        return dx, dw[::-1, ::-1], db
    assert named("conv2d (SAME, stride 1)", unflipped) == {"x": "flipped-kernel", "w": "flipped-kernel"}


def test_wrong_index_names_the_entries():
    def leaks(dout, z):
        right = tf.where(z > 0, dout, tf.zeros_like(dout))
        return right + 7.0 * tf.reshape(tf.one_hot(5, tf.size(z), dtype=z.dtype), tf.shape(z))
    e = LAYER_CHECKS["relu"]
    rows = core.check_layer("relu", e.forward, unpacked(leaks), e.inputs(np.random.default_rng(0)), e.wrt, e.wrt)
    assert rows[0].diagnosis.startswith("wrong-index: wrong at 1 of 24 entries") and "[0,5]" in rows[0].diagnosis


def test_kink():
    relu_one_at_zero = lambda dy, z: tf.where(z >= 0, dy, tf.zeros_like(dy))   # noqa: E731
    assert named("relu (on the kink z = 0)", unpacked(relu_one_at_zero)) == {"z": "kink"}


def test_shape():
    def bias_keepdims(dout, cache):
        dx, dw, _ = L.dense_backward(dout, cache)
        return dx, dw, tf.reduce_sum(dout, axis=0, keepdims=True)
    e = LAYER_CHECKS["dense"]
    rows = core.check_layer("dense", e.forward, bias_keepdims, e.inputs(np.random.default_rng(0)), e.wrt, e.wrt)
    b = next(r for r in rows if r.param == "b")
    assert not b.passed and b.diagnosis.startswith("shape: db came back with shape (1, 3), expected (3,)")


def test_other():
    assert named("tanh", unpacked(lambda dy, y: dy * (1 - y))) == {"z": "other"}


def test_exception_and_blank_from_an_exercise_file(tmp_path, capsys):
    from manual_ae.cli import main
    path = tmp_path / "ex.py"
    assert main(["exercise", "sigmoid", "--out", str(path)]) == 0
    assert main(["gradcheck", "sigmoid", "--using", str(path)]) == 1
    assert capsys.readouterr().err.startswith("FAIL blank:")
    text = path.read_text().replace('raise NotImplementedError("sigmoid_backward is still blank: write its body")',
                                    "return dy * y_hat_missing")
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "y_hat_missing" in t)
    assert main(["gradcheck", "sigmoid", "--using", str(path), "--json", str(tmp_path / "rows.json")]) == 1
    captured = capsys.readouterr()
    both = captured.out + captured.err
    assert both.count(f"exception: ex.py:{line}: NameError") == 1 and "Traceback" not in both   # said once
    assert max(len(t) for t in both.splitlines()) <= 100
    import json
    rows = json.loads((tmp_path / "rows.json").read_text())["rows"]
    assert rows[0]["diagnosis"].startswith("exception:") and rows[0]["status"] == "FAIL"
    assert main(["gradcheck", "sigmoid", "--using", str(path), "--traceback"]) == 1
    assert "Traceback" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(core.MISTAKES))
def test_every_name_is_documented(name):
    import pathlib
    doc = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "gradient_check.md").read_text()
    assert f"`{name}`" in doc
