"""Exercises: a forward with its backward left blank, and the check of what a learner wrote.

    manual-ae exercise                               # the learning path (gradcheck/path.py), your status
    manual-ae exercise sigmoid                       # writes exercise_sigmoid.py
    manual-ae gradcheck sigmoid --using exercise_sigmoid.py
    manual-ae exercise sigmoid --hint 2              # the idea, then the formula
    manual-ae exercise stacked                       # a whole model's backward (gradcheck/model_exercise.py)

A layer's file holds its forward as the package has it and its backward's signature with a docstring
that says what to return and what the forward cached, not the formula (the hints give it in steps;
`--solution` writes the package's own). The check runs every registry entry of that layer with the
file's functions in place of the package's, and names the mistake when one fails.
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
    from manual_ae.gradcheck import path as learning
    if layer == "scalar":
        return learning.expression_forward, learning.expression_backward
    if layer not in layer_names():
        raise ValueError(f"no layer or model {layer!r} to exercise; choose one of: scalar, "
                         f"{', '.join(layer_names())}, or a model of `manual-ae list` (`manual-ae exercise` "
                         "prints the learning path)")
    return KINDS[layer].forward, KINDS[layer].backward


def _source(fn):
    """A layer function's source without its @layer declaration (the file's copy is the learner's own)."""
    lines = inspect.getsource(getattr(fn, "layer_function", fn)).splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("def ")), 0)   # after the decorator
    return "\n".join(lines[start:])


def _stub(source, name, forward_src, layer):
    """A backward's source with its docstring's formula taken out (the shapes kept, what the forward
    cached said) and its body replaced by a NotImplementedError."""
    lines = source.splitlines()
    body_start = next(i for i, line in enumerate(lines) if line.rstrip().endswith(":") and "def " in lines[0]) + 1
    indent = re.match(r"\s*", lines[body_start]).group(0) or "    "
    text = "\n".join(lines[body_start:])
    doc = re.match(r'\s*(?:"""|\'\'\')([\s\S]*?)(?:"""|\'\'\')', text)
    paragraphs = [p.strip() for p in (doc.group(1) if doc else "").split("\n\n")[1:] if p.strip()]
    returned = [line.strip() for line in forward_src.splitlines() if line.strip().startswith("return ")][-1:]
    said = ["What to compute: the gradient of the loss with respect to each input of the forward, in the order",
            "the forward takes them, from the upstream gradient (the first argument: shaped like the forward's",
            "output) and the cache."]
    said += [line for p in paragraphs for line in p.splitlines()]
    if returned:
        said += [f"The forward ended with `{returned[0]}`: its last item is the cache you get."]
    said += [f"Stuck? manual-ae exercise {layer} --hint 1 (then 2, 3)."]
    doc_lines = [f'{indent}"""{said[0]}'] + [f"{indent}{line}" if line else "" for line in said[1:]] + [f'{indent}"""']
    return "\n".join(lines[:body_start] + doc_lines + [
        f"{indent}# Your code here: compute the gradients from the upstream gradient and the cache.",
        f'{indent}raise NotImplementedError("{name} is still blank: write its body")']) + "\n"


def write(name, out=None, solution=False, overwrite=False):
    """Write the exercise file of layer or model `name` (`solution`: with the package's own backward,
    by default in solution_NAME.py); returns its path. A file already there is the learner's work:
    refused unless `overwrite`."""
    from manual_ae.gradcheck import model_exercise
    from manual_ae.posts import CASES
    path = out or f"{'solution' if solution else 'exercise'}_{name}.py"
    if os.path.exists(path) and not overwrite:
        raise ValueError(f"{path} already exists (your work?): give another --out, or --overwrite to replace it")
    if name in CASES:
        return model_exercise.write(name, path, solution)
    forward, backward = _pair(name)
    module = inspect.getmodule(getattr(forward, "layer_function", forward))
    forward_src = _source(forward)
    privates = sorted({n for n in re.findall(r"\b(_[A-Za-z]\w*)\b", forward_src) if hasattr(module, n)})
    fname = backward.__name__
    text = [f'"""Exercise: the backward pass of {name}.',
            "",
            f"The forward below is the package's ({module.__name__}). Write the body of {fname}, reusing",
            "what the forward cached. Then check it:",
            "",
            f"    manual-ae gradcheck {name} --using {os.path.basename(path)}",
            "",
            "The report compares your gradient with tf.GradientTape and finite differences, entry by entry,",
            "and names the mistake if there is one.",
            '"""',
            "import numpy as np  # noqa: F401",
            "import tensorflow as tf  # noqa: F401",
            "",
            f"from {module.__name__} import *  # noqa: F401,F403  (the other layers and constants it uses)"]
    if privates:
        text.append(f"from {module.__name__} import {', '.join(privates)}  # noqa: F401")
    body = _source(backward) if solution else _stub(_source(backward), fname, forward_src, name)
    text += ["", "", forward_src.rstrip(), "", "", body.rstrip(), ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(text))
    return path


def _load(path):
    if not os.path.exists(path):
        raise ValueError(f"--using {path}: no such file; write one with `manual-ae exercise NAME --out {path}`")
    spec = importlib.util.spec_from_file_location(f"exercise_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as err:      # the file itself does not run: where, and what
        raise ValueError(f"--using {path}: {_exception(path, err)}") from None
    return module


@contextlib.contextmanager
def _in_place(replacements):
    """Inside the block, every layer call to a function the file defines runs the file's instead: a
    layer-call observer (layers/kinds.py), so no module of the package is changed."""
    def substitute(kind, direction, fn, args, kwargs):
        return replacements.get(f"{kind}_{direction}", fn)(*args, **kwargs)
    with observing(substitute):
        yield


def _exception(path, err):
    """'exception: FILE:LINE: Type: message', the line the last of the learner's file in the traceback
    (a syntax error's own line)."""
    import traceback as tb
    frames = [f for f in tb.extract_tb(err.__traceback__) if os.path.abspath(f.filename) == os.path.abspath(path)]
    line = getattr(err, "lineno", None) or (frames[-1].lineno if frames else None)
    where = f"{os.path.basename(path)}:{line}" if line else os.path.basename(path)
    message = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"exception: {where}: {type(err).__name__}: {message}"


def exception_row(entry, path, err, out=print, traceback=False):
    """One failing row for a backward that raised, saying where in the learner's file and what (the
    whole traceback printed first with `traceback`)."""
    import traceback as tb
    from manual_ae.gradcheck.core import Row
    if traceback:
        out("".join(tb.format_exception(err)).rstrip())
    inf = float("inf")
    return Row(entry, "(all)", (), inf, inf, inf, inf, diagnosis=_exception(path, err))


def _check_warmup(path, mine, seed, out, json_path, traceback):
    """The scalar warm-up: the file's expression_backward against the tape and finite differences."""
    import numpy as np

    from manual_ae.gradcheck import path as learning
    from manual_ae.gradcheck.core import check_layer
    from manual_ae.gradcheck.report import table
    forward = mine.get("expression_forward", learning.expression_forward)
    try:
        rows = check_layer("scalar warm-up", forward, mine["expression_backward"],
                           learning.warmup_inputs(np.random.default_rng(seed)), ("a", "b", "c"), ("a", "b", "c"), seed)
    except NotImplementedError:
        raise BlankExercise(f"blank: {path}: expression_backward is still blank. Write its body, then run this "
                            "check again.") from None
    except Exception as err:
        rows = [exception_row("scalar warm-up", path, err, out, traceback)]
    rows = table([(f"scalar warm-up [{os.path.basename(path)}]", rows, None)], out, json_path)
    failures = [r for r in rows if not r.passed]
    out(f"{len(rows) - len(failures)} of {len(rows)} gradients PASS")
    return rows, failures


def check_file(path, names=None, seed=0, out=print, json_path=None, traceback=False):
    """Check the backward(s) written in `path` against every registry entry of their layers. An
    exception in the file is one failing row naming its file:line (the whole traceback with
    `traceback`); a blank backward raises BlankExercise."""
    from manual_ae.gradcheck import model_exercise
    from manual_ae.gradcheck.report import table
    module = _load(path)
    if hasattr(module, "MODEL") and callable(getattr(module, "backward", None)):      # a model's exercise
        if names and module.MODEL not in names:
            raise ValueError(f"--using {path}: that file is the exercise of {module.MODEL}, not {', '.join(names)}")
        return model_exercise.check(path, module, seed, out, json_path, traceback)
    mine = {n: fn for n, fn in vars(module).items() if callable(fn) and getattr(fn, "__module__", None) ==
            module.__name__}    # the functions written in the file, not the ones it imports
    if "expression_backward" in mine:                   # the scalar warm-up
        return _check_warmup(path, mine, seed, out, json_path, traceback)
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
                    rows = [exception_row(entry.name, path, err, out, traceback)]
                items.append((f"{entry.name} [{os.path.basename(path)}]", rows, None))
    rows = table(items, out, json_path)
    failures = [r for r in rows if not r.passed]
    out(f"{len(rows) - len(failures)} of {len(rows)} gradients PASS" + ("" if not failures else
                                                                        ": see the FAILS lines above"))
    return rows, failures
