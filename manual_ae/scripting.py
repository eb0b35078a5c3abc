"""What the per-case scripts share: the common flags, a training run with the post's settings, and
our numbers beside the published ones. The scripts call these; none of it imports the CLI."""
import argparse
import os
import sys



def parse(description, argv=None, extra=None):
    """The flags every script takes (all optional: the defaults are the post's)."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", help="override the post's dataset")
    p.add_argument("--data-dir", help="folder holding the dataset's files (used as given)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", help="output folder (default runs/<model>-<timestamp>)")
    p.add_argument("--quick", action="store_true", help="a seconds-long smoke run")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--overwrite", action="store_true", help="replace the run already in --out")
    p.add_argument("--snapshot-every", type=int, help="epochs between figure snapshots (default: 40 per run)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="a model option (see `manual-ae list`)")
    p.add_argument("--verbose", action="store_true", help="show TensorFlow's C++ start-up lines")
    p.add_argument("--post-size", action="store_true",
                   help="the post's full layer widths where the default is smaller (slow on a CPU)")
    if extra:
        extra(p)
    return p.parse_args(argv)


def config(name, args, **overrides):
    """The RunConfig of a script's flags for case `name` (--post-size and --set turned into options)."""
    from manual_ae.posts import get_case
    from manual_ae.train import RunConfig, options_from_flags
    options = {}
    if getattr(args, "post_size", False):
        post_size = getattr(get_case(name), "post_size_options", None)
        if not post_size:
            raise SystemExit(f"--post-size: {name} has no larger published size (the post never gave "
                             "its layer sizes); use --set channels=... to widen it")
        options = dict(post_size)
    options.update(options_from_flags(name, getattr(args, "set", None)))
    fields = dict(dataset=args.dataset, data_dir=getattr(args, "data_dir", None), epochs=args.epochs, seed=args.seed,
                  out=args.out, quick=args.quick, resume=args.resume, overwrite=getattr(args, "overwrite", False),
                  snapshot_every=args.snapshot_every, options=options)
    fields.update(overrides)
    return RunConfig(name, **fields)


def train_case(name, args, compare=True, **overrides):
    """Train case `name` with the post's hyperparameters (plus any overrides) and, with `compare`,
    print ours beside the post's (a walkthrough shows them as a table instead). Bad input ends the script with a one-line error (exit 2), a diverged run
    with exit 3, as `manual-ae train` does."""
    import tensorflow as tf

    from manual_ae import data as datasets
    from manual_ae.data import DataError
    from manual_ae.posts import Pipeline, get_case
    from manual_ae.posts.common import print_reference
    from manual_ae.train import ResumeError, RunExistsError, TrainingDiverged, run
    tf.get_logger().setLevel("ERROR")
    try:
        result = run(config(name, args, **overrides))
    except (DataError, ResumeError, RunExistsError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    except TrainingDiverged as err:
        print(f"stopped: {err}", file=sys.stderr)
        raise SystemExit(3) from None
    case = get_case(name)
    if not compare:
        return result
    if isinstance(case, Pipeline):
        for stage, numbers in result["stages"].items():
            ours = ", ".join(f"{k} {v:.4f}" for k, v in numbers.items() if isinstance(v, float)
                             and k != "seconds_per_epoch")
            print(f"{stage}: ours {ours}; reference {case.references[stage]}")
    elif case.reference and datasets.resolve_name(case.dataset) != result["dataset"]:
        print(f"(no published numbers for {name} on {result['dataset']}: the post's are for {case.dataset})")
    else:
        print_reference(result, case.reference)
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
