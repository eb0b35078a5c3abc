"""Checking one hand-written gradient three ways, in float64, eagerly.

    hand     the backward function under test
    tape     tf.GradientTape on the same forward code (automatic differentiation)
    numeric  centered finite differences, (f(x + h e_i) - f(x - h e_i)) / 2h, of the scalar
             L = sum(out * g) for a fixed random upstream gradient g, at sampled coordinates i
             (always including the worst entry against the tape)

Per gradient (one Row):
    vs tape      max|hand - tape| / max(max|hand|, max|tape|): the largest difference relative to
                 the gradient's scale, so entries that are zero on both sides do not blow it up
    vs numeric   the same against the finite differences, over the sampled coordinates, scaled by
                 the whole hand-written gradient
    element      CS231n's element-wise relative error |a - n| / max(|a|, |n|), worst sampled element
    direction    the directional derivative along a random unit v, which covers every coordinate
                 at once: |(L(x + h v) - L(x - h v)) / 2h - hand . v| / max(||hand||, ||tape||)
    worst        where hand and tape differ most (the largest entry where they agree exactly)
What each can hide: docs/gradient_check.md.
"""
import inspect
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import tensorflow as tf

from manual_ae.models.base import Model

TAPE_TOL = 1e-9
NUMERIC_TOL = 1e-6         # a layer: a few terms, rounding about 1e-11 of the gradient
MODEL_NUMERIC_TOL = 1e-5   # a model: a loss summed over thousands of terms, whose float64 rounding
                           # divided by the step is up to about 1e-6 of the gradient
NUMERIC_STEP = 1e-5
KINK_TOL = 1e-5            # steps h and h/2 disagreeing by more than this (of the gradient): a kink inside
MAX_NUMERIC_COORDS = 12
UNDECLARED = "UNDECLARED: both sides are exactly zero, and nothing says why"


def rel_error(a, b, scale=0.0):
    """max|a - b| / max(max|a|, max|b|, scale); 0 when both are exactly zero.

    `scale` lets a comparison on sampled coordinates use the whole gradient's size.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), scale)
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b), initial=0.0) / scale)


def element_rel_error(a, b):
    """CS231n's measure, worst element: |a - b| / max(|a|, |b|), 0 where both are 0."""
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    denom = np.maximum(np.abs(a), np.abs(b))
    ratio = np.divide(np.abs(a - b), denom, out=np.zeros_like(denom), where=denom > 0)
    return float(np.max(ratio, initial=0.0))


@dataclass
class Row:
    entry: str
    param: str
    shape: tuple
    err_tape: float
    err_num: float
    err_elem: float = 0.0                 # CS231n element-wise, worst sampled entry
    err_dir: float = 0.0                  # directional derivative along a random unit vector
    sampled: int = 0                      # coordinates compared with finite differences
    size: int = 0                         # entries in the gradient
    worst: tuple = ()                     # (index, hand, tape, numeric) at the worst entry against the tape
    zero: Optional[str] = None            # both sides exactly zero: why (or UNDECLARED)
    tape_only: Optional[str] = None       # finite differences are not judged here: why (a kink, a clip edge)
    diagnosis: Optional[str] = None       # for a failing row: what the numbers point at
    kinks: list = field(default_factory=list)   # sampled coordinates (or "direction") with a kink inside the step
    num_tol: float = NUMERIC_TOL          # the tolerance of vs numeric and direction for this check

    @property
    def passed(self):
        if self.zero == UNDECLARED or not self.err_tape <= TAPE_TOL:
            return False
        return bool(self.tape_only) or (self.err_num <= self.num_tol and self.err_dir <= self.num_tol)

    @property
    def result(self):
        if not self.passed:
            return "FAIL"
        return "ZERO" if self.zero else "PASS (tape)" if self.tape_only else "PASS"


def sample_coords(size, rng, max_coords=MAX_NUMERIC_COORDS):
    """All coordinates of a small tensor, a random sample of a large one."""
    if size <= max_coords:
        return np.arange(size)
    return np.sort(rng.choice(size, max_coords, replace=False))


# The names a failing row's diagnosis starts with (docs/gradient_check.md, "What a failure is called").
MISTAKES = {
    "upstream-ignored": "the gradient does not change when the upstream gradient does: dout was never multiplied in",
    "sign": "hand = -1 x true: a sign flipped",
    "scale": "hand = c x true at every entry: one constant factor is wrong",
    "batch-reduction": "hand = c x true with c the batch size or the element count: a mean where a sum belongs, "
                       "or the reverse",
    "transpose": "hand is the true gradient transposed: a matrix product in the wrong order",
    "flipped-kernel": "hand is what a convolution with the kernel flipped (or not flipped) gives",
    "wrong-index": "wrong at some entries, right at the rest: the entries that differ are named",
    "kink": "differs only where the input sits exactly on a kink: the slope chosen there is not TensorFlow's",
    "shape": "the gradient came back with another shape than its input",
    "exception": "the backward raised an exception",
    "blank": "the backward is still the blank stub",
    "tape-only": "the tape agrees but finite differences do not (the forward is not smooth there)",
    "numeric-only": "finite differences agree but the tape does not (the tape is not the true derivative here)",
    "wrong-upstream": "in a model's backward, a tensor equal to another layer's gradient: the wrong one passed in",
    "other": "wrong at every entry, not by a constant factor",
}


def _indices(mask, shape, n=4):
    where = [tuple(int(j) for j in np.unravel_index(i, shape)) for i in np.flatnonzero(mask)[:n]]
    return ", ".join(f"[{','.join(map(str, w))}]" for w in where) + (" ..." if mask.sum() > n else "")


def diagnose(hand, ref, err_tape, err_num, err_dir, hints=None):
    """What a failing row's numbers point at: 'NAME: one sentence', NAME from MISTAKES. `ref` is the
    tape's gradient; `hints` (optional): upstream_ignored (the backward gave the same with another
    upstream gradient), flipped / transposed (the tape's gradient with the kernel flipped / a square
    W transposed), kink (a mask of the entries whose input sits on a kink), sizes (batch size and
    element counts)."""
    hints = hints or {}
    shape = np.shape(ref)
    hand, ref = np.asarray(hand, np.float64), np.asarray(ref, np.float64)
    if err_tape <= TAPE_TOL:
        return ("tape-only: the tape agrees but finite differences do not: the forward is not smooth inside the "
                "step (a kink, a clip edge, round) or, for eigh, eigenvalues nearly equal")
    if err_num <= MODEL_NUMERIC_TOL and err_dir <= MODEL_NUMERIC_TOL:
        return ("numeric-only: finite differences agree with the hand-written gradient (the worst entry is sampled) "
                "but the tape does not: the tape is not the true derivative here (a kink, a clip, eigh near "
                "equal eigenvalues), or that entry straddled a kink and was left out")
    scale = max(np.max(np.abs(ref), initial=0.0), np.max(np.abs(hand), initial=0.0))
    close = (lambda a, b: a.shape == b.shape and np.max(np.abs(a - b), initial=0.0) <= 1e-9 * max(scale, 1e-300))
    if hints.get("upstream_ignored") and np.any(ref):
        return ("upstream-ignored: the hand-written gradient stays the same when the upstream gradient changes: "
                "multiply by the upstream gradient (the backward's first argument, dout or dy: the chain rule's "
                "first factor)")
    if not np.any(hand):
        return "other: the hand-written gradient is all zero: nothing flows back (a forgotten term or an early return)"
    h, r = hand.ravel(), ref.ravel()
    c = float(h @ r / (r @ r)) if np.any(r) else 0.0
    if np.any(r) and np.max(np.abs(h - c * r)) <= 1e-9 * scale:
        if abs(c + 1) <= 1e-9:
            return "sign: hand = -1 x true at every entry: a sign is flipped"
        for size in hints.get("sizes", ()):
            if size > 1 and (abs(c - size) <= 1e-9 * size or abs(c * size - 1) <= 1e-9):
                what = f"{size:g}" if abs(c - size) <= 1e-9 * size else f"1/{size:g}"
                return (f"batch-reduction: hand = {c:.6g} x true ({what}, a batch or element count) at every entry: "
                        "a mean where a sum belongs, or a sum where a mean belongs")
        return f"scale: hand = {c:.6g} x true at every entry: one constant factor is wrong (a 1/N, a scale)"
    flipped = hints.get("flipped")
    if (flipped is not None and close(hand, np.asarray(flipped))) or (hand.ndim == 4 and close(hand, ref[::-1, ::-1])):
        return ("flipped-kernel: hand equals the gradient of a convolution whose kernel is flipped: a backward "
                "convolution takes the kernel rotated by 180 degrees (docs/convolution.md), not as it is")
    if hand.ndim == 2 and hand.shape[0] == hand.shape[1] and close(hand, ref.T):
        return "transpose: hand = true^T: a matrix product in the wrong order (x^T dout, not dout^T x)"
    if hints.get("transposed") is not None and close(hand, np.asarray(hints["transposed"])):
        return ("transpose: hand is what the true formula gives with W transposed: a matrix product with the "
                "wrong operand transposed (dout W^T, not dout W)")
    wrong = np.abs(hand - ref) > 1e-9 * scale
    k, n = int(wrong.sum()), wrong.size
    kink = hints.get("kink")
    if kink is not None and np.shape(kink) == wrong.shape and k and np.all(np.asarray(kink)[wrong]):
        return (f"kink: wrong only at the {k} entries whose input sits exactly on a kink ({_indices(wrong, shape)}): "
                "the slope chosen there differs from TensorFlow's")
    if k < n:
        where = ""
        if not np.any(ref[wrong]):
            where = "; the true gradient is 0 there (a mask, a max's losers, a clip): the backward leaks into them"
        elif not np.any(hand[wrong]):
            where = "; the hand-written value is 0 there: a path or a term is missing"
        return f"wrong-index: wrong at {k} of {n} entries, right at the rest ({_indices(wrong, shape)}){where}"
    return ("other: wrong at every entry, not by a constant factor: a missing or extra term, a wrong transpose, "
            "or a cache holding another value than the forward used")


def derivative(at, direction, base, h=None):
    """The slope of L along `direction` by centered differences at steps h and h/2, combined by
    Richardson extrapolation: (4 D(h/2) - D(h)) / 3 cancels the h^2 error term, so curvature (an
    eigendecomposition's, a saturating tanh's) does not masquerade as a wrong gradient.
    Returns (slope, kink). `kink` is 0 up to O(h^2) where L is smooth, and of the order of the
    slope's jump where a kink lies inside the step (a max-pool's two largest values swapping, relu
    at 0): the two centered differences disagree when the kink is off-centre, and the difference
    between the slopes on the two sides of x (from `base`, L at x) stops shrinking with the step
    when it is near the centre (smooth: it is h times the curvature, so at h it is twice that at h/2)."""
    h = h or NUMERIC_STEP
    plus, minus, plus2, minus2 = at(h, direction), at(-h, direction), at(h / 2, direction), at(-h / 2, direction)
    d1, d2 = (plus - minus) / (2 * h), (plus2 - minus2) / h
    sides1, sides2 = (plus - 2 * base + minus) / h, (plus2 - 2 * base + minus2) / (h / 2)
    return (4 * d2 - d1) / 3, max(abs(d1 - d2), abs(sides1 - 2 * sides2))


def check(entry, scalar_fn, hand_grads, inputs, wrt, rng, zero_reasons=None, tape_only=None, num_tol=NUMERIC_TOL,
          hints=None):
    """Compare hand-written gradients against the tape and finite differences.

    scalar_fn(values: dict) -> scalar tensor L (the forward, contracted with the upstream gradient)
    hand_grads: dict name -> hand-written dL/d(name)
    inputs: dict name -> float64 array (all inputs; `wrt` names the differentiated ones)
    zero_reasons: name -> why that gradient is exactly zero (a row that is zero without one fails)
    tape_only: why finite differences are not judged (the input sits on a kink or a clip edge)
    hints: name -> dict for `diagnose` (asked only for a failing row)
    """
    zero_reasons = zero_reasons or {}
    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    watched = {k: tf.Variable(consts[k]) for k in wrt}
    with tf.GradientTape() as tape:
        loss = scalar_fn({**consts, **{k: v.read_value() for k, v in watched.items()}})
    tape_grads = tape.gradient(loss, watched, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    # The finite differences evaluate the same forward many times: traced once into a graph
    # (a model's eager ops would cost more in dispatch than in arithmetic).
    traced = tf.function(scalar_fn, reduce_retracing=True)
    base = float(traced(consts))
    rows = []
    for name in wrt:
        x = np.array(inputs[name], np.float64)
        dx_hand = np.asarray(hand_grads[name], np.float64)
        dx_tape = np.asarray(tape_grads[name], np.float64)
        if dx_hand.shape != x.shape:
            rows.append(shape_row(entry, name, dx_hand, dx_tape, num_tol))
            continue
        flat = x.reshape(-1)

        def at(step, shift=None):
            """L with x moved by `step` along `shift` (a flat array), or along coordinate `shift` (an int)."""
            moved = flat.copy()
            if isinstance(shift, (int, np.integer)):
                moved[shift] += step
            else:
                moved += step * shift
            return float(traced({**consts, name: tf.constant(moved.reshape(x.shape))}))

        diff = np.abs(dx_hand - dx_tape).ravel()
        worst = int(np.argmax(diff)) if diff.size and diff.max() > 0 else int(np.argmax(np.abs(dx_hand).ravel()))
        coords = np.union1d(sample_coords(x.size, rng), [worst]) if x.size else np.arange(0)
        hand_flat = dx_hand.reshape(-1)
        scale = max(np.max(np.abs(dx_hand), initial=0.0), np.max(np.abs(dx_tape), initial=0.0))
        slopes = [derivative(at, int(i), base) for i in coords]
        dx_num = np.array([d for d, _ in slopes])
        smooth = np.array([jump <= KINK_TOL * scale for _, jump in slopes], bool)
        if tape_only is None and not smooth.all():
            # a kink inside the step: these coordinates are reported, not judged
            kinks = [tuple(int(j) for j in np.unravel_index(i, x.shape)) for i in coords[~smooth]]
        else:
            kinks, smooth = [], np.ones(len(coords), bool)
        v = rng.standard_normal(x.size)
        v /= max(np.linalg.norm(v), 1e-300)
        directional, jump = derivative(at, v, base) if x.size else (0.0, 0.0)
        norm = max(np.linalg.norm(dx_hand), np.linalg.norm(dx_tape))
        err_dir = 0.0 if norm == 0 else abs(directional - float(hand_flat @ v)) / norm
        if tape_only is None and jump > KINK_TOL * norm:
            kinks.append("direction")
            err_dir = 0.0
        err_num = rel_error(hand_flat[coords][smooth], dx_num[smooth], scale)
        err_tape = rel_error(dx_hand, dx_tape)
        index = tuple(int(i) for i in np.unravel_index(worst, x.shape)) if x.size else ()
        row = Row(entry, name, x.shape, err_tape, err_num, element_rel_error(hand_flat[coords][smooth],
                                                                           dx_num[smooth]), err_dir,
                  int(smooth.sum()), x.size,
                  (index, float(hand_flat[worst]) if x.size else 0.0,
                   float(dx_tape.reshape(-1)[worst]) if x.size else 0.0,
                   float(dx_num[np.searchsorted(coords, worst)]) if x.size else 0.0),
                  tape_only=tape_only, kinks=kinks, num_tol=num_tol)
        if not np.any(dx_hand) and not np.any(dx_tape):
            row.zero = zero_reasons.get(name, UNDECLARED)
        if not row.passed and row.zero != UNDECLARED:
            row.diagnosis = diagnose(dx_hand, dx_tape, err_tape, err_num, err_dir, hints(name) if hints else None)
        rows.append(row)
    return rows


def shape_row(entry, name, hand, tape, num_tol=NUMERIC_TOL):
    """A failing row for a gradient that came back with the wrong shape (transposed, when it is the
    true gradient transposed)."""
    hand, tape = np.asarray(hand, np.float64), np.asarray(tape, np.float64)
    inf = float("inf")
    if hand.ndim == 2 and hand.shape == tape.shape[::-1] and np.allclose(hand.T, tape, rtol=1e-9, atol=1e-12):
        why = (f"transpose: d{name} came back as {hand.shape}, the true gradient {tape.shape} transposed: a matrix "
               "product in the wrong order")
    else:
        why = (f"shape: d{name} came back with shape {tuple(hand.shape)}, expected {tuple(tape.shape)} (the shape of "
               f"{name}: a gradient has its variable's shape)")
    return Row(entry, name, tuple(tape.shape), inf, inf, inf, inf, 0, int(tape.size), diagnosis=why, num_tol=num_tol)


def layer_hints(forward, backward, inputs, upstream, cache, hand, wrt):
    """For a failing layer row, what `diagnose` can test: the backward run again with another upstream
    gradient; for a 4-D kernel `w`, the tape's gradients of the forward with the kernel flipped; which
    entries of the input sit on a kink (exactly 0); the batch size and element counts."""
    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    out_size = int(np.prod(np.shape(upstream)))
    first = np.asarray(inputs[wrt[0]])
    batch = first.shape[0] if first.ndim else 1
    sizes = sorted({batch, out_size, out_size // max(batch, 1), int(first.size)})
    again = backward(2.0 * upstream + 1.0, cache)
    again = dict(zip(list(hand), again if isinstance(again, tuple) else (again,)))
    def with_kernel(changed):
        """The tape's gradients of the forward with the kernel `w` replaced by `changed`."""
        watched = {k: tf.Variable(consts[k]) for k in wrt if k != "w"}
        with tf.GradientTape() as tape:
            out = forward(**{**consts, "w": tf.constant(changed), **{k: v.read_value() for k, v in watched.items()}})
            loss = tf.reduce_sum(out[0] * upstream)
        return {k: np.asarray(g) for k, g in tape.gradient(loss, watched).items() if g is not None}
    w = inputs.get("w")
    flipped = with_kernel(np.asarray(w)[::-1, ::-1]) if w is not None and np.ndim(w) == 4 else {}
    square = w is not None and np.ndim(w) == 2 and np.shape(w)[0] == np.shape(w)[1]
    transposed = with_kernel(np.asarray(w).T) if square else {}

    def hints(name):
        x = np.asarray(inputs[name])
        kink = (x == 0) if np.shape(hand[name]) == x.shape and np.any(x == 0) else None
        ignored = again.get(name) is not None and np.array_equal(np.asarray(again[name]), np.asarray(hand[name]))
        return dict(upstream_ignored=ignored, flipped=flipped.get(name), transposed=transposed.get(name), kink=kink,
                    sizes=sizes)
    return hints


def _check_inputs(function, inputs, wrt, grad_order):
    """What a check is given: real-valued arrays (checked in float64), and names it has."""
    for name in wrt:
        if name not in inputs:
            raise ValueError(f"{function}: wrt names {name}, which is not among the inputs ({', '.join(inputs)}); "
                             "expected the names of the inputs to differentiate")
    for name, value in inputs.items():
        array = np.asarray(value) if value is not None else None
        if array is None or array.dtype == object or not (np.issubdtype(array.dtype, np.floating)
                                                          or np.issubdtype(array.dtype, np.integer)):
            kind = "None" if value is None else f"{type(value).__name__} of {getattr(array, 'dtype', '?')}"
            raise ValueError(f"{function}: inputs[{name}] is {kind}; expected real numbers (an array, checked in "
                             "float64)")
        if not np.isfinite(array.astype(np.float64)).all():
            raise ValueError(f"{function}: inputs[{name}] holds a NaN or inf; expected finite values")
    if len(grad_order) < len(wrt):
        raise ValueError(f"{function}: grad_order names {len(grad_order)} gradients for {len(wrt)} inputs in wrt; "
                         "expected one name per gradient the backward returns")


def _check_seed(function, seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{function}: seed is {seed!r}; expected a whole number >= 0")


def check_layer(entry, forward, backward, inputs, wrt, grad_order, seed=0, tape_only=None, zero=None):
    """A layer pair: forward(**inputs) -> (out, ..., cache) (a loss also returns its prediction);
    backward(dout, cache) -> grads in `grad_order`."""
    _check_inputs("check_layer", inputs, wrt, grad_order)
    _check_seed("check_layer", seed)
    try:
        params = inspect.signature(getattr(forward, "layer_function", forward)).parameters
    except (TypeError, ValueError):
        params = {}
    if params and not any(p.kind == p.VAR_KEYWORD for p in params.values()):
        unknown = sorted(set(inputs) - set(params))
        if unknown:
            raise ValueError(f"check_layer: inputs[{unknown[0]}] is not a parameter of the forward "
                             f"{getattr(forward, '__name__', forward)}({', '.join(params)}); expected the forward's "
                             "parameter names (forward first, then backward)")
    rng = np.random.default_rng(seed)
    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    result = forward(**consts)
    out, cache = result[0], result[-1]
    upstream = tf.constant(rng.standard_normal(np.shape(out)), tf.float64)
    grads = backward(upstream, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    hand = dict(zip(grad_order, grads))
    missing = [name for name in wrt if hand.get(name) is None]
    if missing:
        raise AssertionError(f"{entry}: the backward returned nothing for d{', d'.join(missing)}")

    def scalar_fn(values):
        return tf.reduce_sum(forward(**values)[0] * upstream)

    return check(entry, scalar_fn, hand, inputs, wrt, rng, zero_reasons=zero, tape_only=tape_only,
                 hints=lambda name: layer_hints(forward, backward, inputs, upstream, cache, hand, wrt)(name))


def check_model(model, seed=0, batch=None, weights=None, x=None):
    """A whole model: the loss w.r.t. every weight, on a fixed batch and fixed noise. By default at
    the sizes of `model.gradcheck_config()` with its own initial weights (nudged off their initial
    values); with `weights` and `x` (float64 arrays), at exactly those (a trained run's). Rows are
    named after the model."""
    if not isinstance(model, Model):
        raise ValueError(f"check_model: model is {model!r:.60}; expected a model instance, e.g. Stacked() (a class "
                         "is made into one by calling it)")
    _check_seed("check_model", seed)
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1):
        raise ValueError(f"check_model: batch is {batch!r}; expected a whole number of examples, at least 1")
    if weights is None:
        model = model.gradcheck_config()
    batch = batch or model.gradcheck_batch
    rng = np.random.default_rng(seed)
    if weights is None:
        weights = model.init_weights(rng, np.float64)
        # Nudge every weight off its initial value (biases start at zero, where some kinks sit).
        weights = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in weights.items()}
    weights = {k: np.asarray(v, np.float64) for k, v in weights.items()}
    x = model.gradcheck_input(rng, batch) if x is None else np.asarray(x, np.float64)
    tf.random.set_seed(seed)   # the noise sample (dropout, VAE) is drawn once, the same on every run
    noise = {k: np.asarray(v, np.float64) for k, v in
             model.sample_noise(tf.constant(x, tf.float64), training=True).items()}
    names = sorted(weights)
    inputs = {**weights, "x": x, **{f"noise:{k}": v for k, v in noise.items()}}

    def split(values):
        w = {k: values[k] for k in names}
        nz = {k[len("noise:"):]: v for k, v in values.items() if k.startswith("noise:")}
        return w, values["x"], nz

    def scalar_fn(values):
        w, xx, nz = split(values)
        return model.forward(w, xx, nz, training=True)[0]

    consts = {k: tf.constant(v, tf.float64) for k, v in inputs.items()}
    w, xx, nz = split(consts)
    _, _, cache = model.forward(w, xx, nz, training=True)
    hand = model.backward(cache)
    if set(hand) != set(names):
        raise AssertionError(f"{model.name}: backward() keys {sorted(hand)} differ from weights {names}")
    sizes = sorted({int(x.shape[0]), int(x.size), int(x.size // max(x.shape[0], 1))})
    return check(model.name, scalar_fn, hand, inputs, names, rng, zero_reasons=model.zero_gradients(),
                 num_tol=MODEL_NUMERIC_TOL, hints=lambda name: {"sizes": sizes})


def describe_check_config(model):
    """How a model's check differs from its training configuration, in one line."""
    checked = model.gradcheck_config()
    changed = {k: v for k, v in checked.options.items() if v != model.options.get(k)}
    shape = "x".join(str(s) for s in checked.input_shape)
    sizes = ", ".join(f"{k}={v}" for k, v in changed.items()) or "the training sizes"
    return f"checked at {sizes}; a batch of {checked.gradcheck_batch} examples of shape {shape}"
