"""The model contract every autoencoder follows: architecture only.

A model is
  * its options (architecture switches with their defaults: `Model(**options)`, `--set NAME=VALUE`);
  * a weight dictionary with the posts' names (`encoder_h1` for a weight, `encoder_b1` for its bias),
    made by `init_weights(rng, dtype)`;
  * `forward(w, x, noise, training) -> (loss, outputs, cache)`: `outputs` holds the names in
    `self.outputs` (at least `recon`, the reconstruction), `cache` is a dict keyed by layer name;
  * `backward(cache) -> grads`, a dictionary with exactly the keys of the weights;
  * `metrics(x, outputs)`: named scalar tensors reported on the validation set besides the loss.
What a model is given is checked where its graph is built (`Model.__init_subclass__` puts
`check_inputs` in front of every model's `forward`): the weight dictionary (its names, shapes and
one floating dtype), the batch x ((N,) + input_shape, the weights' dtype); and, when it is made,
its options (widths at least 1, numbers in `option_ranges`). Each error is a ValueError naming the
model, the argument and what to do.
Forward and backward are written with TensorFlow ops, so the trainer builds them into a
tf.compat.v1 graph and the gradient check runs them eagerly in float64. Noise (dropout masks,
Gaussian noise, VAE samples) comes in through `noise`, so a check can pass the same sample to both
sides. Which post uses a model, with which data, hyperparameters, figures and claims, is said in
manual_ae/posts/, never here.
"""
import functools

import numpy as np
import tensorflow as tf

from manual_ae.layers import rounded_accuracy
from manual_ae.layers.signature import Spec, check_arguments, known_value, shape_and_dtype


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


def mirrored_dense_weights(rng, sizes, dtype, kernel=None, bias=None):
    """The weights of a dense encoder sizes[0] -> sizes[1] -> ... -> sizes[-1] and its mirror-image
    decoder back to sizes[0], drawn in the order encoder_h1, encoder_b1, encoder_h2, ...,
    decoder_h1, decoder_b1, ...  kernel(rng, n_in, n_out) defaults to Keras's Glorot uniform,
    bias(rng, n) to zeros."""
    kernel = kernel or (lambda r, n_in, n_out: glorot_uniform(r, n_in, n_out, dtype))
    bias = bias or (lambda r, n: np.zeros(n, dtype))
    w = {}
    for part, widths in (("encoder", sizes), ("decoder", sizes[::-1])):
        for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:]), start=1):
            w[f"{part}_h{i}"] = kernel(rng, n_in, n_out)
            w[f"{part}_b{i}"] = bias(rng, n_out)
    return w


def he_truncated_normal(rng, n_in, n_out, dtype):
    """TF1's variance_scaling_initializer() (Geron's first edition, post 004): a normal truncated at
    two standard deviations, std sqrt(1.3 * 2 / fan_in). The 1.3 makes up for the truncation, so
    the weights drawn have a standard deviation of about sqrt(2 / fan_in) (He et al., 2015)."""
    std = np.sqrt(1.3 * 2.0 / n_in)
    w = rng.standard_normal((n_in, n_out))
    outside = np.abs(w) > 2
    while outside.any():                     # redraw beyond 2 std, as tf.truncated_normal does
        w[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(w) > 2
    return (std * w).astype(dtype)


def normal(rng, shape, dtype, std):
    """N(0, std^2) weights, as posts 000 and 002 initialise every layer."""
    return rng.normal(0.0, std, size=shape).astype(dtype)


NUMBERS = {2: "two", 3: "three", 4: "four"}


def check_widths(name, widths, count):
    """A tuple of `count` positive layer widths, or a ValueError that says what is expected."""
    if not isinstance(widths, tuple) or len(widths) != count or min(widths) < 1:
        raise ValueError(f"{name}: channels takes {NUMBERS.get(count, count)} positive widths "
                         f"({','.join(['c%d' % i for i in range(1, count + 1)])}), not {widths!r}")


def check_choice(name, option, value, choices):
    if value not in choices:
        raise ValueError(f"{name}: option {option} is {value!r}; expected one of {', '.join(choices)}")


class Model:
    """The contract. Subclasses set `options` (defaults) and write the five methods."""

    name = None                    # set by the post case that configures the model (e.g. "eigen-a")
    outputs = ("recon", "codes")   # what `forward` returns besides the loss
    options = {}                   # architecture switches with their defaults
    uses_batch_statistics = False  # True: the loss of an example depends on its batch (evaluate in training-size batches)
    loss_reduction = "mean"        # "sum": the loss sums over the batch (reported per training batch)
    mean_metrics = ()              # with "sum": the metrics that are means all the same
    gradcheck_batch = 3            # examples in the gradient check's batch
    option_ranges = {}             # option -> the range of its numbers (">= 0", "in (0, 1)"); widths are >= 1
    noise_keys = ()                # the names of the noise samples forward may read (sample_noise's)
    noise_required = ()            # ... and those it always reads

    def __init__(self, name=None, **options):
        self.name = name or self.name
        unknown = sorted(set(options) - set(type(self).options))
        if unknown:
            known = ", ".join(f"{k}={v!r}" for k, v in type(self).options.items()) or "none"
            raise ValueError(f"{self.name or type(self).__name__} has no option {', '.join(unknown)}; "
                             f"its options: {known}")
        self.options = {**type(self).options, **options}
        self._weight_shapes = None
        self._check_options()
        self.validate_options()

    def __init_subclass__(cls, **kwargs):
        """Every model's own `forward` checks its arguments first (check_inputs)."""
        super().__init_subclass__(**kwargs)
        if "forward" in cls.__dict__:
            cls.forward = _checking(cls.__dict__["forward"])

    @property
    def input_shape(self):
        """One example's shape: (sizes[0],) for a dense model, else 784 pixels (a subclass may set its own)."""
        return (self.options["sizes"][0],) if "sizes" in self.options else (784,)

    @property
    def label(self):
        return self.name or type(self).__name__

    def _check_options(self):
        """Each option of the type of its default: widths (ints, tuples of ints) at least 1, unless
        `option_ranges` says otherwise; numbers finite and in their range."""
        for key, default in type(self).options.items():
            value = self.options[key]
            if isinstance(default, bool) or isinstance(default, str):
                if type(value) is not type(default):
                    raise ValueError(f"{self.label}: option {key} is {value!r}; expected a {type(default).__name__} "
                                     f"like {default!r}")
                continue
            if isinstance(default, tuple):
                if not isinstance(value, tuple) or not all(isinstance(v, (int, np.integer)) for v in value) \
                        or len(value) != len(default):
                    raise ValueError(f"{self.label}: option {key} is {value!r}; expected {len(default)} whole numbers "
                                     f"like {default!r} (this model has that many layers)")
                if any(v < 1 for v in value):
                    raise ValueError(f"{self.label}: option {key} is {value!r}; expected every width at least 1: a "
                                     "0-wide layer has nothing to compute or to learn. Give each layer a width.")
                continue
            number = (int, np.integer) if isinstance(default, int) else (int, float, np.integer, np.floating)
            if not isinstance(value, number) or isinstance(value, bool):
                raise ValueError(f"{self.label}: option {key} is {value!r}; expected a "
                                 f"{'whole number' if number[0] is int and len(number) == 2 else 'number'} "
                                 f"like {default!r}")
            default_range = ">= 1" if isinstance(default, int) else None
            wanted = self.option_ranges.get(key, default_range)
            check_arguments(self.label, {key: Spec(key, f"scalar, {wanted}" if wanted else "scalar")}, {key: value})

    def check_inputs(self, w, x, noise=None, training=True):
        """The weights and the batch, as forward receives them: names, shapes, one dtype; the noise
        sample (the names sample_noise gives) and training (a bool)."""
        if not isinstance(training, bool):
            raise ValueError(f"{self.label}.forward: training is {training!r}; expected True or False")
        if noise is not None and not isinstance(noise, dict):
            raise ValueError(f"{self.label}.forward: noise is a {type(noise).__name__}; expected a dict of named "
                             "samples, as model.sample_noise(x, training) returns")
        if not isinstance(w, dict):
            raise ValueError(f"{self.label}.forward: w is a {type(w).__name__}; expected the weight dictionary "
                             "(init_weights(rng) makes one)")
        if self._weight_shapes is None:
            self._weight_shapes = {k: v.shape for k, v in self.init_weights(np.random.default_rng(0)).items()}
        missing = sorted(set(self._weight_shapes) - set(w))
        extra = sorted(set(w) - set(self._weight_shapes))
        if missing or extra:
            raise ValueError(f"{self.label}.forward: w has {'no ' + ', '.join(missing) if missing else ''}"
                             f"{'; ' if missing and extra else ''}{'extra ' + ', '.join(extra) if extra else ''}; "
                             f"expected the weights {', '.join(sorted(self._weight_shapes))} (init_weights(rng) "
                             "makes them, with these options)")
        first = None
        for key in sorted(w):
            shape, dtype = shape_and_dtype(w[key])
            if shape is None or dtype is None or not dtype.is_floating:
                raise ValueError(f"{self.label}.forward: weight {key} is {type(w[key]).__name__} of dtype {dtype}; "
                                 "expected a floating-point tensor or array")
            if shape.rank is not None and shape.as_list() != list(self._weight_shapes[key]):
                raise ValueError(f"{self.label}.forward: weight {key} has shape {tuple(shape.as_list())}; expected "
                                 f"{tuple(self._weight_shapes[key])} for this model's options "
                                 f"({', '.join(f'{k}={v}' for k, v in self.options.items())})")
            first = first or (dtype, key)
            if dtype != first[0]:
                raise ValueError(f"{self.label}.forward: weight {key} is {dtype.name} but {first[1]} is "
                                 f"{first[0].name}; expected one dtype for every weight (init_weights(rng, dtype))")
        shape, dtype = shape_and_dtype(x)
        want = "(N, " + ", ".join(map(str, self.input_shape)) + ")"
        if shape is None or dtype is None or not dtype.is_floating:
            raise ValueError(f"{self.label}.forward: x is {type(x).__name__} of dtype {dtype}; expected a float "
                             f"batch of shape {want}. Cast the data: tf.cast(x, tf.float32).")
        if first and dtype != first[0]:
            raise ValueError(f"{self.label}.forward: x is {dtype.name} but the weights are {first[0].name}; expected "
                             f"one dtype. Cast the data (tf.cast(x, tf.{first[0].name})), or build the model in "
                             f"{dtype.name} (init_weights(rng, np.{dtype.name})).")
        if shape.rank is not None and (shape.rank != 1 + len(self.input_shape) or not
                                       shape[1:].is_compatible_with(self.input_shape)):
            raise ValueError(f"{self.label}.forward: x has shape {tuple(shape.as_list())}; expected {want}, a batch "
                             "of examples. Reshape it (one example: x[None]).")
        if shape.rank is not None and shape[0] == 0:
            raise ValueError(f"{self.label}.forward: x is an empty batch (shape {tuple(shape.as_list())}); expected "
                             "at least one example")
        values = known_value(x)
        if values is not None and values.size and not np.isfinite(values).all():
            raise ValueError(f"{self.label}.forward: x holds a NaN or inf; expected finite values. Look at the "
                             "data that made this batch.")
        given = set(noise or {})
        if given - set(self.noise_keys) or set(self.noise_required) - given:
            wanted = (" and ".join(self.noise_required) if self.noise_required else
                      "at most " + " or ".join(self.noise_keys) if self.noise_keys else "nothing")
            raise ValueError(f"{self.label}.forward: noise has {', '.join(sorted(given)) or 'nothing'}; expected "
                             f"{wanted} (noise = model.sample_noise(x, training): the samples the forward reads, drawn "
                             "by the caller)")

    def configured(self, **options):
        """A copy with some options changed (the same name)."""
        return type(self)(self.name, **{**self.options, **options})

    def validate_options(self):
        """Raise ValueError for a bad combination of options."""

    def gradcheck_config(self):
        """The configuration the gradient check runs: the same code, sizes small enough for float64."""
        return self

    def gradcheck_input(self, rng, batch):
        """A fixed input batch for the gradient check (float64, values like the real data)."""
        return rng.uniform(0.02, 0.98, size=(batch,) + tuple(self.input_shape))

    def init_weights(self, rng, dtype=np.float32):
        raise NotImplementedError

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

    def zero_gradients(self):
        """weight name -> why its gradient is exactly zero in this configuration (the gradient check
        fails a row that is zero on both sides without a reason)."""
        return {}


def _checking(forward):
    """forward(w, x, noise, training), with its weights and batch checked first."""
    @functools.wraps(forward)
    def checked(self, w, x, noise=None, training=True):
        tf.autograph.experimental.do_not_convert(self.check_inputs)(w, x, noise, training)
        return forward(self, w, x, noise, training)
    return checked


class ImageModel(Model):
    """A model of images in [0, 1] with the posts' metric, rounded accuracy."""

    def metrics(self, x, outputs):
        return {"rounded_accuracy": rounded_accuracy(outputs["recon"], x)}


def parse_options(defaults, pairs, what):
    """`--set NAME=VALUE` pairs -> a dict of options, each VALUE read as its default's type
    (a tuple of ints from 16,16,16,8; a bool from true/false). `defaults`: name -> default."""
    options = {}
    for pair in pairs or ():
        name, sep, text = pair.partition("=")
        if not sep or name not in defaults:
            known = ", ".join(f"{k}={show_option(v)}" for k, v in defaults.items()) or "none"
            raise ValueError(f"--set {pair!r}: expected NAME=VALUE with NAME one of {what}'s options ({known})")
        default = defaults[name]
        try:
            if isinstance(default, bool):
                if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError
                options[name] = text.lower() in ("true", "1", "yes")
            elif isinstance(default, tuple):
                options[name] = tuple(int(v) for v in text.split(","))
            else:
                options[name] = type(default)(text)
        except ValueError:
            raise ValueError(f"--set {name}={text}: expected a value like {show_option(default)}") from None
    return options


def show_option(value):
    """An option's value as it is typed on the command line."""
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)
