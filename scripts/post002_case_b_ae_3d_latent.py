"""Post 002, case b: a convolutional autoencoder clusters MNIST into a 3-D latent, trained with the
log loss (the post's "maximum likelihood", ae3d-logloss) and with MSE (ae3d-mse).

Writes, per loss: a GIF of the 3-D codes of 1,000 test digits over training, a GIF of
reconstructions over training, the final 3-D scatter (PNG); prints each latent axis's range and
the 5-nearest-neighbour accuracy of the codes. Default widths train in minutes on two cores;
--post-size uses 512,512,512,256.

    python scripts/post002_case_b_ae_3d_latent.py [--only logloss|mse] [--post-size] [--seed S]
"""
import sys

from manual_ae.scripting import train_variants


def main(argv=None):
    results = train_variants("ae3d", ["logloss", "mse"], argv, __doc__)
    for name, r in results.items():
        print(f"{name}: 5-NN accuracy of the 3-D codes {r['knn5_codes']:.4f}, range per axis {r['range_codes']}")


if __name__ == "__main__":
    main(sys.argv[1:])
