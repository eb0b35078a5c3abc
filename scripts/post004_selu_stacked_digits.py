"""Post 004: the same stacked autoencoder on MNIST digits (full MNIST if cached, else mnist-5k).

    python scripts/post004_selu_stacked_digits.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    args = parse(__doc__, argv)
    args.dataset = args.dataset or "digits"
    train_case("stacked", args)


if __name__ == "__main__":
    main()
