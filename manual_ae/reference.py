"""What the reference-run drivers in scripts/ share: run a case into runs/, copy its log and
metrics to logs/<post>/, read them back, and print mean ± sd over seeds."""
import glob
import json
import os
import shutil
import statistics
import time


def run_case(name, seed, logs_dir, label=None, options=None, **kwargs):
    """Train `name` with its post's defaults; copy train.log and metrics.json (without the history)
    to logs_dir as LABEL-seedS.*; return the metrics with the wall time."""
    from manual_ae.cli import run_training
    label = label or name
    out = os.path.join("runs", os.path.basename(logs_dir), f"seed{seed}", label)
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    result = run_training(name, out=out, seed=seed, progress=False, options=options, **kwargs)
    result["wall_seconds"] = round(time.perf_counter() - t0, 1)
    result["label"] = label
    os.makedirs(logs_dir, exist_ok=True)
    shutil.copy(os.path.join(out, "train.log"), os.path.join(logs_dir, f"{label}-seed{seed}.log"))
    result.pop("history", None)
    with open(os.path.join(logs_dir, f"{label}-seed{seed}.metrics.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"== {label} seed {seed}: {result['wall_seconds']:.0f} s", flush=True)
    return result


def load_results(logs_dir):
    """label -> list of metrics dicts, one per seed."""
    results = {}
    for path in sorted(glob.glob(os.path.join(logs_dir, "*.metrics.json"))):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        label = m.get("label") or os.path.basename(path)[:-len(f"-seed{m['seed']}.metrics.json")]
        results.setdefault(label, []).append(m)
    return results


def mean_sd(values, fmt):
    """'m ± sd' over the values that exist, or the value alone, or '-'."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{format(statistics.mean(values), fmt)} ± {format(statistics.stdev(values), fmt)}"


def by_seed(results, label, key):
    return {m["seed"]: key(m) for m in results.get(label, [])}


def count(results, a, b, key, holds):
    """(number of common seeds where holds(key(a), key(b)), number of common seeds)."""
    va, vb = by_seed(results, a, key), by_seed(results, b, key)
    seeds = sorted(set(va) & set(vb))
    return sum(bool(holds(va[s], vb[s])) for s in seeds), len(seeds)


def verdict(parts):
    """'holds (k/n seed comparisons)', 'does not hold (...)' or 'mixed (...)'."""
    held, total = sum(k for k, _ in parts), sum(n for _, n in parts)
    if total == 0:
        return "not measured"
    word = "holds" if held == total else "does not hold" if held == 0 else "mixed"
    return f"{word} ({held}/{total} seed comparisons)"


def write_tables(logs_dir, lines):
    """Write logs_dir/table.md and print it."""
    os.makedirs(logs_dir, exist_ok=True)
    with open(os.path.join(logs_dir, "table.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
