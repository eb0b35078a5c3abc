"""Post 004: everything about autoencoders: PCA with an autoencoder, a stacked autoencoder on MNIST,
and a variational autoencoder that generates new images.

The PCA autoencoder and the stacked autoencoder are post 003's cases (`pca`; `stacked` with
`--dataset digits`: scripts/post004_stacked_mnist.py). The VAE follows the chapter-17 notebook's
reference run on Fashion-MNIST: RMSprop as TF 2.0's Keras had it (g / (sqrt(v) + eps),
`rmsprop-tf2`). With Keras 3's g / sqrt(v + eps) (`--optimizer rmsprop`) the same run ends about
0.003 worse in loss and 0.004 in rounded accuracy (logs/vae-keras3-rmsprop*.log): the two differ
only where gradients are tiny, and there the TF 2.0 form takes much larger steps.
"""
import os

import numpy as np

from manual_ae import figures
from manual_ae.models import VAE
from manual_ae.posts.case import Case
from manual_ae.posts.common import reconstructions


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
    Case("vae", "004", VAE, "784-150-100 selu, mean/logvar heads of 10, sampled codings / 10-100-150-784; BCE + KL/784",
         "scripts/post004_variational_autoencoder.py", "fashion-mnist", epochs=25, batch_size=128, lr=1e-3,
         optimizer="rmsprop-tf2", reference={"train_loss": 0.3118, "val_loss": 0.3133, "val_rounded_accuracy": 0.9228},
         figures=vae_figures),
]
