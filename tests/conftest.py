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


def pytest_configure(config):
    config.gradcheck_rows = {}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The gradient-check table in the test runner's output: one line per registry entry."""
    if config.gradcheck_rows:
        from manual_ae.gradcheck.report import summary_lines
        terminalreporter.section("gradient checks (float64): worst error per registry entry")
        for line in summary_lines(config.gradcheck_rows):
            terminalreporter.write_line(line)
