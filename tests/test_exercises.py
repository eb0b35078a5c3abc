"""Learning by doing it: the path through the exercises with the learner's status, stubs without the
formula and hints in steps, the scalar warm-up, and model exercises whose check names the first wrong
tensor (a --solution file passes, the blank fails as blank)."""
import re

import pytest

from manual_ae.cli import main
from manual_ae.gradcheck import exercise, model_exercise
from manual_ae.gradcheck import path as learning


def test_the_path_lists_every_step_in_order_with_the_learners_status(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["exercise"]) == 0
    out = capsys.readouterr().out
    names = re.findall(r"^\s*\d+\. (\S+)", out, re.M)
    assert names[:3] == ["scalar", "sigmoid", "dense"] and names.index("stacked") < names.index("conv2d")
    assert names.index("conv2d") < names.index("lstm") < names.index("eigen_projection")
    assert out.count("[not started]") == len(names) == len(learning.PATH)
    assert main(["exercise", "dense"]) == 0                                  # a blank stub: "blank"
    assert main(["exercise", "sigmoid", "--solution", "--out", "exercise_sigmoid.py"]) == 0      # done: "passing"
    capsys.readouterr()
    assert main(["exercise"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"dense .*\[blank\]", out) and re.search(r"sigmoid .*\[passing\]", out)
    wrong = (tmp_path / "exercise_sigmoid.py").read_text().replace("return dy * y * (1 - y)", "return dy * y")
    (tmp_path / "exercise_sigmoid.py").write_text(wrong)
    capsys.readouterr()
    assert main(["exercise"]) == 0
    assert re.search(r"sigmoid .*\[failing at dz \(other\)\]", capsys.readouterr().out)


def test_a_stub_says_what_to_return_not_the_formula_and_the_hints_reveal_it_in_steps(tmp_path, capsys):
    path = tmp_path / "ex.py"
    assert main(["exercise", "dense", "--out", str(path)]) == 0
    stub = path.read_text()
    assert "dW = x^T dout" not in stub and "dx = dout W^T" not in stub
    assert "dx: (N, D), dw: (D, M), db: (M,)" in stub and "return out, (x, w)" in stub
    capsys.readouterr()
    assert main(["exercise", "dense", "--hint", "1"]) == 0
    one = capsys.readouterr().out
    assert "hint 1" in one and "hint 2" not in one and "x^T dout" not in one
    assert main(["exercise", "dense", "--hint", "3"]) == 0
    three = capsys.readouterr().out
    assert "dW = x^T dout" in three and "hint 3" in three and "tf.matmul" in three
    assert main(["exercise", "dense", "--out", str(path)]) == 2               # the learner's file is kept
    assert "already exists" in capsys.readouterr().err and path.read_text() == stub


def test_the_scalar_warm_up(tmp_path, capsys):
    path = tmp_path / "ex.py"
    assert main(["exercise", "scalar", "--out", str(path)]) == 0
    assert main(["gradcheck", "scalar", "--using", str(path)]) == 1
    assert "blank" in capsys.readouterr().err
    solved = tmp_path / "sol.py"
    assert main(["exercise", "scalar", "--solution", "--out", str(solved)]) == 0
    assert main(["gradcheck", "scalar", "--using", str(solved)]) == 0
    solved.write_text(solved.read_text().replace("dt = dy * 2 * t", "dt = 2 * t"))
    assert main(["gradcheck", "scalar", "--using", str(solved)]) == 1
    assert "upstream-ignored" in capsys.readouterr().out


@pytest.mark.parametrize("name", model_exercise.MODEL_EXERCISES)
def test_each_model_exercise_fails_blank_and_passes_with_the_solution(name, tmp_path):
    blank = exercise.write(name, str(tmp_path / "blank.py"))
    with pytest.raises(exercise.BlankExercise, match="^blank:"):
        exercise.check_file(blank, out=lambda *_: None)
    solved = exercise.write(name, str(tmp_path / "solved.py"), solution=True)
    lines = []
    rows, failures = exercise.check_file(solved, [name], out=lines.append)
    assert rows and not failures and any("tensors agree with the tape" in line for line in lines), "\n".join(lines)


def _stacked_with(tmp_path, right, wrong):
    """The stacked exercise's solution with one line's `right` replaced by `wrong`, checked: (failures, output)."""
    solved = exercise.write("stacked", str(tmp_path / "mine.py"), solution=True)
    text = open(solved).read()
    assert right in text
    open(solved, "w").write(text.replace(right, wrong))
    lines = []
    _, failures = exercise.check_file(solved, out=lines.append)
    return failures, "\n".join(lines)


def test_a_model_exercise_names_the_first_wrong_tensor(tmp_path):
    failures, said = _stacked_with(tmp_path, 'dense_act_backward(dcodes, c["encoder_h2"])',
                                   'dense_act_backward(2 * dcodes, c["encoder_h2"])')
    assert failures and "first WRONG: d encoder_h2" in said
    assert re.search(r"^d encoder_h2: scale: hand = 2 x true", said, re.M)
    # rows before it are right: the tensors the backward computed before the mistake
    before = said[:said.index("d encoder_h2 ")]
    assert "WRONG" not in before and "grad decoder_h1" in before


def test_a_model_exercise_names_a_wrong_upstream_gradient(tmp_path):
    """Another layer's gradient passed into a layer's backward: said as such, at the first wrong tensor."""
    failures, said = _stacked_with(tmp_path, 'dense_act_backward(dh1, c["encoder_h1"]',
                                   'dense_act_backward(dh3, c["encoder_h1"]')
    said = " ".join(said.split())
    assert failures and "d encoder_h1: wrong-upstream: it equals d decoder_h1" in said
