"""Builds the training graph: variables from the weight dictionary, and the hand-written
gradients fed into the hand-written optimizer's update ops, a whole chunk of steps per
`session.run` inside one `tf.while_loop` (a Python call per step costs more than a step at batch 32).

No automatic differentiation is used: the gradients come from `model.backward`. The test suite
walks this graph (and the functions inside the while loop) for autodiff-generated ops.
"""
from types import SimpleNamespace

import tensorflow as tf

from manual_ae.optim import make_optimizer


def check_gradient_keys(model, weights, grads):
    """The contract: one gradient per weight, same keys, same shapes."""
    if set(grads) != set(weights):
        raise ValueError(f"{model.name}: backward() returned gradients for {sorted(grads)} but the weights are "
                         f"{sorted(weights)}; every weight needs exactly one gradient.")


def build_training_graph(model, init_weights, x_train, batch_size, optimizer, lr, seed):
    """A fresh tf.Graph holding the model, its optimizer, the training data and the step loop.

    init_weights: dict name -> float32 array; x_train: (N, ...) float32, flattened as the model wants.
    Returns a namespace of the tensors and ops the trainer runs.
    """
    g = SimpleNamespace(graph=tf.Graph())
    n = len(x_train)
    with g.graph.as_default():
        tf.compat.v1.set_random_seed(seed)
        g.weight_inits = {k: tf.compat.v1.placeholder(tf.float32, v.shape, name=f"init_{k}")
                          for k, v in init_weights.items()}
        g.weights = {k: tf.compat.v1.Variable(ph, name=k, use_resource=True) for k, ph in g.weight_inits.items()}
        # The training images live in the graph once, so a step gathers its batch without a feed.
        g.data_init = tf.compat.v1.placeholder(tf.float32, x_train.shape, name="init_train_data")
        g.data = tf.compat.v1.Variable(g.data_init, trainable=False, use_resource=True, name="train_data")
        g.perm_init = tf.compat.v1.placeholder(tf.int32, [n], name="epoch_order")
        g.perm = tf.compat.v1.Variable(tf.zeros([n], tf.int32), trainable=False, use_resource=True, name="order")
        g.set_perm = g.perm.assign(g.perm_init)
        g.opt = make_optimizer(optimizer, lr)
        keys = sorted(g.weights)
        g.opt.build([g.weights[k] for k in keys])

        g.start = tf.compat.v1.placeholder(tf.int32, [], name="first_step")
        g.stop = tf.compat.v1.placeholder(tf.int32, [], name="end_step")

        def cond(i, loss_sum, finite):
            return tf.logical_and(i < g.stop, finite)

        def body(i, loss_sum, finite):
            lo = i * batch_size
            hi = tf.minimum(lo + batch_size, n)
            xb = tf.gather(g.data, g.perm.sparse_read(tf.range(lo, hi)))
            w = {k: g.weights[k].read_value() for k in keys}
            loss, _, cache = model.forward(w, xb, model.sample_noise(xb, training=True), training=True)
            grads = model.backward(cache)
            check_gradient_keys(model, w, grads)
            # Every gradient is computed from this step's weights before any weight changes.
            with tf.control_dependencies([loss] + [grads[k] for k in keys]):
                updates = g.opt.update_ops([(g.weights[k], grads[k]) for k in keys])
            # The next step starts only after every update of this one.
            with tf.control_dependencies(updates):
                rows = tf.cast(hi - lo, tf.float64)
                return i + 1, loss_sum + tf.cast(loss, tf.float64) * rows, tf.math.is_finite(loss)

        g.loop = tf.while_loop(cond, body, [g.start, tf.constant(0.0, tf.float64), tf.constant(True)],
                               parallel_iterations=1, name="train_steps")

        g.x_eval = tf.compat.v1.placeholder(tf.float32, (None,) + tuple(x_train.shape[1:]), name="x_eval")
        w_eval = {k: v.read_value() for k, v in g.weights.items()}
        loss, outputs, _ = model.forward(w_eval, g.x_eval, model.sample_noise(g.x_eval, training=False),
                                         training=False)
        g.eval_loss = loss
        g.eval_metrics = model.metrics(g.x_eval, outputs)
        g.eval_outputs = outputs
        g.saver = tf.compat.v1.train.Saver(list(g.weights.values()) + g.opt.variables(), max_to_keep=3,
                                           save_relative_paths=True)
        g.init = tf.compat.v1.global_variables_initializer()
    return g
