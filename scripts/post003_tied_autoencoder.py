"""Post 003: the stacked autoencoder with tied weights (decoder = encoder weights transposed), 10 epochs.

    python scripts/post003_tied_autoencoder.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    train_case("tied", parse(__doc__, argv))


if __name__ == "__main__":
    main()
