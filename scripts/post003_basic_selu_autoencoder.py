"""Post 003's "basic" autoencoder: the 3-2-3 network with SELU on both layers, same data and SGD lr 1.5.

    python scripts/post003_basic_selu_autoencoder.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    result = train_case("basic-selu", parse(__doc__, argv))
    print(f"MSE {result['train_mse_autoencoder']:.5f} (linear PCA optimum {result['train_mse_pca']:.5f})")


if __name__ == "__main__":
    main()
