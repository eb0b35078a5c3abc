"""Post 000's six cases (eigen-a ... eigen-f) with the same seeds and budget, timed, and the table
that turns the post's eyeballed claims into numbers.

Each run goes to runs/post000/seed<S>/<case>/; its train.log and metrics.json are copied to
logs/post000/; the table (markdown) is written to logs/post000/table.md from every metrics file
there, so a re-run of some seeds or cases updates it.

    python scripts/reference_runs_post000.py [--seeds 42 1 2] [--only eigen-a eigen-c] [--stop-gradient]
    python scripts/reference_runs_post000.py --table-only
"""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from manual_ae.reference import count as _count  # noqa: E402
from manual_ae.reference import load_results, mean_sd, run_case, verdict, write_tables  # noqa: E402

CASES = ["eigen-a", "eigen-b", "eigen-c", "eigen-d", "eigen-e", "eigen-f"]
LOGS = os.path.join("logs", "post000")


def run(name, seed, stop):
    label = name + ("-stopgrad" if stop else "")
    run_case(name, seed, LOGS, label, {"stop_gradient": True} if stop else None)


def decoder_knn(m):
    """k-NN accuracy of the 3-D code the decoder reads (projected for a, b, d)."""
    return m.get("knn5_projected", m.get("knn5_codes"))


def table(results):
    lines = ["| case | seeds | val loss (MSE + log loss) | val MSE | 5-NN, 3-D codes | 5-NN, projected codes "
             "| 5-NN, decoder's input | largest latent range | s/epoch | wall (s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label in sorted(results):
        ms = results[label]
        lines.append("| " + " | ".join([
            label, str(len(ms)), mean_sd([m["val_loss"] for m in ms], ".2f"), mean_sd([m["val_mse"] for m in ms], ".4f"),
            mean_sd([m.get("knn5_codes") for m in ms], ".3f"), mean_sd([m.get("knn5_projected") for m in ms], ".3f"),
            mean_sd([decoder_knn(m) for m in ms], ".3f"),
            mean_sd([max(m.get("max_range_codes", 0), m.get("max_range_projected", 0)) for m in ms], ".1f"),
            mean_sd([m["seconds_per_epoch"] for m in ms], ".1f"), mean_sd([m.get("wall_seconds") for m in ms], ".0f")])
            + " |")
    return lines


def claims(results):
    loss, knn = (lambda m: m["val_loss"]), decoder_knn
    rng = (lambda m: max(m.get("max_range_codes", 0), m.get("max_range_projected", 0)))
    lower, higher = (lambda x, y: x < y), (lambda x, y: x > y)
    rows = []

    rows.append(("a and b reconstruct worse than c (higher val loss)",
                 verdict([_count(results, x, "eigen-c", loss, higher) for x in ("eigen-a", "eigen-b")])))
    rows.append(("a's and b's projected codes separate digits worse than their own codes before projection",
                 verdict([_within(results, x) for x in ("eigen-a", "eigen-b")])))
    rows.append(("a's and b's projected codes separate digits worse than c's codes",
                 verdict([_count(results, x, "eigen-c", knn, lower) for x in ("eigen-a", "eigen-b")])))
    rows.append(("c reconstructs best (lowest val loss of all six)",
                 verdict([_count(results, "eigen-c", x, loss, lower) for x in CASES if x != "eigen-c"])))
    rows.append(("c separates digits best (highest 5-NN of the decoder's input)",
                 verdict([_count(results, "eigen-c", x, knn, higher) for x in CASES if x != "eigen-c"])))
    rows.append(("d's latent is compact (smaller range than c's)",
                 verdict([_count(results, "eigen-d", "eigen-c", rng, lower)])))
    rows.append(("d's latent is poorly clustered (lower 5-NN than c)",
                 verdict([_count(results, "eigen-d", "eigen-c", knn, lower)])))
    rows.append(("e is at least as good as c in reconstruction (val loss <= c's)",
                 verdict([_count(results, "eigen-e", "eigen-c", loss, lambda x, y: x <= y)])))
    rows.append(("e is at least as good as c in separation (5-NN >= c's)",
                 verdict([_count(results, "eigen-e", "eigen-c", knn, lambda x, y: x >= y)])))
    rows.append(("f fails: worse than c in reconstruction",
                 verdict([_count(results, "eigen-f", "eigen-c", loss, higher)])))
    rows.append(("f fails: worse than c in separation",
                 verdict([_count(results, "eigen-f", "eigen-c", knn, lower)])))
    return ["| claim (post 000) | result |", "|---|---|"] + [f"| {c} | {v} |" for c, v in rows]


def _within(results, label):
    """(seeds where the projected codes' 5-NN is below the unprojected codes', seeds)."""
    ms = [m for m in results.get(label, []) if m.get("knn5_projected") is not None]
    return sum(m["knn5_projected"] < m["knn5_codes"] for m in ms), len(ms)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", nargs="*", type=int, default=[42])
    p.add_argument("--only", nargs="*", choices=CASES)
    p.add_argument("--stop-gradient", action="store_true", help="also run eigen-a with V held constant")
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    if not args.table_only:
        import tensorflow as tf
        tf.get_logger().setLevel("ERROR")
        for seed in args.seeds:
            for name in args.only or CASES:
                run(name, seed, False)
            if args.stop_gradient:
                run("eigen-a", seed, True)
    results = load_results(LOGS)
    text = ["# Post 000: the six cases, measured", "",
            "Produced by `python scripts/reference_runs_post000.py` (mean ± sd over seeds where there are several).",
            "Validation loss = MSE + log loss summed over the pixels (nats per image), evaluated in batches of 20.",
            "5-NN: accuracy of a 5-nearest-neighbour classifier of the test codes against the training codes.", ""]
    text += table(results) + [""] + claims(results) + [""]
    write_tables(LOGS, text)


if __name__ == "__main__":
    main()
