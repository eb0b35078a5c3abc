"""Post 003: the stacked autoencoder 784-100-30-100-784 (SELU, sigmoid output, BCE) on Fashion-MNIST.

SGD lr 1.5, batch 32, 20 epochs. Figure: originals over reconstructions.

    python scripts/post003_stacked_autoencoder.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    train_case("stacked", parse(__doc__, argv))


if __name__ == "__main__":
    main()
