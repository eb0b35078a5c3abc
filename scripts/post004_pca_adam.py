"""Post 004: PCA with an autoencoder, as the post's own TF1 code trains it: 200 points (seed 42),
each half standardised on its own, linear 3-2-3 with biases, MSE, Adam 0.01, 1,000 full-batch steps.
The post's figure is the 2-D codings of the 100 test points (codings_test.png in the run folder).

    python scripts/post004_pca_adam.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    result = train_case("pca-adam", parse(__doc__, argv))
    print(f"after {result['epochs']} Adam steps: training MSE {result['train_mse_autoencoder']:.5f}, PCA "
          f"{result['train_mse_pca']:.5f}, ratio {result['mse_ratio_to_pca']:.4f}; the learned plane is "
          f"{result['subspace_angle_deg']:.3f} deg from PCA's; test points: ratio {result['test_mse_ratio_to_pca']:.4f}")


if __name__ == "__main__":
    main()
