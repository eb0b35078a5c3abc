"""Post 002 end to end, timed: CPPN art and a CPPN fitted to a digit (case a), the 3-D latent AE
with log loss and MSE (case b), the VAE with log loss, squared error and KL alone (case c), and
de-emoji (case d). Logs and metrics go to logs/post002/, the runs to runs/post002/; the table of
the post's claims about the latent space is written to logs/post002/table.md.

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

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from manual_ae.reference import count, load_results, mean_sd, run_case, verdict, write_tables  # noqa: E402

LOGS = os.path.join("logs", "post002")
LATENT = ["ae3d-logloss", "ae3d-mse", "vae3d-logloss", "vae3d-mse", "vae3d-kl"]
GROUPS = {"cppn": [], "ae3d": LATENT[:2], "vae3d": LATENT[2:], "de-emoji": ["de-emoji"]}


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


def widest(m):
    return max(m["range_codes"])


def table(results):
    lines = ["| case | seeds | val loss | val MSE | val log loss (nats/image) | KL (nats/image) | 5-NN of codes "
             "| range per axis (seed 42 or first) | widest axis | s/epoch | wall (s) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label in [k for k in LATENT if k in results]:
        ms = results[label]
        lines.append("| " + " | ".join([
            label, str(len(ms)), mean_sd([m["val_loss"] for m in ms], ".3f"), mean_sd([m["val_mse"] for m in ms], ".4f"),
            mean_sd([m["val_logloss"] for m in ms], ".1f"), mean_sd([m.get("val_kl") for m in ms], ".2f"),
            mean_sd([m["knn5_codes"] for m in ms], ".3f"), str(ms[0]["range_codes"]),
            mean_sd([widest(m) for m in ms], ".2f"), mean_sd([m["seconds_per_epoch"] for m in ms], ".1f"),
            mean_sd([m.get("wall_seconds") for m in ms], ".0f")]) + " |")
    return lines


def claims(results):
    knn = (lambda m: m["knn5_codes"])
    lower = (lambda x, y: x < y)
    chance = 0.2   # 5-NN on 10 balanced classes by chance is about 0.1; well above 0.2 means clusters
    rows = [
        ("the VAE's latent range is much tighter than the plain AE's (widest axis less than half)",
         verdict([count(results, v, a, widest, lambda x, y: x < 0.5 * y)
                  for v, a in (("vae3d-logloss", "ae3d-logloss"), ("vae3d-mse", "ae3d-mse"))])),
        ("the AE clusters digits with both losses (5-NN at least 3x chance, > 0.3)",
         verdict([(sum(knn(m) > 0.3 for m in results.get(k, [])), len(results.get(k, []))) for k in LATENT[:2]])),
        ("the VAE's clusters stay separated with both losses (5-NN at least 0.8x the AE's with the same loss)",
         verdict([count(results, v, a, knn, lambda x, y: x >= 0.8 * y)
                  for v, a in (("vae3d-logloss", "ae3d-logloss"), ("vae3d-mse", "ae3d-mse"))])),
        ("with KL alone the codes collapse toward the prior (widest axis < 0.1, KL < 0.01 nats)",
         verdict([(sum(widest(m) < 0.1 and m["val_kl"] < 0.01 for m in results.get("vae3d-kl", [])),
                   len(results.get("vae3d-kl", [])))])),
        ("with KL alone the codes no longer separate digits (5-NN well below the VAE's)",
         verdict([count(results, "vae3d-kl", "vae3d-logloss", knn, lower)])),
        (f"with KL alone reconstructions are meaningless (log loss far above the VAE's; 5-NN near chance, < {chance})",
         verdict([count(results, "vae3d-kl", "vae3d-logloss", lambda m: m["val_logloss"], lambda x, y: x > 2 * y),
                  (sum(knn(m) < chance for m in results.get("vae3d-kl", [])), len(results.get("vae3d-kl", [])))])),
    ]
    return ["| claim (post 002) | result |", "|---|---|"] + [f"| {c} | {v} |" for c, v in rows]


def de_emoji_lines(results):
    """Leaving the sticker in, against the plain denoiser and the residual one (`residual=true`)."""
    labels = [k for k in ("de-emoji", "de-emoji-residual") if k in results]
    if not labels:
        return []
    ms = {k: results[k] for k in labels}
    base = ms[labels[0]]
    lines = ["| de-emoji (Fashion-MNIST test set) | leaving the sticker in | " + " | ".join(labels) + " |",
             "|---|---|" + "---|" * len(labels)]
    for key, what in (("psnr_covered", "PSNR on covered pixels (dB)"), ("psnr_all", "PSNR on all pixels (dB)")):
        lines.append(f"| {what} | {mean_sd([m[key + '_baseline'] for m in base], '.2f')} | "
                     + " | ".join(mean_sd([m[key + '_output'] for m in ms[k]], '.2f') for k in labels) + " |")
    lines.append("| squared error on covered pixels removed | 0% | "
                 + " | ".join(mean_sd([100 * m["covered_error_removed"] for m in ms[k]], ".1f") + "%" for k in labels)
                 + " |")
    lines.append(f"| MSE on uncovered pixels | {mean_sd([m['mse_uncovered_baseline'] for m in base], '.4f')} | "
                 + " | ".join(mean_sd([m["mse_uncovered_output"] for m in ms[k]], ".4f") for k in labels) + " |")
    lines.append("| wall time (s) | - | " + " | ".join(mean_sd([m.get("wall_seconds") for m in ms[k]], ".0f")
                                                  for k in labels) + " |")
    return lines


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", nargs="*", type=int, default=[42])
    p.add_argument("--only", nargs="*", choices=list(GROUPS))
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    if not args.table_only:
        import tensorflow as tf
        tf.get_logger().setLevel("ERROR")
        groups = args.only or list(GROUPS)
        if "cppn" in groups:
            cppn_runs()
        for seed in args.seeds:
            for group in groups:
                for name in GROUPS[group]:
                    run_case(name, seed, LOGS)
                if group == "de-emoji":
                    run_case("de-emoji", seed, LOGS, "de-emoji-residual", {"residual": True})
    results = load_results(LOGS)
    text = ["# Post 002: the 3-D latent spaces and de-emoji, measured", "",
            "Produced by `python scripts/reference_runs_post002.py` (mean ± sd over seeds where there are several).",
            "Losses per image (nats or squared error summed over 784 pixels), KL per image; 5-NN: a 5-nearest-",
            "neighbour classifier of the test codes (VAE: the mean) against the training codes. Ranges: max - min",
            "of each latent axis over the first 1,000 test images.", ""]
    text += table(results) + [""] + claims(results) + [""] + de_emoji_lines(results) + [""]
    write_tables(LOGS, text)


if __name__ == "__main__":
    main()
