"""Post 004: the variational autoencoder (codings 10, RMSprop, batch 128, 25 epochs): reconstructions, images generated from random codings, an interpolation.

    python scripts/post004_fashion_vae.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    train_case("vae", parse(__doc__, argv))


if __name__ == "__main__":
    main()
