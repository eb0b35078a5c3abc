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
from dataclasses import dataclass
from typing import Callable, Optional


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


def layer(doc):
    """Declare the decorated `KIND_forward` or `KIND_backward` as one direction of layer kind KIND."""
    def declare(fn):
        kind, direction = fn.__name__.rsplit("_", 1)
        if direction not in ("forward", "backward"):
            raise ValueError(f"@layer: {fn.__name__} is not named KIND_forward or KIND_backward")

        def call(*args, **kwargs):
            observers = _observers.get()
            if not observers or _inside.get():
                return fn(*args, **kwargs)
            token = _inside.set(True)
            try:
                return observers[-1](kind, direction, fn, args, kwargs)
            finally:
                _inside.reset(token)
        # The wrapper takes the function's name, docstring and module, but not `__wrapped__`: autograph
        # (tf.function, used by the gradient check) reads a function's source through it and would
        # compile the layer's source in the wrapper's place.
        functools.update_wrapper(call, fn, updated=())
        del call.__wrapped__
        call.layer_function = fn                     # the function as written (its source: exercises)
        call.kind, call.direction = kind, direction
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
