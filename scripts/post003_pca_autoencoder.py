"""Post 003 (and 004): a linear 3-2-3 autoencoder trained with MSE performs PCA.

    python scripts/post003_pca_autoencoder.py            # the post: 20 epochs, SGD lr 1.5
    python scripts/post003_pca_autoencoder.py --converge # then full-batch gradient descent to convergence
    python scripts/post003_pca_autoencoder.py --seeds 8  # 20-epoch loss over seeds 0..7 (it depends on the init)

At lr 1.5 with mini-batches of 32 the weights keep jittering around the optimum, so the
convergence run uses the whole data set (60 points) as its batch.
"""
import os
import statistics

from manual_ae.scripting import parse, train_case


def _flags(p):
    p.add_argument("--converge", type=int, nargs="?", const=1000, default=0,
                   help="also train N full-batch epochs (default 1000)")
    p.add_argument("--seeds", type=int, default=0, help="also train seeds 0..N-1 and report the median loss")


def main(argv=None):
    args = parse(__doc__, argv, _flags)
    result = train_case("pca", args)
    print(f"after {result['epochs']} epochs: autoencoder MSE {result['train_mse_autoencoder']:.5f}, PCA (optimum) "
          f"{result['train_mse_pca']:.5f}, ratio {result['mse_ratio_to_pca']:.3f}, "
          f"angle to the PCA plane {result['subspace_angle_deg']:.2f} deg")
    base, base_seed = args.out, args.seed
    if args.seeds:
        finals = []
        for seed in range(args.seeds):
            args.seed, args.out = seed, os.path.join(base, f"seed{seed}") if base else None
            finals.append(train_case("pca", args)["train_loss"])
        print(f"final training loss over seeds 0..{args.seeds - 1}: " + ", ".join(f"{v:.4f}" for v in finals)
              + f"; median {statistics.median(finals):.4f} (reference 0.0055)")
    if args.converge:
        args.epochs, args.seed, args.out = args.converge, base_seed, (base + "-converged") if base else None
        result = train_case("pca", args, batch_size=60)
        print(f"after {result['epochs']} full-batch epochs: ratio to PCA {result['mse_ratio_to_pca']:.4f} "
              f"({100 * (result['mse_ratio_to_pca'] - 1):.2f}% above the optimum), "
              f"angle {result['subspace_angle_deg']:.3f} deg")


if __name__ == "__main__":
    main()
