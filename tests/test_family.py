"""The Fashion-MNIST family (posts 003/004): every model trains a little on real digits and draws
its figures; the greedy pipeline chains its stages; Keras twins in the benchmark match our models."""
import json

import numpy as np
import pytest
import tensorflow as tf

from manual_ae.posts import CASES
from manual_ae.train import train_case

FIGURES = {"tied": ["reconstructions.png"], "conv": ["reconstructions.png", "reconstructions.gif"],
           "recurrent": ["reconstructions.png"], "denoising-gaussian": ["denoising.png"],
           "denoising-dropout": ["denoising.png"], "sparse-l1": ["sparsity.png"], "sparse-kl": ["sparsity.png"],
           "vae": ["generated.png", "interpolation.png"]}


@pytest.mark.parametrize("name", list(FIGURES))
def test_trains_and_draws(name, tmp_path, small_digits):
    r = train_case(CASES[name], small_digits, str(tmp_path), epochs=1, batch_size=64, console=False, progress=False)
    assert r["status"] == "finished" and np.isfinite(r["val_loss"]) and 0 < r["val_rounded_accuracy"] <= 1
    for fig in FIGURES[name]:
        assert (tmp_path / fig).stat().st_size > 1000, fig


def test_sparse_report_measures_sparsity(tmp_path, small_digits):
    r = train_case(CASES["sparse-kl"], small_digits, str(tmp_path), epochs=1, batch_size=64, console=False,
                   progress=False, make_figures=False)
    assert 0 <= r["fraction_of_units_mean_below_0.1"] <= 1 and 0 < r["mean_code_activation"] < 1


def test_greedy_pipeline_stacks_its_stages(tmp_path):
    from manual_ae.cli import main
    out = tmp_path / "g"
    assert main(["train", "greedy", "--dataset", "mnist-5k", "--quick", "--out", str(out), "--no-progress"]) == 0
    stages = json.loads((out / "stages.json").read_text())
    assert list(stages) == ["stage1-ae1", "stage2-ae2", "stage3-finetune"]
    w1 = np.load(out / "stage1-ae1" / "weights.npz")
    log = (out / "stage3-finetune" / "train.log").read_text()
    assert "initial weights: given" in log
    # stage 2 trained on stage 1's 100-D codes
    assert json.loads((out / "stage2-ae2" / "metrics.json").read_text())["dataset"] == "greedy-ae1 codes"
    assert w1["encoder_h1"].shape == (784, 100)


def test_initial_weights_must_match(tmp_path, small_digits):
    with pytest.raises(ValueError, match="do not match"):
        train_case(CASES["stacked"], small_digits, str(tmp_path), epochs=1, batch_size=64, console=False,
                   progress=False, initial_weights={"encoder_h1": np.zeros((784, 100))})


@pytest.mark.parametrize("name, options", [("conv", {}), ("conv", {"channels": (4, 8, 24)}), ("recurrent", {})])
def test_keras_twin_computes_the_same_network(name, options, small_digits):
    """The benchmark compares like with like: the Keras model built from our weights gives our loss
    (for the conv model also at another width, as `bench conv --sweep width=...` builds it)."""
    import keras
    import tensorflow as tf

    from manual_ae.bench import _keras_model
    from manual_ae.train.trainer import flatten_for
    model = CASES[name].model(**options)
    init = model.init_weights(np.random.default_rng(0))
    x = flatten_for(model, small_digits.x_val[:16])
    ours = float(model.forward({k: tf.constant(v) for k, v in init.items()}, tf.constant(x), {}, False)[0])
    theirs = float(keras.losses.BinaryCrossentropy()(x, _keras_model(name, init, options)(x)))
    assert abs(ours - theirs) < 1e-4 * theirs


def test_keras_trains_the_fused_log_loss_on_a_sigmoid_output():
    """What docs/log_loss.md says: Keras's binary_crossentropy on a sigmoid Dense output uses the
    logits (no clip), as our models' sigmoid_bce does; a clipped probability would give 16.1 here."""
    import keras
    inp = keras.Input((2,))
    out = keras.layers.Dense(2, activation="sigmoid", kernel_initializer="zeros",
                             bias_initializer=keras.initializers.Constant([-40.0, 40.0]))(inp)
    model = keras.Model(inp, out)
    model.compile(loss="binary_crossentropy")
    x = np.array([[1.0, 0.0]], np.float32)
    from manual_ae.layers import sigmoid_bce_forward
    ours = float(sigmoid_bce_forward(tf.constant([[-40.0, 40.0]]), tf.constant(x))[0])
    assert model.evaluate(x, x, verbose=0) == pytest.approx(ours, rel=1e-6) == 40.0
