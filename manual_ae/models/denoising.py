"""Post 003: denoising autoencoders: the stacked sizes with noise on the input in training only,
trained to reproduce the clean image. Gaussian noise (stddev 0.2) or dropout (rate 0.5)."""
import os

import numpy as np
import tensorflow as tf

from manual_ae import figures
from manual_ae.layers import dropout_forward, dropout_mask, gaussian_noise_forward
from manual_ae.models.stacked import Stacked


class DenoisingGaussian(Stacked):
    """x_noisy = x + N(0, 0.2^2) (training only) -> the stacked autoencoder -> compare with the clean x."""

    name = "denoising-gaussian"
    post = "003"
    script = "scripts/post003_denoising_autoencoders.py"
    description = "stacked sizes, GaussianNoise(0.2) on the input in training"
    defaults = dict(epochs=10, batch_size=32, lr=1.0, optimizer="sgd")
    reference = {"train_loss": 0.2935, "val_loss": 0.2920, "val_rounded_accuracy": 0.9291}
    stddev = 0.2

    def sample_noise(self, x, training):
        return {"noise": self.stddev * tf.random.normal(tf.shape(x), dtype=x.dtype)} if training else {}

    def corrupt(self, x, noise):
        return gaussian_noise_forward(x, noise["noise"])[0]

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Noisy inputs over the network's outputs (post 003), plus the usual reconstructions."""
        paths = super().figures(predict, data, snapshots, out_dir, weights)
        clean = data.x_val[:10].reshape(10, -1)
        noise = {k: v.numpy() for k, v in self.sample_noise(tf.constant(clean), training=True).items()}
        noisy = np.clip(self.corrupt(tf.constant(clean), noise).numpy(), 0, 1)
        out = predict(noisy)["recon"]
        paths.append(figures.save(figures.reconstructions_figure(noisy, out, f"{self.name}: noisy in, denoised out",
                                                                 ("noisy input", "output")),
                                  os.path.join(out_dir, "denoising.png")))
        return paths


class DenoisingDropout(DenoisingGaussian):
    """x_noisy = x * keep / (1 - 0.5), half the pixels dropped (training only)."""

    name = "denoising-dropout"
    description = "stacked sizes, Dropout(0.5) on the input in training"
    reference = {"train_loss": 0.3004, "val_loss": 0.2958}
    rate = 0.5

    def sample_noise(self, x, training):
        return {"keep": dropout_mask(tf.shape(x), self.rate, x.dtype)} if training else {}

    def corrupt(self, x, noise):
        return dropout_forward(x, noise["keep"], self.rate)[0]
