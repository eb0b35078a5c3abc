"""Every way a run can end badly, and the one exit status each means (cli.py's docstring lists them).

    0    success
    1    a failure: a gradient check failed, a notebook failed for a reason of its own, a bug
    2    bad input: a flag, a data file, an output or resume folder (DataError, ResumeError,
         RunExistsError, ValueError)
    3    training diverged: the loss became NaN or inf (TrainingDiverged, FloatingPointError)
    130  interrupted (Ctrl-C)

`exit_status(error)` is the only place that mapping is written: the CLI, the per-case scripts, the
walkthroughs and `manual-ae notebooks` all ask it. The error classes live here, at the bottom of the
package, so that every floor can raise them; data/ and train/ re-export theirs.
"""
import sys

SUCCESS, FAILURE, BAD_INPUT, DIVERGED, INTERRUPTED = 0, 1, 2, 3, 130


class DataError(RuntimeError):
    """A data file is missing, truncated or not what it claims to be. The message says what to do."""


class ResumeError(RuntimeError):
    """--resume was asked for but the folder holds no run to resume, or a different one."""


class RunExistsError(RuntimeError):
    """The output folder already holds a run, and neither --resume nor --overwrite was given."""


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite. The message names where and what to try."""


BAD_INPUT_ERRORS = (DataError, ResumeError, RunExistsError, ValueError)
DIVERGED_ERRORS = (TrainingDiverged, FloatingPointError)
_BY_NAME = {**{cls.__name__: BAD_INPUT for cls in BAD_INPUT_ERRORS},
            **{cls.__name__: DIVERGED for cls in DIVERGED_ERRORS}, "KeyboardInterrupt": INTERRUPTED}


def exit_status(error):
    """The documented exit status of `error`: 2 bad input, 3 diverged, 130 interrupted, else 1.

    An error raised inside a Jupyter kernel reaches us as nbclient's CellExecutionError, which keeps
    only the name of the kernel's exception (`ename`): it is mapped by that name."""
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(error, DIVERGED_ERRORS):
        return DIVERGED
    if isinstance(error, BAD_INPUT_ERRORS):
        return BAD_INPUT
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else BAD_INPUT
    return _BY_NAME.get(getattr(error, "ename", None), FAILURE)


def describe(error):
    """The one line a user reads: 'error: ...' (bad input), 'stopped: ...' (diverged), 'interrupted'."""
    status = exit_status(error)
    if status == INTERRUPTED:
        return "interrupted"
    return f"{'stopped' if status == DIVERGED else 'error'}: {error}"


def expected(error):
    """An error the user can act on (its message says what to do), as opposed to a bug."""
    return exit_status(error) in (BAD_INPUT, DIVERGED, INTERRUPTED) and not isinstance(error, SystemExit)


def exit_with(error, prog=None):
    """End the process as `error` says: its one line on stderr (no traceback), its exit status."""
    print(f"{prog + ': ' if prog else ''}{describe(error)}", file=sys.stderr)
    raise SystemExit(exit_status(error)) from None
