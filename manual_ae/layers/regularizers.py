"""Weight penalties added to a loss: L2 on a kernel (tf.contrib.layers.l2_regularizer, post 004).

A penalty reads weights, not activations: its backward gives a gradient to add to the kernel's
gradient from the data term (dL/dW = dL_data/dW + dP/dW).
"""
import tensorflow as tf

from manual_ae.layers.kinds import layer

WHY = {"scale": "A negative weight decay rewards large weights: the penalty would grow them without bound."}


@layer("sparsity.md", why=WHY, w="any", scale="scalar, >= 0")
def l2_penalty_forward(w, scale):
    """P = scale * sum(w^2) / 2   (TF1's l2_regularizer(scale): scale * tf.nn.l2_loss(w))."""
    return scale * tf.reduce_sum(w * w) / 2, (w, scale)


@layer("sparsity.md")
def l2_penalty_backward(dp, cache):
    """dP/dw = dp * scale * w   (the 1/2 cancels the square's 2: "weight decay")."""
    w, scale = cache
    return dp * scale * w
