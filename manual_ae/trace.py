"""Layer calls seen from outside: which layer functions a model's `forward` and `backward` call, in
order, with what they were given and what came back.

The models are not changed for this, and nothing is patched: every layer function is declared with
`@layer` (manual_ae/layers/kinds.py), and a declared function called while someone observes layer
calls (`observing`) goes through the observer. So any model, wherever it is written, is traced the
same way. Three readers use it:

* `manual-ae summary` (manual_ae/summary.py): parameters and output shapes per layer;
* the walkthroughs (`step_table`): the forward chain beside the backward chain for one real batch;
* the trainer (`name_scopes`): one TensorBoard name scope per layer and direction
  (`encoder_h1/forward`, `encoder_h1/backward`), so the graph TensorBoard draws is the one written here.

A call is named by the key the model stores its cache under (`c["encoder_h1"]`), the name its code
uses; a backward call is matched to its forward call by the cache object it receives.
"""
import inspect
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from manual_ae.layers.kinds import kind_of, observing


@dataclass
class Call:
    function: str        # e.g. "dense_act_forward"
    args: tuple
    kwargs: dict
    result: object
    label: str = ""      # the model's name for the layer (its cache key), filled in after the pass
    weights: list = field(default_factory=list)    # names of the weights passed in (forward)
    grads: dict = field(default_factory=dict)      # result position -> weight name (backward)

    @property
    def kind(self):
        return self.function.rsplit("_", 1)[0]

    @property
    def direction(self):
        return self.function.rsplit("_", 1)[1]

    @property
    def doc(self):
        """The docs/ page that derives this layer's gradient (its @layer declaration)."""
        return kind_of(self.function).doc_path

    def outputs(self):
        return self.result if isinstance(self.result, tuple) else (self.result,)


@contextmanager
def recording(calls):
    """Append a `Call` to `calls` for every (outermost) layer call made inside the block."""
    def record(kind, direction, fn, args, kwargs):
        result = fn(*args, **kwargs)
        calls.append(Call(f"{kind}_{direction}", args, kwargs, result))
        return result
    with observing(record):
        yield


def label_calls(calls, weights, cache, grads=None):
    """Name each call as the model's code does. A forward call (which returns its cache last): the
    cache key its cache is stored under (whole, or as an item of a tuple stored there), else the first
    weight it was given, else its kind; numbered when a name repeats. A backward call: the name of the
    forward call whose cache it received. A returned gradient is named after the weight it is the
    gradient of (`grad encoder_h1`; "part" where the model adds it to another, as tied weights do), or
    `d_in` for the gradient passed on down; "(not used)" for one the model drops (a bias it has not)."""
    by_id = {id(t): k for k, t in weights.items()}
    whole = {id(v): k for k, v in cache.items()}
    items = {}
    for key, value in cache.items():
        for v in value if isinstance(value, (tuple, list)) else ():
            items.setdefault(id(v), key)
    seen, owner = {}, {}
    for call in calls:
        if call.direction != "forward":
            continue
        call.weights = [by_id[id(a)] for a in call.args if id(a) in by_id]
        kept = call.outputs()[-1]
        label = whole.get(id(kept)) or items.get(id(kept))
        label = label or (call.weights[0] if call.weights else call.kind)
        seen[label] = seen.get(label, 0) + 1
        call.label = label if seen[label] == 1 else f"{label}_{seen[label]}"
        owner[id(kept)] = call
    grad_names = {id(v): k for k, v in (grads or {}).items()}
    for call in calls:
        if call.direction != "backward":
            continue
        args = list(call.args) + list(call.kwargs.values())
        forward = next((owner[id(a)] for a in args if id(a) in owner), None)
        call.label = forward.label if forward else call.kind
        for i, o in enumerate(call.outputs()):
            if id(o) in grad_names:
                call.grads[i] = "grad " + grad_names[id(o)]
            elif forward is not None and o is not None:
                same = [k for k in forward.weights if tuple(weights[k].shape) == tuple(o.shape)]
                x_shape = tuple(getattr(forward.args[0], "shape", ()))
                named = _input_name(forward, i, by_id, len(call.outputs()))
                call.grads[i] = (f"grad {same[0]} (part)" if same else named
                                 if tuple(o.shape) == x_shape or named != "d_in" else "(not used)")
    return calls


def _input_name(forward, i, weight_ids, n_grads):
    """What the i-th gradient of a backward is, when it is not a weight's: `d_in`, the gradient passed
    down; `d_in (mean)` where the layer has several inputs (the VAE's sample takes a mean and a
    sigma and returns both gradients), named as the forward's parameters are (gradients come in
    argument order)."""
    inputs = [j for j, a in enumerate(forward.args[:n_grads]) if hasattr(a, "shape") and id(a) not in weight_ids]
    if len(inputs) < 2 or i not in inputs:
        return "d_in"
    fn = kind_of(forward.function).forward
    params = list(inspect.signature(getattr(fn, "layer_function", fn)).parameters)
    return f"d_in ({params[i]})" if i < len(params) else "d_in"


def one_step(model, weights, x, training=True, noise=None):
    """Run forward and backward once, eagerly, recording every layer call.
    Returns (calls, loss, outputs, grads), the calls named by `label_calls`."""
    w = {k: tf.constant(v) for k, v in weights.items()}
    x = tf.constant(x)
    if noise is None:
        noise = model.sample_noise(x, training=training)
    calls = []
    with recording(calls):
        loss, outputs, cache = model.forward(w, x, noise, training=training)
        grads = model.backward(cache)
    label_calls(calls, w, cache, grads)
    return calls, loss, outputs, grads


def forward_labels(model, weights, x, training=True):
    """The labels of the forward and the backward calls of one step, in call order: what the
    trainer's name scopes are called. The step is only built, in a throwaway graph, never run."""
    with tf.Graph().as_default():
        w = {k: tf.compat.v1.placeholder(tf.float32, np.shape(v)) for k, v in weights.items()}
        xb = tf.compat.v1.placeholder(tf.float32, np.shape(x))
        calls = []
        with recording(calls):
            _, _, cache = model.forward(w, xb, model.sample_noise(xb, training=training), training=training)
            grads = model.backward(cache)
        label_calls(calls, w, cache, grads)
    return ([c.label for c in calls if c.direction == "forward"],
            [c.label for c in calls if c.direction == "backward"])


@contextmanager
def name_scopes(forward, backward):
    """Inside the block, the n-th forward (backward) layer call of a model runs in the name scope
    `forward[n]/forward` (`backward[n]/backward`), the labels `forward_labels` found. A layer's two
    directions share its scope, so TensorBoard draws them as one box with two parts. Calls beyond the
    lists (a second forward in the same block) are scoped by their kind."""
    counters = {"forward": 0, "backward": 0}
    labels = {"forward": list(forward), "backward": list(backward)}
    scopes = {}

    def scoped(kind, direction, fn, args, kwargs):
        n = counters[direction]
        counters[direction] += 1
        label = labels[direction][n] if n < len(labels[direction]) else kind
        graph = tf.compat.v1.get_default_graph()
        key = (id(graph), label)
        if key not in scopes:
            with tf.name_scope(label) as scope:
                scopes[key] = scope                 # e.g. "train_steps/encoder_h1/": re-entered below
        with tf.name_scope(scopes[key]), tf.name_scope(direction):
            return fn(*args, **kwargs)
    with observing(scoped):
        yield


def _shape(t):
    return "(" + ", ".join(str(d) for d in t.shape) + ("," if t.shape.rank == 1 else "") + ")"


def _show(t):
    if not isinstance(t, (tf.Tensor, np.ndarray)):
        return None
    t = tf.convert_to_tensor(t)
    return f"{float(t):.4f}" if t.shape.rank == 0 else _shape(t)


def step_table(model, weights, x, training=True):
    """The forward chain beside the backward chain for one real batch, as lines of text: each layer's
    forward call with the shape of what it returns, and on the same line the backward call that undoes
    it with the gradients it returns (the weights' by name; `d_in` is the gradient passed on down; one
    the model drops is not shown). A scalar is shown by its value (a loss, a penalty)."""
    calls, loss, _, grads = one_step(model, weights, x, training)
    forward = [c for c in calls if c.direction == "forward"]
    backward = {c.label: c for c in calls if c.direction == "backward"}
    rows = [("input x", "", _shape(tf.constant(x)), "", "")]
    for call in forward:
        detail = " ".join(a for a in call.args if isinstance(a, str))
        shown = call.outputs()[:-1] if len(call.outputs()) > 1 else call.outputs()    # not the cache (last)
        outs = [s for s in (_show(o) for o in shown) if s]
        back = backward.pop(call.label, None)
        back_text, grad_text = "", ""
        if back is not None:
            back_text = back.function
            parts = [f"{back.grads.get(i, 'd_in')} {_show(o)}" for i, o in enumerate(back.outputs())
                     if o is not None and back.grads.get(i) != "(not used)"]
            grad_text = ", ".join(parts) or "-"
        rows.append((call.label, f"{call.function}{' ' + detail if detail else ''}", " ".join(outs),
                     back_text, grad_text))
    for label, back in backward.items():       # a backward with no forward seen (should not happen)
        rows.append((label, "", "", back.function, ""))
    widths = [max(len(r[i]) for r in rows + [("layer", "forward call", "returns", "backward call", "")])
              for i in range(4)]
    head = ("layer", "forward call (top to bottom)", "returns", "backward call (bottom to top)", "gradients returned")
    widths = [max(w, len(h)) for w, h in zip(widths, head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    lines = [fmt.format(*head), "-" * (sum(widths) + 2 * 4 + len(head[4]))]
    lines += [fmt.format(*r) for r in rows]
    lines.append(f"loss on this batch: {float(loss):.4f}; gradients for {len(grads)} weights "
                 f"({sum(int(np.prod(g.shape)) for g in grads.values()):,} numbers)")
    return lines
