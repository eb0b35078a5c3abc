"""Post 003: the recurrent (LSTM) autoencoder, image rows as time steps, SGD lr 0.1, 10 epochs.

    python scripts/post003_recurrent_autoencoder.py
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    train_case("recurrent", parse(__doc__, argv))


if __name__ == "__main__":
    main()
