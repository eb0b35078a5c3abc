"""Exercises: a layer's forward with its backward left blank, and the check of what a learner wrote.

    manual-ae exercise sigmoid                       # writes exercise_sigmoid.py
    manual-ae gradcheck sigmoid --using exercise_sigmoid.py

The file holds the forward as the package has it and the backward's signature and docstring (its
shapes and formula), with the body replaced by `raise NotImplementedError`. The check runs every
registry entry of that layer with the file's functions in place of the package's.
"""
import contextlib
import importlib.util
import inspect
import os
import re

from manual_ae.gradcheck.registry import entries_of
from manual_ae.layers.kinds import KINDS, observing


class BlankExercise(RuntimeError):
    """The backward in an exercise file is still the blank one."""


def layer_names():
    """Every layer an exercise can be written for: the declared kinds (layers/kinds.py) with checks."""
    return sorted(k for k in KINDS if entries_of(k))


def _pair(layer):
    if layer not in layer_names():
        raise ValueError(f"no layer {layer!r} to exercise; choose one of: {', '.join(layer_names())}")
    return KINDS[layer].forward, KINDS[layer].backward


def _source(fn):
    """A layer function's source without its @layer declaration (the file's copy is the learner's own)."""
    source = inspect.getsource(getattr(fn, "layer_function", fn))
    return "\n".join(line for line in source.splitlines() if not line.startswith("@layer("))


def _blank(source, name):
    """A function's source with its body after the docstring replaced by a NotImplementedError."""
    lines = source.splitlines()
    body_start = next(i for i, line in enumerate(lines) if line.rstrip().endswith(":") and "def " in lines[0]) + 1
    text = "\n".join(lines[body_start:])
    doc = re.match(r'(\s*(?:"""|\'\'\')[\s\S]*?(?:"""|\'\'\'))', text)
    head = lines[:body_start] + ([doc.group(1).lstrip("\n")] if doc else [])
    indent = re.match(r"\s*", lines[body_start]).group(0) or "    "
    return "\n".join(head + [f"{indent}# Your code here: compute the gradients from dout (or dy) and the cache.",
                             f'{indent}raise NotImplementedError("{name} is still blank: write its body")']) + "\n"


def write(layer, out=None):
    """Write the exercise file for `layer`; returns its path."""
    forward, backward = _pair(layer)
    module = inspect.getmodule(forward)
    forward_src = _source(forward)
    privates = sorted({n for n in re.findall(r"\b(_[A-Za-z]\w*)\b", forward_src) if hasattr(module, n)})
    path = out or f"exercise_{layer}.py"
    text = [f'"""Exercise: the backward pass of {layer}.',
            "",
            f"The forward below is the package's ({module.__name__}). Write the body of {layer}_backward from its",
            "docstring (the shapes and the formula), reusing what the forward cached. Then check it:",
            "",
            f"    manual-ae gradcheck {layer} --using {os.path.basename(path)}",
            "",
            "The report compares your gradient with tf.GradientTape and finite differences, entry by entry.",
            '"""',
            "import numpy as np  # noqa: F401",
            "import tensorflow as tf  # noqa: F401",
            "",
            f"from {module.__name__} import *  # noqa: F401,F403  (the other layers and constants it uses)"]
    if privates:
        text.append(f"from {module.__name__} import {', '.join(privates)}  # noqa: F401")
    text += ["", "", forward_src.rstrip(), "", "", _blank(_source(backward), f"{layer}_backward").rstrip(),
             ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(text))
    return path


def _load(path):
    if not os.path.exists(path):
        raise ValueError(f"--using {path}: no such file; write one with `manual-ae exercise LAYER --out {path}`")
    spec = importlib.util.spec_from_file_location(f"exercise_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def _in_place(replacements):
    """Inside the block, every layer call to a function the file defines runs the file's instead: a
    layer-call observer (layers/kinds.py), so no module of the package is changed."""
    def substitute(kind, direction, fn, args, kwargs):
        return replacements.get(f"{kind}_{direction}", fn)(*args, **kwargs)
    with observing(substitute):
        yield


def exception_row(entry, path, err):
    """One failing row for a backward that raised: where in the learner's file, and the message."""
    import traceback as tb
    from manual_ae.gradcheck.core import Row
    frames = [f for f in tb.extract_tb(err.__traceback__) if os.path.abspath(f.filename) == os.path.abspath(path)]
    where = f"{os.path.basename(path)}:{frames[-1].lineno}" if frames else os.path.basename(path)
    message = str(err).strip().splitlines()[0] if str(err).strip() else ""
    inf = float("inf")
    return Row(entry, "(all)", (), inf, inf, inf, inf, diagnosis=f"exception: {where}: {type(err).__name__}: {message}")


def check_file(path, names=None, seed=0, out=print, json_path=None, traceback=False):
    """Check the backward(s) written in `path` against every registry entry of their layers. An
    exception in the file is one failing row naming its file:line (the whole traceback with
    `traceback`); a blank backward raises BlankExercise."""
    from manual_ae.gradcheck.report import table
    module = _load(path)
    mine = {n: fn for n, fn in vars(module).items() if callable(fn) and getattr(fn, "__module__", None) ==
            module.__name__}    # the functions written in the file, not the ones it imports
    layers = [n[:-len("_backward")] for n in mine if n.endswith("_backward") and n[:-len("_backward")] in layer_names()]
    if names:
        layers = [n for n in layers if n in names]
    if not layers:
        raise ValueError(f"--using {path}: no LAYER_backward function of a known layer in it "
                         f"(layers: {', '.join(layer_names())})")
    items = []
    for layer in layers:
        replacements = {k: mine[k] for k in (f"{layer}_forward", f"{layer}_backward") if k in mine}
        with _in_place(replacements):
            for entry in entries_of(layer):
                try:
                    rows = entry.run(seed)
                except NotImplementedError:
                    raise BlankExercise(f"blank: {path}: {layer}_backward is still blank (it raises "
                                        "NotImplementedError). Write its body, then run this check again.") from None
                except Exception as err:           # the learner's code raised: one row says where
                    if traceback:
                        import traceback as tb
                        out("".join(tb.format_exception(err)).rstrip())
                    rows = [exception_row(entry.name, path, err)]
                items.append((f"{entry.name} [{os.path.basename(path)}]", rows, None))
    rows = table(items, out, json_path)
    failures = [r for r in rows if not r.passed]
    out(f"{len(rows) - len(failures)} of {len(rows)} gradients PASS" + ("" if not failures else
                                                                        ": see the FAILS lines above"))
    return rows, failures
