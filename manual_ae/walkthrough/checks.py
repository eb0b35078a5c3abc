"""Part 4 of a walkthrough: the gradient check of every layer kind the model calls (its kinks and
clip edges included) and of the model itself, as a compact table that fits a notebook. The rows are
the checks' own (gradcheck/report.py runs them, gradcheck/render.py draws them); the doc links are
the layer kinds' declarations (layers/kinds.py)."""
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


def kinds_called(models):
    """The layer kinds the models' forward calls, in order, with the activations they were given
    ("dense_act" then "selu"): traced from one step on a small batch."""
    from manual_ae import trace
    kinds = []
    for model in models:
        w = model.init_weights(np.random.default_rng(0), np.float32)
        x = np.asarray(model.gradcheck_input(np.random.default_rng(0), 2), np.float32)
        calls, _, _, _ = trace.one_step(model, w, x)
        for c in calls:
            if c.direction == "forward":
                kinds += [k for k in [c.kind] + [a for a in c.args if isinstance(a, str)] if k not in kinds]
    return kinds


def show_model_checks(models, layers=True):
    """The models' rows of the gradient-check report and, with `layers`, the rows of every layer kind
    they call, each kind's docs page linked. Returns the failing rows."""
    from manual_ae.gradcheck.registry import entries_of
    from manual_ae.layers.kinds import KINDS
    kinds = kinds_called(models)
    checked = [checked_as(m) for m in models]
    covered = [k for k in kinds if entries_of(k)] if layers else []
    entries = [e for k in covered for e in entries_of(k)]
    names = list(dict.fromkeys([e.name for e in entries if not e.odd_shape] + checked))
    odd = len({e.name for e in entries if e.odd_shape})
    show_text("(the checks of each layer this model calls, at its configurations and other activations, strides "
              "and paddings, its kinks and clip edges; the model's own rows are last"
              + (f"; {odd} more of these layers' checks, at odd shapes (batch 1, odd sizes), are in the full "
                 "report)" if odd else ")"))
    failures = show_checks(names, set(checked))
    links = sorted({KINDS[k].doc_path for k in kinds if k in KINDS})
    show_text(f"derivations: {', '.join(links)}. The full report (every column, the worst entry of each "
              f"gradient; docs/gradient_check.md explains them): manual-ae gradcheck " + " ".join(covered + checked))
    return failures
