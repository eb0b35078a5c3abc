import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# pytest-xdist runs one worker per core, and each walkthrough's kernel or script is a process of its own:
# one TensorFlow thread pool thread each (inherited by those processes) keeps the cores from being
# oversubscribed. What the tests check does not depend on it.
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

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



# The longest tests first (the course website's, each walkthrough's notebook, the benchmark): handed out
# early, they run beside the many short ones instead of ending the run on one busy worker.
FIRST = ("tests/test_site.py", "test_each_walkthrough_executes_as_a_notebook", "test_bench_runs_and_writes_its_ratio",
         "test_bench_sweep_writes_a_table_a_json_and_a_log_log_plot")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not any(mark in item.nodeid for mark in FIRST))
