"""The committed reference runs (logs/**/*.metrics.json, at the post's settings) and their figures
(docs/figures/), found from what a run is, not from its file names.

A plan's reference run is the committed run of the same model with the same options on the same data
family, preferring the same data set, the same hyperparameters, seed 42, and the shortest label
(`logs/stacked.metrics.json` before `logs/post003/stacked-bce-seed42.metrics.json`). A run's label
is its metrics file's name without `-seedN`; its figures are docs/figures/**/LABEL_*.png (or with
`_` for `-`), not those of a longer label (stacked's are not stacked-mnist's).
"""
import functools
import glob
import json
import os
import re

from manual_ae.walkthrough.display import ROOT

DIGITS = {"mnist", "mnist-5k", "digits"}


@functools.lru_cache(maxsize=1)
def _committed():
    """(path relative to ROOT, metrics) of every committed run, read once per process."""
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "logs", "**", "*.metrics.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            found.append((os.path.relpath(path, ROOT), json.load(f)))
    return tuple(found)


def label_of(path):
    return re.sub(r"-seed\d+$", "", os.path.basename(path).split(".metrics")[0])


def _family(name):
    return "digits" if name in DIGITS else (name or "").split("+")[0]


def _same_model(metrics, model, data_options):
    """Whether a committed run trained this model: the same case name with the options it recorded
    agreeing (an older run recorded fewer, or none), or the same architecture under another name with
    every option equal (`digit-vae --set head=logvar` is the case digit-vae-logvar)."""
    from manual_ae.posts import CASES
    recorded = metrics.get("options")
    mine = json.loads(json.dumps({**data_options, **model.options}))
    if metrics.get("model") == model.name:
        return all(mine.get(k, v) == v for k, v in (recorded or {}).items())
    case = CASES.get(metrics.get("model"))
    return (case is not None and case.architecture is type(model) and recorded is not None
            and all(recorded.get(k) == v for k, v in json.loads(json.dumps(model.options)).items()))


def reference_of(plan):
    """The committed reference run of the single-case plan `plan`, as its metrics with "path" and
    "label" added; None when no committed run matches."""
    model, hyper = plan.model, plan.hyper
    data = plan.data.name if plan.data is not None else plan.case.dataset

    def score(item):
        path, m = item
        differ = sum(m.get(k) != getattr(hyper, k) for k in ("batch_size", "lr", "optimizer"))
        return (m.get("model") != model.name, m.get("dataset") != data, differ, m.get("seed") != 42,
                len(label_of(path)), len(path), path)
    matches = [(p, m) for p, m in _committed() if _same_model(m, model, plan.data_options)
               and _family(m.get("dataset")) == _family(data) and m.get("status", "finished") == "finished"]
    if not matches:
        return None
    path, metrics = min(matches, key=score)
    return metrics | {"path": path, "label": label_of(path)}


def reference_run(label, path=None):
    """The committed run with label `label` (logs/**/LABEL.metrics.json, or LABEL-seed42 where there are
    several seeds), or the metrics file `path`; None if there is none."""
    if path:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            return json.load(f) | {"path": path, "label": label_of(path)}
    found = [p for p, _ in _committed() if os.path.basename(p).split(".metrics")[0] in (label, f"{label}-seed42")]
    return reference_run(label, min(found, key=len)) if found else None


def reference_figures(label):
    """The committed figures of the reference run labelled `label`: docs/figures/**/LABEL.png or
    LABEL_*.png (`_` for `-` too), PNG only, not those of a longer label."""
    from manual_ae.posts import CASES
    labels = {label_of(p) for p, _ in _committed()} | set(CASES)

    def forms(name):
        return {name, name.replace("-", "_")}

    def belongs(stem, name):
        return any(stem == f or stem.startswith(f + "_") for f in forms(name))
    longer = [other for other in labels if other.startswith(label + "-")]
    paths = glob.glob(os.path.join(ROOT, "docs", "figures", "**", "*.png"), recursive=True)
    return sorted(p for p in paths if belongs(os.path.basename(p)[:-4], label)
                  and not any(belongs(os.path.basename(p)[:-4], other) for other in longer))


def named_figures(paths, label, names=None):
    """Of the reference figures `paths` of run `label` (LABEL_name.png), those whose name after the label
    starts as one of `names` does (`reconstructions.png` picks stacked_reconstructions.png), in the order
    of `names`; all of them when `names` is empty or picks none."""
    def rest(path):
        stem = os.path.basename(path)[:-4]
        for form in (label, label.replace("-", "_")):
            if stem.startswith(form + "_"):
                return stem[len(form) + 1:]
        return stem
    chosen = [p for n in (names or []) for p in paths if rest(p).startswith(os.path.splitext(n)[0])]
    return list(dict.fromkeys(chosen)) or list(paths)


def log_lines(metrics_path, most=40):
    """The committed log beside the metrics file `metrics_path` (relative to the repository), at most
    `most` lines: its head and its tail around a line saying how many were left out."""
    path = os.path.join(ROOT, metrics_path.replace(".metrics.json", ".log"))
    if not os.path.exists(path):
        return [f"(no log beside {metrics_path})"]
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    if len(lines) <= most:
        return lines
    head, tail = most // 4, most - most // 4 - 1
    return lines[:head] + [f"... ({len(lines) - head - tail} lines left out: the whole log is {metrics_path[:-13]}.log)"] + lines[-tail:]
