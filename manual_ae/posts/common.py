"""Figures and numbers that several posts' cases make after training (one function each)."""
import os

import numpy as np

from manual_ae import figures
from manual_ae.metrics import knn_accuracy


def reconstructions(model, predict, data, snapshots, out_dir, weights=None):
    """Originals over reconstructions (validation images), and a GIF of them over training."""
    originals = data.x_val[:10]
    recon = predict(originals)["recon"]
    paths = [figures.save(figures.reconstructions_figure(originals, recon, f"{model.name} ({data.name})"),
                          os.path.join(out_dir, "reconstructions.png"))]
    if snapshots.get("recon"):
        frames = [figures.fig_to_array(figures.reconstructions_figure(
            snapshots["inputs"][:10], r[:10], f"{model.name}: epoch {e}"))
            for e, r in zip(snapshots["epoch"], snapshots["recon"])]
        paths.append(figures.save_gif(frames, os.path.join(out_dir, "reconstructions.gif")))
    return paths


def knn_report(model, predict, data, weights=None):
    """5-NN accuracy of the test codes against the training codes."""
    train_codes, test_codes = predict(data.x_train)["codes"], predict(data.x_test)["codes"]
    return {"knn5_test_accuracy": knn_accuracy(train_codes, data.y_train, test_codes, data.y_test, k=5)}


def latent_report(model, predict, data, weights=None):
    """k-NN accuracy (k=5) of the test codes against the training codes, before and after a
    projection, and the range of each latent axis over the first 1,000 test images."""
    train, test = predict(data.x_train), predict(data.x_test)
    out = {}
    for key in ("codes", "projected", "hidden", "hidden_projected"):
        if key in test:
            out[f"knn5_{key}"] = knn_accuracy(train[key], data.y_train, test[key], data.y_test, k=5)
    for key in ("codes", "projected"):
        if key in test:
            span = np.ptp(test[key][:1000], axis=0)
            out[f"range_{key}"] = [round(float(s), 4) for s in span]
            out[f"max_range_{key}"] = float(span.max())
    return out


def latent_figures(model, predict, data, snapshots, out_dir, weights=None):
    """Reconstructions of training images over the epochs (GIF), and the 3-D codes of 1,000 test
    digits before and after a projection (PNG, and a GIF over training)."""
    paths = []
    if snapshots.get("train_recon"):
        frames = [figures.fig_to_array(figures.reconstructions_figure(
            snapshots["train_inputs"][:10], r[:10], f"{model.name}: training images, epoch {e}"))
            for e, r in zip(snapshots["epoch"], snapshots["train_recon"])]
        paths.append(figures.save(figures.reconstructions_figure(
            snapshots["train_inputs"][:10], snapshots["train_recon"][-1][:10], f"{model.name} ({data.name})"),
            os.path.join(out_dir, "reconstructions.png")))
        paths.append(figures.save_gif(frames, os.path.join(out_dir, "reconstructions.gif")))
    labels = data.y_test[:len(snapshots["codes"][0])] if snapshots.get("codes") else data.y_test
    projected = "projected" in model.outputs
    for key, what in (("codes", "before projection"), ("projected", "after projection"), ("sampled", "sampled")):
        if not snapshots.get(key):
            continue
        label = what if projected else "3-D codes"
        if "sampled" in model.outputs:      # a VAE: its mean codes, and the codes its decoder reads
            label = "mean codes" if key == "codes" else "sampled codes z = mean + sigma eps"
        paths.append(figures.save(figures.codes_3d_figure(snapshots[key][-1], labels,
                                                          f"{model.name}: {label} ({len(labels):,} test digits)"),
                                  os.path.join(out_dir, f"latent_{key}.png")))
        lims = figures.limits(snapshots[key], dims=3)
        frames = [figures.fig_to_array(figures.codes_3d_figure(c, labels, f"{model.name}: {label}, epoch {e}", lims))
                  for e, c in zip(snapshots["epoch"], snapshots[key])]
        paths.append(figures.save_gif(frames, os.path.join(out_dir, f"latent_{key}.gif")))
    return paths


def print_reference(result, reference, out=print):
    """Our numbers beside the published ones, one line each."""
    for key, ref in reference.items():
        ours = result.get(key)
        if ours is not None:
            out(f"{key}: ours {ours:.4f}, reference {ref}")
