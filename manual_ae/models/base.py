"""The model contract every autoencoder follows.

A model is
  * a weight dictionary with the posts' names (`encoder_h1` for a weight, `encoder_b1` for its bias),
    made by `init_weights(rng, dtype)`;
  * `forward(w, x, noise, training) -> (loss, outputs, cache)`, with `outputs` holding at least
    `recon` (the reconstruction) and, where the model has one, `codes`;
  * `backward(cache) -> grads`, a dictionary with exactly the keys of the weights.
Both are written with TensorFlow ops, so the trainer builds them into a tf.compat.v1 graph and the
gradient check runs them eagerly in float64. Noise (dropout masks, Gaussian noise, VAE samples)
comes in through `noise`, so a check can pass the same sample to both sides.
"""
import os

import numpy as np

from manual_ae import figures
from manual_ae.layers import rounded_accuracy


def glorot_uniform(rng, n_in, n_out, dtype, shape=None):
    """Keras's default initializer: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).
    For a convolution filter pass shape=(KH, KW, C_in, C_out) with n_in = KH*KW*C_in, n_out = KH*KW*C_out."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=shape or (n_in, n_out)).astype(dtype)


def glorot_filter(rng, kh, kw, c_a, c_b, dtype):
    """A (KH, KW, c_a, c_b) filter with Keras's fans (receptive field times each channel count)."""
    return glorot_uniform(rng, kh * kw * c_a, kh * kw * c_b, dtype, shape=(kh, kw, c_a, c_b))


def orthogonal(rng, rows, cols, dtype):
    """Keras's Orthogonal initializer (an LSTM's recurrent kernel): rows or columns orthonormal."""
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    return (q if rows >= cols else q.T).astype(dtype)


class Autoencoder:
    name = None
    post = None            # which post(s) it reproduces
    dataset = None         # default dataset name
    description = None
    script = None          # the per-case script in scripts/
    input_shape = (784,)
    defaults = {}          # epochs, batch_size, lr, optimizer
    metric = None          # name of the validation metric, e.g. "rounded_accuracy"
    reference = {}         # published figures (REFERENCE.md), for the log and the README
    loss_depends_on_batch = False  # True: validate and predict in batches of the training batch size
    train_images = None    # the post trained on this many images (e.g. post 000's first 10,000)
    options = {}           # architecture switches with their defaults (`--set name=value`, `configured`)
    post_size_options = {}  # the options that restore the post's full sizes (scripts' --post-size)
    gradcheck_batch = 3

    def configured(self, **options):
        """A copy with some options changed; unknown names or wrong types give a clear error."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            known = ", ".join(f"{k}={v!r}" for k, v in self.options.items()) or "none"
            raise ValueError(f"{self.name} has no option {', '.join(unknown)}; its options: {known}")
        model = type(self)()
        model.options = {**self.options, **options}
        model.validate_options()
        return model

    def validate_options(self):
        """Raise ValueError for a bad combination of options (checked by `configured`)."""

    def prepare(self, data, seed):
        """The data set this model trains on, made from the loaded one (e.g. stickers pasted on it)."""
        return data

    def for_gradcheck(self):
        """The configuration the gradient check runs (the same code, sizes small enough for float64)."""
        return self

    def init_weights(self, rng, dtype=np.float32):
        raise NotImplementedError

    def gradcheck_input(self, rng, batch):
        """A fixed input batch for the gradient check (float64, values like the real data)."""
        return rng.uniform(0.02, 0.98, size=(batch,) + tuple(self.input_shape))

    def sample_noise(self, x, training):
        """Random tensors the forward needs (none for a plain autoencoder)."""
        return {}

    def forward(self, w, x, noise=None, training=True):
        raise NotImplementedError

    def backward(self, cache):
        raise NotImplementedError

    def metrics(self, x, outputs):
        """Named scalar tensors reported on the validation set (besides the loss)."""
        return {}

    def report(self, predict, data, weights=None):
        """Numbers computed once after training (e.g. k-NN accuracy of the codes). `predict(x)`
        returns the outputs dictionary as NumPy arrays; `weights` are the final weights (NumPy)."""
        return {}

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Write the post's figures; return their paths."""
        return []

    def summary(self):
        d = self.defaults
        return (f"{self.name:<19} {self.post:<9} {self.dataset:<17} {d['epochs']:<7} "
                f"{d['batch_size']:<6} {d['lr']:<7g} {d['optimizer']:<8} {self.description}")


class ImageAutoencoder(Autoencoder):
    """An autoencoder of 28x28 images in [0, 1] with the posts' metric and figure."""

    dataset = "fashion-mnist"
    metric = "rounded_accuracy"

    def metrics(self, x, outputs):
        return {"rounded_accuracy": rounded_accuracy(outputs["recon"], x)}

    def figures(self, predict, data, snapshots, out_dir, weights=None):
        """Originals over reconstructions (validation images), and a GIF of them over training."""
        originals = data.x_val[:10]
        recon = predict(originals)["recon"]
        paths = [figures.save(figures.reconstructions_figure(originals, recon, f"{self.name} ({data.name})"),
                              os.path.join(out_dir, "reconstructions.png"))]
        if snapshots.get("recon"):
            frames = [figures.fig_to_array(figures.reconstructions_figure(
                snapshots["inputs"][:10], r[:10], f"{self.name}: epoch {e}"))
                for e, r in zip(snapshots["epoch"], snapshots["recon"])]
            paths.append(figures.save_gif(frames, os.path.join(out_dir, "reconstructions.gif")))
        return paths
