"""The `manual-ae` command: list, train, gradcheck, bench, demo.

Exit status: 0 success; 1 a gradient check failed; 2 bad input (flag, data, resume folder);
3 training diverged (NaN/inf); 130 interrupted.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out of the logs

QUICK_SIZES = (2048, 512, 512)  # train / validation / test images for --quick
QUICK_EPOCHS = 2
FULL_TRAIN = 55000  # training images of the posts' MNIST / Fashion-MNIST split


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def _quiet_tensorflow():
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")


def cmd_list(args):
    from manual_ae.models import MODELS, PIPELINES
    print(f"{'model':<19} {'post':<9} {'dataset':<17} {'epochs':<7} {'batch':<6} {'lr':<7} {'optimizer':<8} what")
    for m in list(MODELS.values()) + list(PIPELINES.values()):
        print(m.summary())
    for m in MODELS.values():
        if m.options:
            print(f"options of {m.name}: " + ", ".join(f"{k}={_show(v)}" for k, v in m.options.items()))
    print("cppn (post 002, case a) is a generator, not an autoencoder: `manual-ae cppn --help`")
    print("\n'digits' = full MNIST where ~/.keras/datasets/mnist.npz exists, else the offline mnist-5k subset.")
    print("Per-case scripts: " + ", ".join(sorted({m.script for m in MODELS.values()})))
    return 0


def default_out(model_name):
    return os.path.join("runs", f"{model_name}-{time.strftime('%Y%m%d-%H%M%S')}")


def parse_options(model_name, pairs):
    """`--set NAME=VALUE` pairs -> a dict of model options, each VALUE read as its default's type
    (a tuple of ints from 16,16,16,8; a bool from true/false)."""
    from manual_ae.models import MODELS
    if not pairs:
        return {}
    defaults = MODELS[model_name].options if model_name in MODELS else {}
    options = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or name not in defaults:
            known = ", ".join(f"{k}={_show(v)}" for k, v in defaults.items()) or "none"
            raise ValueError(f"--set {pair!r}: expected NAME=VALUE with NAME one of {model_name}'s options ({known})")
        default = defaults[name]
        try:
            if isinstance(default, bool):
                if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError
                options[name] = text.lower() in ("true", "1", "yes")
            elif isinstance(default, tuple):
                options[name] = tuple(int(v) for v in text.split(","))
            else:
                options[name] = type(default)(text)
        except ValueError:
            raise ValueError(f"--set {name}={text}: expected a value like {_show(default)}") from None
    return options


def _show(value):
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value).lower() if isinstance(
        value, bool) else str(value)


def run_training(model_name, dataset=None, data_dir=None, epochs=None, batch_size=None, lr=None, optimizer=None,
                 seed=42, out=None, resume=False, quick=False, progress=True, snapshot_every=None, console=True,
                 options=None):
    """Train a registered model with its post's defaults, overridden by whatever is given.
    `options` configures the architecture (`manual-ae train MODEL --set name=value`).
    The scripts in scripts/ call this; so does `manual-ae train`. Returns the metrics dictionary."""
    from manual_ae import data as datasets
    from manual_ae.models import PIPELINES, get_model
    from manual_ae.train import train

    if model_name in PIPELINES:
        return _run_pipeline(PIPELINES[model_name], dataset, data_dir, epochs, seed, out, quick, progress, console)
    model = get_model(model_name, **(options or {}))
    d = model.defaults
    data = datasets.load(dataset or model.dataset, data_dir=data_dir)
    post_images = model.train_images or FULL_TRAIN
    if len(data.x_train) > post_images:
        data = data.subset(post_images, len(data.x_val), len(data.x_test),
                           why=f"{model.name} trains on the first {post_images}, as its post did or by default")
    if epochs is None and data.name == "mnist-5k":
        # The posts' epochs are passes over 55,000 (or `train_images`); keep their number of updates instead.
        epochs = max(1, round(d["epochs"] * post_images / len(data.x_train)))
        data.notes.append(f"mnist-5k: {epochs} epochs of {len(data.x_train)} images = the post's {d['epochs']} "
                          f"epochs of {post_images} in number of updates (pass --epochs to override)")
    epochs = epochs or d["epochs"]
    if quick:
        data = data.subset(*QUICK_SIZES)
        epochs = min(epochs, QUICK_EPOCHS)
    data = model.prepare(data, seed)
    if resume and not out:
        raise ValueError("--resume needs --out DIR: the folder of the run to continue")
    return train(model, data, out or default_out(model.name), epochs=epochs, batch_size=batch_size or d["batch_size"],
                 lr=lr or d["lr"], optimizer=optimizer or d["optimizer"], seed=seed, resume=resume,
                 progress=progress, snapshot_every=snapshot_every, console=console)


def _run_pipeline(pipeline, dataset, data_dir, epochs, seed, out, quick, progress, console):
    """Several models trained in turn (greedy layer-wise); returns the last stage's metrics with the others."""
    from manual_ae import data as datasets
    from manual_ae.train import train
    data = datasets.load(dataset or pipeline.dataset, data_dir=data_dir)
    if quick:
        data = data.subset(*QUICK_SIZES)
        epochs = min(epochs or QUICK_EPOCHS, QUICK_EPOCHS)
    out = out or default_out(pipeline.name)
    stages = pipeline.run(data, out, train, epochs=epochs, seed=seed, progress=progress, console=console)
    result = dict(list(stages.values())[-1])
    result["stages"] = {k: {m: v.get(m) for m in ("train_loss", "val_loss", "val_rounded_accuracy", "epochs",
                                                  "seconds_per_epoch")} for k, v in stages.items()}
    with open(os.path.join(out, "stages.json"), "w", encoding="utf-8") as f:
        json.dump(result["stages"], f, indent=2)
    return result


def cmd_train(args):
    _quiet_tensorflow()
    result = run_training(args.model, args.dataset, args.data_dir, args.epochs, args.batch_size, args.lr,
                          args.optimizer, args.seed, args.out, args.resume, args.quick, not args.no_progress,
                          args.snapshot_every, options=parse_options(args.model, args.set))
    return 130 if result["status"] == "interrupted" else 0


def cmd_gradcheck(args):
    _quiet_tensorflow()
    from manual_ae import gradcheck
    _, failures = gradcheck.run(args.names or ["all"], seed=args.seed)
    for row in failures:
        print(f"FAIL {row.entry} d{row.param}: vs tape {row.err_tape:.2e} (<= {gradcheck.TAPE_TOL:g}), "
              f"vs numeric {row.err_num:.2e} (<= {gradcheck.NUMERIC_TOL:g})", file=sys.stderr)
    return 1 if failures else 0


def cmd_bench(args):
    _quiet_tensorflow()
    from manual_ae import bench
    bench.main(args.model, batch_size=args.batch_size, epochs=args.epochs, json_path=args.json,
               data_dir=args.data_dir, n_train=args.n_train)
    return 0


def cmd_demo(args):
    """A short offline tour: the gradient-check summary, the PCA autoencoder, one image model."""
    _quiet_tensorflow()
    from manual_ae import data as datasets
    from manual_ae import gradcheck
    out = args.out
    print("== 1/4  gradient checks (every layer and model) ==")
    lines = []
    _, failures = gradcheck.run(["all"], out=lines.append)
    print("\n".join(lines[:2] + lines[-1:]))
    print("\n== 2/4  the PCA autoencoder of post 003 (20 epochs on 60 points, then to convergence) ==")
    pca = run_training("pca", out=os.path.join(out, "pca"), progress=False)
    full = run_training("pca", out=os.path.join(out, "pca-converged"), epochs=1000, batch_size=60, progress=False,
                        console=False)
    for what, r in (("after the post's 20 epochs", pca), ("after 1000 full-batch epochs", full)):
        print(f"   {what}: autoencoder MSE {r['train_mse_autoencoder']:.5f} vs PCA {r['train_mse_pca']:.5f}; "
              f"angle to PCA's plane {r['subspace_angle_deg']:.2f} deg")
    print("\n== 3/4  the stacked autoencoder of post 003 (5 epochs) ==")
    try:
        datasets.load("fashion-mnist", download=False)
        dataset = "fashion-mnist"
    except datasets.DataError:
        dataset = "mnist-5k"
        print("   (Fashion-MNIST not installed: `apt-get install -y dataset-fashion-mnist`; using mnist-5k)")
    stacked = run_training("stacked", dataset=dataset, epochs=5, out=os.path.join(out, "stacked"))
    print("\n== 4/4  a CPPN (post 002): random art, and a digit fitted by the log loss ==")
    from manual_ae import art
    r = art.make_art(os.path.join(out, "cppn", "art.png"), 512, 512, 3, seed=3, progress=False)
    print(f"   rendered 512x512 RGB art in {r['seconds']} s -> {r['image']}")
    target, what = art.load_target("digit")
    _, _, history = art.fit(target, steps=500, progress=False, log=lambda line: None)
    print(f"   fitted to {what}: log loss {history[0][1]:.3f} -> {history[-1][1]:.3f} in 500 steps "
          f"(the target's entropy, the floor, is {art.entropy_floor(target):.3f}); `manual-ae cppn --fit digit` "
          "draws the fit at 512x512")
    print(f"\nDone. Figures and logs in {out}/pca, {out}/stacked and {out}/cppn "
          f"(stacked val_rounded_accuracy {stacked['val_rounded_accuracy']:.4f}). "
          f"Full runs: `manual-ae train stacked`, scripts in scripts/.")
    return 1 if failures else 0


def cmd_cppn(args):
    """Render CPPN art (and a z-loop GIF), or fit a CPPN to an image (--fit) and render it large."""
    _quiet_tensorflow()
    from manual_ae import art, figures
    out = args.out or os.path.join("runs", "cppn", f"cppn-seed{args.seed}.png")
    if not out.lower().endswith(".png"):
        raise ValueError(f"--out {out}: give a .png path (the GIF goes to --gif)")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    stem = os.path.splitext(out)[0]
    lines = []

    def log(line):
        lines.append(f"{time.strftime('%H:%M:%S')} {line}")
        if args.no_progress:
            print(line)
        with open(stem + ".log", "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    net = dict(units=args.units, depth=args.depth, z_dim=args.z_dim, scale=args.scale, act=args.activation)
    if args.fit is None:
        r = art.make_art(out, args.width, args.height, args.channels, args.seed, gif=args.gif, frames=args.frames,
                         gif_size=args.gif_size, progress=not args.no_progress, **net)
        log(f"CPPN seed {args.seed}: {args.units} units x {args.depth} {args.activation} layers, z {args.z_dim}-D, "
            f"scale {args.scale}, weights N(0, 1)")
        log(f"rendered {r['width']}x{r['height']}x{r['channels']} in {r['seconds']} s -> {r['image']}"
            + (f"; GIF of {args.frames} frames along a z loop -> {r['gif']}" if args.gif else ""))
        print(f"wrote {r['image']}" + (f" and {r['gif']}" if args.gif else ""))
        return 0
    target, what = art.load_target(args.fit)
    log(f"fitting a CPPN ({args.units} units x {args.depth} {args.activation} layers, z {args.z_dim}-D, scale "
        f"{args.scale}, seed {args.seed}) to {what}, {target.shape[1]}x{target.shape[0]}, by the pixel-wise log "
        f"loss (fused: dL/dlogits = y_hat - y), Adam lr {args.fit_lr}, {args.fit_steps} full-batch steps")
    weights, z, history = art.fit(target, args.fit_steps, args.fit_lr, args.seed, std=args.fit_init_std,
                                  progress=not args.no_progress, log=log, **net)
    renderer = art.Renderer(weights, args.activation)
    fitted = renderer.render(*target.shape, z, args.scale)[..., 0]
    big = renderer.render(args.fit_size, args.fit_size, z, args.scale)[..., 0]
    renderer.close()
    floor = art.entropy_floor(target)
    log(f"fitted log loss {history[-1][1]:.4f} (start {history[0][1]:.4f}; the target's own entropy, the least "
        f"possible, {floor:.4f}); mean |fit - target| {np.mean(np.abs(fitted - target)):.4f}")
    import imageio.v2 as imageio
    imageio.imwrite(stem + f"-{args.fit_size}.png", art.to_uint8(big[..., None]))
    figures.save(art.fit_figure(target, fitted, big, f"CPPN fitted to {what} by log loss: {history[-1][1]:.4f}"), out)
    with open(stem + ".json", "w", encoding="utf-8") as f:
        json.dump({"target": what, "fitted_log_loss": history[-1][1], "initial_log_loss": history[0][1],
                   "entropy_floor": floor, "mean_abs_error": float(np.mean(np.abs(fitted - target))),
                   "history": history, **net, "steps": args.fit_steps, "lr": args.fit_lr, "seed": args.seed}, f,
                  indent=1)
    log(f"wrote {out} (target | fit | {args.fit_size}x{args.fit_size} render), {stem}-{args.fit_size}.png, "
        f"{stem}.json")
    print(f"fitted log loss {history[-1][1]:.4f}; wrote {out}")
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="manual-ae", description="Autoencoders with hand-written backprop.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="every model with its post, dataset and default hyperparameters")

    t = sub.add_parser("train", help="train a model (defaults: the post's hyperparameters)")
    t.add_argument("model", help="a model name from `manual-ae list`")
    t.add_argument("--dataset", choices=["fashion-mnist", "mnist", "mnist-5k", "points-3d", "digits"])
    t.add_argument("--data-dir", help="folder with the Fashion-MNIST *-ubyte(.gz) files")
    t.add_argument("--epochs", type=_positive_int)
    t.add_argument("--batch-size", type=_positive_int)
    t.add_argument("--lr", type=_positive_float, help="learning rate")
    t.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adam", "rmsprop", "rmsprop-tf2", "nadam"],
                   help="rmsprop-tf2: RMSprop as TF 2.0's Keras had it (eps outside the square root)")
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--out", help="output folder (default runs/MODEL-<timestamp>)")
    t.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    t.add_argument("--quick", action="store_true", help=f"a seconds-long smoke run ({QUICK_EPOCHS} epochs, "
                                                         f"{QUICK_SIZES[0]} training images)")
    t.add_argument("--snapshot-every", type=_positive_int, help="epochs between figure snapshots (default: 40 per run)")
    t.add_argument("--no-progress", action="store_true", help="no progress bar")
    t.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="a model option, e.g. --set channels=512,512,512,256 (the post's widths) or "
                        "--set stop_gradient=true; `manual-ae list` shows each model's options")

    g = sub.add_parser("gradcheck", help="check every hand-written gradient (exit 1 on any failure)")
    g.add_argument("names", nargs="*", help="layer or model names, or all (default)")
    g.add_argument("--seed", type=int, default=0)

    b = sub.add_parser("bench", help="our trainer vs Keras fit vs an autodiff tape loop (speed)")
    b.add_argument("model", choices=["stacked", "conv", "recurrent"])
    b.add_argument("--batch-size", type=_positive_int, help="default: the post's")
    b.add_argument("--epochs", type=_positive_int, default=3)
    b.add_argument("--n-train", type=_positive_int, help="use only the first N training images")
    b.add_argument("--data-dir")
    b.add_argument("--json", help="also write the figures as JSON here")

    c = sub.add_parser("cppn", help="CPPN art at any resolution, a z-loop GIF, or a CPPN fitted to an image")
    c.add_argument("--width", type=_positive_int, default=1080)
    c.add_argument("--height", type=_positive_int, default=1080)
    c.add_argument("--channels", type=int, choices=[1, 3], default=3, help="1 grayscale, 3 RGB")
    c.add_argument("--seed", type=int, default=0)
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

    d = sub.add_parser("demo", help="a short offline tour (gradcheck, PCA, stacked, CPPN)")
    d.add_argument("--out", default=os.path.join("runs", "demo"))
    return p


COMMANDS = {"list": cmd_list, "train": cmd_train, "gradcheck": cmd_gradcheck, "bench": cmd_bench, "demo": cmd_demo,
            "cppn": cmd_cppn}


def main(argv=None):
    args = build_parser().parse_args(argv)
    from manual_ae.data import DataError
    from manual_ae.train import ResumeError, TrainingDiverged
    try:
        return COMMANDS[args.command](args)
    except (DataError, ResumeError, ValueError) as err:
        print(f"manual-ae {args.command}: error: {err}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        print(f"manual-ae {args.command}: stopped: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print(f"manual-ae {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
