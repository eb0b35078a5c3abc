"""The command line: list, train --quick, bad flags, exit codes."""
import json
import pathlib
import subprocess
import sys

import pytest

from manual_ae.cli import main
from manual_ae.posts import CASES


def test_list_shows_every_model(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name, case in CASES.items():
        assert name in out and case.dataset in out


def test_train_quick_end_to_end(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "stacked", "--dataset", "mnist-5k", "--quick", "--out", str(out), "--no-progress"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epochs"] == 2 and metrics["dataset"] == "mnist-5k" and "val_rounded_accuracy" in metrics
    assert metrics["reference"] == {}       # the post's numbers are Fashion-MNIST's: nothing to compare with here


def test_bad_flags_and_names_exit_2(capsys):
    assert main(["train", "no-such-model", "--quick"]) == 2
    assert "choose one of" in capsys.readouterr().err
    proc = subprocess.run([sys.executable, "-m", "manual_ae", "train", "pca", "--epochs", "zero"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "not a whole number" in proc.stderr


def test_a_used_output_folder_is_refused_then_replaced_on_request(tmp_path, capsys):
    """A second run into the same --out would overwrite the first one's results: refused (exit 2)
    with a message naming --resume and --overwrite; --overwrite replaces it."""
    out = tmp_path / "run"
    assert main(["train", "pca", "--epochs", "2", "--out", str(out), "--no-progress"]) == 0
    first = (out / "metrics.json").read_text()
    assert main(["train", "pca", "--epochs", "3", "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "already holds a run" in err and "--resume" in err and "--overwrite" in err
    assert (out / "metrics.json").read_text() == first           # nothing of the first run was touched
    assert main(["train", "pca", "--epochs", "3", "--out", str(out), "--no-progress", "--overwrite"]) == 0
    assert json.loads((out / "metrics.json").read_text())["epochs"] == 3


def test_named_data_dir_is_used_or_refused(tmp_path, capsys):
    """--data-dir without the files is an error naming them, never a silent switch to another copy."""
    (tmp_path / "empty").mkdir()
    assert main(["train", "stacked", "--data-dir", str(tmp_path / "empty"), "--quick", "--out",
                 str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte" in err and "missing" in err
    assert not (tmp_path / "x").exists()


def test_resume_without_out_is_explained(capsys):
    assert main(["train", "pca", "--resume"]) == 2
    assert "--resume needs --out" in capsys.readouterr().err


def test_diverging_run_exits_3(tmp_path, capsys):
    assert main(["train", "pca", "--lr", "10000", "--out", str(tmp_path / "x"), "--no-progress"]) == 3
    assert "NaN" in capsys.readouterr().err


def test_bench_runs_and_writes_its_ratio(tmp_path):
    """The benchmark's code path (not its speed: timing targets live in the benchmark's printout)."""
    from manual_ae import bench
    path = tmp_path / "b.json"
    result = bench.main("stacked", batch_size=256, epochs=2, json_path=str(path), n_train=1024, out=lambda *_: None,
                        with_profile=True)
    saved = json.loads(path.read_text())
    # the profile names the step's ops (the hand-written backward's matrix products among them)
    assert any("MatMul" in op for op, _ in saved["profile"]) and 0.5 < sum(s for _, s in saved["profile"]) <= 1
    assert saved["ratio_to_keras"] == result["ratio_to_keras"] > 0
    rows = saved["rows"]
    # ours plain / with XLA, Keras fit plain / steps_per_execution / with XLA, the tape loop plain / with XLA
    assert len(rows) == 7 and all(r["final_val_loss"] > 0 and 0 < r["fraction_of_peak"] for r in rows.values())
    assert saved["fastest_autodiff"] in rows and saved["matmul_peak_gflops"] > 0
    fastest = min(r["seconds_per_epoch"] for name, r in rows.items() if not name.startswith("ours"))
    assert abs(saved["ratio_to_fastest_autodiff"] * fastest - rows[saved["best_ours"]]["seconds_per_epoch"]) < 1e-9
    # each row (the Keras rows: one fit call, timed by a callback) has a time for each epoch
    assert all(len(r["epoch_seconds"]) == 2 for r in rows.values())
    # docs/speed.md's tables come from this JSON: a summary row and one row per runner
    table = bench.markdown([saved])
    assert "| stacked, 256 |" in table and all(f"| {name} |" in table for name in rows)


def test_bench_sweep_writes_a_table_a_json_and_a_log_log_plot(tmp_path):
    """`manual-ae bench MODEL --sweep batch=...`: every row at each point, the table, the PNG."""
    from manual_ae import bench
    json_path, png = tmp_path / "sweep.json", tmp_path / "sweep.png"
    assert main(["bench", "stacked", "--sweep", "batch=256,128", "--n-train", "512", "--epochs", "2", "--json",
                 str(json_path), "--plot", str(png)]) == 0
    swept = json.loads(json_path.read_text())
    assert swept["points"] == [128, 256] and swept["n_train"] == 512 and len(swept["results"]) == 2
    for batch, res in zip(swept["points"], swept["results"]):
        assert res["batch_size"] == batch and len(res["rows"]) == 7 and res["n_train"] == 512
    table = bench.sweep_markdown(swept)
    assert table.count("\n| 128 |") == 1 and "| 256 |" in table and "ours / fastest" in table
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_the_speed_page_tables_are_the_committed_bench_json():
    """docs/speed.md's tables and sweeps are written from logs/bench_*.json (scripts/bench_tables.py),
    never typed: the page must match the JSON files, and each sweep's plot must be there."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts"))
    import bench_tables
    assert bench_tables.main(["--check"]) == 0
    for path in bench_tables.DEFAULT:
        if "sweep" in path:
            assert (bench_tables.ROOT / "docs" / "figures" / (pathlib.Path(path).stem + ".png")).is_file()


@pytest.mark.parametrize("argv, message", [
    (["bench", "stacked", "--sweep", "width=16,32"], "only the conv model has a width"),
    (["bench", "conv", "--sweep", "batch=16,x"], "whole numbers separated by commas"),
    (["bench", "conv", "--sweep", "width=16,30"], "multiples of 4"),
    (["bench", "conv", "--sweep", "depth=2"], "KEY one of batch, width"),
    (["bench", "conv", "--sweep", "batch=16", "--batch-size", "32"], "drop --batch-size"),
    (["bench", "conv", "--plot", "p.png"], "--plot draws a sweep"),
])
def test_bench_sweep_refuses_bad_flags_in_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_a_script_refuses_a_used_folder_with_a_one_line_error(tmp_path):
    """The per-case scripts answer bad input as the command does: a message, exit 2, no traceback."""
    script = str(pathlib.Path(__file__).resolve().parents[1] / "scripts" / "post003_basic_selu_autoencoder.py")
    out = str(tmp_path / "run")
    # a run in the folder, trained by the command in this process (no walkthrough around it)
    assert main(["train", "basic-selu", "--quick", "--epochs", "1", "--out", out]) == 0
    proc = subprocess.run([sys.executable, script, "--quick", "--epochs", "1", "--out", out], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "already holds a run" in proc.stderr and "Traceback" not in proc.stderr
