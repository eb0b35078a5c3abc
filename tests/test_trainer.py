"""The trainer on real data and real sessions: determinism, resume, NaN, Ctrl-C, outputs."""
import json
import os
import signal

import numpy as np
import pytest

from manual_ae import data
from manual_ae.posts import get_case
from manual_ae.train import ResumeError, RunExistsError, TrainingDiverged, train_case
from manual_ae.train import trainer as trainer_module

QUIET = dict(console=False, progress=False)


def run(tmp_path, name, model="pca", dataset=None, **kw):
    case = get_case(model)
    return train_case(case, dataset or data.load(case.dataset), str(tmp_path / name), **QUIET, **kw)


def losses(result):
    return [h["train_loss"] for h in result["history"]]


def test_pca_learns_and_writes_everything(tmp_path):
    r = run(tmp_path, "a")
    assert r["status"] == "finished" and r["epochs"] == 20
    assert losses(r)[-1] < losses(r)[0] / 5
    out = tmp_path / "a"
    for name in ("train.log", "metrics.json", "state.json", "weights.npz", "snapshots.npz", "data_3d.png",
                 "codings_2d.png", "codings.gif", "loss.png"):
        assert (out / name).stat().st_size > 0, name
    assert any(p.name.startswith("events.out.tfevents") for p in out.iterdir())
    log = (out / "train.log").read_text()
    assert "data: points-3d" in log.splitlines()[0] and "epoch  20/20" in log
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("train_loss", "val_loss", "epochs", "seconds_per_epoch", "dataset", "n_train"):
        assert key in metrics


def test_same_seed_same_losses_other_seed_not(tmp_path):
    a, b, c = run(tmp_path, "a", epochs=5), run(tmp_path, "b", epochs=5), run(tmp_path, "c", epochs=5, seed=7)
    assert losses(a) == losses(b)
    assert losses(a) != losses(c)


def test_pca_converges_to_the_pca_optimum(tmp_path):
    """Full-batch gradient descent (lr 1.5) to convergence lands on PCA; mini-batches of 32 keep jittering."""
    r = run(tmp_path, "long", epochs=400, batch_size=60, make_figures=False)
    assert r["mse_ratio_to_pca"] < 1.01
    assert r["subspace_angle_deg"] < 2.0


def test_resume_continues_exactly(tmp_path, small_digits):
    straight = run(tmp_path, "straight", "stacked", small_digits, epochs=3, batch_size=64)
    run(tmp_path, "split", "stacked", small_digits, epochs=1, batch_size=64)
    resumed = run(tmp_path, "split", "stacked", small_digits, epochs=3, batch_size=64, resume=True)
    np.testing.assert_allclose(losses(resumed), losses(straight), rtol=1e-6)
    assert len(resumed["history"]) == 3


def test_resume_errors(tmp_path, small_digits):
    with pytest.raises(ResumeError, match="no run to resume"):
        run(tmp_path, "empty", resume=True)
    run(tmp_path, "a", epochs=1)
    with pytest.raises(ResumeError, match="seed"):
        run(tmp_path, "a", epochs=2, seed=3, resume=True)
    with pytest.raises(RunExistsError, match="--resume"):
        run(tmp_path, "a", epochs=2)


def test_nan_stops_with_epoch_and_step_and_keeps_checkpoint(tmp_path):
    out = tmp_path / "nan"
    with pytest.raises(TrainingDiverged, match=r"epoch \d+, step \d+/2"):
        run(tmp_path, "nan", lr=1e4, epochs=20)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == "diverged" and "smaller --lr" in metrics["error"]
    state = json.loads((out / "state.json").read_text())
    assert os.path.exists(out / (state["checkpoint"] + ".index"))
    assert "NaN" in (out / "train.log").read_text()
    # the kept checkpoint holds finite weights: the state before the bad step
    import tensorflow as tf
    reader = tf.train.load_checkpoint(str(out / state["checkpoint"]))
    for name in ("encoder_h1", "decoder_h1"):
        assert np.all(np.isfinite(reader.get_tensor(name)))


class _InterruptingBar(trainer_module.tqdm):
    """A progress bar that presses Ctrl-C (a real SIGINT) after the second chunk of steps."""
    calls = 0

    def update(self, n=1):
        type(self).calls += 1
        if type(self).calls == 2:
            signal.raise_signal(signal.SIGINT)
        return super().update(n)


def test_ctrl_c_saves_and_resume_matches_uninterrupted(tmp_path, small_digits, monkeypatch):
    # Python's default, or SIG_IGN when the tests run in a background job (the shell ignores SIGINT there)
    handler_before = signal.getsignal(signal.SIGINT)
    straight = run(tmp_path, "straight", "stacked", small_digits, epochs=2, batch_size=32)
    monkeypatch.setattr(trainer_module, "tqdm", _InterruptingBar)
    stopped = run(tmp_path, "cut", "stacked", small_digits, epochs=2, batch_size=32)
    assert stopped["status"] == "interrupted"
    state = json.loads((tmp_path / "cut" / "state.json").read_text())
    assert state["epoch"] == 0 and 0 < state["step"] < 16
    assert "interrupted at epoch 1" in (tmp_path / "cut" / "train.log").read_text()
    monkeypatch.setattr(trainer_module, "tqdm", _InterruptingBar.__mro__[1])
    resumed = run(tmp_path, "cut", "stacked", small_digits, epochs=2, batch_size=32, resume=True)
    np.testing.assert_allclose(losses(resumed), losses(straight), rtol=1e-5)
    assert signal.getsignal(signal.SIGINT) is handler_before     # the trainer puts the handler back


def test_stacked_quick_run_reports_its_metric(tmp_path, small_digits):
    r = run(tmp_path, "s", "stacked", small_digits, epochs=2)
    assert 0.5 < r["val_rounded_accuracy"] <= 1 and r["val_loss"] < 0.45
    assert (tmp_path / "s" / "reconstructions.png").exists() and (tmp_path / "s" / "reconstructions.gif").exists()


def test_deep2d_reports_knn_accuracy(tmp_path, small_digits):
    r = run(tmp_path, "d", "deep2d", small_digits, epochs=2)
    assert 0 <= r["knn5_test_accuracy"] <= 1
    assert (tmp_path / "d" / "codes_2d.png").exists()


def test_wrong_input_shape_is_a_clear_error(tmp_path, small_digits):
    with pytest.raises(ValueError, match="takes examples of shape"):
        run(tmp_path, "bad", "pca", small_digits, epochs=1)


def test_xla_step_loop_trains_the_same_steps(tmp_path, small_digits):
    """--xla: the same hand-written steps compiled by XLA (whole batches; the last, shorter batch of
    an epoch by the plain loop). Same losses up to float32 rounding, and the log says which loop ran."""
    n = len(small_digits.x_train)
    assert n % 60, "the test needs a shorter last batch"
    plain = run(tmp_path, "plain", "stacked", small_digits, epochs=2, batch_size=60, make_figures=False)
    xla = run(tmp_path, "xla", "stacked", small_digits, epochs=2, batch_size=60, make_figures=False, xla=True)
    np.testing.assert_allclose(losses(xla), losses(plain), rtol=1e-4)
    assert "compiled by XLA" in (tmp_path / "xla" / "train.log").read_text()
    assert "compiled by XLA" not in (tmp_path / "plain" / "train.log").read_text()
