"""Post 001: squeeze MNIST through 784-128-64-10-2 and plot the 2-D codes of the test digits by label.

Adam lr 1e-3, batch 256, 50 epochs, MSE, as in the post. Uses full MNIST where
~/.keras/datasets/mnist.npz exists, else the offline 5,000-digit mnist-5k subset.

    python scripts/post001_mnist_2d_latent.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    result = train_case("deep2d", parse(__doc__, argv))
    print(f"5-nearest-neighbour accuracy of the 2-D test codes: {result['knn5_test_accuracy']:.4f} "
          f"({result['dataset']}, {result['n_train']} training images)")


if __name__ == "__main__":
    main()
