"""Wrong inputs to every public function: each refused with a ValueError that names the argument.

Two tables. GENERATED: for every declared layer kind, the valid inputs of its gradient-check entry
with one argument spoiled at a time (an integer dtype, a float32 among float64, an extra axis, an
empty axis, a NaN, an inf), and its backward given an upstream gradient of the wrong shape, dtype
or values. SILENT: the wrong inputs that used to run and return a wrong gradient or a meaningless
loss (a (1, K) log-variance, a (1, M) bias, a (1, D) noise, a mask of 0.5s, tanh codes in the KL
penalty, a negative weight, ...), the models, the checks and the command line.
A coverage test fails when a public function or model has no row.
"""
import inspect

import numpy as np
import pytest
import tensorflow as tf

from manual_ae import layers as L
from manual_ae.gradcheck import core
from manual_ae.gradcheck.registry import LAYER_TABLE
from manual_ae.layers.kinds import KINDS
from manual_ae.errors import DataError
from manual_ae.models import ARCHITECTURES, Deep2D, DigitVAE, EluStacked, ShallowAE, Sparse, Stacked, VAE


def _entry(kind):
    """The first check entry whose inputs are the declared forward's own parameters."""
    params = set(inspect.signature(KINDS[kind].forward.layer_function).parameters)
    for e in LAYER_TABLE:
        if e.kind == kind and not e.odd_shape and set(e.inputs(np.random.default_rng(0))) <= params:
            return e
    raise AssertionError(f"no plain check entry for {kind}")


def _spoil(array, how):
    a = np.array(array, np.float64)
    if how == "int dtype":
        return tf.constant(a.astype(np.int32))
    if how == "float32 among float64":
        return tf.constant(a.astype(np.float32))
    if how == "extra axis":
        return tf.constant(a[None])
    if how == "empty axis":
        return tf.constant(np.zeros((0,) + a.shape[1:]) if a.ndim else a)
    bad = a.copy()
    bad.reshape(-1)[bad.size // 2] = np.nan if how == "NaN" else np.inf
    return tf.constant(bad)


def _generated():
    rows = []
    for kind in sorted(KINDS):
        entry = _entry(kind)
        accepts = KINDS[kind].forward.accepts
        inputs = entry.inputs(np.random.default_rng(0))
        for name, value in inputs.items():
            spec = accepts.get(name, "")
            hows = ["int dtype", "NaN", "inf"]
            hows += ["float32 among float64"] if len(inputs) > 1 else []
            hows += ["empty axis"] if np.ndim(value) and not spec.startswith("scalar") else []
            hows += ["extra axis"] if spec and not spec.startswith(("any", "scalar")) else []
            rows += [pytest.param(kind, entry, name, how, id=f"{kind}_forward-{name}-{how}") for how in hows]
    return rows


@pytest.mark.parametrize("kind, entry, name, how", _generated())
def test_a_spoilt_argument_is_refused_by_name(kind, entry, name, how):
    inputs = {k: tf.constant(v) for k, v in entry.inputs(np.random.default_rng(0)).items()}
    inputs[name] = _spoil(inputs[name], how)
    with pytest.raises(ValueError) as err:
        entry.forward(**inputs)
    message = str(err.value)
    assert f"{kind}_forward: " in message and f" {name} " in f" {message} ", message


def _upstream_rows():
    rows = []
    for kind in sorted(KINDS):
        for how in ("extra axis", "float32 among float64", "NaN"):
            rows.append(pytest.param(kind, how, id=f"{kind}_backward-{how}"))
    return rows


@pytest.mark.parametrize("kind, how", _upstream_rows())
def test_a_wrong_upstream_gradient_is_refused_by_name(kind, how):
    entry = _entry(kind)
    inputs = {k: tf.constant(v) for k, v in entry.inputs(np.random.default_rng(0)).items()}
    result = (L.lstm_step_forward if kind == "lstm_step" else entry.forward)(**inputs)   # (h, c, cache) there
    out, cache = result[0], result[-1]
    backward = KINDS[kind].backward
    upstream = list(inspect.signature(backward.layer_function).parameters)[0]
    dout = _spoil(np.ones(out.shape), how)
    with pytest.raises(ValueError) as err:
        backward(dout, tf.zeros_like(out), cache) if kind == "lstm_step" else backward(dout, cache)
    assert f"{kind}_backward: {upstream} " in str(err.value), str(err.value)


# ---------------------------------------------------------------- the silent ones, and the rest by hand

def f64(*shape, low=None):
    rng = np.random.default_rng(1)
    a = rng.uniform(0.05, 0.95, shape) if low == "prob" else rng.standard_normal(shape)
    return tf.constant(a)


def c(value):
    return tf.constant(np.asarray(value, np.float64))


N, D, M, K = 4, 5, 3, 2
SILENT = [
    # (covers, what, call, argument named)
    ("eigen_projection_forward", "negative gap tolerance (finite loss, NaN gradient)",
     lambda: L.eigen_projection_forward(f64(6, 3), gap_tol=-1e-4), "gap_tol"),
    ("gaussian_sample_forward", "log-variance (1, K): broadcast, its gradient 1/N of the true one",
     lambda: L.gaussian_sample_forward(f64(N, K), f64(1, K), f64(N, K)), "logvar"),
    ("kl_latent_forward", "log-variance (1, K)", lambda: L.kl_latent_forward(f64(N, K), f64(1, K), 1.0), "logvar"),
    ("sigma_sample_forward", "sigma (N, 1): a gradient of shape (N, K)",
     lambda: L.sigma_sample_forward(f64(N, K), f64(N, 1), f64(N, K)), "sigma"),
    ("kl_latent_sigma_forward", "sigma (N, 1)", lambda: L.kl_latent_sigma_forward(f64(N, K), f64(N, 1), 1.0),
     "sigma"),
    ("dense_forward", "bias (1, M): a gradient of another shape", lambda: L.dense_forward(f64(N, D), f64(D, M),
                                                                                           f64(1, M)), "b"),
    ("dense_forward", "bias ()", lambda: L.dense_forward(f64(N, D), f64(D, M), c(0.5)), "b"),
    ("dense_act_forward", "bias (1, M)", lambda: L.dense_act_forward(f64(N, D), f64(D, M), f64(1, M), "selu"), "b"),
    ("gaussian_noise_forward", "noise (1, D): shared by every example",
     lambda: L.gaussian_noise_forward(f64(N, D), f64(1, D)), "noise"),
    ("gaussian_noise_forward", "noise (D,)", lambda: L.gaussian_noise_forward(f64(N, D), f64(D)), "noise"),
    ("dropout_forward", "mask (1, D)", lambda: L.dropout_forward(f64(N, D), c(np.ones((1, D))), 0.5), "keep"),
    ("dropout_forward", "mask of 0.5s (scales instead of dropping)",
     lambda: L.dropout_forward(f64(N, D), c(np.full((N, D), 0.5)), 0.5), "keep"),
    ("dropout_forward", "rate 1", lambda: L.dropout_forward(f64(N, D), c(np.ones((N, D))), 1.0), "rate"),
    ("gaussian_sample_forward", "epsilon (1, K)", lambda: L.gaussian_sample_forward(f64(N, K), f64(N, K), f64(1, K)),
     "eps"),
    ("kl_sparsity_forward", "tanh codes (negative unit means)",
     lambda: L.kl_sparsity_forward(tf.tanh(f64(N, D)) - 0.5, 0.1, 0.05), "h"),
    ("kl_sparsity_forward", "negative weight", lambda: L.kl_sparsity_forward(f64(N, D, low="prob"), 0.1, -0.05),
     "weight"),
    ("kl_sparsity_forward", "target 0", lambda: L.kl_sparsity_forward(f64(N, D, low="prob"), 0.0, 0.05), "target"),
    ("kl_latent_forward", "negative KL weight (rewards the KL term)",
     lambda: L.kl_latent_forward(f64(N, K), f64(N, K), -1.0), "scale"),
    ("kl_latent_sigma_forward", "negative scale", lambda: L.kl_latent_sigma_forward(f64(N, K), f64(N, K), -1.0),
     "scale"),
    ("bce_forward", "targets outside [0, 1]", lambda: L.bce_forward(f64(N, D, low="prob"), c(np.full((N, D), 1.5))),
     "y"),
    ("bce_forward", "probabilities outside [0, 1] (clipped to a zero gradient)",
     lambda: L.bce_forward(c(np.full((N, D), -0.2)), f64(N, D, low="prob")), "p"),
    ("sigmoid_bce_forward", "targets outside [0, 1]", lambda: L.sigmoid_bce_forward(f64(N, D), c(np.full((N, D), 2.0))),
     "y"),
    ("mse_forward", "target (1, D)", lambda: L.mse_forward(f64(N, D), f64(1, D)), "y"),
    ("l2_penalty_forward", "negative weight decay", lambda: L.l2_penalty_forward(f64(D, M), -1e-4), "scale"),
    ("l1_activity_forward", "negative weight", lambda: L.l1_activity_forward(f64(N, D), -1e-3), "weight"),
    ("conv2d_forward", "VALID kernel larger than its input (empty forward, crashing backward)",
     lambda: L.conv2d_forward(f64(1, 3, 3, 1), f64(5, 5, 1, 2), None, 1, "VALID"), "w"),
    ("conv2d_forward", "stride 0", lambda: L.conv2d_forward(f64(1, 6, 6, 1), f64(3, 3, 1, 2), None, 0), "stride"),
    ("conv2d_forward", "padding 'same'", lambda: L.conv2d_forward(f64(1, 6, 6, 1), f64(3, 3, 1, 2), None, 1, "same"),
     "padding"),
    ("conv2d_forward", "channels that disagree", lambda: L.conv2d_forward(f64(1, 6, 6, 2), f64(3, 3, 1, 2), None),
     "w"),
    ("conv2d_transpose_forward", "stride 1.5",
     lambda: L.conv2d_transpose_forward(f64(1, 3, 3, 2), f64(3, 3, 1, 2), None, 1.5), "stride"),
    ("conv_act_pool_forward", "unknown activation",
     lambda: L.conv_act_pool_forward(f64(1, 6, 6, 1), f64(3, 3, 1, 2), None, "swish"), "swish"),
    ("conv_transpose_act_forward", "bias (1, C)",
     lambda: L.conv_transpose_act_forward(f64(1, 3, 3, 2), f64(3, 3, 1, 2), f64(1, 1), "tanh"), "b"),
    ("max_pool2d_forward", "NaN in a window (TensorFlow's kernel drops it)",
     lambda: L.max_pool2d_forward(c(np.where(np.eye(4)[None, :, :, None] > 0, np.nan, 1.0))), "x"),
    ("max_pool2d_forward", "a flat image", lambda: L.max_pool2d_forward(f64(2, 16)), "x"),
    ("lstm_forward", "recurrent kernel not (H, 4H)", lambda: L.lstm_forward(f64(2, 3, D), f64(D, 12), f64(3, 8),
                                                                              f64(12)), "wh"),
    ("lstm_forward", "return_sequences 'yes'", lambda: L.lstm_forward(f64(2, 3, D), f64(D, 12), f64(3, 12), f64(12),
                                                                       "yes"), "return_sequences"),
    ("lstm_step_forward", "c_prev of another batch", lambda: L.lstm_step_forward(
        f64(2, D), f64(2, 3), f64(3, 3), f64(D, 12), f64(3, 12), f64(12)), "c_prev"),
    ("repeat_vector_forward", "0 steps", lambda: L.repeat_vector_forward(f64(2, D), 0), "t_steps"),
    ("time_distributed_dense_forward", "a flat batch", lambda: L.time_distributed_dense_forward(
        f64(2, D), f64(D, M), f64(M)), "x"),
    ("tied_dense_forward", "bias of the encoder's size", lambda: L.tied_dense_forward(f64(N, M), f64(D, M), f64(M)),
     "b"),
    ("tied_dense_act_forward", "x of the wrong width", lambda: L.tied_dense_act_forward(f64(N, D), f64(D, M), f64(D),
                                                                                          "sigmoid"), "w"),
    ("dense_forward", "float32 data into float64 weights", lambda: L.dense_forward(
        tf.constant(np.ones((N, D), np.float32)), f64(D, M), f64(M)), "x"),
    ("dense_backward", "input_grad 'no'", lambda: L.dense_backward(f64(N, M), L.dense_forward(
        f64(N, D), f64(D, M), f64(M))[1], "no"), "input_grad"),
    ("conv2d_backward", "input_grad 0", lambda: L.conv2d_backward(f64(1, 4, 4, 2), L.conv2d_forward(
        f64(1, 4, 4, 1), f64(3, 3, 1, 2), None)[1], 0), "input_grad"),
    ("activation", "unknown name", lambda: L.activation("gelu"), "gelu"),
    ("dropout_mask", "negative rate", lambda: L.dropout_mask((N, D), -0.1), "rate"),
    ("rounded_accuracy", "shapes that differ", lambda: L.rounded_accuracy(f64(N, D), f64(1, D)), "y"),
    ("sigmoid_bce_backward", "dloss of the output's shape", lambda: L.sigmoid_bce_backward(
        f64(N, D), L.sigmoid_bce_forward(f64(N, D), f64(N, D, low="prob"))[-1]), "dloss"),
    # a backward given what another call made
    ("sigmoid_backward", "relu's cache (same shape: a wrong gradient, silently)", lambda: L.sigmoid_backward(
        f64(N, D), L.relu_forward(f64(N, D))[1]), "cache"),
    ("sigma_sample_backward", "gaussian_sample's cache", lambda: L.sigma_sample_backward(
        f64(N, K), L.gaussian_sample_forward(f64(N, K), f64(N, K), f64(N, K))[1]), "cache"),
    ("dense_backward", "no cache", lambda: L.dense_backward(f64(N, M), None), "cache"),
    ("dense_backward", "the forward's whole result as the cache", lambda: L.dense_backward(
        f64(N, M), L.dense_forward(f64(N, D), f64(D, M), f64(M))), "cache"),
    ("dense_backward", "arguments swapped", lambda: L.dense_backward(
        L.dense_forward(f64(N, D), f64(D, M), f64(M))[1], f64(N, M)), "cache"),
    ("mse_backward", "a NaN upstream number", lambda: L.mse_backward(float("nan"), L.mse_forward(
        f64(N, D), f64(N, D))[1]), "dloss"),
    ("lstm_step_backward", "dc None", lambda: L.lstm_step_backward(f64(2, 3), None, L.lstm_step_forward(
        f64(2, D), f64(2, 3), f64(2, 3), f64(D, 12), f64(3, 12), f64(12))[2]), "dc"),
    ("dense_forward", "a sparse tensor", lambda: L.dense_forward(tf.sparse.from_dense(f64(N, D)), f64(D, M), f64(M)),
     "x"),
    ("activation", "a capitalised name", lambda: L.activation("ReLU"), "act"),
    ("activation", "None", lambda: L.activation(None), "act"),
    ("dropout_mask", "rate as text", lambda: L.dropout_mask((N, D), "0.5"), "rate"),
    ("dropout_mask", "a negative size", lambda: L.dropout_mask((N, -2), 0.5), "shape"),
    ("dropout_mask", "an integer mask", lambda: L.dropout_mask((N, D), 0.5, tf.int32), "dtype"),
    ("eigen_projection_forward", "one example (its covariance is 0)", lambda: L.eigen_projection_forward(f64(1, 3)),
     "h"),
]


@pytest.mark.parametrize("covers, what, call, name", SILENT, ids=[f"{r[0]}-{r[1]}" for r in SILENT])
def test_the_silent_ones_are_refused_by_name(covers, what, call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert name in str(err.value), str(err.value)


# ---------------------------------------------------------------- models, checks, the command line

def _weights(model, dtype=np.float64):
    return {k: tf.constant(v) for k, v in model.init_weights(np.random.default_rng(0), dtype).items()}


def _model_rows():
    rows = [
        ("Stacked", "0-wide code", lambda: Stacked(sizes=(784, 100, 0)), "sizes"),
        ("Stacked", "negative noise level", lambda: Stacked(noise="gaussian", noise_level=-0.2), "noise_level"),
        ("Stacked", "a noise level given as text", lambda: Stacked(noise_level="0.2"), "noise_level"),
        ("VAE", "0 codings", lambda: VAE(codings=0), "codings"),
        ("DigitVAE", "0 codings", lambda: DigitVAE(codings=0), "codings"),
        ("EluStacked", "negative weight decay", lambda: EluStacked(l2=-1e-4), "l2"),
        ("Sparse", "negative penalty weight", lambda: Sparse(penalty="kl", weight=-0.05), "weight"),
        ("Sparse", "target 1", lambda: Sparse(penalty="kl", target=1.0), "target"),
        ("Stacked", "one size", lambda: Stacked(sizes=(784,)), "sizes"),
        ("Deep2D", "two sizes of five", lambda: Deep2D(sizes=(784, 2)), "sizes"),
        ("VAE", "two sizes of three", lambda: VAE(sizes=(784, 100)), "sizes"),
        ("Stacked", "a capitalised choice (named Stacked, not None)", lambda: Stacked(noise="Gaussian"),
         "Stacked: option noise"),
        ("ShallowAE", "an unknown activation", lambda: ShallowAE(act="softmax"), "act"),
        ("Stacked", "dropout rate 1", lambda: Stacked(noise="dropout", noise_level=1.0), "noise_level"),
        ("Stacked", "a misspelt noise name", lambda: Stacked().forward(
            _weights(Stacked()), c(np.full((2, 784), 0.5)), {"nosie": c(np.zeros((2, 784)))}), "noise"),
        ("Stacked", "noise as a tensor", lambda: Stacked().forward(
            _weights(Stacked()), c(np.full((2, 784), 0.5)), c(np.zeros((2, 784)))), "noise"),
        ("VAE", "no noise sample", lambda: VAE().forward(_weights(VAE()), c(np.full((2, 784), 0.5))), "noise"),
        ("Stacked", "training 'no'", lambda: Stacked().forward(_weights(Stacked()), c(np.full((2, 784), 0.5)), {},
                                                                 training="no"), "training"),
    ]
    for cls in ARCHITECTURES:
        model = cls(name=cls.__name__)
        shape = tuple(model.input_shape)
        rows += [
            (cls.__name__, "float32 data into float64 weights", lambda m=model, s=shape: m.forward(
                _weights(m), tf.constant(np.full((2,) + s, 0.5, np.float32)), {}), "x"),
            (cls.__name__, "one example without its batch axis", lambda m=model, s=shape: m.forward(
                _weights(m), c(np.full(s, 0.5)), {}), "x"),
            (cls.__name__, "a weight missing", lambda m=model, s=shape: m.forward(    # the first one
                dict(list(_weights(m).items())[1:]), c(np.full((2,) + s, 0.5)), {}), next(iter(_weights(model)))),
        ]
    return rows


MODEL_ROWS = _model_rows()


@pytest.mark.parametrize("covers, what, call, name", MODEL_ROWS, ids=[f"{r[0]}-{r[1]}" for r in MODEL_ROWS])
def test_models_refuse_wrong_options_and_inputs_by_name(covers, what, call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert name in str(err.value), str(err.value)


def test_a_weight_of_the_wrong_shape_is_named():
    model = Stacked(name="stacked")
    w = _weights(model)
    w["encoder_h2"] = tf.transpose(w["encoder_h2"])
    with pytest.raises(ValueError, match=r"stacked.forward: weight encoder_h2 has shape \(30, 100\); expected "
                                         r"\(100, 30\)"):
        model.forward(w, c(np.full((2, 784), 0.5)), {})


def test_the_checks_refuse_what_they_cannot_check():
    entry = _entry("dense")
    inputs = entry.inputs(np.random.default_rng(0))
    with pytest.raises(ValueError, match="check_layer: wrt names v"):
        core.check_layer("dense", L.dense_forward, L.dense_backward, inputs, ("x", "v"), ("x", "v"))
    with pytest.raises(ValueError, match="check_layer: inputs\\[x\\]"):
        core.check_layer("dense", L.dense_forward, L.dense_backward, {**inputs, "x": "abc"}, ("x",), ("x",))
    for bad, name in ((["1.0", "2.0"], "x"), (None, "b"), (np.ones((4, 5)) * 1j, "x")):
        key = name
        with pytest.raises(ValueError, match=f"check_layer: inputs\\[{key}\\] is"):
            core.check_layer("dense", L.dense_forward, L.dense_backward, {**inputs, key: bad}, ("x",), ("x",))
    with pytest.raises(ValueError, match="check_layer: inputs\\[W\\] is not a parameter"):
        core.check_layer("dense", L.dense_forward, L.dense_backward, {**inputs, "W": inputs["w"]}, ("x",), ("x",))
    with pytest.raises(ValueError, match="check_layer: seed is '0'"):
        core.check_layer("dense", L.dense_forward, L.dense_backward, inputs, ("x",), ("x",), seed="0")
    with pytest.raises(ValueError, match="check_model: model is <class"):
        core.check_model(ShallowAE)
    with pytest.raises(ValueError, match="check_model: seed is -1"):
        core.check_model(ShallowAE(), seed=-1)
    model = Stacked(name="stacked")
    with pytest.raises(ValueError, match="stacked.forward: x has shape"):
        core.check_model(model.configured(sizes=(8, 4, 2)), weights=model.configured(sizes=(8, 4, 2)).init_weights(
            np.random.default_rng(0), np.float64), x=np.full((2, 9), 0.5))
    with pytest.raises(ValueError, match="check_model: batch"):
        core.check_model(model, batch=0)


def test_rounded_accuracy_takes_lists_as_tensors():
    assert float(L.rounded_accuracy([0.2, 0.9], [0.0, 1.0])) == 1.0


def test_hyperparameters_and_updates_refuse_by_name():
    from manual_ae.hyper import Hyper
    from manual_ae.optim import make_optimizer
    for bad, name in ((dict(lr=-0.1), "lr"), (dict(lr=float("nan")), "lr"), (dict(epochs=0), "epochs"),
                      (dict(batch_size=2.5), "batch_size"), (dict(seed="x"), "seed")):
        with pytest.raises(ValueError, match=f"Hyper: {name} is"):
            Hyper(**bad)
    with pytest.raises(ValueError, match="make_optimizer: lr is -1"):
        make_optimizer("sgd", -1)
    with tf.Graph().as_default():          # a (1, M) gradient for an (M,) bias: refused, not broadcast
        bias = tf.compat.v1.Variable(tf.zeros([3]), name="decoder_b1", use_resource=True)
        with pytest.raises(ValueError, match=r"the gradient of decoder_b1.* is float32 \(1, 3\); expected float32 "
                                             r"\(3,\)"):
            make_optimizer("sgd", 0.1).update_ops([(bias, tf.zeros([1, 3]))])


def test_a_second_probes_findings_are_refused_by_name():
    """From a second careless-user probe: bfloat16 values, noise the option does not read, names."""
    from manual_ae.hyper import Hyper
    from manual_ae.optim import make_optimizer
    from manual_ae import data
    x = np.ones((N, D))
    x[0, 0] = np.nan
    with pytest.raises(ValueError, match="dense_forward: x holds nan"):
        L.dense_forward(tf.constant(x, tf.bfloat16), tf.ones((D, M), tf.bfloat16), tf.ones(M, tf.bfloat16))
    with pytest.raises(ValueError, match="noise has noise; expected at most nothing|noise has noise; expected nothing"):
        Stacked().forward(_weights(Stacked()), c(np.full((2, 784), 0.5)), {"noise": c(np.zeros((2, 784)))})
    with pytest.raises(ValueError, match="Hyper: optimizer is 'adamw'"):
        Hyper(optimizer="adamw")
    with pytest.raises(ValueError, match="Hyper: seed is -1"):
        Hyper(seed=-1)
    assert Hyper(epochs=np.int64(3), lr=np.float32(0.01)).epochs == 3          # NumPy numbers are numbers
    with pytest.raises(ValueError, match="make_optimizer: name is None"):
        make_optimizer(None, 0.1)
    with tf.Graph().as_default():
        var = tf.compat.v1.Variable(tf.zeros([3]), use_resource=True)
        with pytest.raises(ValueError, match="update_ops: a pair starts with a"):
            make_optimizer("sgd", 0.1).update_ops([(tf.zeros([3]), var)])
    with pytest.raises(DataError, match="load: name is 'MNIST'"):
        data.load("MNIST")
    out, _ = L.lstm_forward(np.ones((2, 3, D), np.float32), np.ones((D, 8), np.float32), np.ones((2, 8), np.float32),
                            np.ones(8, np.float32))                          # NumPy arrays are tensors
    assert out.shape == (2, 3, 2)


def test_data_and_command_line_errors_stay_one_line_exit_2(capsys, tmp_path):
    from manual_ae.cli import main
    assert main(["train", "stacked", "--set", "noise_level=-1", "--quick", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "noise_level" in err[0], err
    assert main(["train", "stacked", "--data-dir", str(tmp_path / "none"), "--quick", "--out",
                 str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(tmp_path / "none") in err[0], err


def test_every_public_function_and_model_has_a_row():
    """A public layer function, model or check without a row in a table above fails here."""
    public = {n for n, f in vars(L).items() if inspect.isfunction(f) and not n.startswith("_")}
    covered = {f"{k}_forward" for k in KINDS} | {f"{k}_backward" for k in KINDS}
    covered |= {row[0] for row in SILENT}
    assert public - covered == set(), f"public layer functions without a wrong-input row: {public - covered}"
    assert {cls.__name__ for cls in ARCHITECTURES} <= {row[0] for row in MODEL_ROWS}
