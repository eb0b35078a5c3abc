"""The gradient-check report: a table a student can read, one row per gradient, and under it what
each unusual row means (a check configuration, a gradient that is exactly zero, a kink, a failure's
diagnosis). docs/gradient_check.md explains every column."""
import time

from manual_ae.gradcheck.core import ELEMENT_SCALE, EXPECTED, MODEL_NUMERIC_TOL
from manual_ae.gradcheck.registry import all_checks, eigen_variants_note, model_configuration

HEADER = [
    "Gradient check: hand-written backward vs tf.GradientTape vs centered finite differences (float64)",
    EXPECTED,
    f"(a model's numeric tolerance is {MODEL_NUMERIC_TOL:g}: its loss sums thousands of terms, and their rounding "
    "divided by the step reaches 1e-6 of the gradient)",
    "vs tape, vs numeric: max|hand - ref| / max(max|hand|, max|ref|) over the tensor (numeric: the sampled entries)",
    ELEMENT_SCALE,
    "direction: the slope along one random unit vector, which covers every entry: |numeric - hand.v| / "
    "max(||hand||, ||tape||)",
    "sampled: entries compared with finite differences / entries; worst: where hand and tape differ most, "
    "[index] hand / tape / numeric",
]


def select(names):
    """Checks by name: 'all', a layer entry's name, a layer's forward (e.g. 'conv2d': every entry
    covering conv2d_forward), a model name, or 'model:NAME'."""
    from manual_ae.gradcheck.registry import LAYER_TABLE
    checks = all_checks()
    if not names or "all" in names:
        return checks
    chosen = {}
    for name in names:
        covering = [e.name for e in LAYER_TABLE if e.covers == f"{name}_forward"]
        key = name if name in checks else f"model:{name}"
        if key in checks:
            chosen[key] = checks[key]
        elif covering:
            chosen.update({k: checks[k] for k in covering})
        else:
            raise ValueError(f"no gradient check named {name!r}; choose from: all, "
                             + ", ".join(k.replace("model:", "") for k in checks))
    return chosen


def _fmt_worst(row):
    if not row.worst:
        return "-"
    index, hand, tape, num = row.worst
    return f"[{','.join(map(str, index))}] {hand:.3e} / {tape:.3e} / {num:.3e}"


def table(items, out=print):
    """items: (label, rows, note) triples. Prints the aligned table and the notes under it; returns
    the rows."""
    width = max([len("name")] + [len(label if row.entry in label else row.entry)
                                 for label, rows, _ in items for row in rows])
    header = (f"{'name':<{width}}  {'param':<16} {'shape':<13} {'vs tape':>8} {'vs numeric':>10} {'element':>8} "
              f"{'direction':>9} {'sampled':>13}  {'result':<11} worst entry")
    out(header)
    out("-" * len(header))
    notes, all_rows = [], []
    for label, rows, note in items:
        for row in rows:
            all_rows.append(row)
            name = label if row.entry in label else row.entry   # a check with several parts names each
            shape = "x".join(str(s) for s in row.shape) or "scalar"
            direction = f"{row.err_dir:9.1e}" if "direction" not in row.kinks else f"{'kink':>9}"
            out(f"{name:<{width}}  {row.param:<16} {shape:<13} {row.err_tape:8.1e} {row.err_num:10.1e} "
                f"{row.err_elem:8.1e} {direction} {f'{row.sampled}/{row.size}':>13}  {row.result:<11} "
                f"{_fmt_worst(row)}")
            if row.zero:
                notes.append(f"{name} {row.param}: its gradient is zero on both sides: {row.zero}")
            places = [f"entry {list(k)}" for k in row.kinks if k != "direction"]
            places += ["the random direction"] if "direction" in row.kinks else []
            if places:
                notes.append(f"{name} {row.param}: a kink inside the finite-difference step at {', '.join(places)}: "
                             "not judged there (the steps h and h/2, or the two sides, disagree)")
            if row.diagnosis:
                notes.append(f"{name} {row.param} FAILS: {row.diagnosis}")
        if rows and rows[0].tape_only:     # the entry's inputs sit on a kink or clip edge: one note for it
            notes.append(f"{label}: judged against the tape only: {rows[0].tape_only}")
        if note:
            notes.append(f"{label}: {note}")
    out("-" * len(header))
    for line in notes:
        out(line)
    return all_rows


def run(names=None, out=print, seed=0):
    """Run the chosen checks, print the report, return (rows, failures)."""
    checks = select(names)
    for line in HEADER:
        out(line)
    out("")
    t0 = time.perf_counter()
    items = [(key, fn(seed), model_configuration(key)) for key, fn in checks.items()]
    rows = table(items, out)
    failures = [r for r in rows if not r.passed]
    if any(key.startswith("eigen_projection") for key in checks):
        for line in eigen_variants_note(seed):
            out(line)
    out(f"{len(checks)} entries, {len(rows)} gradients: {len(rows) - len(failures)} PASS, {len(failures)} FAIL "
        f"({time.perf_counter() - t0:.1f}s)")
    return rows, failures


def summary_lines(results):
    """One line per registry entry: the worst vs tape and vs numeric over its gradients (pytest's summary)."""
    width = max([len(k) for k in results] + [4])
    lines = [f"{'gradient check':<{width}}  {'worst vs tape':>13} {'worst vs numeric':>16}  result"]
    for key, rows in results.items():
        tape = max((r.err_tape for r in rows), default=0.0)
        judged = [r.err_num for r in rows if not r.tape_only]
        num = f"{max(judged):16.1e}" if judged else f"{'(tape only)':>16}"
        lines.append(f"{key:<{width}}  {tape:13.1e} {num}  "
                     f"{'PASS' if all(r.passed for r in rows) else 'FAIL'}")
    return lines

