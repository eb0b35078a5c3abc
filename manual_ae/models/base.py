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
import numpy as np


def glorot_uniform(rng, n_in, n_out, dtype):
    """Keras's default initializer: U(-limit, limit), limit = sqrt(6 / (n_in + n_out))."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out)).astype(dtype)


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

    def figures(self, predict, data, snapshots, out_dir):
        """Write the post's figures; return their paths."""
        return []

    def summary(self):
        d = self.defaults
        return (f"{self.name:<12} {self.post:<13} {self.dataset:<14} {d['epochs']:<9} "
                f"{d['batch_size']:<10} {d['lr']:<9g} {d['optimizer']:<8} {self.description}")
