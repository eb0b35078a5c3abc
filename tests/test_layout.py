"""The layout the package promises (docs/architecture.md): models hold only the math, nothing but
the entry points imports the CLI, and every case names a script that exists."""
import pathlib
import re

from manual_ae.posts import CASES, PIPELINES

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
