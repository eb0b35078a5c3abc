"""Element-wise activations: y = f(z), dL/dz = dL/dy * f'(z).

Every tensor here has the same shape, any shape. A cache is a tuple, as every layer's (its backward
checks that it came from its own forward). Where f' can be written with the output y,
the backward reuses y from the cache instead of recomputing f (as TensorFlow's nn_grad.py does).
At a kink the slope is TensorFlow's choice, so a hand-written gradient equals the tape's exactly:
relu takes 0 at z = 0 (ReluGrad: z > 0), elu and selu take the positive side (EluGrad, SeluGrad:
y < 0 selects the negative side, and y = 0 at z = 0).
Derivation: docs/activations.md.
"""
import tensorflow as tf

from manual_ae.layers.kinds import layer

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
# scale * alpha as TensorFlow's kernels take it: one literal, rounded once to the dtype. The product of
# the two rounded constants above is 1.7580993408473766 in float64, one ulp below: far below zero,
# where y + scale * alpha should be 0, it left a slope of -2.2e-16 where TensorFlow's is exactly 0.
SELU_SCALE_ALPHA = 1.7580993408473768599402175208123


@layer("activations.md", z="any")
def identity_forward(z):
    """y = z."""
    return z, ()        # nothing to remember (the cache is empty)


@layer("activations.md")
def identity_backward(dy, cache):
    """dz = dy."""
    return dy


@layer("activations.md", z="any")
def sigmoid_forward(z):
    """y = 1 / (1 + exp(-z))."""
    y = tf.sigmoid(z)
    return y, (y,)


@layer("activations.md")
def sigmoid_backward(dy, cache):
    """dz = dy * y * (1 - y)."""
    (y,) = cache
    return dy * y * (1 - y)


@layer("activations.md", z="any")
def tanh_forward(z):
    """y = tanh(z)."""
    y = tf.tanh(z)
    return y, (y,)


@layer("activations.md")
def tanh_backward(dy, cache):
    """dz = dy * (1 - y^2)."""
    (y,) = cache
    return dy * (1 - y * y)


@layer("activations.md", z="any")
def relu_forward(z):
    """y = max(z, 0)   (tf.nn.relu, whose own gradient at z = 0 is 0, as relu_backward's)."""
    return tf.nn.relu(z), (z,)


@layer("activations.md")
def relu_backward(dy, cache):
    """dz = dy * [z > 0]   (0 at the kink z = 0, as TensorFlow)."""
    (z,) = cache
    return tf.where(z > 0, dy, tf.zeros_like(dy))


@layer("activations.md", z="any")
def elu_forward(z):
    """y = z if z > 0 else exp(z) - 1   (tf.nn.elu: the same formula in one fused kernel)."""
    y = tf.nn.elu(z)
    return y, (z, y)


@layer("activations.md")
def elu_backward(dy, cache):
    """dz = dy * (y + 1) if y < 0 else dy      (exp(z) = y + 1; at z = 0 the positive side)."""
    z, y = cache
    return tf.where(y < 0, dy * (y + 1), dy)


@layer("activations.md", z="any")
def selu_forward(z):
    """y = scale * z if z > 0 else scale * alpha * (exp(z) - 1)   (tf.nn.selu: one fused kernel)."""
    y = tf.nn.selu(z)
    return y, (z, y)


@layer("activations.md")
def selu_backward(dy, cache):
    """dz = dy * (y + scale * alpha) if y < 0 else dy * scale   (at z = 0 the positive side, scale)."""
    z, y = cache
    return tf.where(y < 0, dy * (y + SELU_SCALE_ALPHA), SELU_SCALE * dy)


@layer("activations.md", z="any")
def softsign_forward(z):
    """y = z / (1 + |z|)."""
    denom = 1 + tf.abs(z)
    return z / denom, (denom,)


@layer("activations.md")
def softsign_backward(dy, cache):
    """dz = dy / (1 + |z|)^2."""
    (denom,) = cache
    return dy / (denom * denom)


@layer("activations.md", z="any")
def atan_forward(z):
    """y = arctan(z)."""
    return tf.atan(z), (z,)


@layer("activations.md")
def atan_backward(dy, cache):
    """dz = dy / (1 + z^2)."""
    (z,) = cache
    return dy * tf.math.reciprocal(1 + z * z)    # the reciprocal, then the product: TensorFlow's AtanGrad, to the bit


ACTIVATIONS = {
    "identity": (identity_forward, identity_backward),
    "linear": (identity_forward, identity_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "elu": (elu_forward, elu_backward),
    "selu": (selu_forward, selu_backward),
    "softsign": (softsign_forward, softsign_backward),
    "atan": (atan_forward, atan_backward),
}


def activation(name):
    """(forward, backward) for an activation name; a clear error for an unknown one."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation: act is {name!r}; expected the name of one of {', '.join(sorted(ACTIVATIONS))} "
                         "(lower case, as a string)")
    return ACTIVATIONS[name]
