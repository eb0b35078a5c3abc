"""Post 002, case a: a compositional pattern-producing network (CPPN), and the log loss that lets it learn.

1. Art: a random CPPN (x, y, r = sqrt(x^2 + y^2) and a latent z, one dense layer each, summed; tanh
   layers; sigmoid RGB output; weights N(0, 1)) rendered at 1080x1080 as in the post, and a GIF
   moving z around a smooth loop.
2. Training: the same kind of network fitted to an MNIST digit by the pixel-wise log loss, with
   the gradient the post derives (dL/dlogits = y_hat - y) written by hand, then drawn at 512x512.

    python scripts/post002_case_a_cppn.py [--seed S] [--out DIR] [--fit digit:N | --fit my_image.png]
"""
import argparse
import os
import sys


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--out", default=os.path.join("runs", "post002-cppn"))
    p.add_argument("--fit", default="digit", help="'digit', 'digit:N' or an image file")
    p.add_argument("--size", type=int, default=1080)
    args = p.parse_args(argv)
    from manual_ae import art
    art.run(art.CppnConfig(os.path.join(args.out, f"art-{args.size}.png"), width=args.size, height=args.size,
                           channels=3, seed=args.seed, gif=os.path.join(args.out, "art-z-loop.gif"), frames=36))
    art.run(art.CppnConfig(os.path.join(args.out, "fit.png"), fit=args.fit, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
