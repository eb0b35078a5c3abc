"""The gradient-check report: a table a student can read, one row per parameter."""
import time

from manual_ae.gradcheck.core import EXPECTED
from manual_ae.gradcheck.registry import all_checks, eigen_variants_note


def select(names):
    """Checks by name: 'all', a layer name, a model name, or 'model:NAME'."""
    checks = all_checks()
    if not names or "all" in names:
        return checks
    chosen = {}
    for name in names:
        key = name if name in checks else f"model:{name}"
        if key not in checks:
            raise ValueError(f"no gradient check named {name!r}; choose from: all, "
                             + ", ".join(k.replace("model:", "") for k in checks))
        chosen[key] = checks[key]
    return chosen


def run(names=None, out=print, seed=0):
    """Run the chosen checks, print the table, return (rows, failures)."""
    checks = select(names)
    out("Gradient check: hand-written backward vs tf.GradientTape vs centered finite differences (float64)")
    out(EXPECTED)
    out("error = max|hand - ref| / max(max|hand|, max|ref|)")
    out("")
    header = f"{'name':<40} {'param':<14} {'shape':<12} {'vs tape':>10} {'vs numeric':>11}  result"
    out(header)
    out("-" * len(header))
    rows, t0 = [], time.perf_counter()
    for key, fn in checks.items():
        for row in fn(seed):
            rows.append(row)
            shape = "x".join(str(s) for s in row.shape) or "scalar"
            label = key if row.entry in key else row.entry   # a check with several parts names each
            out(f"{label:<40} {row.param:<14} {shape:<12} {row.err_tape:>10.1e} {row.err_num:>11.1e}  "
                f"{'PASS' if row.passed else 'FAIL'}")
    failures = [r for r in rows if not r.passed]
    out("-" * len(header))
    if any(key.startswith("eigen_projection") for key in checks):
        for line in eigen_variants_note(seed):
            out(line)
    out(f"{len(checks)} entries, {len(rows)} gradients: {len(rows) - len(failures)} PASS, {len(failures)} FAIL "
        f"({time.perf_counter() - t0:.1f}s)")
    return rows, failures
