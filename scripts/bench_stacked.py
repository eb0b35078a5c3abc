"""Speed: the stacked autoencoder trained by our trainer, by Keras fit and by an autodiff tape loop.

    python scripts/bench_stacked.py --batch-size 32 --epochs 3 --json bench32.json
"""
import sys

from manual_ae.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", "stacked"] + sys.argv[1:]))
