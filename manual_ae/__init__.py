"""manual_ae: autoencoders from five posts, every gradient written by hand and checked.

Importing the package imports TensorFlow quietly: its C++ start-up lines ("oneDNN custom
operations are on", "Could not find cuda drivers", "failed call to cuInit: ... CUDA error") are
notices on a CPU machine, not failures, and a newcomer's first screen should not open with them.
They come back with `--verbose` (every command, script and walkthrough takes it) or when
TensorFlow's own variable TF_CPP_MIN_LOG_LEVEL is set; an import that fails shows them all.

It also defers Keras. TensorFlow imports Keras eagerly at start-up ("Do an eager load for Keras' code"
in tensorflow/__init__.py, inside a try that passes on ImportError), and Keras imports scikit-learn
(installed here as mlxtend's dependency): half of every start, about 2.5 of 5 s on two cores. Nothing
here trains with Keras, so TensorFlow is imported with that eager load declined; code that does use
Keras (the benchmark's Keras rows) imports it whole when it first asks for it.
"""
import importlib.abc
import os
import sys
import tempfile

__version__ = "0.1.0"


def verbose():
    """True when TensorFlow's own messages were asked for (--verbose, or TF_CPP_MIN_LOG_LEVEL set by the
    user rather than by this module, whose setting a child process such as a notebook kernel inherits)."""
    ours = os.environ.get("MANUAL_AE_QUIET_TF") == os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    return "--verbose" in sys.argv or ("TF_CPP_MIN_LOG_LEVEL" in os.environ and not ours)


class _KerasLater(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """On sys.meta_path only while TensorFlow is imported: `keras` is found (TensorFlow asks where it is)
    but its import fails, which TensorFlow's eager load passes over; nothing of it stays in sys.modules."""

    def find_spec(self, name, path=None, target=None):
        if name != "keras":
            return None
        for finder in sys.meta_path:
            found = finder.find_spec(name, path, target) if finder is not self and hasattr(finder, "find_spec") else None
            if found is not None:
                found.loader = self
                return found
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise ImportError("keras is imported when first used, not with tensorflow (manual_ae/__init__.py)")


def _import_tensorflow():
    """`import tensorflow` with Keras's eager load declined (see the module's docstring)."""
    later = _KerasLater()
    sys.meta_path.insert(0, later)
    try:
        import tensorflow  # noqa: F401
    finally:
        sys.meta_path.remove(later)


def _import_tensorflow_quietly():
    if "tensorflow" in sys.modules:
        return
    if verbose():
        _import_tensorflow()
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"    # after start-up: hides the cuInit "error" on a CPU machine
    os.environ["MANUAL_AE_QUIET_TF"] = "3"      # ... and says it was set here, not by the user
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):               # no file descriptor 2 to hide: import as is
        _import_tensorflow()
        return
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)             # the C++ lines are written before Python can filter them
        try:
            _import_tensorflow()
        except BaseException:
            os.dup2(saved, 2)
            caught.seek(0)
            sys.stderr.write(caught.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")           # Python-side deprecation notices


_import_tensorflow_quietly()
