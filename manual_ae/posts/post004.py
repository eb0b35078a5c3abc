"""Post 004: everything about autoencoders: PCA with an autoencoder, a stacked autoencoder on MNIST,
and a variational autoencoder that generates new digits.

Post 004's own code is TF1 graph code that follows the first edition of Geron's book
(docs/reference.md, "Post 004's own code"). Its three models are the cases here:

    pca-adam      linear 3-2-3 with biases, MSE, Adam 0.01, 1,000 full-batch steps, on 200 points
    elu-stacked   784-300-150-300-784 ELU, linear output, He init, L2 1e-4, MSE, Adam 0.01, 5 epochs, batch 150
    digit-vae     784-500-500 ELU, heads of 20 for the mean and for sigma (`--set head=logvar`: Geron's
                  log-variance head), loss summed over batch and pixels, Adam 1e-3, 50 epochs, batch 150

Adam is TF1's (epsilon 1e-8, `adam-tf1`). The TF1 loops ran N // 150 full batches an epoch and
printed the loss on each epoch's last batch: the cases do the same (`full_batches`,
`last_batch_metrics`): 366 updates an epoch on the 55,000 digits of `mnist.train`, as the post.
On another data set (`--dataset mnist-5k`, chosen by name) the published values are placed at our
epoch with the same number of updates (`epoch_matching_post`).

Two cases keep the post-003 (chapter-17, 2nd edition) versions that this project reproduced post 004
with first: `stacked` on digits (scripts/post004_selu_stacked_digits.py) and `vae`, the Keras-style
VAE on Fashion-MNIST (scripts/post004_fashion_vae.py). Its RMSprop is TF 2.0's Keras form
(g / (sqrt(v) + eps), `rmsprop-tf2`); with Keras 3's g / sqrt(v + eps) (`--optimizer rmsprop`) the
same run ends about 0.003 worse in loss and 0.004 in rounded accuracy (logs/vae-keras3-rmsprop*.log).
"""
import json
import os

import numpy as np

from manual_ae import figures
from manual_ae.metrics import pca_reconstruction
from manual_ae.models import VAE, DigitVAE, EluStacked, ShallowAE
from manual_ae.posts.case import Case
from manual_ae.posts.common import reconstructions
from manual_ae.posts.post003 import codings_gif, pca_report

POST_STEPS_PER_EPOCH = 55000 // 150   # 366 full batches of 150 per epoch in the post's TF1 loops

# Published per-epoch numbers on the epoch's last batch of 150 (docs/reference.md).
ELU_TRAIN_MSE = [0.0235, 0.0121, 0.0112, 0.0105, 0.0107]
VAE_LOSSES = {"total": [31522, 27603, 29213, 25057, 21982, 21811, 18354],
              "reconstruction": [24244, 22578, 23616, 21136, 18717, 18149, 15276],
              "latent": [7278, 5025, 5597, 3921, 3265, 3662, 3079]}
VAE_SECOND_RUN = {"total": (35821, 19446), "reconstruction": (26313, 16531), "latent": (9508, 2915)}  # epochs 0 and 6


def epoch_matching_post(post_epoch, steps_per_epoch):
    """Our epoch (1-based) whose end has the update count of the post's epoch `post_epoch` (0-based)."""
    return max(1, round((post_epoch + 1) * POST_STEPS_PER_EPOCH / steps_per_epoch))


def _history(out_dir):
    path = os.path.join(out_dir, "metrics.json")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("history", [])


# ---------------------------------------------------------------- PCA with an autoencoder, trained by Adam

def pca_adam_report(model, predict, data, weights=None):
    """Post 003's PCA numbers on the 100 training points, and the test points' error against PCA fitted
    to the test half (each half was standardised on its own, so each has its own PCA)."""
    result = pca_report(model, predict, data, weights)
    x_test = data.x_test.astype(np.float64)
    ae_mse = float(np.mean((predict(data.x_test)["recon"] - x_test) ** 2))
    result.update(test_mse_autoencoder=ae_mse,
                  test_mse_ratio_to_pca=ae_mse / float(np.mean((pca_reconstruction(x_test, 2)[0] - x_test) ** 2)))
    return result


def pca_adam_figures(model, predict, data, snapshots, out_dir, weights=None):
    """The post's figure: the 2-D codings of the 100 test points (PNG), and over training (GIF)."""
    paths = [figures.save(figures.points_3d_figure(data.x_train, f"{model.name}: the 100 training points"),
                          os.path.join(out_dir, "data_3d.png")),
             figures.save(figures.codes_plane_figure(predict(data.x_test)["codes"],
                                                     f"{model.name}: codings of the 100 test points"),
                          os.path.join(out_dir, "codings_test.png"))]
    return paths + codings_gif(model, snapshots, os.path.join(out_dir, "codings_test.gif"), "test codings, step")


# ---------------------------------------------------------------- the ELU stacked autoencoder with L2

def mse_report(model, predict, data, weights=None):
    """The reconstruction MSE over the whole training and validation sets (the post printed only
    the last batch's)."""
    out = {}
    for split, x in (("train", data.x_train), ("val", data.x_val)):
        x = x.reshape(len(x), -1)
        out[f"{split}_mse_whole_set"] = float(np.mean((predict(x)["recon"] - x) ** 2))
    return out


def elu_stacked_figures(model, predict, data, snapshots, out_dir, weights=None):
    """The post's figure (3 test digits beside their reconstructions), 10 validation digits with
    their GIF over training, and our last-batch MSE against the post's."""
    x = data.x_test[:3].reshape(3, -1)
    paths = [figures.save(figures.reconstructions_figure(x, np.clip(predict(x)["recon"], 0, 1),
                                                         f"{model.name}: test digits and reconstructions"),
                          os.path.join(out_dir, "test_reconstructions.png"))]
    paths += reconstructions(model, predict, data, snapshots, out_dir, weights)
    history = _history(out_dir)
    if history:
        steps = len(data.x_train) // 150
        paths.append(figures.save(figures.published_curves_figure(
            history, [("train MSE (last batch)", "last_batch_mse"), ("validation MSE", "val_mse")],
            {"train MSE (last batch)": ELU_TRAIN_MSE}, lambda k: epoch_matching_post(k, steps),
            f"{model.name}: MSE per epoch, published values at the same update count"),
            os.path.join(out_dir, "mse_vs_published.png")))
    return paths


# ---------------------------------------------------------------- the VAE that generates digits

def digit_vae_report(model, predict, data, weights=None):
    """How the second head behaves: the spread sigma over the validation codings (|sigma| for the
    sigma head), and the share of coding units whose sigma has collapsed (< 1e-3 on average)."""
    sigma = predict(data.x_val)["sigma"]
    per_unit = sigma.mean(axis=0)
    return {"val_sigma_median": float(np.median(sigma)), "val_sigma_min_unit": float(per_unit.min()),
            "collapsed_units": int(np.sum(per_unit < 1e-3)), "units": int(per_unit.size)}


def digit_vae_figures(model, predict, data, snapshots, out_dir, weights=None):
    """The post's figure (60 digits decoded from N(0, I) codings), the three losses against the
    published per-epoch values, and reconstructions."""
    paths = reconstructions(model, predict, data, snapshots, out_dir, weights)
    if weights is None:
        return paths
    z = np.random.default_rng(42).standard_normal((60, model.options["codings"])).astype(np.float32)
    paths.append(figures.save(figures.image_grid(model.decode(weights, z), 6,
                                                 f"{model.name}: 60 digits from codings drawn from N(0, I)"),
                              os.path.join(out_dir, "generated.png")))
    history = _history(out_dir)
    if history:
        steps = len(data.x_train) // 150
        parts = [(label, f"last_batch_{'loss' if label == 'total' else label}") for label in VAE_LOSSES]
        paths.append(figures.save(figures.published_curves_figure(
            history, parts, VAE_LOSSES, lambda k: epoch_matching_post(k, steps),
            f"{model.name}: loss on each epoch's last batch of 150, published values at the same update count"),
            os.path.join(out_dir, "losses_vs_published.png")))
    return paths


# ---------------------------------------------------------------- the chapter-17 VAE (Fashion-MNIST)

def vae_figures(model, predict, data, snapshots, out_dir, weights=None):
    """Reconstructions; a grid generated from random codings; a row interpolating two codings."""
    paths = reconstructions(model, predict, data, snapshots, out_dir, weights)
    if weights is None:
        return paths
    rng = np.random.default_rng(42)
    k = model.options["codings"]
    generated = model.decode(weights, rng.standard_normal((24, k)).astype(np.float32))
    paths.append(figures.save(figures.image_grid(generated, 3, f"{model.name}: images from random codings"),
                              os.path.join(out_dir, "generated.png")))
    ends = predict(data.x_val[:2])["codes"]
    steps = np.linspace(0, 1, 10)[:, None]
    row = model.decode(weights, ((1 - steps) * ends[0] + steps * ends[1]).astype(np.float32))
    paths.append(figures.save(figures.image_grid(row, 1, f"{model.name}: interpolating two codings"),
                              os.path.join(out_dir, "interpolation.png")))
    return paths


CASES = [
    Case("pca-adam", "004", ShallowAE, "linear 3-2-3 with biases = PCA (MSE), Adam, 1,000 full-batch steps",
         "scripts/post004_pca_adam.py", "points-3d-200", epochs=1000, batch_size=100, lr=0.01, optimizer="adam-tf1",
         options=dict(sizes=(3, 2), act="identity", loss="mse"), report=pca_adam_report, figures=pca_adam_figures),
    Case("elu-stacked", "004", EluStacked, "784-300-150-300-784 ELU, linear output, He init, L2 1e-4, MSE",
         "scripts/post004_elu_stacked.py", "digits", epochs=5, batch_size=150, lr=0.01, optimizer="adam-tf1",
         reference={"last_batch_mse": ELU_TRAIN_MSE[-1]}, report=mse_report, figures=elu_stacked_figures,
         full_batches=True, last_batch_metrics=True),
    Case("digit-vae", "004", DigitVAE, "784-500-500 ELU, mean and sigma heads of 20 / 20-500-500-784; "
         "log loss + latent loss summed over the batch", "scripts/post004_digit_vae.py", "digits", epochs=50,
         batch_size=150, lr=1e-3, optimizer="adam-tf1", report=digit_vae_report, figures=digit_vae_figures,
         full_batches=True, last_batch_metrics=True),
    Case("digit-vae-logvar", "004", DigitVAE, "digit-vae with Geron's log-variance head instead of sigma",
         "scripts/post004_digit_vae.py", "digits", epochs=50, batch_size=150, lr=1e-3, optimizer="adam-tf1",
         options=dict(head="logvar"), report=digit_vae_report, figures=digit_vae_figures,
         full_batches=True, last_batch_metrics=True),
    Case("vae", "004", VAE, "chapter-17 VAE: 784-150-100 selu, mean/logvar heads of 10 / 10-100-150-784; BCE + KL/784",
         "scripts/post004_fashion_vae.py", "fashion-mnist", epochs=25, batch_size=128, lr=1e-3,
         optimizer="rmsprop-tf2", reference={"train_loss": 0.3118, "val_loss": 0.3133, "val_rounded_accuracy": 0.9228},
         figures=vae_figures),
]


# ---------------------------------------------------------------- the reference runs' tables

BLOW_UP = 1.5   # an epoch whose training loss exceeds 1.5x the lowest so far starts a blow-up


def blow_ups(history, key="train_loss"):
    """Episodes in which the loss jumps above BLOW_UP x its running minimum (each counted once)."""
    count, best, inside = 0, float("inf"), False
    for h in history:
        value = h.get(key)
        if value is None or not np.isfinite(value):
            return count + 1
        if value > BLOW_UP * best and not inside:
            count, inside = count + 1, True
        elif value <= BLOW_UP * best:
            inside = False
        best = min(best, value)
    return count


def _at(m, epoch, key):
    history = m.get("history") or []
    return history[epoch - 1].get(key) if 0 < epoch <= len(history) else None


def _steps(m):
    return m["n_train"] // m["batch_size"]


def pca_lines(results):
    from manual_ae.posts.claims import mean_sd
    runs = results.get("pca-adam", [])
    if not runs:
        return []
    return ["## PCA with an autoencoder trained by Adam (`pca-adam`)", "",
            "The post shows only the figure (docs/figures/post004/pca-adam_codings_test.png). 1,000 full-batch Adam steps.",
            "", "| | ours |", "|---|---|",
            f"| training MSE / PCA's (1 = the optimum) | {mean_sd([m['mse_ratio_to_pca'] for m in runs], '.5f')} |",
            f"| angle between the learned plane and PCA's (degrees) | "
            f"{mean_sd([m['subspace_angle_deg'] for m in runs], '.3f')} |",
            f"| test MSE / PCA's of the test half | {mean_sd([m['test_mse_ratio_to_pca'] for m in runs], '.4f')} |",
            ""]


def elu_lines(results):
    from manual_ae.posts.claims import mean_sd
    runs = results.get("elu-stacked", [])
    if not runs:
        return []
    seeds = ", ".join(str(m["seed"]) for m in runs)
    lines = ["## The ELU stacked autoencoder with L2 (`elu-stacked`)", "",
             f"Seeds {seeds} (mean ± sd). The post's \"Train MSE\" is the reconstruction MSE on the epoch's last batch "
             "of 150 (no L2), after 366 updates per epoch on 55,000 MNIST digits; ours is the same quantity at the "
             f"epoch with the same update count on {runs[0]['dataset']} ({runs[0]['n_train']:,} images, "
             f"{_steps(runs[0])} updates an epoch).", "",
             "| post epoch | updates | published train MSE (last batch) | ours, same updates (last batch) | ours, validation MSE |",
             "|---|---|---|---|---|"]
    for k, published in enumerate(ELU_TRAIN_MSE):
        e = epoch_matching_post(k, _steps(runs[0]))
        lines.append(f"| {k} | {(k + 1) * POST_STEPS_PER_EPOCH:,} (ours: epoch {e}, {e * _steps(runs[0]):,}) | "
                     f"{published:.4f} | {mean_sd([_at(m, e, 'last_batch_mse') for m in runs], '.4f')} | "
                     f"{mean_sd([_at(m, e, 'val_mse') for m in runs], '.4f')} |")
    lines += ["", f"After training ({runs[0]['epochs']} epochs): reconstruction MSE over the whole training set "
              f"{mean_sd([m['train_mse_whole_set'] for m in runs], '.4f')}, validation set "
              f"{mean_sd([m['val_mse_whole_set'] for m in runs], '.4f')} (the post printed only last batches).", ""]
    return lines


def vae_lines(results):
    from manual_ae.posts.claims import mean_sd
    heads = [(label, results[label]) for label in ("digit-vae-sigma", "digit-vae-logvar") if results.get(label)]
    if not heads:
        return []
    first = heads[0][1][0]
    steps = _steps(first)
    lines = ["## The VAE that generates digits (`digit-vae`, sigma head as published; `--set head=logvar`)", "",
             "Losses summed over the batch and the pixels, on the epoch's last batch of 150, as the post printed them "
             "(total / reconstruction / latent). Ours: mean ± sd over the seeds at the epoch with the same update count "
             f"({steps} updates an epoch on {first['dataset']}; the post: 366 on 55,000 digits).", "",
             "| post epoch | published | " + " | ".join(f"ours, {label.split('-')[-1]} head" for label, _ in heads) + " |",
             "|---|---|" + "---|" * len(heads)]
    keys = ("last_batch_loss", "last_batch_reconstruction", "last_batch_latent")
    for k in range(len(VAE_LOSSES["total"])):
        e = epoch_matching_post(k, steps)
        published = " / ".join(f"{VAE_LOSSES[p][k]:,}" for p in VAE_LOSSES)
        ours = [" / ".join(mean_sd([_at(m, e, key) for m in runs], ",.0f") for key in keys) for _, runs in heads]
        lines.append(f"| {k} (ours {e}) | {published} | " + " | ".join(ours) + " |")
    lines += ["", "The post's second run printed 35,821 / 26,313 / 9,508 at epoch 0 and 19,446 / 16,531 / 2,915 at "
              "epoch 6: one batch of 150 moves these numbers by thousands.", "",
              "Over the whole run, the two heads on the same seeds (train loss: the epoch's mean over its batches; per batch of 150):",
              "", "| | " + " | ".join(f"{label.split('-')[-1]} head" for label, _ in heads) + " |",
              "|---|" + "---|" * len(heads)]

    def row(what, fn):
        lines.append(f"| {what} | " + " | ".join(fn(runs) for _, runs in heads) + " |")

    row("seeds", lambda runs: ", ".join(str(m["seed"]) for m in runs))
    row("runs that hit NaN / inf", lambda runs: f"{sum(m['status'] == 'diverged' for m in runs)} of {len(runs)}")
    row(f"blow-ups (train loss > {BLOW_UP}x its best so far), per run",
        lambda runs: ", ".join(str(blow_ups(m.get("history") or [])) for m in runs))
    row("lowest train loss", lambda runs: mean_sd([min(h["train_loss"] for h in m["history"]) for m in runs], ",.0f"))
    row("final train loss", lambda runs: mean_sd([m["train_loss"] for m in runs], ",.0f"))
    row("final validation loss", lambda runs: mean_sd([m.get("val_loss") for m in runs], ",.0f"))
    row("final validation reconstruction / latent",
        lambda runs: mean_sd([m.get("val_reconstruction") for m in runs], ",.0f") + " / "
        + mean_sd([m.get("val_latent") for m in runs], ",.0f"))
    row("coding units with sigma collapsed (< 1e-3), per run",
        lambda runs: ", ".join(str(m.get("collapsed_units", "-")) for m in runs))
    row("median sigma over the validation codings", lambda runs: mean_sd([m.get("val_sigma_median") for m in runs], ".3f"))
    lines.append("")
    return lines + sigma_band_lines(results.get("digit-vae-sigma", []))


SIGMA_BANDS = ((0.0, 1e-3), (1e-3, 1e-2), (1e-2, float("inf")))


def sigma_band_lines(runs):
    """Epochs grouped by the smallest |sigma| in their last batch, with the median loss of that batch:
    do the blow-ups go with a sigma near 0? (runs whose history has last_batch_min_abs_sigma)."""
    runs = [m for m in runs if (m.get("history") or [{}])[0].get("last_batch_min_abs_sigma") is not None]
    if not runs:
        return []
    seeds = ", ".join(str(m["seed"]) for m in runs)
    lines = [f"The sigma head's epochs grouped by the smallest |sigma| in the epoch's last batch "
             f"(seed{'s' if len(runs) > 1 else ''} {seeds}):", "",
             "| smallest \\|sigma\\| in the last batch | epochs | median last-batch loss |", "|---|---|---|"]
    for lo, hi in SIGMA_BANDS:
        picked = [h["last_batch_loss"] for m in runs for h in m["history"]
                  if lo <= h["last_batch_min_abs_sigma"] < hi]
        what = f"below {hi:g}" if lo == 0 else f"{lo:g} to {hi:g}" if hi < float("inf") else f"above {lo:g}"
        lines.append(f"| {what} | {len(picked)} | {np.median(picked):,.0f} |" if picked else f"| {what} | 0 | - |")
    return lines + [""]


def tables(results):
    """The whole table.md of the reference runs (scripts/reference_runs_post004.py): label -> [metrics]."""
    return (["# Post 004's own models, measured", "",
             "Produced by `python scripts/reference_runs_post004.py` (TensorFlow 2.21 CPU, hand-written gradients).", ""]
            + pca_lines(results) + elu_lines(results) + vae_lines(results))
