"""What a layer accepts, declared above it and checked where the graph is built.

    @layer("dense_backprop.md", x="N D", w="D M", b="M, or None")
    def dense_forward(x, w, b): ...

Each keyword names a parameter and what it must be:

    "N D"       a tensor of rank 2. A letter is a size that must agree wherever it appears (w's first
                axis with x's second); "4H" is four times H; a number is that size exactly
    "any"       a tensor of any shape
    "like z"    a tensor of exactly z's shape: never a broadcast (a (1, D) noise would be shared by
                every example, a (1, M) bias would get a gradient of another shape)
    "scalar"    a Python number or a 0-d tensor;   "int", "bool": a Python int, bool

then, after a comma, what its values must be (">= 0", "> 0", "in [0, 1)", "in (0, 1)", "in {0, 1}"),
and ", or None" where None is allowed.

When the function is called (once, where a training graph is built: nothing per step) this checks
rank, sizes, dtype (every tensor floating point, all of one dtype), an empty axis, and, where they are
known without running a graph, the values: a NaN or inf, a range. Values are known for a Python number
and an eager tensor: the gradient check, the exercises and a learner's direct calls. Inside a
training graph they are not; there the trainer stops at the first non-finite loss (TrainingDiverged).
A wrong argument raises a ValueError that names the function, the argument, what it got, what was
expected and what to do.

The upstream gradient of a backward is checked against the forward's outputs: the forward's cache
(a tuple) comes back as a `Cache` that remembers their shapes and dtypes; a cache that is one tensor
(an activation's) has the output's shape itself.
"""
import re

import numpy as np
import tensorflow as tf

_VALUES = r"[<>]=? ?-?[\d.e+-]+|in [\[({][^\])}]*[\])}]"
_SPEC = re.compile(rf"^(?P<what>[^,]+?)(?:, (?P<values>{_VALUES}))?(?P<none>, or None)?$")
_DIM = re.compile(r"^(?:(?P<size>\d+)|(?P<times>\d*)(?P<letter>[A-Za-z_]\w*))$")


class Spec:
    """One parameter's declaration, parsed once, when the module is imported (a typo fails there)."""

    def __init__(self, name, text):
        m = _SPEC.match(text.strip())
        if not m:
            raise ValueError(f"parameter {name}: cannot read the declaration {text!r}")
        self.name, self.text = name, text
        self.what, self.values, self.optional = m["what"], m["values"], bool(m["none"])
        self.like = self.what[5:] if self.what.startswith("like ") else None
        self.kind = ("like" if self.like else self.what if self.what in ("any", "scalar", "int", "bool")
                     else "shape")
        self.dims = [_DIM.match(d) for d in self.what.split()] if self.kind == "shape" else []
        if not all(self.dims):
            raise ValueError(f"parameter {name}: cannot read the shape {self.what!r}")

    def expected(self, sizes):
        """The expected shape in words: '(N, M)', with the sizes known so far: '(N, M) = (?, 30)'."""
        if self.kind != "shape":
            return self.what
        letters = "(" + ", ".join(d[0] for d in self.dims) + ("," if len(self.dims) == 1 else "") + ")"
        known = [str(_size_of(d, sizes) or "?") for d in self.dims]
        concrete = "(" + ", ".join(known) + ("," if len(known) == 1 else "") + ")"
        return letters if all(k == "?" for k in known) else f"{letters} = {concrete}"


def _size_of(dim, sizes):
    if dim["size"]:
        return int(dim["size"])
    bound = sizes.get(dim["letter"])
    return None if bound is None else int(dim["times"] or 1) * bound[0]


def parse(specs):
    return {name: Spec(name, text) for name, text in specs.items()}


def shape_and_dtype(value):
    """(TensorShape, tf.DType) of a tensor, variable, array or list; (None, None) for anything else."""
    if isinstance(value, (tf.SparseTensor, tf.RaggedTensor, Cache)):
        return None, None
    if isinstance(value, (tf.Tensor, tf.Variable)) or hasattr(value, "shape") and hasattr(value, "dtype"):
        try:
            return tf.TensorShape(value.shape), tf.as_dtype(value.dtype)
        except TypeError:
            return tf.TensorShape(value.shape), None
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
            return tf.TensorShape(array.shape), tf.as_dtype(array.dtype)
        except (TypeError, ValueError):       # ragged, or tensors inside: not one array
            return None, None
    return None, None


def known_value(value):
    """The values, where they are known without running a graph (a number, an array, an eager tensor)."""
    if isinstance(value, (bool, int, float, np.ndarray, np.generic, list)):
        return np.asarray(value)
    if tf.is_tensor(value) or isinstance(value, tf.Variable):
        if tf.executing_eagerly() and hasattr(value, "numpy"):
            try:
                return value.numpy()
            except (AttributeError, ValueError, TypeError):   # a symbolic tensor inside tf.function
                return None
    return None


def _shown(shape):
    return str(tuple(shape.as_list())) if shape.rank is not None else "(unknown rank)"


class Refusal:
    """Builds the ValueError: the function, the argument, what it got, what was expected, what to do."""

    def __init__(self, function, why):
        self.function, self.why = function, why or {}

    def __call__(self, name, got, expected, todo=""):
        todo = " ".join(t for t in (todo, self.why.get(name, "")) if t)
        return ValueError(f"{self.function}: {name} {got}; expected {expected}." + (f" {todo}" if todo else ""))


def _range_ok(values, spec):
    """Whether every value meets the spec's condition ('>= 0', 'in [0, 1)', 'in {0, 1}')."""
    cond = spec.values.replace(" ", "")
    if cond.startswith("in{"):
        allowed = [float(v) for v in cond[3:-1].split(",")]
        return np.isin(values, allowed), f"{spec.values[3:]}"
    if cond.startswith("in"):
        low, high = (float(v) for v in cond[3:-1].split(","))
        ok_low = values >= low if cond[2] == "[" else values > low
        ok_high = values <= high if cond[-1] == "]" else values < high
        return ok_low & ok_high, spec.values[3:]
    op, bound = re.match(r"([<>]=?)(.*)", cond).groups()
    bound = float(bound)
    ok = {">=": values >= bound, ">": values > bound, "<=": values <= bound, "<": values < bound}[op]
    return ok, f"{op} {spec.values.split(op, 1)[1].strip()}"


def _check_values(refuse, spec, value, where):
    """A NaN, an inf or a value out of range, where the values are known."""
    values = known_value(value)
    if values is None or values.size == 0 or values.dtype.kind in "bOSU":
        return
    try:
        values = values.astype(np.float64)              # bfloat16 too (not a NumPy number type)
    except (TypeError, ValueError):
        return
    bad = ~np.isfinite(values)
    if bad.any():
        at = np.unravel_index(int(np.argmax(bad)), values.shape) if values.ndim else ()
        raise refuse(spec.name, f"holds {values[at]} at index {tuple(int(i) for i in at)}", "finite values",
                     "A NaN or inf came in from where this value was made (the data, a diverged step): "
                     "look there; this layer cannot undo it.")
    if spec.values:
        ok, expected = _range_ok(values, spec)
        if not np.all(ok):
            at = np.unravel_index(int(np.argmin(ok)), values.shape) if values.ndim else ()
            where_text = f" at index {tuple(int(i) for i in at)}" if values.ndim else ""
            raise refuse(spec.name, f"is {values[at]:.6g}{where_text}", f"values {expected}")


@tf.autograph.experimental.do_not_convert
def check_arguments(function, specs, arguments, why=None):
    """Check `arguments` (name -> value) against `specs` (name -> Spec, in declaration order)."""
    refuse = Refusal(function, why)
    sizes, first, shapes = {}, None, {}     # letter -> (size, argument, its shape); the first tensor's dtype
    for name, spec in specs.items():
        value = arguments.get(name)
        if value is None:
            if spec.optional:
                continue
            raise refuse(name, "is None", spec.expected(sizes) if spec.kind == "shape" else f"a {spec.what}",
                         "Pass it (None is not allowed here).")
        if spec.kind in ("int", "bool"):
            wanted = bool if spec.kind == "bool" else (int, np.integer)
            if not isinstance(value, wanted) or spec.kind == "int" and isinstance(value, bool):
                raise refuse(name, f"is {value!r} ({type(value).__name__})", f"a Python {spec.kind}")
            if spec.values:
                _check_values(refuse, spec, value, name)
            continue
        if spec.kind == "scalar" and isinstance(value, (int, float, np.floating, np.integer)) \
                and not isinstance(value, bool):
            _check_values(refuse, spec, value, name)
            continue
        shape, dtype = shape_and_dtype(value)
        if shape is None:
            raise refuse(name, f"is a {type(value).__name__}", "a tensor (or a NumPy array)",
                         f"Pass tf.constant({name}).")
        if dtype is None or not dtype.is_floating:
            raise refuse(name, f"has dtype {getattr(dtype, 'name', dtype)}", "floating-point values",
                         f"Cast it: tf.cast({name}, tf.float32) (or tf.float64 for a gradient check).")
        if first is None:
            first = (dtype, name)
        elif dtype != first[0]:
            raise refuse(name, f"is {dtype.name} but {first[1]} is {first[0].name}", "one dtype for every tensor",
                         f"Cast the data to the weights' dtype (tf.cast(x, tf.{first[0].name})), or build the "
                         f"model in {dtype.name} (init_weights(rng, np.{dtype.name})).")
        _check_shape(refuse, spec, shape, sizes, shapes)
        shapes[name] = shape
        _check_values(refuse, spec, value, name)


def _check_shape(refuse, spec, shape, sizes, shapes):
    name = spec.name
    if spec.kind == "scalar":
        if shape.rank not in (0, None):
            raise refuse(name, f"has shape {_shown(shape)}", "a single number (shape ())",
                         f"Pass a Python number or a 0-d tensor (tf.reshape({name}, [])).")
        return
    if shape.rank is not None and 0 in shape.as_list():
        raise refuse(name, f"is empty (shape {_shown(shape)})", "at least one element along every axis",
                     "There is nothing to compute on: check the batch and the layer sizes.")
    if spec.kind == "like":
        other = shapes.get(spec.like)
        if other is not None and (shape.rank != other.rank or not shape.is_compatible_with(other)):
            raise refuse(name, f"has shape {_shown(shape)}", f"{spec.like}'s shape {_shown(other)} exactly",
                         "It is never broadcast: a value shared by every example must be tiled to the batch "
                         f"(tf.broadcast_to({name}, tf.shape({spec.like}))) so that each example has its own.")
        return
    if spec.kind != "shape" or shape.rank is None:
        return
    if shape.rank != len(spec.dims):
        raise refuse(name, f"has shape {_shown(shape)}", f"{spec.expected(sizes)}, a rank-{len(spec.dims)} tensor",
                     "Reshape it (no axis is broadcast or added for you).")
    for dim, got in zip(spec.dims, shape.as_list()):
        if got is None:
            continue
        want = _size_of(dim, sizes)
        if want is None:                    # a letter seen for the first time: its size is bound here
            times = int(dim["times"] or 1)
            if got % times:
                raise refuse(name, f"has shape {_shown(shape)}", f"{spec.expected(sizes)}: {dim[0]} a multiple "
                             f"of {times}", "")
            sizes[dim["letter"]] = (got // times, name, shape)
        elif got != want:
            source = sizes.get(dim["letter"]) if dim["letter"] else None
            origin = f" ({dim['letter']} = {source[0]} from {source[1]}'s shape {_shown(source[2])})" if source else ""
            raise refuse(name, f"has shape {_shown(shape)}", f"{spec.expected(sizes)}{origin}",
                         "Reshape it, or fix the layer sizes so that they agree.")


class Cache(tuple):
    """A forward's cache (the same tuple), remembering which layer kind made it and the shapes and
    dtypes of the forward's outputs, so that the backward can check what it is given."""

    kind = None
    outputs = ()


def remember_outputs(kind, result):
    """(out, ..., cache) -> the same, with the cache a `Cache` that knows its kind and each out's shape."""
    if not isinstance(result, tuple) or len(result) < 2 or not isinstance(result[-1], tuple):
        return result
    cache = Cache(result[-1])
    cache.kind = kind
    cache.outputs = tuple(shape_and_dtype(o) for o in result[:-1])
    return result[:-1] + (cache,)


@tf.autograph.experimental.do_not_convert
def check_upstream(function, kind, upstream, cache):
    """The cache is the one this kind's forward returned; each upstream gradient (name -> value) has
    its output's shape and dtype, and finite values where they are known."""
    refuse = Refusal(function, None)
    forward = f"{kind}_forward"
    if isinstance(cache, tuple) and not isinstance(cache, Cache) and cache and isinstance(cache[-1], Cache) \
            and cache[-1].kind == kind:
        raise refuse("cache", f"is {forward}'s whole result (out, ..., cache)", "its last item",
                     f"Keep the cache apart: out, cache = {forward}(...).")
    if not isinstance(cache, tuple):
        raise refuse("cache", f"is a {type(cache).__name__}", f"the cache {forward} returned (a tuple)",
                     f"Pass the forward's last result: out, cache = {forward}(...); then {function}(dout, cache)"
                     " (upstream gradient first).")
    if isinstance(cache, Cache) and cache.kind != kind:
        raise refuse("cache", f"comes from {cache.kind}_forward", f"the cache {forward} returned",
                     f"Each backward reads its own forward's cache: pass {function} the cache of the "
                     f"{forward} call it undoes.")
    expected = cache.outputs if isinstance(cache, Cache) else ()
    for i, (name, value) in enumerate(upstream.items()):
        shape, dtype = expected[i] if i < len(expected) else (None, None)
        if value is None:
            raise refuse(name, "is None", "the upstream gradient, a tensor of the forward output's shape",
                         "A gradient that is zero is tf.zeros_like(out).")
        if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
            if not np.isfinite(value):
                raise refuse(name, f"is {value}", "a finite number", "")
            if shape is not None and shape.rank not in (0, None):
                raise refuse(name, f"is the number {value}", f"a gradient of the forward's output shape "
                             f"{_shown(shape)}", "")
            continue
        if shape is None:
            got, got_dtype = shape_and_dtype(value)
            if got is None or got_dtype is None or not got_dtype.is_floating:
                raise refuse(name, f"is a {type(value).__name__}", "a floating-point tensor",
                             "The upstream gradient comes first, the cache last.")
            _check_values(refuse, Spec(name, "any"), value, name)
            continue
        got, got_dtype = shape_and_dtype(value)
        if got is None or got_dtype is None:
            raise refuse(name, f"is a {type(value).__name__}", "a tensor", "")
        if dtype is not None and got_dtype != dtype:
            raise refuse(name, f"is {got_dtype.name}", f"{dtype.name}, the forward output's dtype",
                         f"Cast it: tf.cast({name}, tf.{dtype.name}).")
        if got.rank is not None and shape.rank is not None and (got.rank != shape.rank
                                                                 or not got.is_compatible_with(shape)):
            raise refuse(name, f"has shape {_shown(got)}", f"the forward output's shape {_shown(shape)}",
                         "The upstream gradient of an output has that output's shape (never a broadcast).")
        _check_values(refuse, Spec(name, "any"), value, name)
