"""Post 002, case c: a variational autoencoder (mean and log-variance heads of 3) clusters MNIST into
3-D, with log loss + KL (vae3d-logloss), squared error + KL (vae3d-mse) and the KL term alone
(vae3d-kl: no reconstruction, so nothing pulls the codes away from the prior).

Same figures and numbers as case b, for the VAE's mean codes.

    python scripts/post002_case_c_vae_3d_latent.py [--only logloss|mse|kl] [--post-size] [--seed S]
"""
import sys

from manual_ae.scripting import train_variants


def main(argv=None):
    results = train_variants("vae3d", ["logloss", "mse", "kl"], argv, __doc__)
    for name, r in results.items():
        print(f"{name}: 5-NN accuracy of the mean codes {r['knn5_codes']:.4f}, range per axis {r['range_codes']}, "
              f"KL {r['val_kl']:.2f} nats per image")


if __name__ == "__main__":
    main(sys.argv[1:])
