"""The walkthroughs: every per-case script is a jupytext notebook with the six parts, executes in a real
Jupyter kernel at quick settings with its figures inline, and the graph it trains reaches TensorBoard
with a name scope per layer and direction. A newcomer's first screen has no TensorFlow C++ start-up lines."""
import glob
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPTS = sorted(glob.glob(str(ROOT / "scripts" / "post*.py")))
PARTS = ["## 1.", "## 2.", "## 3.", "## 4.", "## 5.", "## 6."]


def _id(path):
    return os.path.basename(path)[:-3]


@pytest.mark.parametrize("path", SCRIPTS, ids=_id)
def test_each_script_is_a_walkthrough_with_six_parts_and_one_quick_switch(path):
    from manual_ae.notebooks import QUICK_SET, to_notebook
    nb = to_notebook(path)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    found = [p for p in PARTS if any(h.startswith(p) for h in headings)]
    assert found == PARTS, f"{_id(path)}: parts found {found}; a walkthrough has the six parts {PARTS}"
    order = [next(i for i, h in enumerate(headings) if h.startswith(p)) for p in PARTS]
    assert order == sorted(order), f"{_id(path)}: the parts are out of order"
    assert sum(c.cell_type == "code" for c in nb.cells) >= 6
    assert QUICK_SET.startswith("QUICK = True")
    quick = to_notebook(path, quick=True)
    assert sum(c.source == QUICK_SET for c in quick.cells) == 1


@pytest.mark.parametrize("path", SCRIPTS, ids=_id)
def test_each_walkthrough_executes_as_a_notebook_with_its_figures_inline(tmp_path, path):
    """Each walkthrough run top to bottom in its own python3 kernel at quick settings (one test a notebook:
    pytest-xdist's workers run them side by side)."""
    from manual_ae.notebooks import execute, to_notebook
    nb, err = to_notebook(path, quick=True), None
    try:
        execute(nb, str(tmp_path), timeout=600)
    except Exception as e:              # the outputs up to the failing cell stay in nb
        err = e
    assert err is None, f"{_id(path)} failed in the kernel:\n{err}"
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {}) or "image/gif" in o.get("data", {})]
    assert len(images) >= 2, f"{_id(path)}: the data figure and at least one result figure, inline"
    text = "".join(o.get("text", "") for o in outputs)
    assert re.search(r"  PASS$", text, re.M) and not re.search(r"  FAIL$", text, re.M), \
        f"{_id(path)}: its gradient-check rows, all passing"
    assert "\r" not in text, f"{_id(path)}: a progress bar in a notebook (one line per epoch expected)"
    # the step section: the model's backward as source (highlighted: a rich output), its tensors with their
    # values, and the step checked tensor by tensor against the tape, all agreeing
    rich = "".join(str(o.get("data", {})) for o in outputs if o["output_type"] in ("display_data", "execute_result"))
    assert "def backward" in rich, f"{_id(path)}: the model's backward is not shown as source"
    assert "mean" in text and "std" in text and "max|hand-tape|" in text, f"{_id(path)}: no per-tensor table"
    assert "tensors agree with the tape" in text and "WRONG" not in text
    assert "I0000" not in text and "cuInit" not in text


def test_a_walkthrough_runs_as_a_script_with_the_same_flags(tmp_path):
    out = tmp_path / "run"
    script = str(ROOT / "scripts" / "post003_stacked_autoencoder.py")
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "MANUAL_AE_QUIET_TF")}
    proc = subprocess.run([sys.executable, script, "--quick", "--out", str(out)], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for part in ("Total params: 163,814", "backward call", "model stacked", "selu (on the kink", "PASS",
                 "| val_loss |"):
        assert part in proc.stdout
    assert (out / "reconstructions.png").exists() and (out / "data_samples.png").exists()
    assert "oneDNN" not in proc.stderr and "cuInit" not in proc.stderr and "absl" not in proc.stderr, proc.stderr[:2000]


def test_tensorflow_start_up_lines_are_hidden_unless_verbose(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "MANUAL_AE_QUIET_TF")}
    quiet = subprocess.run(["manual-ae", "summary", "pca"], capture_output=True, text=True, env=env)
    loud = subprocess.run(["manual-ae", "summary", "pca", "--verbose"], capture_output=True, text=True, env=env)
    assert quiet.returncode == loud.returncode == 0
    assert quiet.stderr.strip() == "", quiet.stderr
    c_lines = [line for line in loud.stderr.splitlines() if re.match(r"^[IWEF]\d{4} ", line) or "absl" in line]
    assert c_lines, f"--verbose should show TensorFlow's start-up lines; stderr was: {loud.stderr[:500]!r}"
    assert quiet.stdout == loud.stdout


def _graph_nodes(run_dir):
    """Node names of the graph written to the run's TensorBoard events file, the while loop's body included."""
    import tensorflow as tf
    from tensorflow.core.util import event_pb2
    names = []
    for f in glob.glob(os.path.join(run_dir, "events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(f):
            event = event_pb2.Event.FromString(record.numpy())
            if event.graph_def:
                graph = tf.compat.v1.GraphDef.FromString(event.graph_def)
                names += [n.name for n in graph.node]
                names += [n.name for fn in graph.library.function for n in fn.node_def]
    return names


@pytest.mark.parametrize("name,layers", [("tied", ["encoder_h1", "encoder_h2", "decoder_h1", "decoder_h2", "loss"]),
                                         ("conv", ["encoder_h1", "encoder_h3", "decoder_h1", "decoder_h3"])])
def test_tensorboard_gets_the_hand_written_graph_with_a_scope_per_layer_and_direction(tmp_path, name, layers):
    from manual_ae.train import Hyper, RunConfig, run
    out = str(tmp_path / name)
    run(RunConfig(name, hyper=Hyper(epochs=1), quick=True, out=out, progress=False, console=False))
    names = _graph_nodes(out)
    assert names, "no graph in the events file"
    for layer in layers:
        for direction in ("forward", "backward"):
            assert any(f"{layer}/{direction}/" in n for n in names), f"no {layer}/{direction} scope"
    assert any(n.startswith("update/") or "/update/" in n for n in names), "no update scope"


def test_the_step_table_names_every_gradient_of_every_case():
    """The walkthroughs' forward/backward table: every layer call is matched to its backward, and every
    weight's gradient is named where it is returned (or as a part of it, for tied weights)."""
    from manual_ae import trace
    from manual_ae.posts import CASES
    for name, case in CASES.items():
        model = case.model()
        w = model.init_weights(np.random.default_rng(0), np.float32)
        x = np.asarray(model.gradcheck_input(np.random.default_rng(0), 4), np.float32)
        calls, _, _, grads = trace.one_step(model, w, x)
        forward = [c.label for c in calls if c.direction == "forward"]
        backward = [c.label for c in calls if c.direction == "backward"]
        assert len(set(forward)) == len(forward), f"{name}: two forward calls share a name: {forward}"
        assert set(backward) <= set(forward), f"{name}: a backward call with no forward: {backward}"
        named = {g.split(" ")[1] for c in calls if c.direction == "backward" for g in c.grads.values()
                 if g.startswith("grad ")}
        assert set(grads) - set(model.zero_gradients()) <= named, f"{name}: gradients never named: {set(grads) - named}"
        lines = trace.step_table(model, w, x)
        assert any("backward" in line for line in lines[:1]) and len(lines) >= len(forward) + 3


def test_the_notebooks_command_writes_every_walkthrough_and_refuses_an_unknown_name(tmp_path, capsys):
    import nbformat

    from manual_ae.cli import main
    assert main(["notebooks", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert written == sorted(_id(p) + ".ipynb" for p in SCRIPTS + [str(ROOT / "scripts" / "learn_scalar_warmup.py")])
    nb = nbformat.read(str(tmp_path / "post003_stacked_autoencoder.ipynb"), as_version=4)
    assert any(c.source == "QUICK = False" for c in nb.cells)          # opened by hand: the post's settings
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert main(["notebooks", "no_such_post", "--out", str(tmp_path)]) == 2
    assert "no walkthrough matches no_such_post" in capsys.readouterr().err


def test_the_scalar_warm_up_runs_as_a_script_and_as_a_notebook(tmp_path):
    """The learning path's first step: a hand derivative of y = tanh(a*b + c)^2, checked."""
    from manual_ae.notebooks import execute, to_notebook
    script = ROOT / "scripts" / "learn_scalar_warmup.py"
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.search(r"^da\s+\S+\s+\S+\s+\d\.\de-1\d$", proc.stdout, re.M)      # hand vs numeric to 1e-10
    assert proc.stdout.count("PASS") == 3
    nb = execute(to_notebook(str(script), quick=True), str(tmp_path), timeout=300)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "de/da by hand -0.3000000000" in text


def test_replay_trains_nothing_and_shows_the_committed_reference_runs(tmp_path):
    """--replay (QUICK = "replay": the course website's pages): a pipeline's every stage replayed from
    logs/, with its log and numbers; no training, no checkpoint. With --quick it is refused."""
    script = os.path.join(ROOT, "scripts", "post003_greedy_layerwise.py")
    run = subprocess.run([sys.executable, script, "--replay", "--out", str(tmp_path / "greedy")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count("Replayed, not trained") == 3, run.stdout[-3000:]
    for stage in ("stage1-ae1", "stage2-ae2", "stage3-finetune"):
        assert f"logs/greedy-{stage}.log" in run.stdout
    assert "epoch  10/10" in run.stdout and "| stage3-finetune | val_loss |" in run.stdout
    assert not list((tmp_path / "greedy").rglob("weights.npz")) and not list((tmp_path / "greedy").rglob("checkpoints"))
    both = subprocess.run([sys.executable, script, "--replay", "--quick"], capture_output=True, text=True, cwd=tmp_path)
    assert both.returncode == 2 and "--replay trains nothing" in both.stderr
