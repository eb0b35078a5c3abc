"""The one step loop: the training graph and the session that runs it, used by the trainer, the
benchmark and the CPPN fit.

`build_training_graph` makes a fresh tf.Graph: variables from the weight dictionary, the training
data in the graph, and a `tf.while_loop` whose body is one step: gather the batch, `model.forward`,
`model.backward`, then the optimizer's update ops (`ordered_updates`). Each layer call of the step
runs in the name scope LAYER/forward or LAYER/backward (LAYER: the model's cache key, see
manual_ae/trace.py) and the updates in `update`, so TensorBoard draws the hand-written backward. A `session.run` executes a
whole chunk of steps (a Python call per step costs more than a step at batch 32).

No automatic differentiation is used: the gradients come from `model.backward`. The test suite
walks this graph (and the functions inside the while loop) for autodiff-generated ops.
"""
import math
from types import SimpleNamespace

import numpy as np
import tensorflow as tf

from manual_ae.optim import make_optimizer
from manual_ae.trace import forward_labels, name_scopes


def check_gradient_keys(model, weights, grads):
    """The contract: one gradient per weight, same keys."""
    if set(grads) != set(weights):
        raise ValueError(f"{model.name}: backward() returned gradients for {sorted(grads)} but the weights are "
                         f"{sorted(weights)}; every weight needs exactly one gradient.")


def ordered_updates(opt, variables, grads, after):
    """The optimizer's update ops for every (variable, hand-written gradient) pair, made to run only
    after every tensor in `after` (the step's loss and all its gradients): no weight changes before
    the whole backward pass has read the weights it needs."""
    keys = sorted(variables)
    with tf.control_dependencies(after):
        return opt.update_ops([(variables[k], grads[k]) for k in keys])


def build_training_graph(model, init_weights, x_train, hyper, xla=False):
    """A fresh tf.Graph holding the model, its optimizer, the training data and the step loop.

    init_weights: dict name -> float32 array; x_train: (N, ...) float32, shaped as the model wants;
    hyper: a manual_ae.hyper.Hyper (its batch size, optimizer, learning rate and seed are read here).
    xla: also build `xla_loop`, the same loop over full batches compiled by XLA (see StepLoop).
    Returns a namespace of the tensors and ops the step loop and the trainer run.
    """
    g = SimpleNamespace(graph=tf.Graph())
    n, batch_size = len(x_train), hyper.batch_size
    # The names of the model's layer calls (its cache keys), from one eager step on the first batch:
    # each call of the step below runs in the name scope LAYER/forward or LAYER/backward (TensorBoard).
    g.scopes = forward_labels(model, init_weights, x_train[:batch_size])
    with g.graph.as_default():
        tf.compat.v1.set_random_seed(hyper.seed)
        g.weight_inits = {k: tf.compat.v1.placeholder(tf.float32, v.shape, name=f"init_{k}")
                          for k, v in init_weights.items()}
        g.weights = {k: tf.compat.v1.Variable(ph, name=k, use_resource=True) for k, ph in g.weight_inits.items()}
        # The training images live in the graph once, so a step gathers its batch without a feed.
        g.data_init = tf.compat.v1.placeholder(tf.float32, x_train.shape, name="init_train_data")
        g.data = tf.compat.v1.Variable(g.data_init, trainable=False, use_resource=True, name="train_data")
        g.perm_init = tf.compat.v1.placeholder(tf.int32, [n], name="epoch_order")
        g.perm = tf.compat.v1.Variable(tf.zeros([n], tf.int32), trainable=False, use_resource=True, name="order")
        g.set_perm = g.perm.assign(g.perm_init)
        g.opt = make_optimizer(hyper.optimizer, hyper.lr)
        keys = sorted(g.weights)
        g.opt.build([g.weights[k] for k in keys])

        g.start = tf.compat.v1.placeholder(tf.int32, [], name="first_step")
        g.stop = tf.compat.v1.placeholder(tf.int32, [], name="end_step")

        def cond(i, loss_sum, finite):
            return tf.logical_and(i < g.stop, finite)

        def body(i, loss_sum, finite, full_batches=False):
            lo = i * batch_size
            if full_batches:    # XLA needs shapes it can know when it compiles: whole batches only
                hi, picked = lo + batch_size, lo + tf.range(batch_size)
            else:
                hi = tf.minimum(lo + batch_size, n)
                picked = tf.range(lo, hi)
            xb = tf.gather(g.data, g.perm.sparse_read(picked))
            w = {k: g.weights[k].read_value() for k in keys}
            with name_scopes(*g.scopes):
                loss, _, cache = model.forward(w, xb, model.sample_noise(xb, training=True), training=True)
                grads = model.backward(cache)
            check_gradient_keys(model, w, grads)
            with tf.name_scope("update"):
                updates = ordered_updates(g.opt, g.weights, grads, [loss] + [grads[k] for k in keys])
            # The next step starts only after every update of this one.
            with tf.control_dependencies(updates):
                rows = tf.cast(hi - lo, tf.float64)
                return i + 1, loss_sum + tf.cast(loss, tf.float64) * rows, tf.math.is_finite(loss)

        def steps(start, stop, full_batches=False):
            return tf.while_loop(cond, lambda *a: body(*a, full_batches=full_batches),
                                 [start, tf.constant(0.0, tf.float64), tf.constant(True)], parallel_iterations=1,
                                 name="train_steps")

        g.loop = steps(g.start, g.stop)
        g.xla_loop = None
        if xla:
            # The same steps (same hand-written forward, backward and updates), handed to XLA as one
            # function: it fuses the elementwise ops and runs the loop without the executor's
            # per-op dispatch. Rounding differs from the plain loop in the last float32 bits.
            g.xla_loop = tf.function(lambda a, b: steps(a, b, full_batches=True), jit_compile=True,
                                     autograph=False)(g.start, g.stop)

        g.x_eval = tf.compat.v1.placeholder(tf.float32, (None,) + tuple(x_train.shape[1:]), name="x_eval")
        with tf.name_scope("evaluate"):
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


class StepLoop:
    """A training graph in its own tf.compat.v1 session, ready to run chunks of steps.

    run(start, stop) executes steps start..stop-1 of one epoch (step k reads examples
    k * batch_size .. (k + 1) * batch_size - 1 of the current order) in one session call and returns (the step it stopped at, the sum of loss * batch rows over those steps, whether every
    loss was finite). A non-finite loss stops the loop after that step.
    """

    def __init__(self, model, init_weights, x_train, hyper, drop_remainder=False, xla=False):
        batch_size = hyper.batch_size
        self.model, self.n, self.batch_size = model, len(x_train), batch_size
        # drop_remainder: full batches only, as TF1 code that ran N // batch steps an epoch
        self.steps = max(1, self.n // batch_size) if drop_remainder else math.ceil(self.n / batch_size)
        self.full_steps = self.n // batch_size      # steps with a whole batch (the XLA loop runs these)
        self.order = np.arange(self.n)
        self.g = build_training_graph(model, init_weights, x_train, hyper, xla=xla)
        self.sess = tf.compat.v1.Session(graph=self.g.graph)
        feeds = {self.g.weight_inits[k]: v for k, v in init_weights.items()}
        feeds[self.g.data_init] = x_train
        self.sess.run(self.g.init, feeds)

    def set_order(self, order):
        """The order in which the steps read the training examples (a permutation of 0..N-1)."""
        self.order = np.asarray(order, np.int32)
        self.sess.run(self.g.set_perm, {self.g.perm_init: self.order})

    def run(self, start, stop):
        end, loss_sum, finite = start, 0.0, True
        if self.g.xla_loop is not None and start < self.full_steps:     # whole batches by XLA
            end, loss_sum, finite = self.sess.run(self.g.xla_loop, {self.g.start: start,
                                                                    self.g.stop: min(stop, self.full_steps)})
        if end < stop and finite:      # the plain loop: every step, or (with XLA) a last, shorter batch
            end, more, finite = self.sess.run(self.g.loop, {self.g.start: end, self.g.stop: stop})
            loss_sum += more
        return int(end), float(loss_sum), bool(finite)

    def chunk(self, chunks_per_epoch):
        """Steps per session call for about `chunks_per_epoch` calls an epoch."""
        return max(1, math.ceil(self.steps / chunks_per_epoch))

    def epoch(self, order, chunks_per_epoch):
        """One whole epoch in the given order; returns the mean training loss."""
        self.set_order(order)
        total, chunk = 0.0, self.chunk(chunks_per_epoch)
        for start in range(0, self.steps, chunk):
            _, loss_sum, _ = self.run(start, min(start + chunk, self.steps))
            total += loss_sum
        return total / self.n

    def evaluate_loss(self, x):
        """The loss (inference mode) on x in one call."""
        return float(self.sess.run(self.g.eval_loss, {self.g.x_eval: x}))

    def weights(self):
        return self.sess.run(self.g.weights)

    def close(self):
        self.sess.close()
