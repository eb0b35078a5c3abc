"""The last ulp and Keras's edges.

* Each activation's hand-written slope against TensorFlow's own gradient kernel (SigmoidGrad,
  TanhGrad, ReluGrad, EluGrad, SeluGrad, SoftsignGrad, AtanGrad through the tape) at every scale of
  the float range, float32 and float64: within one rounding everywhere, exactly 0 where TensorFlow's is.
* Pooling before the activation (conv_act_pool) against Keras's order (activate, then pool): equal
  except where rounding makes the activation non-monotone, by at most the size measured here
  (docs/convolution.md quotes it).
* kl_sparsity against Keras's regularizer, and a VALID conv2d_transpose with a filter smaller than
  its stride against Keras's Conv2DTranspose.
"""
import keras
import numpy as np
import pytest
import tensorflow as tf

from manual_ae import layers as L

KERNELS = {"identity": tf.identity, "sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu, "elu": tf.nn.elu,
           "selu": tf.nn.selu, "softsign": tf.nn.softsign, "atan": tf.atan}


def every_scale(dtype):
    """z over the whole finite range: both signs of 4,000 magnitudes from the smallest subnormal to the
    largest float, a fine grid over [-60, 60] where the activations bend and saturate, and the extremes."""
    info = np.finfo(dtype)
    with np.errstate(over="ignore"):          # the last step rounds past the largest float: dropped below
        mags = np.logspace(np.log10(float(info.smallest_subnormal)), np.log10(float(info.max)), 4000)
    mags = mags[np.isfinite(mags.astype(dtype))]
    z = np.concatenate([-mags, mags, np.linspace(-60, 60, 24001), [0.0, info.max, -info.max, info.tiny, -info.tiny]])
    return z.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("act", sorted(KERNELS))
def test_a_hand_slope_is_tensorflows_kernel_to_one_rounding_and_zero_where_it_is(act, dtype):
    z = tf.constant(every_scale(dtype))
    forward, backward = L.activation(act)
    ones = tf.ones_like(z)
    y, cache = forward(z)
    slope_hand = backward(ones, cache).numpy()
    with tf.GradientTape() as tape:
        tape.watch(z)
        y_tape = KERNELS[act](z)
    slope_tape = tape.gradient(y_tape, z, output_gradients=ones).numpy()
    assert np.array_equal(y.numpy(), y_tape.numpy())
    zeros = slope_tape == 0
    assert np.all(slope_hand[zeros] == 0), f"{act}: nonzero slope at z = {z.numpy()[zeros & (slope_hand != 0)][:5]}"
    ulps = np.abs(slope_hand - slope_tape) / np.spacing(np.abs(slope_tape))
    assert np.max(ulps) <= 1, f"{act} {dtype.__name__}: {np.max(ulps)} ulps at z = {z.numpy()[np.argmax(ulps)]}"


def test_selus_far_negative_slope_is_exactly_zero_as_tensorflows():
    """The constant scale * alpha is TensorFlow's literal: y + scale * alpha is 0 where y saturates."""
    z = tf.constant([-40.0, -100.0, -1e300], tf.float64)
    y, cache = L.selu_forward(z)
    assert np.all(L.selu_backward(tf.ones_like(z), cache).numpy() == 0)


# ---------------------------------------------------------------- pool first, then the activation

MONOTONE = ("sigmoid", "tanh", "relu", "elu", "selu", "softsign", "atan")


def largest_inversion(act, dtype, n=50000, seed=0):
    """The largest act(z1) - act(z2) over z1 < z2 one to four floats apart (z random over 1e-8 .. 1e3,
    both signs): how far rounding takes the activation from non-decreasing. Returns (size, z1, z2)."""
    rng = np.random.default_rng(seed)
    z = (rng.choice([-1, 1], n) * 10 ** rng.uniform(-8, 3, n)).astype(dtype)
    y = KERNELS[act](tf.constant(z)).numpy()
    worst, pair, zk = 0.0, None, z.copy()
    for _ in range(4):
        zk = np.nextafter(zk, dtype(np.inf))
        drop = (y - KERNELS[act](tf.constant(zk)).numpy()).astype(np.float64)
        i = int(np.argmax(drop))
        if drop[i] > worst:
            worst, pair = float(drop[i]), (z[i], zk[i])
    return worst, pair


def keras_order(x, w, b, act):
    """Keras's Conv2D(activation=act) then MaxPool2D: activate every pixel, then pool."""
    z = tf.nn.conv2d(x, w, 1, "SAME") + b
    return tf.nn.max_pool2d(L.activation(act)[0](z)[0], 2, 2, "VALID")


@pytest.mark.parametrize("act", MONOTONE)
def test_pool_then_activate_differs_from_keras_order_only_by_rounding(act):
    bound, pair = largest_inversion(act, np.float32)
    rng = np.random.default_rng(1)
    x = tf.constant(rng.uniform(0, 1, (8, 28, 28, 1)).astype(np.float32))
    w = tf.constant(rng.normal(0, 0.5, (3, 3, 1, 16)).astype(np.float32))
    b = tf.constant(rng.normal(0, 0.1, 16).astype(np.float32))
    ours = L.conv_act_pool_forward(x, w, b, act)[0].numpy()
    assert np.max(np.abs(ours - keras_order(x, w, b, act).numpy())) <= bound
    if pair is None:                                # relu: monotone in floating point too
        assert act == "relu"
        return
    # Windows holding an inverted pair: z1 < z2 with act(z1) > act(z2). Through a 1x1 identity filter z = x.
    # (A 64x64 image of them: TensorFlow's kernels round a short tensor's tail differently.)
    z1, z2 = pair
    low = z1 - abs(z1) - 1
    window = np.array([[z1, z2], [low, low]], np.float32)
    image = tf.constant(np.tile(window, (32, 32))[None, :, :, None])
    one, zero = tf.ones((1, 1, 1, 1)), tf.zeros(1)
    p_ours, cache = L.conv_act_pool_forward(image, one, zero, act)
    p_keras = keras_order(image, one, zero, act)
    differ = p_keras.numpy() - p_ours.numpy()
    assert np.all(differ >= 0) and np.any(differ > 0) and np.max(differ) <= bound
    # and the gradient goes to the larger z (ours), not to the larger activation (Keras's order)
    dx, _, _ = L.conv_act_pool_backward(tf.ones_like(p_ours), cache)
    with tf.GradientTape() as tape:
        tape.watch(image)
        p_tape = keras_order(image, one, zero, act)
    dx_keras = tape.gradient(p_tape, image).numpy()[0, :2, :2, 0]
    dx = dx.numpy()[0, :2, :2, 0]
    assert dx[0, 1] != 0 and dx[0, 0] == 0 and dx_keras[0, 0] != 0 and dx_keras[0, 1] == 0


# ---------------------------------------------------------------- Keras's edges

class KLDivergenceRegularizer(keras.regularizers.Regularizer):
    """The post's (Geron's chapter 17) regularizer, as its notebook writes it."""

    def __init__(self, weight, target):
        self.weight, self.target = weight, target

    def __call__(self, inputs):
        kl = keras.losses.kl_divergence
        mean = keras.ops.mean(inputs, axis=0)
        return self.weight * (kl(self.target, mean) + kl(1.0 - self.target, 1.0 - mean))


def test_kl_sparsity_is_keras_regularizer_at_the_clip_edges_too():
    eps = L.latent.KL_EPSILON
    h = np.random.default_rng(0).uniform(0.05, 0.95, (4, 7))
    h[:, 0], h[:, 1] = 0.0, 1.0                          # means 0 and 1: each keeps the other term's slope
    h[:, 2], h[:, 3] = eps, 1 - eps                      # on the edges
    h[:, 4], h[:, 5] = eps / 10, 1 - eps / 10            # beyond them
    h = tf.constant(h)
    layer = keras.layers.Activation("linear", activity_regularizer=KLDivergenceRegularizer(0.05, 0.1),
                                    dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch(h)
        layer(h)
        p_keras = tf.add_n(layer.losses)
    dh_keras = tape.gradient(p_keras, h).numpy()
    p_hand, cache = L.kl_sparsity_forward(h, 0.1, 0.05)
    dh_hand = L.kl_sparsity_backward(1.0, cache).numpy()
    np.testing.assert_allclose(p_hand.numpy(), p_keras.numpy(), rtol=1e-12)
    np.testing.assert_allclose(dh_hand, dh_keras, rtol=1e-9, atol=0)
    assert np.all(dh_hand[:, :2] != 0)                   # a unit stuck at 0 or 1 is still pushed back


@pytest.mark.parametrize("k, s", [(2, 3), (1, 2), (3, 2)])
def test_valid_conv2d_transpose_is_keras_conv2dtranspose(k, s):
    rng = np.random.default_rng(k * 10 + s)
    x = tf.constant(rng.standard_normal((2, 3, 4, 2)))
    layer = keras.layers.Conv2DTranspose(3, k, strides=s, padding="valid", dtype="float64")
    layer.build(x.shape)
    w = tf.constant(rng.standard_normal((k, k, 3, 2)))
    b = tf.constant(rng.standard_normal(3))
    layer.set_weights([w.numpy(), b.numpy()])
    with tf.GradientTape() as tape:
        tape.watch(x)
        out_keras = layer(x)
        dout = tf.constant(rng.standard_normal(out_keras.shape))
        scalar = tf.reduce_sum(out_keras * dout)
    dx_keras, dw_keras, db_keras = tape.gradient(scalar, [x] + layer.trainable_weights)
    out, cache = L.conv2d_transpose_forward(x, w, b, s, "VALID")
    assert out.shape == out_keras.shape == (2, 3 * s + max(k - s, 0), 4 * s + max(k - s, 0), 3)
    np.testing.assert_allclose(out.numpy(), out_keras.numpy(), rtol=1e-12, atol=1e-12)
    dx, dw, db = L.conv2d_transpose_backward(dout, cache)
    for hand, ref in ((dx, dx_keras), (dw, dw_keras), (db, db_keras)):
        np.testing.assert_allclose(hand.numpy(), np.asarray(ref), rtol=1e-10, atol=1e-12)


def test_a_nan_in_a_pool_window_is_dropped_as_tensorflows_kernel_drops_it():
    """The documented choice (docs/convolution.md): past the eager check (here the function as written,
    as a training graph runs it), a NaN in a window vanishes: the largest number comes out, no gradient."""
    x = tf.constant(np.array([[np.nan, 1.0], [3.0, 2.0]]).reshape(1, 2, 2, 1))
    forward, backward = L.max_pool2d_forward.layer_function, L.max_pool2d_backward.layer_function
    out, cache = forward(x)
    assert out.numpy().item() == 3.0 == tf.nn.max_pool2d(x, 2, 2, "VALID").numpy().item()
    dx = backward(tf.ones_like(out), cache).numpy().ravel()
    assert dx.tolist() == [0.0, 0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="max_pool2d_forward: x holds nan"):
        L.max_pool2d_forward(x)
