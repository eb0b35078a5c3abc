"""Figures (PNG) and animations (GIF) like the posts'. Matplotlib without a screen."""
import os

import matplotlib

matplotlib.use("Agg")
import imageio.v2 as imageio  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _save(fig, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def fig_to_array(fig):
    """An RGB uint8 array of a figure, for a GIF frame."""
    fig.canvas.draw()
    frame = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return frame


def save_gif(frames, path, fps=4):
    """A looping GIF from RGB frames of the same size."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    imageio.mimsave(path, [np.asarray(f) for f in frames], duration=1.0 / fps, loop=0)
    return path


def reconstructions_figure(originals, recons, title=None, rows_titles=("original", "reconstruction")):
    """Originals over reconstructions, one column per image (as post 003)."""
    n = len(originals)
    fig, axes = plt.subplots(2, n, figsize=(n * 1.2, 2.7))
    axes = np.asarray(axes).reshape(2, n)
    for i in range(n):
        for row, images in enumerate((originals, recons)):
            ax = axes[row, i]
            ax.imshow(np.asarray(images[i]).reshape(28, 28), cmap="binary", vmin=0, vmax=1)
            ax.axis("off")
        axes[0, i].set_title(rows_titles[0] if i == 0 else "", fontsize=8, loc="left")
        axes[1, i].set_title(rows_titles[1] if i == 0 else "", fontsize=8, loc="left")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def codes_2d_figure(codes, labels, title=None, lims=None, names=None):
    """2-D codes coloured by label, with a legend (post 001)."""
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    cmap = plt.get_cmap("tab10")
    for label in np.unique(labels):
        sel = labels == label
        name = names[label] if names else str(label)
        ax.scatter(codes[sel, 0], codes[sel, 1], s=4, color=cmap(int(label) % 10), label=name)
    ax.legend(markerscale=3, fontsize=8, loc="upper right", framealpha=0.8)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if lims is not None:
        ax.set_xlim(lims[0]), ax.set_ylim(lims[1])
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    return fig


def codes_plane_figure(codes, title=None, lims=None):
    """Points in a 2-D coding plane (post 003's PCA figure)."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(codes[:, 0], codes[:, 1], "b.")
    ax.set_xlabel("$z_1$", fontsize=14)
    ax.set_ylabel("$z_2$", fontsize=14, rotation=0)
    if lims is not None:
        ax.set_xlim(lims[0]), ax.set_ylim(lims[1])
    ax.grid(True)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def points_3d_figure(points, title=None, plane=None):
    """3-D scatter of the data, optionally with the plane an autoencoder projects onto."""
    fig = plt.figure(figsize=(5, 4))
    ax = fig.add_subplot(projection="3d")
    ax.scatter(points[:, 0], points[:, 1], points[:, 2], c="b", s=10)
    if plane is not None:
        ax.scatter(plane[:, 0], plane[:, 1], plane[:, 2], c="r", s=6, marker="x", label="reconstruction")
        ax.legend(fontsize=8)
    ax.set_xlabel("$x_1$"), ax.set_ylabel("$x_2$"), ax.set_zlabel("$x_3$")
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def loss_curve_figure(history, title=None):
    """Training and validation loss per epoch."""
    fig, ax = plt.subplots(figsize=(5, 3.2))
    epochs = [h["epoch"] for h in history]
    ax.plot(epochs, [h["train_loss"] for h in history], "o-", label="train")
    if history and history[0].get("val_loss") is not None:
        ax.plot(epochs, [h["val_loss"] for h in history], "s-", label="validation")
    ax.set_xlabel("epoch"), ax.set_ylabel("loss"), ax.grid(True, alpha=0.3), ax.legend()
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def save(fig, path):
    return _save(fig, path)


def limits(arrays, margin=0.05, dims=2):
    """Common axis limits over a sequence of (N, dims) arrays, so a GIF's frames share axes."""
    allc = np.concatenate([np.asarray(a)[:, :dims] for a in arrays])
    lo, hi = allc.min(0), allc.max(0)
    pad = (hi - lo) * margin + 1e-9
    return tuple((lo[i] - pad[i], hi[i] + pad[i]) for i in range(dims))


def time_per_epoch_figure(history, title=None):
    """Seconds of training per epoch (the posts' "time cost" plot)."""
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.bar([h["epoch"] for h in history], [h["seconds"] for h in history], color="C2")
    ax.set_xlabel("epoch"), ax.set_ylabel("seconds"), ax.grid(True, axis="y", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def codes_3d_figure(codes, labels, title=None, lims=None):
    """3-D codes as a scatter coloured by digit label (posts 000 and 002)."""
    fig = plt.figure(figsize=(6, 5))
    ax = fig.add_subplot(projection="3d")
    codes = np.asarray(codes)
    sc = ax.scatter(codes[:, 0], codes[:, 1], codes[:, 2], c=labels, cmap="tab10", vmin=-0.5, vmax=9.5, s=6)
    fig.colorbar(sc, ax=ax, ticks=range(10), shrink=0.6, label="digit")
    if lims is not None:
        ax.set_xlim(*lims[0]), ax.set_ylim(*lims[1]), ax.set_zlim(*lims[2])
    ax.set_xlabel("z1"), ax.set_ylabel("z2"), ax.set_zlabel("z3")
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def sparsity_figure(codes, title=None):
    """Histograms of coding activations (post 003): every activation, and each unit's mean."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3))
    axes[0].hist(codes.ravel(), bins=50, range=(0, 1), color="C0")
    axes[0].set_xlabel("activation"), axes[0].set_ylabel("count"), axes[0].set_title("all activations", fontsize=9)
    axes[1].hist(codes.mean(axis=0), bins=50, range=(0, 1), color="C1")
    axes[1].set_xlabel("mean activation of a unit"), axes[1].set_title("per-unit means", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def image_rows(rows, names, title=None):
    """Several rows of the same examples (e.g. with sticker / clean / output), one column each."""
    n = len(rows[0])
    fig, axes = plt.subplots(len(rows), n, figsize=(n * 1.1, len(rows) * 1.2 + 0.4))
    axes = np.asarray(axes).reshape(len(rows), n)
    for r, (images, name) in enumerate(zip(rows, names)):
        for i in range(n):
            axes[r, i].imshow(np.asarray(images[i]).reshape(28, 28), cmap="binary", vmin=0, vmax=1)
            axes[r, i].set_xticks([]), axes[r, i].set_yticks([])
        axes[r, 0].set_ylabel(name, fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def image_grid(images, rows, title=None):
    """Images (N, 784) in a grid of `rows` rows."""
    images = np.asarray(images)
    cols = int(np.ceil(len(images) / rows))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.1, rows * 1.2 + 0.3))
    for ax, k in zip(np.asarray(axes).reshape(-1), range(rows * cols)):
        ax.axis("off")
        if k < len(images):
            ax.imshow(images[k].reshape(28, 28), cmap="binary", vmin=0, vmax=1)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def published_curves_figure(history, parts, published, epoch_of, title=None):
    """One panel per quantity: ours per epoch (the epoch's last batch, as the post printed) against
    the post's printed values, placed at our epoch with the same number of updates.

    parts: [(label, history key)]; published: {label: [values after the post's epochs 0, 1, ...]};
    epoch_of(k): our epoch matching the post's epoch k in updates."""
    fig, axes = plt.subplots(1, len(parts), figsize=(4.2 * len(parts), 3.2), squeeze=False)
    epochs = [h["epoch"] for h in history]
    for ax, (label, key) in zip(axes[0], parts):
        ax.plot(epochs, [h.get(key) for h in history], "-", lw=1, label="ours (last batch)")
        if label in published:
            values = published[label]
            ax.plot([epoch_of(k) for k in range(len(values))], values, "o", color="C3", label="published")
        ax.set_xlabel("epoch"), ax.set_title(label, fontsize=9), ax.grid(True, alpha=0.3)
        ax.set_yscale("log")
    axes[0][0].legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
