"""Part 3 of a walkthrough, the backward on screen: the model's own `backward` as source (highlighted
in a notebook, plain in a terminal), the layer backwards it calls with their files and docs pages,
the step's tensors with their values, and one real step checked tensor by tensor against
TensorFlow's autodiff (gradcheck/tensors.py: makemore part 4's `cmp`, in the order the backward
computes them)."""
import inspect
import os

import numpy as np

from manual_ae.train.runlog import in_notebook
from manual_ae.walkthrough.display import ROOT, show_text


def show_source(fn, title):
    """A function's source: highlighted in a notebook, plain (with its file and line) in a terminal."""
    fn = getattr(fn, "layer_function", fn)
    source = inspect.getsource(fn)
    where = f"{os.path.relpath(inspect.getsourcefile(fn), ROOT)}:{inspect.getsourcelines(fn)[1]}"
    if in_notebook():
        from IPython.display import Code, Markdown, display
        display(Markdown(f"**{title}** (`{where}`)"))
        display(Code(source, language="python"))
    else:
        show_text([f"-- {title} ({where})", source.rstrip()])


def layer_backwards(model, weights, x):
    """The declared layer backwards the model's backward calls, in the order it calls them (each once)."""
    from manual_ae import trace
    from manual_ae.layers.kinds import kind_of
    calls, _, _, _ = trace.one_step(model, weights, x)
    kinds = []
    for call in calls:
        kind = kind_of(call.function)
        if call.direction == "backward" and kind not in kinds:
            kinds.append(kind)
    return kinds


def show_backward(model, weights, x):
    """The model's backward as written, then where each layer backward it calls lives and which docs
    page derives it (`manual-ae exercise LAYER` writes any of them for you to fill in)."""
    show_source(type(model).backward, f"{type(model).__name__}.backward: the chain in reverse")
    lines = ["the layer backwards it calls (forward and backward side by side in their files):"]
    for kind in layer_backwards(model, weights, x):
        fn = kind.backward.layer_function
        where = f"{os.path.relpath(inspect.getsourcefile(fn), ROOT)}:{inspect.getsourcelines(fn)[1]}"
        lines.append(f"  {kind.name}_backward  {where}  derived in {kind.doc_path}")
    show_text(lines)


def show_tensors(model, weights, x):
    """Every tensor of the step with its values, then the hand-written gradients compared with the
    tape's tensor by tensor. Returns the comparison's rows."""
    from manual_ae.gradcheck import tensors
    show_text(["The step's tensors (the forward top to bottom, then the gradients bottom to top):"]
              + tensors.value_lines(model, weights, x))
    rows = tensors.compare_step(model, {k: np.asarray(v, np.float64) for k, v in weights.items()},
                                np.asarray(x, np.float64))
    show_text(["", "The same step in float64: each gradient of the hand-written backward beside TensorFlow's",
               "autodiff of the same forward, in the order the backward computes them:"] + tensors.lines(rows))
    return rows
