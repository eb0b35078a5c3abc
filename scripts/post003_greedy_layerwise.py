"""Post 003: greedy layer-wise training: AE1 (784-100-784), AE2 on AE1's codes (100-30-100, MSE),
then the stack enc1-enc2-dec2-dec1 fine-tuned with SGD lr 0.1. Each stage has its own folder; each
stage's numbers are printed beside the published ones.

    python scripts/post003_greedy_layerwise.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    train_case("greedy", parse(__doc__, argv))


if __name__ == "__main__":
    main()
