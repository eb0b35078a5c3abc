"""Data: IDX validation, where each data set is found, splits, and the errors that say what to do."""
import gzip
import os

import numpy as np
import pytest

from manual_ae import data
from manual_ae.data import sources
from manual_ae.data.idx import DataError, read_idx

FASHION = "/usr/share/datasets/fashion-mnist"


def write_idx(path, array, compress=False):
    array = np.asarray(array, np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    raw = header + array.tobytes()
    with (gzip.open if compress else open)(path, "wb") as f:
        f.write(raw)
    return path


def fake_fashion_dir(tmp_path, n_train=5012, n_test=20):
    rng = np.random.default_rng(0)
    for stem, arr in (("train-images-idx3-ubyte", rng.integers(0, 256, (n_train, 28, 28))),
                      ("train-labels-idx1-ubyte", rng.integers(0, 10, n_train)),
                      ("t10k-images-idx3-ubyte", rng.integers(0, 256, (n_test, 28, 28))),
                      ("t10k-labels-idx1-ubyte", rng.integers(0, 10, n_test))):
        write_idx(tmp_path / (stem + ".gz"), arr, compress=True)
    return tmp_path


def test_idx_round_trip(tmp_path):
    arr = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a-idx3-ubyte", arr)), arr)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a-idx3-ubyte.gz", arr, True)), arr)


def test_truncated_idx_names_the_file(tmp_path):
    path = write_idx(tmp_path / "t-idx3-ubyte", np.zeros((10, 28, 28)))
    raw = open(path, "rb").read()
    open(path, "wb").write(raw[:-100])
    with pytest.raises(DataError, match="t-idx3-ubyte.*truncated"):
        read_idx(path)


def test_bad_magic_and_corrupt_gzip(tmp_path):
    (tmp_path / "x-ubyte").write_bytes(b"\x1f\x8bnot really")
    with pytest.raises(DataError, match="not an IDX file"):
        read_idx(tmp_path / "x-ubyte")
    (tmp_path / "y-ubyte.gz").write_bytes(b"garbage, not gzip")
    with pytest.raises(DataError, match="y-ubyte.gz.*corrupt"):
        read_idx(tmp_path / "y-ubyte.gz")


def test_fashion_from_data_dir_splits_last_5000_for_validation(tmp_path):
    d = data.load_fashion_mnist(str(fake_fashion_dir(tmp_path)), download=False)
    assert (len(d.x_train), len(d.x_val), len(d.x_test)) == (12, 5000, 20)
    assert d.x_train.dtype == np.float32 and 0 <= d.x_train.min() and d.x_train.max() <= 1
    assert d.source == str(tmp_path)


def test_named_data_dir_missing_or_bad_file_is_an_error_not_a_fallback(tmp_path):
    """A folder the user names is used as given: a missing file is named, a bad one too, and the
    Keras cache or Debian's copy is never read instead."""
    (tmp_path / "d").mkdir()
    folder = fake_fashion_dir(tmp_path / "d", n_train=5002, n_test=2)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="missing t10k-labels-idx1-ubyte"):
        data.load("fashion-mnist", data_dir=str(folder), download=False)
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"garbage, not gzip")
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz"):
        data.load("fashion-mnist", data_dir=str(folder), download=False)
    with pytest.raises(DataError, match="no such folder"):
        data.load("fashion-mnist", data_dir=str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no mnist.npz there .*nor the four IDX files"):
        data.load("mnist", data_dir=str(tmp_path / "empty"))
    with pytest.raises(DataError, match="no such folder"):
        data.load("mnist", data_dir=str(tmp_path / "nope"))
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    fake_fashion_dir(folder, n_train=5002, n_test=2)
    with pytest.raises(DataError, match="not full MNIST: is it another data set .*--dataset fashion-mnist") as err:
        data.load("mnist", data_dir=str(folder))          # Fashion-MNIST's files given as MNIST: the user's folder
    assert "delete" not in str(err.value).lower()
    with pytest.raises(DataError, match="not read from files"):
        data.load("mnist-5k", data_dir=str(folder))


def test_fashion_found_in_keras_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "fashion-mnist").mkdir(parents=True)
    fake_fashion_dir(cache / "fashion-mnist")
    monkeypatch.setattr(sources, "KERAS_CACHE", str(cache))
    assert data.load("fashion-mnist", download=False).source == str(cache / "fashion-mnist")


def test_missing_fashion_error_names_every_option(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "KERAS_CACHE", str(tmp_path / "nothing"))
    monkeypatch.setattr(sources, "DEBIAN_FASHION", str(tmp_path / "nope"))
    with pytest.raises(DataError) as err:
        data.load("fashion-mnist", download=False)
    msg = str(err.value)
    assert "apt-get install -y dataset-fashion-mnist" in msg and "--data-dir" in msg and "nothing" in msg


def test_real_fashion_mnist():
    assert os.path.isdir(FASHION), "install Debian's dataset-fashion-mnist (.ci/run does)"
    d = data.load("fashion-mnist", download=False)
    assert (len(d.x_train), len(d.x_val), len(d.x_test)) == (55000, 5000, 10000)
    assert d.x_train.shape[1:] == (28, 28) and d.x_train.dtype == np.float32
    assert 0.2 < d.x_train.mean() < 0.4 and set(np.unique(d.y_test)) == set(range(10))


# Keras's mnist.npz placed in its cache: tests/test_mnist_wheel.py (checked as the wheel's digits are).


def test_corrupt_mnist_npz_is_a_clear_error(tmp_path, monkeypatch):
    from manual_ae.data import mnist_wheel
    monkeypatch.setattr(mnist_wheel, "MNIST_CACHE", str(tmp_path / "absent.npz"))
    monkeypatch.setattr(sources, "KERAS_CACHE", str(tmp_path))
    (tmp_path / "mnist.npz").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(DataError, match="mnist.npz: not a readable MNIST npz .*run `manual-ae data mnist`") as err:
        data.load("mnist", download=False)
    assert "allow_pickle" not in str(err.value)


def test_digits_never_fall_back_to_mnist_5k(tmp_path, monkeypatch):
    """With no MNIST anywhere and no way to fetch it, a digit case stops and says how to get the real
    digits; it does not train on the 5,000-digit stand-in."""
    from manual_ae.data import mnist_wheel
    from manual_ae.train import RunConfig
    from manual_ae.train.plan import plan
    monkeypatch.setattr(mnist_wheel, "MNIST_CACHE", str(tmp_path / "absent.npz"))
    monkeypatch.setattr(sources, "KERAS_CACHE", str(tmp_path))
    assert data.resolve_name("digits") == "mnist"
    with pytest.raises(DataError, match="manual-ae data mnist"):
        data.load("digits", download=False)
    monkeypatch.setattr(sources, "load_mnist", lambda *a, **k: (_ for _ in ()).throw(DataError("no MNIST")))
    with pytest.raises(DataError, match="no MNIST"):
        plan(RunConfig("deep2d", out=str(tmp_path / "run")))
    assert not (tmp_path / "run").exists()


def test_mnist_5k_is_a_choice_by_name_with_the_posts_epochs(tmp_path):
    """--dataset mnist-5k trains the post's epochs (no inflation to the post's updates) and the log says
    what the data is."""
    from manual_ae.train import RunConfig
    from manual_ae.train.plan import plan
    p = plan(RunConfig("deep2d", dataset="mnist-5k"), claim=False)
    assert p.data.name == "mnist-5k" and p.hyper.epochs == 50 and len(p.data.x_train) == 3929
    assert any("stand-in chosen by --dataset mnist-5k, 3,929 training digits" in note and "full MNIST" in note
               for note in p.data.notes)
    stacked = plan(RunConfig("stacked", dataset="mnist-5k"), claim=False)     # a Fashion-MNIST case
    assert any("its default data set is fashion-mnist" in note for note in stacked.data.notes)


def test_mnist_5k_split_is_shuffled_and_proportional():
    d = data.load_mnist_5k()
    assert (len(d.x_train), len(d.x_val), len(d.x_test)) == (3929, 357, 714)
    counts = np.bincount(d.y_train, minlength=10)
    assert counts.min() > 330 and counts.max() < 460  # not the class-sorted order of the file
    assert d.x_train.dtype == np.float32 and d.x_train.max() == 1.0


def test_points_3d_match_the_post():
    d = data.load("points-3d")
    assert d.x_train.shape == (60, 3)
    np.testing.assert_allclose(d.x_train.mean(0), 0, atol=1e-6)
    rng = np.random.RandomState(4)  # the post's generator, inline
    angles = rng.rand(60) * 3 * np.pi / 2 - 0.5
    x0 = np.cos(angles) + np.sin(angles) / 2 + 0.1 * rng.randn(60) / 2
    np.testing.assert_allclose(d.x_train[:, 0], x0 - x0.mean(), atol=1e-6)


def test_unknown_dataset():
    with pytest.raises(DataError, match="load: name is"):
        data.load("cifar")
