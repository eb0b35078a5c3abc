"""Part 4 of a walkthrough: the gradient check of every layer kind the model calls (its kinks and
clip edges included) and of the model itself, as a compact table that fits a notebook. The rows are
the checks' own (gradcheck/report.py runs them, gradcheck/render.py draws them); the doc links are
the layer kinds' declarations (layers/kinds.py)."""
import inspect
import re
import time

import numpy as np

from manual_ae.walkthrough.display import show_text


def show_checks(names, models=()):
    """Gradient-check entries `names` as a compact table (check, gradient, shape, vs tape, vs numeric,
    direction, result), the notes and the count under it. `models`: the entries to label "model".
    Returns the failing rows."""
    from manual_ae.gradcheck import render, report
    t0 = time.perf_counter()
    items = report.check(names)
    lines = render.compact(items, set(models)) + report.closing_lines(items, time.perf_counter() - t0)
    show_text(report.INTRO + [""] + lines)
    return [r for _, rows, _ in items for r in rows if not r.passed]


def checked_as(model):
    """The gradient-check entry of a configured model: the case with the same architecture and options
    (`digit-vae --set head=logvar` is checked as `digit-vae-logvar`), else the model's own name."""
    from manual_ae.posts import CASES
    if model.name in CASES and CASES[model.name].model().options == model.options:
        return model.name
    same = [c.name for c in CASES.values() if c.architecture is type(model) and c.model().options == model.options]
    return same[0] if same else model.name


SANDWICHED = {"conv_act_pool": "conv2d", "conv_transpose_act": "conv2d_transpose"}   # layers/sandwich.py


def kinds_called(models, configs=None):
    """The layer kinds the models' forward calls, in order, with the activations they were given
    ("dense_act" then "selu"): traced from one step on a small batch. `configs` (a dict, filled when
    given): kind -> the (padding, stride) pairs its calls used."""
    from manual_ae import trace
    from manual_ae.layers.kinds import kind_of
    kinds = []
    for model in models:
        w = model.init_weights(np.random.default_rng(0), np.float32)
        x = np.asarray(model.gradcheck_input(np.random.default_rng(0), 2), np.float32)
        calls, _, _, _ = trace.one_step(model, w, x)
        for c in calls:
            if c.direction == "forward":
                kinds += [k for k in [c.kind] + [a for a in c.args if isinstance(a, str)] if k not in kinds]
                fn = kind_of(c.function).forward.layer_function
                bound = inspect.signature(fn).bind(*c.args, **c.kwargs)
                bound.apply_defaults()                  # a default stride or padding counts as used
                given = bound.arguments
                if configs is not None and "padding" in given and "stride" in given:
                    for kind in filter(None, (c.kind, SANDWICHED.get(c.kind))):   # a sandwich's convolution too
                        configs.setdefault(kind, set()).add((given["padding"], int(given["stride"])))
    return kinds


def _used(entry, configs):
    """Whether a check entry's configuration is one the model uses (an entry that names a padding and
    a stride, "conv2d (SAME, stride 2)", against the calls'; every other entry is)."""
    found = re.search(r"\((SAME|VALID), stride (\d+)\)", entry.name)
    return not found or entry.kind not in configs or (found.group(1), int(found.group(2))) in configs[entry.kind]


def show_model_checks(models, layers=True):
    """The models' rows of the gradient-check report and, with `layers`, the rows of every layer kind
    they call, each kind's docs page linked. Returns the failing rows."""
    from manual_ae.gradcheck.registry import entries_of
    from manual_ae.layers.kinds import KINDS
    configs = {}
    kinds = kinds_called(models, configs)
    checked = [checked_as(m) for m in models]
    covered = [k for k in kinds if entries_of(k)] if layers else []
    entries = [e for k in covered for e in entries_of(k)]
    names = list(dict.fromkeys([e.name for e in entries if not e.odd_shape and _used(e, configs)] + checked))
    odd = len({e.name for e in entries if e.odd_shape or not _used(e, configs)})
    from manual_ae.gradcheck.render import wrap
    show_text(wrap("(the checks of each layer this model calls, at its configurations and other activations, "
                   "its kinks and clip edges; the model's own rows are last"
                   + (f"; {odd} more of these layers' checks, at odd shapes (batch 1, odd sizes) or strides and "
                      "paddings this model does not use, are in the full report)" if odd else ")"), ""))
    failures = show_checks(names, set(checked))
    links = sorted({KINDS[k].doc_path for k in kinds if k in KINDS})
    show_text(wrap(f"derivations: {', '.join(links)}. The full report (every column; docs/gradient_check.md "
                   f"explains them): manual-ae gradcheck " + " ".join(covered + checked), ""))
    return failures
