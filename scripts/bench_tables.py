"""The speed tables of docs/speed.md, written from the benchmark's JSON files (`manual-ae bench ... --json`).

    python scripts/bench_tables.py                 # the committed benches and sweeps -> docs/speed.md
    python scripts/bench_tables.py logs/bench_stacked_b32.json logs/bench_conv_b32.json   # some benches only
    python scripts/bench_tables.py --print         # print the tables, leave docs/speed.md alone
    python scripts/bench_tables.py --check         # exit 1 if docs/speed.md's tables differ from the JSON

A JSON file from `manual-ae bench MODEL --sweep ... --json F` is a sweep: its table (and the plot
beside it, F with .png for .json under docs/figures/) goes between the sweep markers; a bench's
between the bench markers. Each pair of marker comments of docs/speed.md (BEGIN and END below)
encloses generated text; the prose around them is written by hand and never touched.
"""
import argparse
import json
import pathlib
import sys

from manual_ae import bench

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "speed.md"
DEFAULT = ["logs/bench_stacked_b32.json", "logs/bench_stacked_b256.json", "logs/bench_conv_b32.json",
           "logs/bench_recurrent_b32.json", "logs/bench_sweep_stacked_batch.json", "logs/bench_sweep_conv_batch.json",
           "logs/bench_sweep_conv_width.json", "logs/bench_sweep_recurrent_batch.json"]
BEGIN = "<!-- bench tables: begin"
END = "<!-- bench tables: end -->"
SWEEP_BEGIN = "<!-- sweep tables: begin"
SWEEP_END = "<!-- sweep tables: end -->"


def load(paths):
    """(bench results, [(sweep, its plot's path relative to docs/)]) from JSON files."""
    benches, sweeps = [], []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        if "points" in result:
            sweeps.append((result, f"figures/{pathlib.Path(path).stem}.png"))
        else:
            benches.append(result)
    return benches, sweeps


def tables(paths):
    """The bench tables' text and the sweeps' text (tables and plots)."""
    benches, sweeps = load(paths)
    sweep_text = "\n\n".join(f"{bench.sweep_markdown(swept)}\n\n![{swept['model']}: seconds per epoch and fraction "
                              f"of the matmul peak against {swept['key']}]({plot})" for swept, plot in sweeps)
    return (bench.markdown(benches) if benches else ""), sweep_text


def with_tables(text, table_text, doc=DOC, begin=BEGIN, end=END):
    """`text` (docs/speed.md) with the part between its marker lines replaced by `table_text`."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(begin)]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise SystemExit(f"{doc}: expected one line starting {begin!r} and, after it, one line {end!r}")
    return "\n".join(lines[:starts[0] + 1] + [""] + table_text.split("\n") + [""] + lines[ends[0]:])


def main(argv=None):
    p = argparse.ArgumentParser(description="Write docs/speed.md's tables from `manual-ae bench --json` files.")
    p.add_argument("json", nargs="*", help=f"bench results (default: {' '.join(DEFAULT)})")
    p.add_argument("--doc", default=str(DOC), help="the page to update (default: docs/speed.md)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--print", action="store_true", help="print the tables instead of writing the page")
    mode.add_argument("--check", action="store_true", help="exit 1 if the page's tables differ from the JSON")
    args = p.parse_args(argv)
    table_text, sweep_text = tables(args.json or [str(ROOT / path) for path in DEFAULT])
    if args.print:
        print(table_text + "\n\n" + sweep_text)
        return 0
    doc = pathlib.Path(args.doc)
    old = doc.read_text(encoding="utf-8")
    new = old
    if table_text:
        new = with_tables(new, table_text, doc)
    if sweep_text:
        new = with_tables(new, sweep_text, doc, SWEEP_BEGIN, SWEEP_END)
    if args.check:
        print(f"{doc}: tables up to date" if new == old else f"{doc}: tables differ from the JSON files")
        return 0 if new == old else 1
    if new != old:
        doc.write_text(new, encoding="utf-8")
    print(f"{doc}: tables {'written' if new != old else 'unchanged'} ({len(args.json or DEFAULT)} benches)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
