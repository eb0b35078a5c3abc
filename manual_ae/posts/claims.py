"""Judging a post's claim over seeds: mean ± sd, and how many seed-by-seed comparisons hold.

`results` is label -> list of metrics dictionaries, one per seed (manual_ae/train/reference.py
reads them back from logs/<post>/).
"""
import statistics


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
