"""Post 003: sparse autoencoders: 300 sigmoid codings with an L1 penalty (1e-3) or a KL penalty
(target 0.1, weight 0.05). Figures: histograms of the coding activations, showing they are sparse.

    python scripts/post003_sparse_autoencoders.py            # both
    python scripts/post003_sparse_autoencoders.py --only kl
"""
import os

from manual_ae.scripting import parse, train_case


def main(argv=None):
    args = parse(__doc__, argv, lambda p: p.add_argument("--only", choices=["l1", "kl"]))
    base = args.out
    for kind in ("l1", "kl"):
        if args.only in (None, kind):
            args.out = os.path.join(base, kind) if base else None
            train_case(f"sparse-{kind}", args)


if __name__ == "__main__":
    main()
