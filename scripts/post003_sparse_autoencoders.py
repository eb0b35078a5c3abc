"""Post 003: sparse autoencoders: 300 sigmoid codings with an L1 penalty (1e-3) or a KL penalty
(target 0.1, weight 0.05). Figures: histograms of the coding activations, showing they are sparse.

    python scripts/post003_sparse_autoencoders.py            # both
    python scripts/post003_sparse_autoencoders.py --only kl
"""
from manual_ae.scripting import train_variants


def main(argv=None):
    train_variants("sparse", ["l1", "kl"], argv, __doc__)


if __name__ == "__main__":
    main()
