"""Each layer kind declared once, where it is written: `@layer("docs page")` above its forward and
above its backward.

    @layer("dense_backprop.md")
    def dense_forward(x, w, b): ...

    @layer("dense_backprop.md")
    def dense_backward(dout, cache): ...

The declaration gives every reader one place to look: `KINDS["dense"]` holds the kind's forward,
its backward and the docs/ page that derives its gradient. The gradient-check registry names its
entries by the kind they check (gradcheck/registry.py; a test fails for a kind without one), the
walkthroughs' step table links each row to the kind's page, and `manual-ae exercise` offers every
kind.

What it accepts. Keywords after the docs page declare each parameter (layers/signature.py):

    @layer("dense_backprop.md", x="N D", w="D M", b="M, or None")

and a call with a wrong shape, dtype, empty axis, NaN or out-of-range value is refused with a
ValueError naming the function and the argument, before anything is computed. A backward's upstream
gradient is checked against the shapes of the forward's outputs, which its cache remembers.

Observing calls. A declared function checks, when it is called, whether someone is watching layer
calls in this context (`observing(observer)`: manual_ae/trace.py records a step for the step table
and the summary, and gives the training graph one name scope per layer and direction). A watched
call goes through the observer; an unwatched call is the plain function. Only the outermost layer
call is watched: the dense call inside `dense_act_forward` belongs to the dense_act row. Nothing is
patched or replaced, so a model written anywhere gets the same rows and scopes.
"""
import contextlib
import contextvars
import functools
import inspect
from dataclasses import dataclass
from typing import Callable, Optional

from manual_ae.layers.signature import check_arguments, check_upstream, parse, remember_outputs


@dataclass
class LayerKind:
    name: str                            # "dense": what the functions are called before _forward/_backward
    doc: str                             # the docs/ page deriving its gradient
    forward: Optional[Callable] = None
    backward: Optional[Callable] = None

    @property
    def doc_path(self):
        return f"docs/{self.doc}"


KINDS = {}
_observers = contextvars.ContextVar("layer_observers", default=())
_inside = contextvars.ContextVar("inside_a_layer", default=False)


def layer(doc, why=None, **accepts):
    """Declare the decorated `KIND_forward` or `KIND_backward` as one direction of layer kind KIND.
    `accepts`: parameter -> what it must be (layers/signature.py); `why`: parameter -> a sentence
    added to its error (why the rule holds, what to do)."""
    def declare(fn):
        kind, direction = fn.__name__.rsplit("_", 1)
        if direction not in ("forward", "backward"):
            raise ValueError(f"@layer: {fn.__name__} is not named KIND_forward or KIND_backward")
        signature = inspect.signature(fn)
        params = list(signature.parameters)
        specs = parse(accepts)
        unknown = sorted(set(specs) - set(params))
        if unknown:
            raise ValueError(f"@layer on {fn.__name__}: no parameter {', '.join(unknown)}")
        upstream = params[:params.index("cache")] if direction == "backward" and "cache" in params else []

        def run(*args, **kwargs):
            result = fn(*args, **kwargs)
            return remember_outputs(kind, result) if direction == "forward" else result
        functools.update_wrapper(run, fn, updated=())
        del run.__wrapped__

        def call(*args, **kwargs):
            if specs or upstream:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                check_arguments(fn.__name__, specs, bound.arguments, why)
                if upstream:
                    check_upstream(fn.__name__, kind, {n: bound.arguments[n] for n in upstream},
                                   bound.arguments["cache"])
            observers = _observers.get()
            if not observers or _inside.get():
                return run(*args, **kwargs)
            token = _inside.set(True)
            try:
                return observers[-1](kind, direction, run, args, kwargs)
            finally:
                _inside.reset(token)
        # The wrapper takes the function's name, docstring and module, but not `__wrapped__`: autograph
        # (tf.function, used by the gradient check) reads a function's source through it and would
        # compile the layer's source in the wrapper's place.
        functools.update_wrapper(call, fn, updated=())
        del call.__wrapped__
        call.layer_function = fn                     # the function as written (its source: exercises)
        call.kind, call.direction, call.accepts = kind, direction, dict(accepts)
        entry = KINDS.setdefault(kind, LayerKind(kind, doc))
        if getattr(entry, direction) is None:      # the first declaration stands (a copy elsewhere does not)
            setattr(entry, direction, call)
        return call
    return declare


@contextlib.contextmanager
def observing(observer):
    """Inside the block, each outermost call of a declared layer function runs as
    observer(kind, direction, fn, args, kwargs), which calls fn(*args, **kwargs) itself."""
    token = _observers.set(_observers.get() + (observer,))
    try:
        yield
    finally:
        _observers.reset(token)


def kind_of(function_name):
    """The declared kind of `dense_forward` / `dense_backward` (None for an undeclared name)."""
    return KINDS.get(function_name.rsplit("_", 1)[0])
