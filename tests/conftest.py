import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def small_digits():
    """A few hundred real digits (mnist-5k), enough for a trainer run of a second or two."""
    from manual_ae import data
    return data.load_mnist_5k().subset(512, 128, 128)


@pytest.fixture
def rng():
    return np.random.default_rng(0)

