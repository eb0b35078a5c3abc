"""Post 000: the eigenvector projection layer (forward, sign convention, degenerate spectra, the
V-constant variant) and the six eigen-* cases (options, training, numbers, figures)."""
import json

import numpy as np
import pytest
import tensorflow as tf

from manual_ae.layers import eigen_projection_backward, eigen_projection_forward
from manual_ae.posts import CASES
from manual_ae.train import train_case


def _projection(h, stop=False):
    out, cache = eigen_projection_forward(tf.constant(h), stop)
    return out.numpy(), cache


def test_forward_is_the_batch_in_its_covariance_eigenvectors(rng):
    h = rng.standard_normal((30, 3)) * [3.0, 1.0, 0.3] + [5.0, -2.0, 1.0]
    out, cache = _projection(h)
    v = cache[4].numpy()
    hc = h - h.mean(0)
    lam_np, v_np = np.linalg.eigh(hc.T @ hc / len(h))
    np.testing.assert_allclose(v.T @ v, np.eye(3), atol=1e-12)                      # orthonormal
    np.testing.assert_allclose(np.abs(v), np.abs(v_np), atol=1e-10)                # NumPy's basis up to signs
    np.testing.assert_allclose(out, h @ v, atol=1e-12)
    oc = out - out.mean(0)
    np.testing.assert_allclose(oc.T @ oc / len(h), np.diag(lam_np), atol=1e-10)   # decorrelated
    # sign convention: each column's largest-magnitude entry is positive
    assert np.all(v[np.argmax(np.abs(v), axis=0), range(3)] > 0)


def test_sign_convention_makes_the_basis_a_function_of_the_covariance(rng):
    """Reordering the batch leaves C unchanged; the basis (not just up to sign) must not change."""
    h = rng.standard_normal((20, 3)) * [2.0, 1.0, 0.5]
    v1 = _projection(h)[1][4].numpy()
    v2 = _projection(h[rng.permutation(20)])[1][4].numpy()
    np.testing.assert_allclose(v1, v2, atol=1e-10)


def test_degenerate_spectrum_gives_a_finite_clear_gradient():
    """C = I exactly (every eigenvalue equal): V is any rotation, so no gradient can flow through
    it; the hand-written backward returns exactly the V-constant gradient, finite, while the
    textbook formula 1/(lam_j - lam_i) divides by zero."""
    h = np.concatenate([np.eye(3), -np.eye(3)]) * np.sqrt(3.0)      # covariance exactly the identity
    dout = np.random.default_rng(1).standard_normal((6, 3))
    _, cache = _projection(h)
    full = eigen_projection_backward(tf.constant(dout), cache).numpy()
    _, cache_stop = _projection(h, stop=True)
    const = eigen_projection_backward(tf.constant(dout), cache_stop).numpy()
    assert np.all(np.isfinite(full))
    np.testing.assert_allclose(full, const, atol=1e-12)
    lam = cache[3].numpy()
    with np.errstate(divide="ignore"):
        naive = 1.0 / (lam[None, :] - lam[:, None])
    off_diagonal = naive[~np.eye(3, dtype=bool)]
    assert not np.all(np.isfinite(off_diagonal)) or np.max(np.abs(off_diagonal)) > 1e10


def test_partly_degenerate_spectrum_keeps_the_separated_pairs(rng):
    """Two equal eigenvalues and one apart: finite, and different from the V-constant gradient
    (the separated pairs still carry gradient through V)."""
    h = np.concatenate([np.diag([1.0, 1.0, 3.0]), -np.diag([1.0, 1.0, 3.0])])
    dout = rng.standard_normal((6, 3))
    full = eigen_projection_backward(tf.constant(dout), _projection(h)[1]).numpy()
    const = eigen_projection_backward(tf.constant(dout), _projection(h, stop=True)[1]).numpy()
    assert np.all(np.isfinite(full)) and np.max(np.abs(full - const)) > 1e-3


def test_stop_gradient_changes_the_gradient_on_a_generic_batch(rng):
    h = rng.standard_normal((20, 3)) * [3.0, 1.5, 0.5]
    dout = rng.standard_normal((20, 3))
    full = eigen_projection_backward(tf.constant(dout), _projection(h)[1]).numpy()
    const = eigen_projection_backward(tf.constant(dout), _projection(h, stop=True)[1]).numpy()
    assert np.max(np.abs(full - const)) > 1e-2 * np.max(np.abs(full))


def test_options_are_checked():
    assert CASES["eigen-a"].model(channels=(4, 4, 4, 2)).options["channels"] == (4, 4, 4, 2)
    assert CASES["eigen-a"].model().options["channels"] == (16, 16, 16, 8)   # the case's default is untouched
    with pytest.raises(ValueError, match="no option widths"):
        CASES["eigen-a"].model(widths=3)
    with pytest.raises(ValueError, match=r"option channels is \(4, 4\); expected 4 whole numbers"):
        CASES["eigen-c"].model(channels=(4, 4))
    with pytest.raises(ValueError, match="loss is"):
        CASES["eigen-c"].model(loss="l2")


def test_cli_set_flag_errors_are_clear(tmp_path, capsys):
    from manual_ae.cli import main
    assert main(["train", "eigen-a", "--set", "channels=four", "--out", str(tmp_path / "x")]) == 2
    assert "expected a value like 16,16,16,8" in capsys.readouterr().err
    assert main(["train", "eigen-a", "--set", "nothing", "--out", str(tmp_path / "y")]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["eigen-a", "eigen-b", "eigen-e"])
def test_cases_train_report_and_draw(name, tmp_path, small_digits):
    model = CASES[name].model(channels=(4, 4, 4, 2))
    r = train_case(CASES[name], small_digits, str(tmp_path), {"channels": (4, 4, 4, 2)}, epochs=1, console=False,
                   progress=False)
    assert r["status"] == "finished" and np.isfinite(r["val_loss"])
    assert r["val_loss"] == pytest.approx(r["val_mse"] + r["val_logloss"], rel=1e-5)
    assert 0 < r["knn5_codes"] <= 1 and len(r["range_codes"]) == 3
    assert r["options"]["channels"] == [4, 4, 4, 2]
    figures = ["reconstructions.gif", "latent_codes.png", "latent_codes.gif", "time_per_epoch.png"]
    if model.options["project_codes"]:
        assert 0 < r["knn5_projected"] <= 1 and len(r["range_projected"]) == 3
        figures += ["latent_projected.png", "latent_projected.gif"]
    else:
        assert "knn5_projected" not in r and 0 < r["knn5_hidden_projected"] <= 1
    for fig in figures:
        assert (tmp_path / fig).stat().st_size > 1000, fig
    saved = json.loads((tmp_path / "state.json").read_text())["config"]["options"]
    assert saved["channels"] == [4, 4, 4, 2]


def test_resume_refuses_other_options(tmp_path, small_digits):
    from manual_ae.train import ResumeError
    train_case(CASES["eigen-c"], small_digits.subset(64, 20, 20), str(tmp_path), {"channels": (2, 2, 2, 2)}, epochs=1,
               console=False, progress=False, make_figures=False)
    with pytest.raises(ResumeError, match="options"):
        train_case(CASES["eigen-c"], small_digits.subset(64, 20, 20), str(tmp_path), {"channels": (2, 2, 2, 4)},
                   epochs=2, resume=True, console=False, progress=False)
