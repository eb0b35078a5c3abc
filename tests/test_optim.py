"""Each hand-written optimizer follows keras.optimizers step for step (float64, 20 steps)."""
import numpy as np
import pytest
import tensorflow as tf

from manual_ae.optim import make_optimizer

A = np.random.default_rng(3).standard_normal((6, 4))
B = np.random.default_rng(4).standard_normal((6, 3))
W0 = np.random.default_rng(5).standard_normal((4, 3))


def grad(w):
    """d/dW of 0.5 ||A W - B||^2 + 0.25 sum(W^4): a fixed, non-quadratic problem."""
    return A.T @ (A @ w - B) + w ** 3


CASES = {"sgd": dict(lr=0.02), "momentum": dict(lr=0.005, momentum=0.9), "nesterov": dict(lr=0.005, momentum=0.9),
         "adam": dict(lr=0.05), "rmsprop": dict(lr=0.05), "nadam": dict(lr=0.05)}


def ours(name, steps=20):
    graph = tf.Graph()
    with graph.as_default():
        w = tf.compat.v1.Variable(W0, dtype=tf.float64, use_resource=True)
        g = tf.compat.v1.placeholder(tf.float64, W0.shape)
        opt = make_optimizer(name, CASES[name]["lr"])
        update = opt.update_ops([(w, g)])
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            path = []
            for _ in range(steps):
                sess.run(update, {g: grad(sess.run(w))})
                path.append(sess.run(w))
            assert sess.run(opt.iterations) == steps
    return np.array(path)


def keras_path(name, steps=20):
    import keras
    kw = dict(CASES[name])
    lr = kw.pop("lr")
    opt = {"sgd": lambda: keras.optimizers.SGD(lr),
           "momentum": lambda: keras.optimizers.SGD(lr, momentum=0.9),
           "nesterov": lambda: keras.optimizers.SGD(lr, momentum=0.9, nesterov=True),
           "adam": lambda: keras.optimizers.Adam(lr), "rmsprop": lambda: keras.optimizers.RMSprop(lr),
           "nadam": lambda: keras.optimizers.Nadam(lr)}[name]()
    w = keras.Variable(W0, dtype="float64")
    path = []
    for _ in range(steps):
        opt.apply_gradients([(tf.constant(grad(w.numpy())), w)])
        path.append(w.numpy().copy())
    return np.array(path)


@pytest.mark.parametrize("name", list(CASES))
def test_follows_keras(name):
    mine, theirs = ours(name), keras_path(name)
    assert np.max(np.abs(mine - theirs)) <= 1e-6, f"{name}: max deviation {np.max(np.abs(mine - theirs)):.2e}"
    assert np.max(np.abs(mine[-1] - W0)) > 1e-2  # it moved


def test_adam_bias_correction_first_step():
    """With bias correction the first Adam step moves every weight by about lr (sign of the gradient)."""
    path = ours("adam", steps=1)
    np.testing.assert_allclose(np.abs(path[0] - W0), 0.05, rtol=1e-4)


def test_unknown_optimizer_is_a_clear_error():
    with pytest.raises(ValueError, match="make_optimizer: name is .*expected one of"):
        make_optimizer("adagrad-ish", 0.1)


def test_rmsprop_tf2_form_matches_its_formula():
    """rmsprop-tf2 (TF 2.0-era Keras): w -= lr g / (sqrt(v) + eps), written out in NumPy."""
    CASES["rmsprop-tf2"] = dict(lr=0.05)
    try:
        mine = ours("rmsprop-tf2")
    finally:
        del CASES["rmsprop-tf2"]
    w, v = W0.copy(), np.zeros_like(W0)
    for step in range(20):
        g = grad(w)
        v = 0.9 * v + 0.1 * g * g
        w = w - 0.05 * g / (np.sqrt(v) + 1e-7)
        np.testing.assert_allclose(mine[step], w, atol=1e-9)
