"""The README's speed tables, printed from the benchmark's JSON files (`manual-ae bench ... --json`).

    python scripts/bench_tables.py logs/bench_stacked_b32.json logs/bench_stacked_b256.json \
        logs/bench_conv_b32.json logs/bench_recurrent_b32.json
"""
import json
import sys

from manual_ae import bench

DEFAULT = ["logs/bench_stacked_b32.json", "logs/bench_stacked_b256.json", "logs/bench_conv_b32.json",
           "logs/bench_recurrent_b32.json"]


def main(argv=None):
    paths = (argv if argv is not None else sys.argv[1:]) or DEFAULT
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            results.append(json.load(f))
    print(bench.markdown(results))


if __name__ == "__main__":
    main()
