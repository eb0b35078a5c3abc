"""The run plan (train/plan.py): one recipe for every entry point. `gradcheck --at` and `--resume`
rebuild a run's own data from its state.json; one exit status per kind of error; layer calls seen
through their declarations (no module patched), so a model written anywhere gets its graph scopes;
the gradient-check rows rendered as text, HTML and JSON from one module."""
import json
import sys

import numpy as np
import pytest
import tensorflow as tf

from manual_ae.cli import main
from manual_ae.train import plan_of_run


def _trained_inputs(out):
    """The first 10 training examples the run saw (kept in its snapshots), one row each."""
    with np.load(out / "snapshots.npz") as f:
        return f["train_inputs"].reshape(10, -1)


def _fake_fashion(folder, n_train=5100, n_test=40):
    import gzip
    rng = np.random.default_rng(5)
    folder.mkdir()
    for stem, arr in (("train-images-idx3-ubyte", rng.integers(0, 256, (n_train, 28, 28))),
                      ("train-labels-idx1-ubyte", rng.integers(0, 10, n_train)),
                      ("t10k-images-idx3-ubyte", rng.integers(0, 256, (n_test, 28, 28))),
                      ("t10k-labels-idx1-ubyte", rng.integers(0, 10, n_test))):
        arr = np.asarray(arr, np.uint8)
        with gzip.open(folder / f"{stem}.gz", "wb") as f:
            f.write(bytes([0, 0, 8, arr.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in arr.shape) + arr.tobytes())
    return folder


def test_gradcheck_at_and_resume_rebuild_a_data_dir_run_on_its_own_data(tmp_path, capsys):
    folder, out = _fake_fashion(tmp_path / "mine"), tmp_path / "run"
    assert main(["train", "stacked", "--data-dir", str(folder), "--quick", "--epochs", "1", "--out", str(out),
                 "--no-progress"]) == 0
    state = json.loads((out / "state.json").read_text())
    assert state["plan"]["data_dir"] == str(folder) and state["plan"]["quick"] is True
    rebuilt = plan_of_run(str(out))
    np.testing.assert_array_equal(rebuilt.data.x_train[:10].reshape(10, -1), _trained_inputs(out))
    capsys.readouterr()
    assert main(["gradcheck", "stacked", "--at", str(out)]) == 0
    assert str(folder) in " ".join(capsys.readouterr().out.split())   # checked on the run's own images, and says so
    # --resume without --data-dir: the recorded folder, not Debian's Fashion-MNIST
    assert main(["train", "stacked", "--resume", "--epochs", "2", "--out", str(out), "--no-progress"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epochs"] == 2 and str(folder) in metrics["data_source"]


def test_gradcheck_at_rebuilds_de_emoji_with_its_own_sticker_folder(tmp_path, capsys):
    import imageio.v2 as imageio
    stickers, out = tmp_path / "stickers", tmp_path / "run"
    stickers.mkdir()
    rgba = np.zeros((12, 12, 4), np.uint8)
    rgba[2:10, 2:10] = [250, 30, 30, 255]
    imageio.imwrite(stickers / "square.png", rgba)
    assert main(["train", "de-emoji", "--set", f"stickers={stickers}", "--set", "channels=4,4,4,4", "--dataset",
                 "mnist-5k", "--quick", "--epochs", "1", "--out", str(out), "--no-progress"]) == 0
    rebuilt = plan_of_run(str(out))
    assert rebuilt.data_options["stickers"] == str(stickers)
    np.testing.assert_array_equal(rebuilt.data.x_train[:10].reshape(10, -1), _trained_inputs(out))
    # without its folder (procedural stickers) the same run's images differ: the comparison above can fail
    from manual_ae.train import RunConfig, plan
    procedural = plan(RunConfig("de-emoji", dataset="mnist-5k", quick=True), claim=False).data
    assert not np.array_equal(procedural.x_train[:10].reshape(10, -1), _trained_inputs(out))
    capsys.readouterr()
    assert main(["gradcheck", "de-emoji", "--at", str(out), "--batch", "4"]) == 0
    assert f"stickers from {stickers}" in " ".join(capsys.readouterr().out.split())    # notes fold at 100 columns


def test_the_plan_builds_models_before_data_and_claims_the_folder_last(tmp_path, capsys):
    from manual_ae.train import Hyper, RunConfig, plan
    out = tmp_path / "run"
    assert main(["train", "pca", "--epochs", "1", "--out", str(out), "--no-progress"]) == 0
    first = (out / "metrics.json").read_text()
    # --overwrite with data that cannot load: refused before anything of the first run is deleted
    assert main(["train", "stacked", "--data-dir", str(tmp_path / "none"), "--overwrite", "--out", str(out)]) == 2
    assert (out / "metrics.json").read_text() == first
    with pytest.raises(ValueError, match="no option widths"):
        plan(RunConfig("stacked", options={"widths": 3}), claim=False)
    p = plan(RunConfig("greedy", hyper=Hyper(epochs=3)), claim=False, load=False)
    assert list(p.models) == ["greedy-ae1", "greedy-ae2", "greedy-finetune"] and p.data is None
    assert p.stage_hyper(p.case.stages[2]).lr == 0.1 and p.stage_hyper(p.case.stages[2]).epochs == 3


def test_one_exit_status_for_every_error():
    from manual_ae.errors import (DataError, ResumeError, RunExistsError, TrainingDiverged, describe, exit_status)
    assert [exit_status(e) for e in (DataError("x"), ResumeError("x"), RunExistsError("x"), ValueError("x"))] == [2] * 4
    assert exit_status(TrainingDiverged("nan")) == exit_status(FloatingPointError()) == 3
    assert exit_status(KeyboardInterrupt()) == 130 and exit_status(RuntimeError("bug")) == 1
    kernel_error = type("CellExecutionError", (Exception,), {"ename": "DataError"})()
    assert exit_status(kernel_error) == 2             # an error raised inside a notebook's kernel
    assert describe(TrainingDiverged("NaN at step 3")).startswith("stopped: NaN")


def test_layer_calls_are_seen_through_their_declarations_without_patching_any_module():
    """A model written outside manual_ae.models gets its rows and scopes, and no module changes."""
    import manual_ae
    from manual_ae import layers as L
    from manual_ae import trace
    from manual_ae.models.base import ImageModel, glorot_uniform

    class Mine(ImageModel):       # written here, in a test file
        options = {}

        def init_weights(self, rng, dtype=np.float32):
            return {"enc": glorot_uniform(rng, 784, 8, dtype), "enc_b": np.zeros(8, dtype),
                    "dec": glorot_uniform(rng, 8, 784, dtype), "dec_b": np.zeros(784, dtype)}

        def forward(self, w, x, noise=None, training=True):
            c = {}
            h, c["enc"] = L.dense_act_forward(x, w["enc"], w["enc_b"], "selu")
            z, c["dec"] = L.dense_forward(h, w["dec"], w["dec_b"])
            loss, recon, c["loss"] = L.sigmoid_bce_forward(z, x)
            return loss, {"recon": recon, "codes": h}, c

        def backward(self, c):
            g = {}
            dz = L.sigmoid_bce_backward(1.0, c["loss"])
            dh, g["dec"], g["dec_b"] = L.dense_backward(dz, c["dec"])
            _, g["enc"], g["enc_b"] = L.dense_act_backward(dh, c["enc"])
            return g

    def attributes():
        return {name: dict(vars(m)) for name, m in list(sys.modules.items()) if name.startswith("manual_ae") and m}
    before = attributes()
    model = Mine("mine")
    w = model.init_weights(np.random.default_rng(0))
    x = np.random.default_rng(1).uniform(0, 1, (4, 784)).astype(np.float32)
    with trace.recording(calls := []):
        seen = attributes()
        _, _, cache = model.forward({k: tf.constant(v) for k, v in w.items()}, tf.constant(x))
    assert seen == before, "recording changed a module attribute"
    assert [c.function for c in calls] == ["dense_act_forward", "dense_forward", "sigmoid_bce_forward"]
    assert calls[0].doc == "docs/dense_backprop.md"
    from manual_ae.hyper import Hyper
    from manual_ae.train.graph import build_training_graph
    g = build_training_graph(model, w, x, Hyper(batch_size=4, optimizer="sgd", lr=0.1, seed=0))
    names = [n.name for fn in g.graph.as_graph_def().library.function for n in fn.node_def]
    for label in ("enc", "dec", "loss"):
        for direction in ("forward", "backward"):
            assert any(f"{label}/{direction}/" in n for n in names), f"no {label}/{direction} scope"
    assert attributes().keys() == before.keys() and manual_ae.layers.dense_forward is L.dense_forward


def test_gradcheck_rows_render_as_text_html_and_json(tmp_path):
    from manual_ae.gradcheck import mistakes, render, report
    items = report.check(["dense"])
    text, html, records = render.text(items), render.html(items), render.records(items)
    assert len(records) == sum(len(rows) for _, rows, _ in items) == html.count("<tr>") - 1
    assert all(r["status"] == "PASS" and len(r["worst"]["index"]) == len(r["shape"]) for r in records)
    assert max(len(line) for line in render.compact(items)) <= 100
    assert text[0].startswith("check / gradient") and sum(line.endswith(" PASS") for line in text) == len(records)
    assert max(len(line) for line in text) <= 100
    wrong = next(m for m in mistakes.MISTAKES if m.name == "the mean's 1/N forgotten")
    failing = [(wrong.name, wrong.run(0), None)]
    assert render.failure_lines(failing[0][1])[0].startswith("FAIL ") and 'style="color:#b00"' in render.html(failing)
    assert main(["gradcheck", "dense", "--json", str(tmp_path / "rows.json")]) == 0
    saved = json.loads((tmp_path / "rows.json").read_text())["rows"]
    assert [r["gradient"] for r in saved if r["entry"] == "dense"] == ["x", "w", "b"]
