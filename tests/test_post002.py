"""Post 002: the CPPN (render, tiles, z loop, fit by log loss), the 3-D latent AE/VAE, stickers and
de-emoji."""
import json

import imageio.v2 as imageio
import numpy as np
import pytest

from manual_ae import art
from manual_ae.cli import main
from manual_ae.data import DataError
from manual_ae.data.stickers import add_stickers, draw_face, load_image_folder, load_sticker_files
from manual_ae.models.cppn import coordinates, init_cppn
from manual_ae.posts import CASES, post002
from manual_ae.train import train_case


def test_coordinates_span_the_scale_at_any_resolution():
    c = coordinates(4, 6, scale=2.0)
    assert c.shape == (24, 3)
    assert c[:, 0].min() == pytest.approx(-2 + 2 / 6) and c[:, 0].max() == pytest.approx(2 - 2 / 6)
    np.testing.assert_allclose(c[:, 2], np.hypot(c[:, 0], c[:, 1]), rtol=1e-6)
    # rows=... gives exactly those rows of the full grid (tiled rendering)
    np.testing.assert_array_equal(coordinates(4, 6, 2.0, rows=range(2, 4)), c[12:])


def test_tiled_render_equals_one_piece(monkeypatch):
    w = init_cppn(np.random.default_rng(0), units=8, depth=3, z_dim=4, channels=3)
    z = np.ones(4, np.float32)
    r = art.Renderer(w)
    whole = r.render(37, 23, z)
    monkeypatch.setattr(art, "TILE_PIXELS", 50)   # two rows of 23 pixels per tile
    tiled = r.render(37, 23, z)
    r.close()
    assert whole.shape == (37, 23, 3) and 0 <= whole.min() and whole.max() <= 1
    np.testing.assert_allclose(whole, tiled, rtol=1e-5, atol=1e-6)   # matmul blocking may round differently


def test_z_loop_is_smooth_and_closed():
    path = art.z_loop(np.random.default_rng(0), 8, 24)
    steps = np.linalg.norm(np.diff(np.vstack([path, path[:1]]), axis=0), axis=1)
    assert steps[-1] <= 1.01 * steps[:-1].max()            # last -> first is no jump: the loop closes
    assert steps.max() < 0.5 * np.linalg.norm(path, axis=1).max()   # small steps on an ellipse


def test_cppn_command_writes_png_and_gif(tmp_path):
    out, gif = tmp_path / "a.png", tmp_path / "a.gif"
    assert main(["cppn", "--width", "64", "--height", "48", "--channels", "1", "--out", str(out), "--gif", str(gif),
                 "--frames", "5", "--gif-size", "32", "--no-progress"]) == 0
    assert imageio.imread(out).shape == (48, 64)
    assert len(imageio.mimread(gif)) == 5
    assert "rendered 64x48x1" in (tmp_path / "a.log").read_text()


def test_fit_by_log_loss_learns_a_digit(tmp_path):
    out = tmp_path / "fit.png"
    assert main(["cppn", "--fit", "digit:3", "--fit-steps", "300", "--fit-size", "64", "--out", str(out),
                 "--no-progress"]) == 0
    r = json.loads((tmp_path / "fit.json").read_text())
    assert r["fitted_log_loss"] < 0.5 * r["initial_log_loss"]
    assert r["fitted_log_loss"] >= r["entropy_floor"] - 1e-6      # never below the target's own entropy
    assert imageio.imread(tmp_path / "fit-64.png").shape == (64, 64)
    assert out.stat().st_size > 1000


def test_fit_to_a_missing_or_broken_file_is_a_clear_error(tmp_path, capsys):
    assert main(["cppn", "--fit", str(tmp_path / "nope.png"), "--out", str(tmp_path / "x.png")]) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    assert main(["cppn", "--fit", str(bad), "--out", str(tmp_path / "x.png")]) == 2
    assert "cannot read it as an image" in capsys.readouterr().err


def test_fit_to_an_image_file(tmp_path):
    img = np.zeros((20, 30), np.uint8)
    img[5:15, 8:22] = 255
    imageio.imwrite(tmp_path / "box.png", img)
    target, what = art.load_target(str(tmp_path / "box.png"))
    assert target.shape == (20, 30) and target.max() == 1.0 and "box.png" in what


# ---------------------------------------------------------------- stickers and de-emoji

def test_stickers_cover_part_of_the_object(small_digits):
    x = add_stickers(small_digits.x_test[:50], np.random.default_rng(0))
    stickered, clean, cover = x[..., 0], x[..., 1], x[..., 2]
    np.testing.assert_array_equal(clean, small_digits.x_test[:50].reshape(-1, 28, 28))
    changed = np.abs(stickered - clean) > 1e-6
    assert not np.any(changed & (cover == 0) & (np.abs(stickered - clean) > 0.5))   # big changes only under cover
    on_object = (cover > 0) & (clean > 0.5)
    assert np.mean(on_object.reshape(50, -1).any(axis=1)) > 0.8          # most stickers overlap the object
    assert 0.02 < cover.mean() < 0.4                                     # partly, not entirely


def test_face_has_eyes_and_mouth_in_contrast():
    alpha, value = draw_face(10, 0.9)
    inside = alpha > 0.99
    assert (value[inside] < 0.2).mean() > 0.05 and (value[inside] > 0.8).mean() > 0.5


def test_user_stickers_and_images(tmp_path):
    (tmp_path / "stickers").mkdir()
    rgba = np.zeros((12, 12, 4), np.uint8)
    rgba[2:10, 2:10] = [200, 200, 200, 255]
    imageio.imwrite(tmp_path / "stickers" / "square.png", rgba)
    stickers = load_sticker_files(str(tmp_path / "stickers"))
    assert stickers[0][0].max() == 1.0 and stickers[0][0][0, 0] == 0.0
    (tmp_path / "imgs").mkdir()
    rng = np.random.default_rng(0)
    for i in range(12):
        imageio.imwrite(tmp_path / "imgs" / f"{i}.png", (rng.uniform(0, 1, (40, 50, 3)) * 255).astype(np.uint8))
    imgs = load_image_folder(str(tmp_path / "imgs"))
    assert imgs.shape == (12, 28, 28) and 0 <= imgs.min() and imgs.max() <= 1
    x = add_stickers(imgs, rng, stickers)
    assert x.shape == (12, 28, 28, 3) and x[..., 2].sum() > 0
    with pytest.raises(DataError, match="no image files"):
        load_sticker_files(str(tmp_path))


def test_de_emoji_trains_and_measures(tmp_path, small_digits):
    data = post002.with_stickers(small_digits, seed=0)
    r = train_case(CASES["de-emoji"], data, str(tmp_path), {"channels": (4, 4, 4, 4)}, epochs=1, console=False,
                   progress=False)
    x = data.x_test
    cover = x[..., 2] > 0.5
    baseline = np.mean((x[..., 0] - x[..., 1])[cover] ** 2)
    assert r["mse_covered_baseline"] == pytest.approx(baseline, rel=1e-5)
    assert r["psnr_covered_baseline"] == pytest.approx(10 * np.log10(1 / baseline), rel=1e-5)
    assert np.isfinite(r["psnr_covered_output"]) and r["covered_error_removed"] < 1
    for fig in ("de_emoji.png", "de_emoji.gif"):
        assert (tmp_path / fig).stat().st_size > 1000


def test_de_emoji_bad_folder_option(tmp_path, capsys):
    with pytest.raises(ValueError, match="not a folder"):
        post002.with_stickers(None, 0, stickers="/no/such/folder")
    assert main(["train", "de-emoji", "--set", "stickers=/no/such/folder", "--dataset", "mnist-5k", "--quick",
                 "--out", str(tmp_path / "x")]) == 2
    assert "not a folder" in capsys.readouterr().err


# ---------------------------------------------------------------- the 3-D latent AE and VAE

@pytest.mark.parametrize("name", ["ae3d-mse", "vae3d-logloss"])
def test_latent3d_trains_and_reports(name, tmp_path, small_digits):
    r = train_case(CASES[name], small_digits, str(tmp_path), {"channels": (4, 4, 4, 2)}, epochs=1, console=False,
                   progress=False)
    assert np.isfinite(r["val_loss"]) and 0 < r["knn5_codes"] <= 1 and len(r["range_codes"]) == 3
    for fig in ("latent_codes.gif", "latent_codes.png", "reconstructions.gif"):
        assert (tmp_path / fig).stat().st_size > 1000


def test_kl_only_vae_leaves_the_decoder_untouched(tmp_path, small_digits):
    """No reconstruction term: the decoder's gradient is zero, so Adam never moves it."""
    model = CASES["vae3d-kl"].model(channels=(4, 4, 4, 2))
    data = small_digits.subset(100, 20, 20)
    train_case(CASES["vae3d-kl"], data, str(tmp_path), {"channels": (4, 4, 4, 2)}, epochs=1, lr=1e-2, console=False,
               progress=False, make_figures=False)
    final = np.load(tmp_path / "weights.npz")
    start = model.init_weights(np.random.default_rng(42))
    for k in ("decoder_dense", "decoder_t1", "decoder_t2", "decoder_c3"):
        np.testing.assert_array_equal(final[k], start[k])
    assert not np.array_equal(final["mean_h"], start["mean_h"])


def test_every_post002_case_is_registered():
    assert {"ae3d-logloss", "ae3d-mse", "vae3d-logloss", "vae3d-mse", "vae3d-kl", "de-emoji"} <= set(CASES)
