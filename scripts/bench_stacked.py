"""Speed: the stacked autoencoder trained by our trainer, by Keras fit and by an autodiff tape loop.

    python scripts/bench_stacked.py --batch-size 32 --epochs 3 --json bench32.json
"""
import argparse

from manual_ae import bench


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--n-train", type=int)
    p.add_argument("--data-dir")
    p.add_argument("--json")
    args = p.parse_args(argv)
    bench.main("stacked", batch_size=args.batch_size, epochs=args.epochs, json_path=args.json, data_dir=args.data_dir,
               n_train=args.n_train)


if __name__ == "__main__":
    main()
