"""What the per-case scripts share: the common flags, a training run with the post's settings, and
our numbers beside the published ones. The scripts call these; none of it imports the CLI."""
import argparse


def _seed(text):
    """A random seed: a whole number >= 0."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text}")
    return int(text)


def parse(description, argv=None, extra=None):
    """The flags every script takes (all optional: the defaults are the post's)."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", help="override the post's dataset")
    p.add_argument("--data-dir", help="folder holding the dataset's files (used as given)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--seed", type=_seed, default=42)
    p.add_argument("--out", help="output folder (default runs/<model>-<timestamp>)")
    p.add_argument("--quick", action="store_true", help="a seconds-long smoke run")
    p.add_argument("--replay", action="store_true",
                   help="train nothing: show the committed reference run (logs/, docs/figures/) where training "
                        "would run, as the course website's pages do (`manual-ae site`)")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--overwrite", action="store_true", help="replace the run already in --out")
    p.add_argument("--snapshot-every", type=int, help="epochs between figure snapshots (default: 40 per run)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="a model option (see `manual-ae list`)")
    p.add_argument("--verbose", action="store_true", help="show TensorFlow's C++ start-up lines")
    p.add_argument("--post-size", action="store_true",
                   help="the post's full layer widths where the default is smaller (slow on a CPU)")
    if extra:
        extra(p)
    args = p.parse_args(argv)
    if args.replay and (args.quick or args.resume):
        p.error("--replay trains nothing: it cannot go with --quick or --resume")
    return args


def config(name, args, **overrides):
    """The RunConfig of a script's flags for case `name` (--post-size and --set turned into options;
    --epochs and --seed into its Hyper). `overrides`: RunConfig fields, or hyperparameters
    (`batch_size=60`) that the script fixes."""
    from manual_ae.hyper import Hyper
    from manual_ae.posts import get_case
    from manual_ae.train import RunConfig, options_from_flags
    options = {}
    if getattr(args, "post_size", False):
        post_size = getattr(get_case(name), "post_size_options", None)
        if not post_size:
            raise ValueError(f"--post-size: {name} has no larger published size (the post never gave "
                             "its layer sizes); use --set channels=... to widen it")
        options = dict(post_size)
    options.update(options_from_flags(name, getattr(args, "set", None)))
    hyper = {k: overrides.pop(k) for k in Hyper().as_dict() if k in overrides}
    hyper = Hyper(**{"epochs": args.epochs, "seed": args.seed, **hyper})
    fields = dict(hyper=hyper, dataset=args.dataset, data_dir=getattr(args, "data_dir", None), out=args.out,
                  quick=args.quick, resume=args.resume, overwrite=getattr(args, "overwrite", False),
                  snapshot_every=args.snapshot_every, options=options)
    fields.update(overrides)
    return RunConfig(name, **fields)


def run_case(name, args, compare=True, **overrides):
    """Train case `name` with the post's hyperparameters (plus any overrides) and, with `compare`,
    print ours beside the post's (a walkthrough shows them as a table instead). An error ends the
    script as `manual-ae train` ends: one line, the documented exit status (manual_ae/errors.py)."""
    import tensorflow as tf

    from manual_ae.errors import exit_with, expected
    from manual_ae.train import run
    tf.get_logger().setLevel("ERROR")
    try:
        result = run(config(name, args, **overrides))
    except (Exception, KeyboardInterrupt) as err:
        if not expected(err):
            raise
        exit_with(err)
    if compare:
        print_comparison(name, result)
    return result


def print_comparison(name, result):
    """Our numbers beside the post's (a pipeline: per stage; none on another data set)."""
    from manual_ae import data as datasets
    from manual_ae.posts import Pipeline, get_case
    from manual_ae.posts.common import print_reference
    case = get_case(name)
    if isinstance(case, Pipeline):
        for stage, numbers in result["stages"].items():
            ours = ", ".join(f"{k} {v:.4f}" for k, v in numbers.items() if isinstance(v, float)
                             and k != "seconds_per_epoch")
            print(f"{stage}: ours {ours}; reference {case.references[stage]}")
    elif case.reference and datasets.resolve_name(case.dataset) != result["dataset"]:
        print(f"(no published numbers for {name} on {result['dataset']}: the post's are for {case.dataset})")
    else:
        print_reference(result, case.reference)
