"""Post 002 end to end, timed: CPPN art and a CPPN fitted to a digit (case a), the 3-D latent AE
with log loss and MSE (case b), the VAE with log loss, squared error and KL alone (case c), and
de-emoji (case d). Logs and metrics go to logs/post002/, the runs to runs/post002/; the table of
the post's claims about the latent space (judged in manual_ae/posts/post002.py) is written to
logs/post002/table.md.

    python scripts/reference_runs_post002.py [--seeds 42 1 2] [--only cppn ae3d vae3d de-emoji]
    python scripts/reference_runs_post002.py --table-only
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time


from manual_ae.posts import post002  # noqa: E402
from manual_ae.train.reference import load_results, run_case, write_tables  # noqa: E402

LOGS = os.path.join("logs", "post002")
GROUPS = {"cppn": [], "ae3d": post002.LATENT[:2], "vae3d": post002.LATENT[2:], "de-emoji": ["de-emoji"]}


def cppn_runs():
    """Case a: 1080x1080 RGB art + a z-loop GIF, a 4096x4096 render (tiles), a digit fitted by log loss."""
    out = os.path.join("runs", "post002", "cppn")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(LOGS, exist_ok=True)
    timing = {}
    commands = {
        "art": ["--width", "1080", "--height", "1080", "--channels", "3", "--seed", "3", "--out",
                f"{out}/art-1080.png", "--gif", f"{out}/art-z-loop.gif", "--frames", "36"],
        "art-gray": ["--channels", "1", "--seed", "5", "--activation", "atan", "--out", f"{out}/art-gray-1080.png"],
        "art-4096": ["--width", "4096", "--height", "4096", "--seed", "3", "--out", f"{out}/art-4096.png"],
        "fit-digit": ["--fit", "digit", "--fit-size", "512", "--out", f"{out}/fit-digit.png"],
    }
    for name, args in commands.items():
        t0 = time.perf_counter()
        # /usr/bin/time -v reports the peak memory of the render (the tiles keep it flat)
        cmd = [sys.executable, "-m", "manual_ae", "cppn", *args, "--no-progress"]
        if os.path.exists("/usr/bin/time"):
            cmd = ["/usr/bin/time", "-v"] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        peak = [ln.split(":")[1].strip() for ln in proc.stderr.splitlines() if "Maximum resident set size" in ln]
        timing[name] = {"seconds": round(time.perf_counter() - t0, 1),
                        "peak_rss_mib": round(int(peak[0]) / 1024) if peak else None}
        stem = os.path.splitext(args[args.index("--out") + 1])[0]
        shutil.copy(stem + ".log", os.path.join(LOGS, f"cppn-{name}.log"))
        print(f"== cppn {name}: {timing[name]}", flush=True)
    with open(os.path.join(out, "fit-digit.json"), encoding="utf-8") as f:
        fit = json.load(f)
    summary = {"timing": timing, "fit": {k: fit[k] for k in ("target", "fitted_log_loss", "initial_log_loss",
                                                                "entropy_floor", "mean_abs_error", "steps")}}
    with open(os.path.join(LOGS, "cppn.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", nargs="*", type=int, default=[42])
    p.add_argument("--only", nargs="*", choices=list(GROUPS))
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    if not args.table_only:
        groups = args.only or list(GROUPS)
        if "cppn" in groups:
            cppn_runs()
        for seed in args.seeds:
            for group in groups:
                for name in GROUPS[group]:
                    run_case(name, seed, LOGS)
                if group == "de-emoji":
                    run_case("de-emoji", seed, LOGS, "de-emoji-residual", {"residual": True})
    write_tables(LOGS, post002.tables(load_results(LOGS)))


if __name__ == "__main__":
    main()
