"""Where our training step's time goes, per model: writes logs/bench_profiles.txt.

    python scripts/bench_profiles.py                  # stacked b32 and b256, conv b32 and b256, recurrent b32
    python scripts/bench_profiles.py --out FILE

Each model's step loop (the trainer's, manual_ae/train/graph.py) on 6,400 training images: one session
call of 50 steps timed (after a warm-up call), then 20 steps traced with RunMetadata
(manual_ae.bench.profile, as `manual-ae bench MODEL --profile` does). Shares are of the summed op times:
two cores run ops side by side, so they are shares of work, not of wall time.
"""
import argparse
import datetime
import os
import pathlib
import platform
import time

import numpy as np
import tensorflow as tf

from manual_ae import bench
from manual_ae import data as datasets
from manual_ae.hyper import Hyper
from manual_ae.posts import get_case
from manual_ae.train.graph import StepLoop
from manual_ae.train.trainer import flatten_for

ROOT = pathlib.Path(__file__).resolve().parents[1]
RUNS = [("stacked", 32), ("stacked", 256), ("conv", 32), ("conv", 256), ("recurrent", 32)]
IMAGES, TIMED_STEPS = 6400, 50


def one(model_name, batch_size):
    case = get_case(model_name)
    model = case.model()
    data = datasets.load(case.dataset).subset(IMAGES, 100, 100)
    x = flatten_for(model, data.x_train)
    loop = StepLoop(model, model.init_weights(np.random.default_rng(42), np.float32), x,
                    Hyper(batch_size=batch_size, optimizer="sgd", lr=case.lr, seed=42))
    loop.set_order(np.random.default_rng(42).permutation(len(x)))
    steps = min(TIMED_STEPS, loop.full_steps)
    loop.run(0, steps)                                     # warm-up: the first call builds the kernels
    t0 = time.perf_counter()
    loop.run(0, steps)
    ms = 1000 * (time.perf_counter() - t0) / steps
    shares = bench.profile(loop, steps=20, top=12)
    loop.close()
    lines = [f"{model_name}, batch {batch_size}: {ms:.2f} ms per step ({steps} steps, one session call); "
             "20 steps traced, share of all ops' time:"]
    lines += [f"    {op:<36} {100 * share:5.1f}%" for op, share in shares]
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description="Trace our training step per model: logs/bench_profiles.txt.")
    p.add_argument("--out", default=str(ROOT / "logs" / "bench_profiles.txt"))
    args = p.parse_args(argv)
    head = [f"Where our step's time goes ({datetime.date.today()}, {os.cpu_count()}-core {platform.machine()}, "
            f"TensorFlow {tf.__version__} CPU): each model's step loop on {IMAGES:,} training images, one session",
            f"call of {TIMED_STEPS} steps timed, then 20 steps traced with RunMetadata (manual_ae.bench.profile, also",
            "`manual-ae bench MODEL --profile`). Shares are of the summed op times (two cores run ops side by side,",
            "so they are shares of work, not of wall time). Written by `python scripts/bench_profiles.py`.", ""]
    body = []
    for model_name, batch_size in RUNS:
        lines = one(model_name, batch_size)
        print("\n".join(lines), flush=True)
        body += lines
    pathlib.Path(args.out).write_text("\n".join(head + body) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
