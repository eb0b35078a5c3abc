"""Every reference training of the Fashion-MNIST family (posts 003/004), end to end, timed.

Writes each run to runs/ref-<model>/, copies its train.log and metrics.json to logs/, and writes
logs/fashion_family_timing.json with the wall time of each and of the whole.

    python scripts/reference_runs_fashion_family.py [--only conv recurrent ...]
"""
import argparse
import json
import os
import shutil
import time


CASES = ["tied", "greedy", "conv", "recurrent", "denoising-gaussian", "denoising-dropout", "sparse-l1", "sparse-kl",
         "vae"]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--only", nargs="*", choices=CASES)
    args = p.parse_args()
    import tensorflow as tf

    from manual_ae.train import RunConfig, run
    tf.get_logger().setLevel("ERROR")
    timing, t_all = {}, time.perf_counter()
    for name in args.only or CASES:
        out = os.path.join("runs", f"ref-{name}")
        t0 = time.perf_counter()
        run(RunConfig(name, out=out, progress=False, overwrite=True))
        timing[name] = round(time.perf_counter() - t0, 1)
        runs = [os.path.join(out, s) for s in sorted(os.listdir(out))] if name == "greedy" else [out]
        for folder in (r for r in runs if os.path.isdir(r) and os.path.exists(os.path.join(r, "train.log"))):
            tag = name + ("-" + os.path.basename(folder) if folder != out else "")
            shutil.copy(os.path.join(folder, "train.log"), os.path.join("logs", f"{tag}.log"))
            shutil.copy(os.path.join(folder, "metrics.json"), os.path.join("logs", f"{tag}.metrics.json"))
        print(f"== {name}: {timing[name]:.0f} s", flush=True)
    path = os.path.join("logs", "fashion_family_timing.json")
    if args.only and os.path.exists(path):  # a partial re-run updates its cases, keeps the full run's total
        with open(path, encoding="utf-8") as f:
            timing = {**json.load(f), **timing}
    else:
        timing["total"] = round(time.perf_counter() - t_all, 1)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(timing, f, indent=2)
    print(f"== all: {(time.perf_counter() - t_all) / 60:.1f} min")


if __name__ == "__main__":
    main()
