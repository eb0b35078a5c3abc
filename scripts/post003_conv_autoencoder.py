"""Post 003: the convolutional autoencoder (Conv16-32-64 with pooling / three stride-2 transposed convolutions), 5 epochs.

    python scripts/post003_conv_autoencoder.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    train_case("conv", parse(__doc__, argv))


if __name__ == "__main__":
    main()
