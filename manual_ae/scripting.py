"""What the per-case scripts share: the common flags, training, and a comparison with the post."""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def parse(description, argv=None, extra=None):
    """The flags every script takes (all optional: the defaults are the post's)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--dataset", help="override the post's dataset")
    p.add_argument("--epochs", type=int)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", help="output folder (default runs/<model>-<timestamp>)")
    p.add_argument("--quick", action="store_true", help="a seconds-long smoke run")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--snapshot-every", type=int, help="epochs between figure snapshots (default: 40 per run)")
    if extra:
        extra(p)
    return p.parse_args(argv)


def train_case(model_name, args, **overrides):
    """Train with the post's hyperparameters (plus any overrides) and print ours beside the post's."""
    import tensorflow as tf

    from manual_ae.cli import run_training
    from manual_ae.models import PIPELINES, get_model
    tf.get_logger().setLevel("ERROR")
    result = run_training(model_name, dataset=args.dataset, epochs=args.epochs, seed=args.seed, out=args.out,
                          quick=args.quick, resume=args.resume, snapshot_every=args.snapshot_every,
                          **overrides)
    reference = {} if model_name in PIPELINES else get_model(model_name).reference
    for key, ref in reference.items():
        ours = result.get(key)
        if ours is not None:
            print(f"{key}: ours {ours:.4f}, reference {ref}")
    return result


def train_variants(prefix, kinds, argv, doc):
    """Several variants of one case (denoising-gaussian / -dropout, ...), each in its own folder."""
    args = parse(doc, argv, lambda p: p.add_argument("--only", choices=kinds))
    base = args.out
    for kind in kinds:
        if args.only in (None, kind):
            args.out = os.path.join(base, kind) if base else None
            train_case(f"{prefix}-{kind}", args)
