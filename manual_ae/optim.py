"""Hand-written update rules: (variable, gradient) pairs -> tf.compat.v1 update ops.

Each optimizer owns its slot variables (one or two per model variable) and a step counter
`iterations`; `update_ops(pairs)` returns the ops for one step. The formulas follow
Keras 3 (`keras.optimizers`) exactly, so hyperparameters from the posts transfer:

    SGD       v <- mu v - lr g;  w <- w + v              (Nesterov: w <- w + mu v - lr g)
    Adam      m <- m + (1-b1)(g - m);  v <- v + (1-b2)(g^2 - v)
              w <- w - lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
    RMSprop   v <- rho v + (1-rho) g^2;  w <- w - lr g / sqrt(v + eps)
    Nadam     Adam with the Nesterov momentum schedule mu_t = b1 (1 - 0.5 * 0.96^t)

Adam's bias correction uses the step t (1, 2, 3, ...): the posts' original code omitted it.
Constants are made with tf.constant(value, dtype): tf.cast(python_float, dtype) rounds through
float32 first (0.999 -> 0.99900001). The one place that rounding is kept on purpose is Adam's
bias correction, because Keras's Adam does it (`ops.cast(self.beta_1, dtype)`), and the tests hold
float64 trajectories to Keras's within 1e-6; in float32 training it changes nothing.
The trainer orders these ops after every gradient is computed (control dependencies), so no
weight is read after it was updated within a step. Nothing here knows about autoencoders.
Derivation: docs/optimizers.md (the update equations, Adam's bias correction, Nesterov's form).
"""
import numbers

import tensorflow as tf


class Optimizer:
    """Base: slot creation and the step counter."""

    slot_names = ()

    def __init__(self, lr):
        self.lr = float(lr)
        self.iterations = None
        self.slots = {}  # (slot name, variable name) -> slot variable

    def build(self, variables):
        """Create the step counter and the slot variables (before any loop that updates them)."""
        if self.iterations is not None:
            return
        self.iterations = tf.compat.v1.Variable(0, dtype=tf.int64, trainable=False, name="iterations",
                                                use_resource=True)
        for var in variables:
            for slot in self.slot_names:
                name = f"{var.name.split(':')[0]}/{slot}"
                self.slots[(slot, var.name)] = tf.compat.v1.Variable(
                    tf.zeros(var.shape, dtype=var.dtype), trainable=False, name=name, use_resource=True)

    def variables(self):
        """The optimizer's state: checkpoint these with the weights."""
        return [self.iterations] + list(self.slots.values())

    def slot(self, name, var):
        return self.slots[(name, var.name)]

    def update_ops(self, pairs):
        """One step: a list of ops updating every variable, then the step counter."""
        pairs = [(var, None if grad is None else tf.convert_to_tensor(grad)) for var, grad in pairs]
        for var, grad in pairs:      # an update never broadcasts: a gradient has its variable's shape
            if not isinstance(var, tf.Variable):
                raise ValueError(f"update_ops: a pair starts with a {type(var).__name__}; expected (variable, "
                                 "gradient) pairs, the variable first")
            if grad is None or not grad.shape.is_compatible_with(var.shape) or grad.dtype != var.dtype:
                got = "None" if grad is None else f"{grad.dtype.name} {tuple(grad.shape.as_list())}"
                raise ValueError(f"update_ops: the gradient of {var.name} is {got}; expected "
                                 f"{var.dtype.base_dtype.name} {tuple(var.shape.as_list())}, its variable's dtype "
                                 "and shape (a backward returned the wrong gradient for it)")
        self.build([v for v, _ in pairs])
        t = tf.cast(self.iterations.read_value() + 1, pairs[0][0].dtype) if pairs else None
        shared = self._prepare(t, pairs[0][0].dtype) if pairs else None
        ops = [self._update(var, grad, t, shared) for var, grad in pairs]
        with tf.control_dependencies(ops):
            ops.append(self.iterations.assign_add(1))
        return ops

    def _prepare(self, t, dtype):
        """Per-step quantities shared by all variables (none by default)."""
        return None

    def _update(self, var, grad, t, shared):
        raise NotImplementedError


class SGD(Optimizer):
    """Plain, momentum and Nesterov SGD."""

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(lr)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.slot_names = ("momentum",) if self.momentum else ()

    def _update(self, var, grad, t, shared):
        lr = tf.constant(self.lr, var.dtype)
        if not self.momentum:
            return var.assign_sub(lr * grad)
        mu = tf.constant(self.momentum, var.dtype)
        v = self.slot("momentum", var)
        v_new = v.assign(mu * v - lr * grad)
        if self.nesterov:
            return var.assign_add(mu * v_new - lr * grad)
        return var.assign_add(v_new)


class Adam(Optimizer):
    slot_names = ("m", "v")

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(lr)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def _prepare(self, t, dtype):
        # alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t): the bias correction of both moments.
        # (tf.cast of the Python floats rounds them through float32, exactly as Keras's Adam does.)
        return self.lr * tf.sqrt(1 - tf.pow(tf.cast(self.beta_2, dtype), t)) / (
            1 - tf.pow(tf.cast(self.beta_1, dtype), t))

    def _update(self, var, grad, t, alpha):
        m, v = self.slot("m", var), self.slot("v", var)
        m_new = m.assign_add((grad - m) * (1 - self.beta_1))
        v_new = v.assign_add((grad * grad - v) * (1 - self.beta_2))
        return var.assign_sub(alpha * m_new / (tf.sqrt(v_new) + self.epsilon))


class RMSprop(Optimizer):
    """w <- w - lr g / sqrt(v + eps) (Keras 3). eps_outside=True gives the TF 2.0-era Keras form
    w <- w - lr g / (sqrt(v) + eps), which takes larger steps where gradients are tiny."""

    slot_names = ("velocity",)

    def __init__(self, lr=0.001, rho=0.9, epsilon=1e-7, eps_outside=False):
        super().__init__(lr)
        self.rho, self.epsilon, self.eps_outside = float(rho), float(epsilon), bool(eps_outside)

    def _update(self, var, grad, t, shared):
        v = self.slot("velocity", var)
        v_new = v.assign(self.rho * v + (1 - self.rho) * grad * grad)
        denom = tf.sqrt(v_new) + self.epsilon if self.eps_outside else tf.sqrt(v_new + self.epsilon)
        return var.assign_sub(self.lr * grad / denom)


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat 2016), with Keras's momentum schedule."""

    slot_names = ("m", "v")

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(lr)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.u_product = None

    def build(self, variables):
        if self.iterations is None and variables:
            self.u_product = tf.compat.v1.Variable(tf.ones([], dtype=variables[0].dtype), trainable=False,
                                                   name="u_product", use_resource=True)
        super().build(variables)

    def variables(self):
        return super().variables() + [self.u_product]

    def _prepare(self, t, dtype):
        # mu_t = b1 (1 - 0.5 * 0.96^t): this step's and the next step's momentum weights.
        u_t = self.beta_1 * (1 - 0.5 * tf.pow(tf.constant(0.96, dtype), t))
        u_next = self.beta_1 * (1 - 0.5 * tf.pow(tf.constant(0.96, dtype), t + 1))
        u_prod = self.u_product.assign(self.u_product * u_t)
        return u_t, u_next, u_prod, u_prod * u_next, tf.pow(tf.constant(self.beta_2, dtype), t)

    def _update(self, var, grad, t, shared):
        u_t, u_next, u_prod, u_prod_next, b2_power = shared
        m, v = self.slot("m", var), self.slot("v", var)
        m_new = m.assign_add((grad - m) * (1 - self.beta_1))
        v_new = v.assign_add((grad * grad - v) * (1 - self.beta_2))
        m_hat = u_next * m_new / (1 - u_prod_next) + (1 - u_t) * grad / (1 - u_prod)
        v_hat = v_new / (1 - b2_power)
        return var.assign_sub(self.lr * m_hat / (tf.sqrt(v_hat) + self.epsilon))


OPTIMIZERS = {"sgd": SGD, "momentum": lambda lr: SGD(lr, momentum=0.9),
              "nesterov": lambda lr: SGD(lr, momentum=0.9, nesterov=True),
              "adam": Adam, "adam-tf1": lambda lr: Adam(lr, epsilon=1e-8), "rmsprop": RMSprop, "rmsprop-tf2": lambda lr: RMSprop(lr, eps_outside=True),
              "nadam": Nadam}


def make_optimizer(name, lr):
    """An optimizer by name ('sgd', 'momentum', 'nesterov', 'adam', 'adam-tf1', 'rmsprop', 'rmsprop-tf2', 'nadam').
    'adam-tf1' is TF1's AdamOptimizer (post 004's code): Adam with epsilon 1e-8 instead of Keras's 1e-7."""
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0 or lr == float("inf"):
        raise ValueError(f"make_optimizer: lr is {lr!r}; expected a finite number above 0")
    if not isinstance(name, str) or name.lower() not in OPTIMIZERS:
        raise ValueError(f"make_optimizer: name is {name!r}; expected one of {', '.join(sorted(OPTIMIZERS))}")
    return OPTIMIZERS[name.lower()](float(lr))
