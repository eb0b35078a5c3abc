"""Post 003: denoising autoencoders, with Gaussian noise (stddev 0.2) and with dropout (rate 0.5)
on the input during training. Figures: noisy inputs over the network's outputs.

    python scripts/post003_denoising_autoencoders.py            # both
    python scripts/post003_denoising_autoencoders.py --only dropout
"""
from manual_ae.scripting import train_variants


def main(argv=None):
    train_variants("denoising", ["gaussian", "dropout"], argv, __doc__)


if __name__ == "__main__":
    main()
