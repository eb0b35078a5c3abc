"""Post 000, Case f: two 50-unit tanh layers in a row, each projected on its eigenvectors.

No biases, N(0, 0.05) weights, ELU, MSE + summed log loss, Adam 3e-4, batch 20, 21 epochs on the
first 10,000 MNIST training images (on the offline mnist-5k: the same number of updates).
Default channel widths 16,16,16,8 train in minutes on two cores; --post-size uses the post's 512s.

    python scripts/post000_case_f_two_projections.py [--post-size] [--seed S] [--set stop_gradient=true] [--set loss=logloss]
"""
from manual_ae.posts.post000 import print_summary
from manual_ae.scripting import parse, train_case


def main(argv=None):
    print_summary(train_case("eigen-f", parse(__doc__, argv)))


if __name__ == "__main__":
    main()
