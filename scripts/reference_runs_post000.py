"""Post 000's six cases (eigen-a ... eigen-f) with the same seeds and budget, timed, and the table
that turns the post's eyeballed claims into numbers (the claims are judged in manual_ae/posts/post000.py).

Each run goes to runs/post000/seed<S>/<case>/; its train.log and metrics.json are copied to
logs/post000/; the table (markdown) is written to logs/post000/table.md from every metrics file
there, so a re-run of some seeds or cases updates it.

    python scripts/reference_runs_post000.py [--seeds 42 1 2] [--only eigen-a eigen-c] [--stop-gradient] [--batch64]
    python scripts/reference_runs_post000.py --table-only
"""
import argparse
import os


from manual_ae.posts import post000  # noqa: E402
from manual_ae.train.reference import load_results, run_case, write_tables  # noqa: E402

LOGS = os.path.join("logs", "post000")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", nargs="*", type=int, default=[42])
    p.add_argument("--only", nargs="*", choices=post000.NAMES)
    p.add_argument("--stop-gradient", action="store_true", help="also run eigen-a with V held constant")
    p.add_argument("--batch64", action="store_true", help="also run c, e and f at batch 64 (first seed only)")
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    if not args.table_only:
        for seed in args.seeds:
            for name in args.only or post000.NAMES:
                run_case(name, seed, LOGS)
            if args.stop_gradient:
                run_case("eigen-a", seed, LOGS, "eigen-a-stopgrad", {"stop_gradient": True})
        for name in ("eigen-c", "eigen-e", "eigen-f") if args.batch64 else ():
            run_case(name, args.seeds[0], LOGS, f"{name}-batch64", batch_size=64)
    write_tables(LOGS, post000.tables(load_results(LOGS)))


if __name__ == "__main__":
    main()
