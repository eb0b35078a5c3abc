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
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="a model option (see `manual-ae list`)")
    p.add_argument("--post-size", action="store_true",
                   help="the post's full layer widths where the default is smaller (slow on a CPU)")
    if extra:
        extra(p)
    return p.parse_args(argv)


def train_case(model_name, args, **overrides):
    """Train with the post's hyperparameters (plus any overrides) and print ours beside the post's."""
    import tensorflow as tf

    from manual_ae.cli import run_training
    from manual_ae.models import PIPELINES, get_model
    from manual_ae.cli import parse_options
    tf.get_logger().setLevel("ERROR")
    options = {}
    if model_name not in PIPELINES:
        options = {}
        if getattr(args, "post_size", False):
            options = dict(get_model(model_name).post_size_options)
            if not options:
                raise SystemExit(f"--post-size: {model_name} has no larger published size (the post never gave "
                                 "its layer sizes); use --set channels=... to widen it")
        options.update(parse_options(model_name, getattr(args, "set", None)))
    result = run_training(model_name, dataset=args.dataset, epochs=args.epochs, seed=args.seed, out=args.out,
                          quick=args.quick, resume=args.resume, snapshot_every=args.snapshot_every,
                          options=options, **overrides)
    reference = {} if model_name in PIPELINES else get_model(model_name).reference
    for key, ref in reference.items():
        ours = result.get(key)
        if ours is not None:
            print(f"{key}: ours {ours:.4f}, reference {ref}")
    return result


def train_variants(prefix, kinds, argv, doc):
    """Several variants of one case (denoising-gaussian / -dropout, ...), each in its own folder."""
    args = parse(doc, argv, lambda p: p.add_argument("--only", choices=kinds))
    base, results = args.out, {}
    for kind in kinds:
        if args.only in (None, kind):
            args.out = os.path.join(base, kind) if base else None
            results[f"{prefix}-{kind}"] = train_case(f"{prefix}-{kind}", args)
    return results


def print_eigen_summary(result):
    """The numbers post 000 shows only as pictures (its cases a-f)."""
    print(f"final validation loss {result['val_loss']:.2f} (MSE {result['val_mse']:.4f}, "
          f"log loss {result['val_logloss']:.2f} nats per image)")
    for key, what in (("knn5_codes", "3-D codes"), ("knn5_projected", "projected 3-D codes"),
                      ("knn5_hidden", "50-D hidden layer"), ("knn5_hidden_projected", "projected 50-D layer")):
        if key in result:
            print(f"5-NN accuracy of the {what}: {result[key]:.4f}")
    for key in ("range_codes", "range_projected"):
        if key in result:
            print(f"{key.replace('_', ' of the ')} (per axis): {result[key]}")
