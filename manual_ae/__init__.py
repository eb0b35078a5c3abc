"""manual_ae: autoencoders from five posts, every gradient written by hand and checked.

Importing the package imports TensorFlow quietly: its C++ start-up lines ("oneDNN custom
operations are on", "Could not find cuda drivers", "failed call to cuInit: ... CUDA error") are
notices on a CPU machine, not failures, and a newcomer's first screen should not open with them.
They come back with `--verbose` (every command, script and walkthrough takes it) or when
TensorFlow's own variable TF_CPP_MIN_LOG_LEVEL is set; an import that fails shows them all.
"""
import os
import sys
import tempfile

__version__ = "0.1.0"


def verbose():
    """True when TensorFlow's own messages were asked for (--verbose, or TF_CPP_MIN_LOG_LEVEL set by the
    user rather than by this module, whose setting a child process such as a notebook kernel inherits)."""
    ours = os.environ.get("MANUAL_AE_QUIET_TF") == os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    return "--verbose" in sys.argv or ("TF_CPP_MIN_LOG_LEVEL" in os.environ and not ours)


def _import_tensorflow_quietly():
    if "tensorflow" in sys.modules or verbose():
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"    # after start-up: hides the cuInit "error" on a CPU machine
    os.environ["MANUAL_AE_QUIET_TF"] = "3"      # ... and says it was set here, not by the user
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):               # no file descriptor 2 to hide: import as is
        import tensorflow  # noqa: F401
        return
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)             # the C++ lines are written before Python can filter them
        try:
            import tensorflow  # noqa: F401
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
