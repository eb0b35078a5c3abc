"""One training step checked tensor by tensor, in the order the backward computes them (makemore
part 4's `cmp`): every gradient the hand-written backward passes into a layer's backward (dL/d of
that layer's output), and every weight gradient it returns, beside TensorFlow's autodiff of the same
forward, on the same batch and noise, in float64.

    rows = compare_step(model, weights, x)
    for line in lines(rows): print(line)

A row: the tensor's name (`d encoder_h1`: dL/d the OUTPUT of the layer the model calls encoder_h1,
the upstream gradient its backward receives; `grad decoder_h1`: the WEIGHT's gradient as returned), its shape, max|hand - tape|,
`exact` (equal to the last bit), `close` (within 1e-9 of the tensor's scale: the same math in
another order) or `WRONG`, and a few of the values. The first WRONG row is where to look: the bug
is in that layer's backward, or just above it (where its input gradient was made).
"""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from manual_ae import trace
from manual_ae.gradcheck.core import TAPE_TOL

SHOWN_VALUES = 3


@dataclass
class TensorRow:
    name: str
    layer: str            # the label of the layer call the row belongs to
    hand: np.ndarray
    tape: np.ndarray
    context: float = 0.0  # the scale of the layer's upstream gradient: a sum of many terms rounds relative to it
    convention: str = ""  # why hand and tape may differ here without either being wrong (an eigh, a kink)

    @property
    def shape(self):
        return tuple(self.hand.shape)

    @property
    def max_diff(self):
        if self.tape is None:
            return float("nan")
        if self.hand.shape != self.tape.shape:
            return float("inf")
        return float(np.max(np.abs(self.hand - self.tape), initial=0.0))

    @property
    def scale(self):
        tape = 0.0 if self.tape is None else float(np.max(np.abs(self.tape), initial=0.0))
        return max(float(np.max(np.abs(self.hand), initial=0.0)), tape)

    @property
    def status(self):
        if self.tape is None:
            return "n/a"
        if self.hand.shape != self.tape.shape:
            return "WRONG"
        if np.array_equal(self.hand, self.tape):
            return "exact"
        if self.max_diff <= TAPE_TOL * max(self.scale, self.context, 1e-300):
            return "close"
        return "conv" if self.convention else "WRONG"


def _array(t):
    return np.asarray(t.numpy() if hasattr(t, "numpy") else t, np.float64)


def compare_step(model, weights, x, noise=None, backward=None):
    """Run the forward once under a tape (float64) and the hand-written backward (`backward(cache)`,
    default the model's), recording every layer call; returns the TensorRows in the order the
    backward computed them, then every weight's final gradient."""
    w = {k: tf.constant(np.asarray(v, np.float64)) for k, v in weights.items()}
    x = tf.constant(np.asarray(x, np.float64))
    if noise is None:
        noise = model.sample_noise(x, training=True)
    noise = {k: tf.cast(v, tf.float64) for k, v in noise.items()}
    calls = []
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(list(w.values()))
        with trace.recording(calls):
            loss, _, cache = model.forward(w, x, noise, training=True)
    forward = [c for c in calls if c.direction == "forward"]
    outs = [c.outputs()[0] for c in forward]
    # None where the loss does not read that output (the model reads the same value from another call)
    tape_outs = tape.gradient(loss, outs, unconnected_gradients=tf.UnconnectedGradients.NONE)
    tape_w = tape.gradient(loss, w, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    with trace.recording(calls):
        grads = (backward or model.backward)(cache)
    trace.label_calls(calls, w, cache, grads)
    by_label = {c.label: (c, t) for c, t in zip(forward, tape_outs)}
    rows, convention = [], ""
    for call in (c for c in calls if c.direction == "backward"):
        n_before = len(rows)
        fwd, tape_out = by_label.get(call.label, (None, None))
        upstream = call.args[0] if call.args else None
        if fwd is not None and isinstance(upstream, (tf.Tensor, np.ndarray)):
            hand = _array(upstream)
            ref = None if tape_out is None else _array(tape_out)
            if ref is not None and hand.shape != ref.shape and hand.size == ref.size:
                hand = hand.reshape(ref.shape)
            rows.append(TensorRow(f"d {call.label}", call.label, hand, ref))
            out_value = _array(fwd.outputs()[0])
            if ref is not None and ref.shape == hand.shape == out_value.shape and not convention:
                off = np.abs(hand - ref) > TAPE_TOL * max(np.max(np.abs(hand), initial=0.0), 1e-300)
                if off.any() and np.all(out_value[off] == 0):
                    convention = (f"from d {call.label} down: they differ only where {call.label}'s output is exactly "
                                  "0, a kink of the formula TensorFlow computes the next layer with (max(z, 0), "
                                  "|z|), whose autodiff takes one side there; the hand-written value is the derivative "
                                  "of the smooth function (the model's check, part 4, has no exact zeros)")
        for i, out in enumerate(call.outputs()):
            name = call.grads.get(i, "")
            if name.startswith("grad ") and not name.endswith("(part)") and out is not None:
                key = name[len("grad "):]
                rows.append(TensorRow(name, call.label, _array(out), _array(tape_w[key])))
        upstream_scale = max([r.scale for r in rows[n_before:]] + [0.0])
        for r in rows[n_before:]:
            r.context, r.convention = upstream_scale, convention
        if call.kind == "eigen_projection" and fwd is not None and _degenerate(fwd):
            convention = (f"below {call.label}, a projection on the eigenvectors of a batch covariance with repeated "
                          "eigenvalues, where the hand-written backward sets 1/gap to 0 and TensorFlow regularises it "
                          "(docs/eigen_projection.md)")
    named = {r.name for r in rows}
    for key in weights:       # a weight whose gradient the model assembles (tied weights' parts), or none
        if f"grad {key}" not in named:
            hand = _array(grads[key]) if grads.get(key) is not None else np.zeros(0)
            rows.append(TensorRow(f"grad {key}", "(summed)" if hand.size else "(missing)", hand, _array(tape_w[key])))
    return rows


def _degenerate(call):
    """Whether an eigen projection's batch covariance has eigenvalues within its gap guard of each other."""
    _, (_, _, _, lam, _, _, gap_tol) = call.result
    lam = np.sort(_array(lam))
    return bool(lam.size > 1 and np.min(np.diff(lam)) <= gap_tol * max(np.max(np.abs(lam)), 1e-300))


def first_wrong(rows):
    """The first row the backward got wrong (None if every row is exact or close)."""
    return next((r for r in rows if r.status == "WRONG"), None)


def _fold(text, width=100):
    import textwrap
    return textwrap.wrap(text, width, subsequent_indent="    ") if text else []


def _values(a, n=SHOWN_VALUES):
    flat = a.ravel()
    return " ".join(f"{v:+.2e}" for v in flat[:n]) + (" ..." if flat.size > n else "")


def lines(rows):
    """The comparison as text no wider than 100 columns: one line per tensor, then where to look."""
    width = max([len(r.name) for r in rows] + [6]) + 2
    head = f"{'tensor':<{width}}{'shape':<14}{'max|hand-tape|':>15}  {'':<6} first values (hand-written)"
    out = ["(d LAYER: dL/d that layer's output, the upstream gradient its backward receives; grad W: dL/dW)",
           head, "-" * min(100, len(head) + 12)]
    for r in rows:
        shape = "x".join(map(str, r.shape)) or "scalar"
        diff = f"{r.max_diff:>15.1e}" if r.tape is not None else f"{'-':>15}"
        out.append(f"{r.name:<{width}}{shape:<14}{diff}  {r.status:<6} {_values(r.hand)}"[:100])
    guarded = [r for r in rows if r.status == "conv"]
    if guarded:
        out += _fold(f"conv ({len(guarded)} tensors): two conventions, not a bug: {guarded[0].convention}")
    unread = [r.name for r in rows if r.tape is None]
    if unread:
        out += [f"n/a: {', '.join(unread)}: the loss reads that layer's value through another call (the same",
                "number from another tensor), so the tape has no gradient for this one to compare with"]
    wrong = first_wrong(rows)
    if wrong is None:
        agree = len(rows) - len(unread) - len(guarded)
        out += _fold(f"all {agree} {'other ' if guarded else ''}tensors agree with the tape (exact: to the last bit; "
                     f"close: within {TAPE_TOL:g} of the scale of the tensor or of its layer's upstream gradient, "
                     "the same math summed in another order)")
    else:
        made = (f"the backward call that returned it ({wrong.layer}'s)" if wrong.name.startswith("grad ")
                else "the backward call above it, which returned it, or the model's code that passed it on")
        out += [f"first WRONG: {wrong.name} (layer {wrong.layer}): the bug is in {made}"[:100]]
    return out


def value_lines(model, weights, x, training=True):
    """Each tensor of one step with its values: the layers' outputs top to bottom, then the gradients
    bottom to top (shape, mean, std, min, max)."""
    calls, loss, _, grads = trace.one_step(model, weights, x, training)

    def stats(name, t):
        a = _array(t)
        shape = "x".join(map(str, a.shape)) or "scalar"
        return (f"{name[:30]:<31}{shape:<13}{a.mean():>+11.2e}{a.std():>11.2e}{a.min():>+11.2e}"
                f"{a.max():>+11.2e}")
    out = [f"{'tensor':<31}{'shape':<13}{'mean':>11}{'std':>11}{'min':>11}{'max':>11}", "-" * 88,
           stats("input x", x)]
    for c in calls:
        if c.direction == "forward":
            out.append(stats(f"{c.label} (out)", c.outputs()[0]))
    for c in calls:
        if c.direction == "backward":
            for i, o in enumerate(c.outputs()):
                name = c.grads.get(i, "d_in")
                if o is not None and isinstance(o, (tf.Tensor, np.ndarray)) and name != "(not used)":
                    out.append(stats(f"{c.label}: {name}", o))
    return out
