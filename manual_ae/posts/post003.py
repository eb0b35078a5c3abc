"""Post 003: autoencoders against PCA, then the whole family on Fashion-MNIST.

The PCA autoencoder (linear 3-2-3, MSE) on 60 3-D points and its SELU variant; then, following the
chapter-17 notebook of "Hands-On Machine Learning" (2nd edition), the stacked, tied, greedy
layer-wise, convolutional, recurrent, denoising and sparse autoencoders: first 55,000 training
images to train, last 5,000 to validate, Keras's batch 32, SELU hidden layers, sigmoid outputs,
binary cross-entropy averaged over pixels. Published numbers: docs/reference.md.
"""
import os

import numpy as np
import tensorflow as tf

from manual_ae import figures
from manual_ae.data import Dataset
from manual_ae.metrics import pca_reconstruction, subspace_angle_degrees
from manual_ae.models import ConvAE, RecurrentAE, ShallowAE, Sparse, Stacked, Tied
from manual_ae.posts.case import Case, Pipeline
from manual_ae.posts.common import reconstructions


# ---------------------------------------------------------------- the PCA autoencoder

def pca_report(model, predict, data, weights=None):
    """With linear activations and MSE the best the autoencoder can do is PCA: both reconstruction
    errors, and the largest angle between the learned plane (the decoder's row space) and PCA's."""
    x = data.x_train.astype(np.float64)
    ae_mse = float(np.mean((predict(data.x_train)["recon"] - x) ** 2))
    pca_recon, basis = pca_reconstruction(x, 2)
    pca_mse = float(np.mean((pca_recon - x) ** 2))
    result = {"train_mse_autoencoder": ae_mse, "train_mse_pca": pca_mse, "mse_ratio_to_pca": ae_mse / pca_mse}
    if weights is not None:
        result["subspace_angle_deg"] = subspace_angle_degrees(weights["decoder_h1"], basis)
    return result


def pca_figures(model, predict, data, snapshots, out_dir, weights=None):
    """The 3-D data, its 2-D codings (PNG) and the codings over training (GIF)."""
    out = predict(data.x_train)
    paths = [figures.save(figures.points_3d_figure(data.x_train, f"{model.name}: the 3-D training data"),
                          os.path.join(out_dir, "data_3d.png")),
             figures.save(figures.codes_plane_figure(out["codes"], f"{model.name}: 2-D codings"),
                          os.path.join(out_dir, "codings_2d.png"))]
    return paths + codings_gif(model, snapshots, os.path.join(out_dir, "codings.gif"), "codings, epoch")


def codings_gif(model, snapshots, path, what):
    """The snapshots' 2-D codings (of the test points) over training, on shared axes: [path] or []."""
    if not snapshots.get("codes"):
        return []
    lims = figures.limits(snapshots["codes"])
    frames = [figures.fig_to_array(figures.codes_plane_figure(c, f"{model.name}: {what} {e}", lims))
              for e, c in zip(snapshots["epoch"], snapshots["codes"])]
    return [figures.save_gif(frames, path)]


# ---------------------------------------------------------------- denoising and sparse

def denoising_figures(model, predict, data, snapshots, out_dir, weights=None):
    """Noisy inputs over the network's outputs (post 003), plus the usual reconstructions."""
    paths = reconstructions(model, predict, data, snapshots, out_dir, weights)
    clean = tf.constant(data.x_val[:10].reshape(10, -1))
    noisy = model.corrupt(clean, model.sample_noise(clean, training=True)).numpy()
    # the network reads the noisy images as training made them (unclipped, as the post's figure did);
    # they are clipped to [0, 1] only to be drawn
    paths.append(figures.save(figures.reconstructions_figure(np.clip(noisy, 0, 1), predict(noisy)["recon"],
                                                             f"{model.name}: noisy in, denoised out",
                                                             ("noisy input", "output")),
                              os.path.join(out_dir, "denoising.png")))
    return paths


def sparsity_report(model, predict, data, weights=None):
    codes = predict(data.x_val)["codes"]
    return {"mean_code_activation": float(codes.mean()),
            "fraction_of_units_mean_below_0.1": float(np.mean(codes.mean(axis=0) < 0.1)),
            "fraction_of_activations_below_0.1": float(np.mean(codes < 0.1))}


def sparsity_figures(model, predict, data, snapshots, out_dir, weights=None):
    """Reconstructions, and histograms of the coding activations: all of them, and per-unit means."""
    paths = reconstructions(model, predict, data, snapshots, out_dir, weights)
    paths.append(figures.save(figures.sparsity_figure(predict(data.x_val)["codes"], f"{model.name} ({data.name})"),
                              os.path.join(out_dir, "sparsity.png")))
    return paths


def _fashion(name, architecture, what, script_stem, epochs, lr, reference, **kw):
    """A Fashion-MNIST case of the chapter-17 family: SGD, batch 32."""
    fields = dict(post="003", script=f"scripts/post003_{script_stem}.py", figures=reconstructions)
    fields.update(kw)
    return Case(name, architecture=architecture, description=what, dataset="fashion-mnist", epochs=epochs,
                batch_size=32, lr=lr, optimizer="sgd", reference=reference, **fields)


# ---------------------------------------------------------------- greedy layer-wise training

GREEDY_AE1 = _fashion("greedy-ae1", ShallowAE, "greedy stage 1: 784-100-784 (SELU / sigmoid, BCE)",
                      "greedy_layerwise", 10, 1.5, {"train_loss": 0.2768, "val_loss": 0.2781,
                                                    "val_rounded_accuracy": 0.9462},
                      options=dict(sizes=(784, 100), act="selu", loss="bce"))
GREEDY_AE2 = Case("greedy-ae2", "003", ShallowAE, "greedy stage 2: 100-30-100 SELU on stage 1's codes (MSE)",
                  "scripts/post003_greedy_layerwise.py", "greedy-ae1 codes", epochs=10, batch_size=32, lr=0.05,
                  optimizer="sgd", options=dict(sizes=(100, 30), act="selu", loss="mse"),
                  reference={"train_loss": 0.1704, "val_loss": 0.1687})
GREEDY_FINETUNE = _fashion("greedy-finetune", Stacked, "greedy stage 3: enc1, enc2, dec2, dec1 fine-tuned",
                           "greedy_layerwise", 10, 0.1, {"train_loss": 0.2839, "val_loss": 0.2857,
                                                         "val_rounded_accuracy": 0.9371})


def encode(model, weights, data):
    """A model's codes of every split (eager, in batches): the data set of the next stage."""
    w = {k: tf.constant(v) for k, v in weights.items()}

    def codes(x):
        x = x.reshape(len(x), -1)
        return np.concatenate([model.forward(w, tf.constant(x[i:i + 4096]), {}, training=False)[1]["codes"].numpy()
                               for i in range(0, len(x), 4096)])

    return Dataset(f"{model.name} codes", f"{model.name} codes of {data.name}", codes(data.x_train), data.y_train,
                   codes(data.x_val), data.y_val, codes(data.x_test), data.y_test)


def stack(w1, w2):
    """The stacked autoencoder's weights from the two stages: enc1, enc2, dec2, dec1."""
    return {"encoder_h1": w1["encoder_h1"], "encoder_b1": w1["encoder_b1"],
            "encoder_h2": w2["encoder_h1"], "encoder_b2": w2["encoder_b1"],
            "decoder_h1": w2["decoder_h1"], "decoder_b1": w2["decoder_b1"],
            "decoder_h2": w1["decoder_h1"], "decoder_b2": w1["decoder_b1"]}


def greedy_stages(data, out_dir, train_stage):
    """AE1 on the images; AE2 on AE1's codes; the stack of both fine-tuned. Each stage has its folder."""
    r1 = train_stage(GREEDY_AE1, data, "stage1-ae1")
    w1 = dict(np.load(os.path.join(out_dir, "stage1-ae1", "weights.npz")))
    r2 = train_stage(GREEDY_AE2, encode(GREEDY_AE1.model(), w1, data), "stage2-ae2")
    w2 = dict(np.load(os.path.join(out_dir, "stage2-ae2", "weights.npz")))
    r3 = train_stage(GREEDY_FINETUNE, data, "stage3-finetune", initial_weights=stack(w1, w2))
    return {"stage1-ae1": r1, "stage2-ae2": r2, "stage3-finetune": r3}


GREEDY = Pipeline("greedy", "003", "greedy layer-wise: AE1, AE2 on AE1's codes, then fine-tune the stack (lr 0.1)",
                  "scripts/post003_greedy_layerwise.py", "fashion-mnist", epochs=10, batch_size=32, lr=0.1,
                  optimizer="sgd", run=greedy_stages, stages=(GREEDY_AE1, GREEDY_AE2, GREEDY_FINETUNE),
                  references={"stage1-ae1": GREEDY_AE1.reference, "stage2-ae2": GREEDY_AE2.reference,
                              "stage3-finetune": GREEDY_FINETUNE.reference})


# ---------------------------------------------------------------- the cases

CASES = [
    Case("pca", "003, 004", ShallowAE, "linear 3-2-3 autoencoder = PCA (MSE)", "scripts/post003_pca_autoencoder.py",
         "points-3d", epochs=20, batch_size=32, lr=1.5, optimizer="sgd", reference={"train_loss": 0.0055},
         options=dict(sizes=(3, 2), act="identity", loss="mse"), report=pca_report, figures=pca_figures),
    Case("basic-selu", "003", ShallowAE, "3-2-3 autoencoder with SELU on both layers (MSE)",
         "scripts/post003_basic_selu_autoencoder.py", "points-3d", epochs=20, batch_size=32, lr=1.5, optimizer="sgd",
         options=dict(sizes=(3, 2), act="selu", loss="mse"), report=pca_report, figures=pca_figures),
    _fashion("stacked", Stacked, "784-100-30-100-784 SELU, sigmoid output, BCE", "stacked_autoencoder", 20, 1.5,
             {"train_loss": 0.2814, "val_loss": 0.2835, "val_rounded_accuracy": 0.9370}, post="003, 004",
             script="scripts/post003_stacked_autoencoder.py, scripts/post004_selu_stacked_digits.py"),
    # Post 003 says the log loss converges faster than MSE: the same model trained on MSE, to measure it
    # (scripts/reference_runs_post003_claims.py). No published numbers.
    _fashion("stacked-mse", Stacked, "the stacked autoencoder trained on pixel MSE instead of BCE (a claim's control)",
             "stacked_autoencoder", 20, 1.5, {}, options=dict(loss="mse")),
    _fashion("tied", Tied, "784-100-30 SELU encoder, decoder = encoder weights transposed", "tied_autoencoder", 10,
             1.5, {"train_loss": 0.2828, "val_loss": 0.2839, "val_rounded_accuracy": 0.9338}),
    GREEDY_AE1,
    GREEDY_AE2,
    _fashion("conv", ConvAE, "Conv16-32-64 + 2x2 pools to 3x3x64 / ConvT32 VALID, ConvT16, ConvT1 (stride 2)",
             "conv_autoencoder", 5, 1.0, {"train_loss": 0.2665, "val_loss": 0.2671}),
    _fashion("recurrent", RecurrentAE, "LSTM100-LSTM30 / RepeatVector28-LSTM100-TimeDistributed Dense28 (rows as "
             "time steps)", "recurrent_autoencoder", 10, 0.1,
             {"train_loss": 0.3190, "val_loss": 0.3206, "val_rounded_accuracy": 0.9015}),
    _fashion("denoising-gaussian", Stacked, "stacked sizes, GaussianNoise(0.2) on the input in training",
             "denoising_autoencoders", 10, 1.0, {"train_loss": 0.2935, "val_loss": 0.2920,
                                                 "val_rounded_accuracy": 0.9291},
             options=dict(noise="gaussian", noise_level=0.2), figures=denoising_figures),
    _fashion("denoising-dropout", Stacked, "stacked sizes, Dropout(0.5) on the input in training",
             "denoising_autoencoders", 10, 1.0, {"train_loss": 0.3004, "val_loss": 0.2958},
             options=dict(noise="dropout", noise_level=0.5), figures=denoising_figures),
    _fashion("sparse-l1", Sparse, "784-100-300 sigmoid codings + L1 activity 1e-3 / 300-100-784", "sparse_autoencoders",
             10, 1.0, {"train_loss": 0.3205, "val_loss": 0.3212}, options=dict(penalty="l1", weight=1e-3),
             report=sparsity_report, figures=sparsity_figures),
    # The KL penalty is divided by the batch size, as Keras divides every activity regulariser
    # (layers/latent.py): kept, so the post's weight 0.05 means what it meant there.
    _fashion("sparse-kl", Sparse, "784-100-300 sigmoid codings + KL(0.1 || mean activation), weight 0.05",
             "sparse_autoencoders", 10, 1.0, {"train_loss": 0.3044, "val_loss": 0.3053,
                                              "val_rounded_accuracy": 0.9174},
             options=dict(penalty="kl", weight=0.05, target=0.1), report=sparsity_report, figures=sparsity_figures),
]
PIPELINES = [GREEDY]


# ---------------------------------------------------------------- the claims of post 003, measured

def parameter_counts():
    """(untied stacked, tied, conv encoder, conv decoder) parameter counts, from the weight dictionaries."""
    import numpy as np
    from manual_ae.posts import get_case
    rng = np.random.default_rng(0)
    count = (lambda name, part="": sum(v.size for k, v in get_case(name).model().init_weights(rng).items()
                                       if k.startswith(part)))
    return count("stacked"), count("tied"), count("conv", "encoder"), count("conv", "decoder")


def epochs_to_reach(history, key, target):
    """The first epoch whose value of `key` is at or below target (None if never)."""
    return next((h["epoch"] for h in history if h.get(key) is not None and h[key] <= target), None)


def claims_tables(results):
    """logs/post003/table.md: post 003's unquantified claims against runs (scripts/reference_runs_post003_claims.py)."""
    from manual_ae.posts.claims import by_seed, count, mean_sd, verdict
    untied, tied, enc, dec = parameter_counts()
    lines = ["# Post 003's claims, measured", "",
             "Produced by `python scripts/reference_runs_post003_claims.py` (Fashion-MNIST, 55,000 training / 5,000 "
             "validation images, SGD batch 32 as the post; mean ± sd over seeds).", ""]

    bce, mse = results.get("stacked-bce", []), results.get("stacked-mse", [])
    if bce and mse:
        lines += ["## Log loss against MSE (stacked autoencoder, lr 1.5, 20 epochs, same seeds)", "",
                  "Both compared in one unit, the validation pixel MSE after each epoch.", "",
                  "| epoch | BCE-trained val MSE | MSE-trained val MSE |", "|---|---|---|"]
        for e in (1, 2, 5, 10, 20):
            at = (lambda runs: mean_sd([m["history"][e - 1]["val_mse"] for m in runs if len(m["history"]) >= e], ".4f"))
            lines.append(f"| {e} | {at(bce)} | {at(mse)} |")
        mse_final, bce_runs = by_seed(results, "stacked-mse", lambda m: m["val_mse"]), by_seed(results, "stacked-bce", lambda m: m)
        reach = {s: epochs_to_reach(bce_runs[s]["history"], "val_mse", mse_final[s]) for s in mse_final if s in bce_runs}
        lines += ["", "Epochs the BCE-trained model needs to reach the MSE-trained model's final (epoch-20) validation MSE, "
                  "per seed: " + ", ".join(f"seed {s}: {e}" for s, e in sorted(reach.items())) + ".", ""]
    lines += ["## Claims", "", "| claim (post 003) | measured | verdict |", "|---|---|---|"]
    if bce and mse:
        held = sum(e is not None and e < 20 for e in reach.values())
        lines.append(f"| the log loss converges faster than MSE | at the same lr 1.5 (not tuned per loss; MSE's gradient "
                     "at the logits is at most half the log loss's), BCE reaches MSE's epoch-20 validation MSE at epoch "
                     f"{mean_sd([e for e in reach.values() if e is not None], '.1f')} | "
                     f"{verdict([(held, len(reach))])} |")
    ratio = tied / untied
    lines.append(f"| tying the weights halves the parameters | {tied:,} tied vs {untied:,} untied = {ratio:.3f} | "
                 f"{'holds' if 0.45 <= ratio <= 0.55 else 'does not hold'} (counted, no seeds) |")
    t, u = results.get("tied", []), results.get("untied-10", [])
    if t and u:
        speed = by_seed(results, "untied-10", lambda m: m["seconds_per_epoch"])
        tspeed = by_seed(results, "tied", lambda m: m["seconds_per_epoch"])
        ratios = [speed[s] / tspeed[s] for s in speed if s in tspeed]
        lines.append(f"| tying about doubles training speed | untied s/epoch / tied s/epoch = {mean_sd(ratios, '.2f')} "
                     f"(untied {mean_sd(list(speed.values()), '.2f')} s, tied {mean_sd(list(tspeed.values()), '.2f')} s; "
                     "each pair run back to back) | "
                     f"{verdict([(sum(r >= 1.7 for r in ratios), len(ratios))])} (>= 1.7x) |")
        gap = (lambda m: m["val_loss"] - m["train_eval_loss"])
        lines.append(f"| tying lowers the risk of overfitting | validation - training loss after 10 epochs: tied "
                     f"{mean_sd([gap(m) for m in t], '.5f')}, untied {mean_sd([gap(m) for m in u], '.5f')} | "
                     f"{verdict([count(results, 'tied', 'untied-10', gap, lambda a, b: a < b)])} (tied's gap smaller) |")
    lines.append(f"| the convolutional encoder has 23,296 parameters | `manual-ae summary conv`: encoder {enc:,}, "
                 f"decoder {dec:,} (the post's \"decoder\" summary repeats the encoder's) | "
                 f"{'holds' if enc == 23296 else 'does not hold'} (counted) |")
    return lines + [""]
