"""Losses: forward gives a scalar, backward gives dL/d(prediction).

Each loss is a mean over all K = N * D elements, exactly as Keras reduces
(mean over the last axis, then over the batch), so the posts' learning rates transfer.
y_hat, y: (N, D) (any shape, the same for both).
"""
import tensorflow as tf

from manual_ae.layers.kinds import layer
from manual_ae.layers.signature import check_arguments, parse

BCE_EPSILON = 1e-7  # Keras clips probabilities to [eps, 1 - eps] before taking logs


WHY = {"p": "A probability: the output of a sigmoid. For logits use sigmoid_bce_forward.",
       "y": "A log loss compares probabilities: targets are pixels scaled to [0, 1] (x / 255)."}
# Values are checked where they are known (eager calls: the gradient check, the exercises). Inside a
# training graph they are not: there a p outside [0, 1] is clipped to [eps, 1 - eps] with no gradient,
# and a y outside [0, 1] gives a loss that is no log loss (it can go below 0).


def _count(y, dtype):
    return tf.cast(tf.size(y), dtype)


@layer("dense_backprop.md", y_hat="any", y="like y_hat")
def mse_forward(y_hat, y):
    """L = mean((y_hat - y)^2)."""
    diff = y_hat - y
    count = _count(y, y_hat.dtype)
    return tf.reduce_sum(diff * diff) / count, (diff, count)


@layer("dense_backprop.md")
def mse_backward(dloss, cache):
    """dL/dy_hat = dloss * 2 (y_hat - y) / K."""
    diff, count = cache
    return dloss * 2 * diff / count


@layer("log_loss.md", why=WHY, p="any, in [0, 1]", y="like p, in [0, 1]")
def bce_forward(p, y):
    """L = -mean(y log p + (1 - y) log(1 - p)), p a probability (clipped as Keras does).

    Unfused form: its backward has p(1 - p) in the denominator. See docs/log_loss.md.
    """
    p_clip = tf.clip_by_value(p, BCE_EPSILON, 1 - BCE_EPSILON)
    count = _count(y, p.dtype)
    loss = -tf.reduce_sum(y * tf.math.log(p_clip) + (1 - y) * tf.math.log(1 - p_clip)) / count
    # tf.clip_by_value passes the gradient on its edges too (it zeroes only x < min or x > max)
    inside = tf.logical_and(p >= BCE_EPSILON, p <= 1 - BCE_EPSILON)
    return loss, (p_clip, y, count, inside)


@layer("log_loss.md")
def bce_backward(dloss, cache):
    """dL/dp = dloss * (p - y) / (p (1 - p)) / K   (0 where p was clipped: p < eps or p > 1 - eps)."""
    p, y, count, inside = cache
    dp = dloss * (p - y) / (p * (1 - p)) / count
    return tf.where(inside, dp, tf.zeros_like(dp))


REDUCTIONS = ("mean", "per_image", "sum")
_ACCURACY = parse({"y_hat": "any", "y": "like y_hat"})


@layer("log_loss.md", why=WHY, z="any", y="like z, in [0, 1]")
def sigmoid_bce_forward(z, y, reduce="mean"):
    """y_hat = sigmoid(z);  L = sum(max(z, 0) - z y + log(1 + exp(-|z|))) / K.

    The same loss as bce_forward(sigmoid(z), y), written so that exp never overflows.
    reduce picks K: "mean" K = N * D (Keras's mean over every pixel); "per_image" K = N, the
    "summed Bernoulli log loss" of posts 000 and 002, in nats per image; "sum" K = 1, the sum over
    the batch and the pixels that post 004's own TF1 code trains (tf.reduce_sum of
    sigmoid_cross_entropy_with_logits).
    Returns (L, y_hat, cache): y_hat, the model's output, is computed here once.
    """
    if reduce not in REDUCTIONS:
        raise ValueError(f"sigmoid_bce_forward: reduce is one of {', '.join(REDUCTIONS)}, not {reduce!r}")
    count = {"mean": lambda: _count(y, z.dtype), "per_image": lambda: tf.cast(tf.shape(y)[0], z.dtype),
             "sum": lambda: tf.constant(1, z.dtype)}[reduce]()
    loss = tf.reduce_sum(tf.maximum(z, 0) - z * y + tf.math.log1p(tf.exp(-tf.abs(z)))) / count
    y_hat = tf.sigmoid(z)
    return loss, y_hat, (y_hat, y, count)


@layer("log_loss.md")
def sigmoid_bce_backward(dloss, cache):
    """dL/dz = dloss * (y_hat - y) / K   (K = N * D, N or 1 as the forward's `reduce` chose).

    From dL/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)) times dy_hat/dz = y_hat (1 - y_hat);
    the derivation is in docs/log_loss.md.
    """
    y_hat, y, count = cache
    return dloss * (y_hat - y) / count


def rounded_accuracy(y_hat, y):
    """mean(round(y) == round(y_hat)), the posts' metric for images in [0, 1]."""
    check_arguments("rounded_accuracy", _ACCURACY, {"y_hat": y_hat, "y": y})
    y_hat, y = tf.convert_to_tensor(y_hat), tf.convert_to_tensor(y)
    same = tf.equal(tf.round(y), tf.round(y_hat))
    return tf.reduce_mean(tf.cast(same, y_hat.dtype))
