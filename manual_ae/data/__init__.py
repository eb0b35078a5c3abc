"""Data sets: Fashion-MNIST, full MNIST, the 5,000-digit mnist-5k (by name only), and the 3-D points."""
from manual_ae.data.idx import DataError, read_idx
from manual_ae.data.sources import (DATASETS, Dataset, generate_3d_data, load, load_fashion_mnist, load_mnist,
                                    load_mnist_5k, load_points_3d, resolve_name)
