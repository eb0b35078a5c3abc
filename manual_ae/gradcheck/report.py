"""The gradient-check report: a table a student can read, one row per gradient, and under it what
each unusual row means (a check configuration, a gradient that is exactly zero, a kink, a failure's
diagnosis). docs/gradient_check.md explains every column."""
import time

from manual_ae.gradcheck import render
from manual_ae.gradcheck.core import MODEL_NUMERIC_TOL
from manual_ae.gradcheck.registry import all_checks, eigen_variants_note, model_configuration

# What the report says before its table; the first three lines are what a walkthrough shows of it.
HEADER = [
    "Gradient check: hand-written backward vs tf.GradientTape vs centered finite differences (float64)",
    "should be: vs tape <= 1e-9 (same math in float64: usually 1e-16..1e-12);",
    "           vs numeric and direction <= 1e-6 (centered differences, step 1e-5: usually 1e-11..1e-8)",
    f"(a model's numeric tolerance is {MODEL_NUMERIC_TOL:g}: its loss sums thousands of terms, and their",
    " rounding divided by the step reaches 1e-6 of the gradient)",
    "vs tape, vs numeric: max|hand - ref| / max(max|hand|, max|ref|) over the tensor (numeric: the",
    " sampled entries)",
    "element: CS231n's relative error |a - n| / max(|a|, |n|) at the worst sampled entry: about 1e-7",
    " fine, 1e-4 suspicious, 1e-2 wrong (shown, not judged: a tiny entry inflates it)",
    "direction: the slope along one random unit vector, which covers every entry:",
    " |numeric - hand.v| / max(||hand||, ||tape||)",
    "sampled: entries compared with finite differences / entries; worst entry: where hand and tape",
    " differ most, [index] hand / tape / numeric (under a failing row, and for every row in --json)",
]
INTRO = HEADER[:3]


def select(names):
    """Checks by name: 'all', a layer entry's name, a layer's forward (e.g. 'conv2d': every entry
    covering conv2d_forward), a model name, or 'model:NAME'."""
    from manual_ae.gradcheck.registry import entries_of
    checks = all_checks()
    if not names or "all" in names:
        return checks
    chosen = {}
    for name in names:
        covering = [e.name for e in entries_of(name)]
        key = name if name in checks else f"model:{name}"
        if key in checks:
            chosen[key] = checks[key]
        elif covering:
            chosen.update({k: checks[k] for k in covering})
        else:
            raise ValueError(f"no gradient check named {name!r}; choose from: all, "
                             + ", ".join(k.replace("model:", "") for k in checks))
    return chosen


def table(items, out=print, json_path=None):
    """Print the full report table of `items` ((label, rows, note) triples; gradcheck/render.py draws
    it) and, with `json_path`, write its rows as JSON there; returns the rows."""
    for line in render.text(items):
        out(line)
    if json_path:
        render.write_json(json_path, items)
    return [row for _, rows, _ in items for row in rows]


def check(names=None, seed=0):
    """Run the chosen checks; their (label, rows, note) triples, nothing printed."""
    return [(key, fn(seed), model_configuration(key)) for key, fn in select(names).items()]


def closing_lines(items, seconds, seed=0):
    """Under the table: the eigen projection's two variants compared (when checked), then the count."""
    rows = [r for _, rs, _ in items for r in rs]
    failures = [r for r in rows if not r.passed]
    lines = eigen_variants_note(seed) if any(label.startswith("eigen_projection") for label, _, _ in items) else []
    lines = [folded for line in lines for folded in render.wrap(line)]
    return lines + [f"{len(items)} entries, {len(rows)} gradients: {len(rows) - len(failures)} PASS, "
                    f"{len(failures)} FAIL ({seconds:.1f}s)"]


def run(names=None, out=print, seed=0, json_path=None):
    """Run the chosen checks, print the report (and write its rows as JSON to `json_path`), return
    (rows, failures)."""
    select(names)                         # an unknown name fails before the header is printed
    for line in HEADER:
        out(line)
    out("")
    t0 = time.perf_counter()
    items = check(names, seed)
    rows = table(items, out, json_path)
    for line in closing_lines(items, time.perf_counter() - t0, seed):
        out(line)
    return rows, [r for r in rows if not r.passed]
