"""Post 003: denoising autoencoders, with Gaussian noise (stddev 0.2) and with dropout (rate 0.5)
on the input during training. Figures: noisy inputs over the network's outputs.

    python scripts/post003_denoising_autoencoders.py            # both
    python scripts/post003_denoising_autoencoders.py --only dropout
"""
import os

from manual_ae.scripting import parse, train_case


def main(argv=None):
    args = parse(__doc__, argv, lambda p: p.add_argument("--only", choices=["gaussian", "dropout"]))
    base = args.out
    for kind in ("gaussian", "dropout"):
        if args.only in (None, kind):
            args.out = os.path.join(base, kind) if base else None
            train_case(f"denoising-{kind}", args)


if __name__ == "__main__":
    main()
