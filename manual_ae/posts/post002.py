"""Post 002: CPPN art and the log loss (case a), MNIST clustered into a 3-D latent by an autoencoder
(case b) and by a VAE (case c), and removing emoji stickers from images (case d).

Same author as post 000, same conventions: no biases, N(0, 0.05) weights, ELU, Adam 3e-4, batch 20,
21 epochs on the first 10,000 MNIST images. The CPPN (models/cppn.py) is a generator, not an
autoencoder: `manual-ae cppn` renders it and fits it to an image (manual_ae/art.py).

De-emoji: the post's images, stickers and network were never published. Procedurally drawn smiley
stickers (or your PNGs: `--set stickers=DIR`) are pasted once on each image of Fashion-MNIST (or
your folder: `--set images=DIR`); the network learns to output the clean image.
"""
import os

import numpy as np

from manual_ae import figures
from manual_ae.data import Dataset
from manual_ae.data.stickers import add_stickers, load_image_folder, load_sticker_files
from manual_ae.models import CPPN, ConvLatentAE, ConvVAE, DeEmoji
from manual_ae.models.conv_parts import SMALL_CHANNELS
from manual_ae.posts.case import Case
from manual_ae.posts.claims import count, mean_sd, verdict
from manual_ae.posts.common import latent_figures, latent_report

# The CPPN's gradient check runs both activations the post draws with.
CPPN_CHECKS = [CPPN("cppn (tanh, fit by log loss)", act="tanh"), CPPN("cppn (atan, fit by log loss)", act="atan")]


def _latent(name, architecture, what, script, **options):
    return Case(name, "002", architecture, what, f"scripts/post002_case_{script}.py", "digits", epochs=21,
                batch_size=20, lr=3e-4, optimizer="adam", options=dict(channels=SMALL_CHANNELS, **options),
                train_images=10_000, report=vae_report if architecture is ConvVAE else latent_report,
                figures=latent_figures, snapshot_outputs=("codes", "sampled") if architecture is ConvVAE else ("codes",))


def vae_report(model, predict, data, weights=None):
    """As the AE's (k-NN of the mean codes, latent ranges), plus the spread of the mean codes and of
    the sampled codes z = mean + exp(logvar / 2) eps the decoder reads. With the KL term alone the
    means collapse to 0 and the variances to 1, so the sampled codes are draws from the prior N(0, I):
    `sampled_beyond_2` counts the share beyond 2 on each axis (4.6% for a standard normal)."""
    out = latent_report(model, predict, data, weights)
    test = predict(data.x_test[:1000])
    out["codes_std"] = [round(float(s), 4) for s in test["codes"].std(axis=0)]
    sampled = test["sampled"]
    out["sampled_std"] = [round(float(s), 4) for s in sampled.std(axis=0)]
    out["sampled_range"] = [round(float(s), 3) for s in np.ptp(sampled, axis=0)]
    out["sampled_beyond_2"] = [round(float(s), 4) for s in (np.abs(sampled) > 2).mean(axis=0)]
    return out


# ---------------------------------------------------------------- de-emoji (case d)

def psnr(mse):
    """Peak signal-to-noise ratio of images in [0, 1]: 10 log10(1 / MSE), in dB."""
    return float(10 * np.log10(1.0 / max(mse, 1e-12)))


def with_stickers(data, seed, stickers="", images=""):
    """The stickered data set: your images (`images`, a folder) or `data`, with stickers pasted once
    per image (procedural, or the PNGs in the folder `stickers`), seeded."""
    for key, folder in (("stickers", stickers), ("images", images)):
        if folder and not os.path.isdir(folder):
            raise ValueError(f"de-emoji: {key}={folder!r} is not a folder; give a folder of image files")
    rng = np.random.default_rng([seed, 2])
    sticker_set = load_sticker_files(stickers) if stickers else None
    if images:
        x = load_image_folder(images)
        order = rng.permutation(len(x))
        n_val = n_test = max(1, len(x) // 10)
        parts = np.split(x[order], [len(x) - n_val - n_test, len(x) - n_test])
        labels = [np.zeros(len(p), np.int64) for p in parts]
        data = Dataset("images", f"image folder {images}", parts[0], labels[0], parts[1], labels[1], parts[2],
                       labels[2])
    what = f"stickers from {stickers}" if sticker_set else "procedural emoji stickers"
    return Dataset(f"{data.name}+stickers", f"{data.source}, with {what} (seed {seed})",
                   add_stickers(data.x_train, rng, sticker_set), data.y_train,
                   add_stickers(data.x_val, rng, sticker_set), data.y_val,
                   add_stickers(data.x_test, rng, sticker_set), data.y_test, list(data.notes))


def de_emoji_report(model, predict, data, weights=None):
    """PSNR of the output against the clean image, on the covered pixels and on all pixels, next to
    the baseline of leaving the sticker in; and how much of the covered pixels' error is removed."""
    x = data.x_test
    out = predict(x)["recon"][..., 0]
    stickered, clean, cover = x[..., 0], x[..., 1], x[..., 2] > 0.5
    r = {}
    for name, pred in (("output", out), ("baseline", stickered)):
        err = (pred - clean) ** 2
        r[f"mse_covered_{name}"] = float(err[cover].mean())
        r[f"mse_uncovered_{name}"] = float(err[~cover].mean())
        r[f"psnr_covered_{name}"] = psnr(r[f"mse_covered_{name}"])
        r[f"psnr_all_{name}"] = psnr(float(err.mean()))
    r["covered_error_removed"] = 1 - r["mse_covered_output"] / r["mse_covered_baseline"]
    r["covered_fraction"] = float(cover.mean())
    return r


def _rows(inputs, recon, title):
    x = np.asarray(inputs).reshape(-1, 28, 28, 3)
    return figures.image_rows([x[..., 0], x[..., 1], np.asarray(recon).reshape(-1, 28, 28)],
                              ["with sticker", "clean", "de-emoji output"], title)


def de_emoji_figures(model, predict, data, snapshots, out_dir, weights=None):
    """Sticker image / clean image / output rows (as the post), and the same over training (GIF)."""
    x = data.x_test[:10]
    paths = [figures.save(_rows(x, predict(x)["recon"], f"{model.name} ({data.name})"),
                          os.path.join(out_dir, "de_emoji.png"))]
    if snapshots.get("recon"):
        frames = [figures.fig_to_array(_rows(snapshots["inputs"], r, f"{model.name}: epoch {e}"))
                  for e, r in zip(snapshots["epoch"], snapshots["recon"])]
        paths.append(figures.save_gif(frames, os.path.join(out_dir, "de_emoji.gif")))
    return paths


def print_de_emoji(r, out=print):
    out(f"PSNR on covered pixels: output {r['psnr_covered_output']:.2f} dB vs sticker left in "
        f"{r['psnr_covered_baseline']:.2f} dB; on all pixels: {r['psnr_all_output']:.2f} vs "
        f"{r['psnr_all_baseline']:.2f} dB")
    out(f"squared error on the covered pixels removed: {100 * r['covered_error_removed']:.1f}%")


CASES = [
    _latent("ae3d-logloss", ConvLatentAE, "conv autoencoder to a 3-D latent (post 002's figure), log loss",
            "b_ae_3d_latent", loss="logloss"),
    _latent("ae3d-mse", ConvLatentAE, "conv autoencoder to a 3-D latent (post 002's figure), MSE", "b_ae_3d_latent",
            loss="mse"),
    _latent("vae3d-logloss", ConvVAE, "conv VAE: mean and log-variance heads of 3, sampled code; log loss + KL",
            "c_vae_3d_latent", loss="logloss"),
    _latent("vae3d-mse", ConvVAE, "conv VAE to 3-D: squared error (summed per image) + KL", "c_vae_3d_latent",
            loss="sse"),
    _latent("vae3d-kl", ConvVAE, "conv VAE to 3-D trained on the KL term alone (no reconstruction)",
            "c_vae_3d_latent", loss="none"),
    Case("de-emoji", "002", DeEmoji, "conv denoiser (7x7 bottleneck) trained to remove pasted emoji stickers; "
         "log loss to the clean image", "scripts/post002_case_d_de_emoji.py", "fashion-mnist", epochs=5, batch_size=32,
         lr=1e-3, optimizer="adam", train_images=20_000, data_options=dict(stickers="", images=""),
         prepare=with_stickers, report=de_emoji_report, figures=de_emoji_figures, snapshot_outputs=()),
]
LATENT = ["ae3d-logloss", "ae3d-mse", "vae3d-logloss", "vae3d-mse", "vae3d-kl"]


# ---------------------------------------------------------------- the measured tables and the claims

def widest(m):
    return max(m["range_codes"])


def table(results):
    lines = ["| case | seeds | val loss | val MSE | val log loss (nats/image) | KL (nats/image) | 5-NN of codes "
             "| range per axis (seed 42 or first) | widest axis | s/epoch | wall (s) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label in [k for k in LATENT if k in results]:
        ms = results[label]
        lines.append("| " + " | ".join([
            label, str(len(ms)), mean_sd([m["val_loss"] for m in ms], ".3f"), mean_sd([m["val_mse"] for m in ms], ".4f"),
            mean_sd([m["val_logloss"] for m in ms], ".1f"), mean_sd([m.get("val_kl") for m in ms], ".2f"),
            mean_sd([m["knn5_codes"] for m in ms], ".3f"),
            str(next((m for m in ms if m["seed"] == 42), ms[0])["range_codes"]),
            mean_sd([widest(m) for m in ms], ".2f"), mean_sd([m["seconds_per_epoch"] for m in ms], ".1f"),
            mean_sd([m.get("wall_seconds") for m in ms], ".0f")]) + " |")
    return lines


def claims(results):
    knn = (lambda m: m["knn5_codes"])
    lower = (lambda x, y: x < y)
    chance = 0.2   # 5-NN on 10 balanced classes by chance is about 0.1; well above 0.2 means clusters
    kl_runs = results.get("vae3d-kl", [])
    rows = [
        ("the VAE's latent range is much tighter than the plain AE's (widest axis less than half)",
         verdict([count(results, v, a, widest, lambda x, y: x < 0.5 * y)
                  for v, a in (("vae3d-logloss", "ae3d-logloss"), ("vae3d-mse", "ae3d-mse"))])),
        ("the AE clusters digits with both losses (5-NN at least 3x chance, > 0.3)",
         verdict([(sum(knn(m) > 0.3 for m in results.get(k, [])), len(results.get(k, []))) for k in LATENT[:2]])),
        ("the VAE's clusters stay separated with both losses (5-NN at least 0.8x the AE's with the same loss)",
         verdict([count(results, v, a, knn, lambda x, y: x >= 0.8 * y)
                  for v, a in (("vae3d-logloss", "ae3d-logloss"), ("vae3d-mse", "ae3d-mse"))])),
        ("with KL alone the codes collapse toward the prior (widest axis < 0.1, KL < 0.01 nats)",
         verdict([(sum(widest(m) < 0.1 and m["val_kl"] < 0.01 for m in kl_runs), len(kl_runs))])),
        ("with KL alone the codes no longer separate digits (5-NN well below the VAE's)",
         verdict([count(results, "vae3d-kl", "vae3d-logloss", knn, lower)])),
        (f"with KL alone reconstructions are meaningless (log loss far above the VAE's; 5-NN near chance, < {chance})",
         verdict([count(results, "vae3d-kl", "vae3d-logloss", lambda m: m["val_logloss"], lambda x, y: x > 2 * y),
                  (sum(knn(m) < chance for m in kl_runs), len(kl_runs))])),
    ]
    return ["| claim (post 002) | result |", "|---|---|"] + [f"| {c} | {v} |" for c, v in rows]


def kl_sampled_lines(results):
    """The KL-only VAE's codes as the decoder reads them: z = mean + exp(logvar / 2) eps."""
    rows = [m for label in ("vae3d-kl", "vae3d-logloss") for m in results.get(label, []) if "sampled_std" in m]
    if not rows:
        return []
    lines = ["| VAE (first 1,000 test digits) | seed | mean codes: std per axis | sampled codes: std per axis "
             "| sampled: range per axis | sampled: share beyond +-2 per axis |", "|---|---|---|---|---|---|"]
    for m in rows:
        lines.append(f"| {m['label'] if 'label' in m else m['model']} | {m['seed']} | {m['codes_std']} | {m['sampled_std']} | "
                     f"{m['sampled_range']} | {m['sampled_beyond_2']} |")
    return lines + ["", "(A standard normal has std 1 and 4.6% of its draws beyond +-2.)"]


def de_emoji_lines(results):
    """Leaving the sticker in, against the plain denoiser and the residual one (`residual=true`)."""
    labels = [k for k in ("de-emoji", "de-emoji-residual") if k in results]
    if not labels:
        return []
    ms = {k: results[k] for k in labels}
    base = ms[labels[0]]
    lines = ["| de-emoji (Fashion-MNIST test set) | leaving the sticker in | " + " | ".join(labels) + " |",
             "|---|---|" + "---|" * len(labels)]
    for key, what in (("psnr_covered", "PSNR on covered pixels (dB)"), ("psnr_all", "PSNR on all pixels (dB)")):
        lines.append(f"| {what} | {mean_sd([m[key + '_baseline'] for m in base], '.2f')} | "
                     + " | ".join(mean_sd([m[key + '_output'] for m in ms[k]], '.2f') for k in labels) + " |")
    lines.append("| squared error on covered pixels removed | 0% | "
                 + " | ".join(mean_sd([100 * m["covered_error_removed"] for m in ms[k]], ".1f") + "%" for k in labels)
                 + " |")
    lines.append(f"| MSE on uncovered pixels | {mean_sd([m['mse_uncovered_baseline'] for m in base], '.4f')} | "
                 + " | ".join(mean_sd([m["mse_uncovered_output"] for m in ms[k]], ".4f") for k in labels) + " |")
    lines.append("| wall time (s) | - | " + " | ".join(mean_sd([m.get("wall_seconds") for m in ms[k]], ".0f")
                                                  for k in labels) + " |")
    return lines


def tables(results):
    """The whole table.md of the reference runs."""
    return (["# Post 002: the 3-D latent spaces and de-emoji, measured", "",
             "Produced by `python scripts/reference_runs_post002.py` (mean ± sd over seeds where there are several).",
             "Losses per image (nats or squared error summed over 784 pixels), KL per image; 5-NN: a 5-nearest-",
             "neighbour classifier of the test codes (VAE: the mean) against the training codes. Ranges: max - min",
             "of each latent axis over the first 1,000 test images.", ""]
            + table(results) + [""] + claims(results) + [""] + kl_sampled_lines(results) + [""]
            + de_emoji_lines(results) + [""])
