"""Post 004's own models (PCA by Adam, the ELU stacked autoencoder with L2, the digit VAE with its
two heads), the post-003 claims' tools (summary, stacked-mse, parameter counts) and post 002's
sampled KL-only codes."""
import numpy as np
import pytest
import tensorflow as tf

from manual_ae import layers as L
from manual_ae.cli import main
from manual_ae.data import load
from manual_ae.posts import CASES, post003, post004
from manual_ae.summary import layer_rows, table
from manual_ae.train import train_case
from manual_ae.hyper import Hyper
from manual_ae.train.graph import StepLoop


def test_points_3d_200_standardises_each_half_on_its_own():
    d = load("points-3d-200")
    assert d.x_train.shape == (100, 3) and d.x_test.shape == (100, 3) and len(d.x_val) == 0
    for part in (d.x_train, d.x_test):
        np.testing.assert_allclose(part.mean(axis=0), 0, atol=1e-6)
        np.testing.assert_allclose(part.std(axis=0), 1, atol=1e-5)
    assert not np.allclose(d.x_train, d.x_test)


def test_pca_by_adam_finds_the_principal_plane(tmp_path):
    """The post's 1,000 full-batch Adam steps land on PCA's plane."""
    r = train_case(CASES["pca-adam"], load("points-3d-200"), str(tmp_path), console=False, progress=False,
                   make_figures=False)
    assert r["mse_ratio_to_pca"] < 1.01 and r["subspace_angle_deg"] < 2
    assert r["optimizer"] == "adam-tf1"


def test_he_initialisation_has_the_fan_in_std(rng):
    from manual_ae.models.base import he_truncated_normal
    w = he_truncated_normal(rng, 500, 400, np.float64)
    assert np.abs(w).max() <= 2 * np.sqrt(1.3 * 2 / 500) + 1e-12          # truncated at two of its stds
    assert w.std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)            # the 1.3 makes up for the truncation


def test_l2_gradient_is_added_to_each_kernel_not_the_biases():
    model = CASES["elu-stacked"].model(sizes=(12, 5, 3))
    w64 = {k: tf.constant(v.astype(np.float64)) for k, v in model.init_weights(np.random.default_rng(0)).items()}
    x = tf.constant(np.random.default_rng(1).uniform(size=(4, 12)))
    grads = {}
    for l2 in (0.0, 0.5):
        m = model.configured(l2=l2)
        grads[l2] = m.backward(m.forward(w64, x)[2])
    for k in w64:
        extra = (grads[0.5][k] - grads[0.0][k]).numpy()
        want = 0.5 * w64[k].numpy() if "_h" in k else 0 * extra
        np.testing.assert_allclose(extra, want, atol=1e-14)


def test_elu_stacked_logs_the_last_batch_mse_on_full_batches(tmp_path, small_digits):
    r = train_case(CASES["elu-stacked"], small_digits, str(tmp_path), epochs=2, console=False, progress=False)
    assert r["n_train"] == 512 and r["batch_size"] == 150
    assert all(h["last_batch_mse"] > 0 and h["last_batch_loss"] > h["last_batch_mse"] for h in r["history"])
    assert r["val_mse_whole_set"] == pytest.approx(r["val_mse"], rel=1e-4)
    log = (tmp_path / "train.log").read_text()
    assert "last_batch_mse" in log
    for fig in ("test_reconstructions.png", "mse_vs_published.png"):
        assert (tmp_path / fig).stat().st_size > 1000


def test_drop_remainder_runs_full_batches_only(small_digits):
    model = CASES["elu-stacked"].model(sizes=(784, 8, 4))
    init = model.init_weights(np.random.default_rng(0))
    x = small_digits.x_train.reshape(512, -1)
    hyper = Hyper(batch_size=150, optimizer="adam-tf1", lr=0.01, seed=0)
    full = StepLoop(model, init, x, hyper, drop_remainder=True)
    every = StepLoop(model, init, x, hyper)
    assert (full.steps, every.steps) == (3, 4)
    full.close(), every.close()


@pytest.mark.parametrize("head", ["sigma", "logvar"])
def test_digit_vae_reports_losses_per_training_batch(head, tmp_path, small_digits):
    """The loss sums over the batch: validation reports it per batch of 150, the scale of the
    training loss and of the post's printed numbers, whatever batch the evaluation runs in."""
    options = {"sizes": (784, 32, 16), "codings": 4, "head": head}
    r = train_case(CASES["digit-vae"], small_digits, str(tmp_path), options, epochs=2, console=False, progress=False)
    assert r["val_loss"] == pytest.approx(r["val_reconstruction"] + r["val_latent"], rel=1e-6)
    model = CASES["digit-vae"].model(**options)
    with np.load(tmp_path / "weights.npz") as f:
        w = {k: tf.constant(f[k]) for k in f.files}
    x = tf.constant(small_digits.x_val.reshape(128, -1))
    whole, _, _ = model.forward(w, x, model.sample_noise(x, False), training=False)   # one batch of 128
    assert r["val_loss"] == pytest.approx(float(whole) * 150 / 128, rel=0.03)       # sampling noise only
    assert 0 <= r["collapsed_units"] <= r["units"] == 4
    for fig in ("generated.png", "losses_vs_published.png"):
        assert (tmp_path / fig).stat().st_size > 1000


def test_sigma_latent_gradient_at_zero_is_zero_and_peaks_near_1e_5():
    sigma = tf.constant([[0.0, 1e-5, -1e-5, 1.0]], tf.float64)
    _, cache = L.kl_latent_sigma_forward(tf.zeros_like(sigma), sigma, 1.0)
    _, dsigma = L.kl_latent_sigma_backward(1.0, cache)
    np.testing.assert_allclose(dsigma.numpy(), [[0.0, -5e4, 5e4, 0.0]], rtol=1e-6, atol=1e-9)


def test_blow_ups_count_episodes_not_epochs():
    h = [{"train_loss": v} for v in (10, 8, 7, 20, 25, 7, 6, 6.5, 30, 5)]
    assert post004.blow_ups(h) == 2
    assert post004.blow_ups(h[:3] + [{"train_loss": float("nan")}]) == 1


def test_epoch_matching_post_keeps_the_update_count():
    assert post004.epoch_matching_post(0, 26) == 14            # 366 updates = 14 epochs of 26
    assert post004.epoch_matching_post(4, 26) == 70
    assert post004.epoch_matching_post(0, 366) == 1


# ---------------------------------------------------------------- post 003's claims: the tools

def test_summary_counts_every_weight_once_for_every_case():
    for name, case in CASES.items():
        model = case.model()
        rows, weights = layer_rows(model)
        assert sum(r[4] for r in rows) == sum(v.size for v in weights.values()), name
        assert sorted(k for r in rows for k in r[3]) == sorted(weights), name


def test_summary_of_the_conv_model_matches_the_posts_keras_summary(capsys):
    assert main(["summary", "conv"]) == 0
    out = capsys.readouterr().out
    assert "encoder params: 23,296" in out and "decoder params: 23,233" in out
    assert "(None, 3, 3, 64)" in out and "(None, 28, 28, 1)" in out
    tied = "\n".join(table(CASES["tied"].model()))
    assert "decoder_h1 (tied: encoder_h2)" in tied and "Total params: 82,414" in tied


def test_summary_of_the_cppn(capsys):
    assert main(["summary", "cppn", "--set", "units=8"]) == 0
    out = capsys.readouterr().out
    assert "hidden params: 192" in out and "(None, 8)" in out      # three 8x8 tanh layers (depth 4)


def test_summary_refuses_an_unknown_model(capsys):
    assert main(["summary", "nope"]) == 2
    assert "unknown model" in capsys.readouterr().err


def test_parameter_counts_and_epochs_to_reach():
    assert post003.parameter_counts() == (163_814, 82_414, 23_296, 23_233)
    h = [{"epoch": e, "val_mse": v} for e, v in enumerate((0.05, 0.03, 0.02, 0.019), start=1)]
    assert post003.epochs_to_reach(h, "val_mse", 0.02) == 3 and post003.epochs_to_reach(h, "val_mse", 0.01) is None


def test_stacked_on_mse_trains_the_same_network_on_another_loss(tmp_path, small_digits):
    r = train_case(CASES["stacked-mse"], small_digits, str(tmp_path), epochs=1, batch_size=64, console=False,
                   progress=False, make_figures=False)
    assert r["options"]["loss"] == "mse" and r["val_loss"] == pytest.approx(r["val_mse"], rel=1e-5)


def test_kl_only_vae_reports_its_sampled_codes(tmp_path, small_digits):
    r = train_case(CASES["vae3d-kl"], small_digits, str(tmp_path), {"channels": (4, 4, 4, 2)}, epochs=1, lr=1e-2,
                   console=False, progress=False)
    assert len(r["sampled_std"]) == 3 and all(s > 0.3 for s in r["sampled_std"])   # noise, not collapsed means
    assert (tmp_path / "latent_sampled.png").stat().st_size > 1000
