"""No automatic differentiation trains anything: the source and the built training graphs."""
import pathlib
import re

import numpy as np
import pytest
import tensorflow as tf

from manual_ae.posts import CASES
from manual_ae.hyper import Hyper
from manual_ae.train.graph import build_training_graph

ROOT = pathlib.Path(__file__).resolve().parents[1]
FORBIDDEN_SOURCE = re.compile(r"GradientTape|tf\.gradients|compat\.v1\.gradients|custom_gradient|RegisterGradient|"
                              r"\.minimize\(|compute_gradients|apply_gradients|raw_ops\.[A-Za-z]*Grad\b|"
                              r"tf\.keras|import keras|from keras")
ALLOWED = re.compile(r"^manual_ae/(gradcheck/|bench\.py)|^scripts/[^/]*bench[^/]*$")


def autodiff_ops(graph):
    """Ops in a graph (and in the functions its while loops call) that automatic differentiation makes:
    anything under a 'gradients' name scope, and the *Grad kernels TensorFlow's gradient registry emits."""
    graph_def = graph.as_graph_def()
    nodes = list(graph_def.node)
    for fn in graph_def.library.function:
        nodes.extend(fn.node_def)
    bad = []
    for node in nodes:
        if (node.name.startswith("gradients") or "/gradients/" in node.name or node.op.endswith("Grad")
                or node.op.endswith("GradGrad") or node.op in ("BroadcastGradientArgs", "SymbolicGradient")):
            bad.append(f"{node.name} ({node.op})")
    return bad


def test_source_has_no_autodiff_outside_checks_and_bench():
    hits = []
    for path in list((ROOT / "manual_ae").rglob("*.py")) + list((ROOT / "scripts").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if ALLOWED.search(rel):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN_SOURCE.search(line):
                hits.append(f"{rel}:{n}: {line.strip()}")
    assert not hits, "autodiff or Keras in the training path:\n" + "\n".join(hits)


@pytest.mark.parametrize("name", list(CASES))
def test_training_graph_has_no_autodiff_ops(name):
    model = CASES[name].model()
    init = model.init_weights(np.random.default_rng(0))
    x = np.random.default_rng(0).uniform(0, 1, (64,) + tuple(model.input_shape)).astype(np.float32)
    g = build_training_graph(model, init, x, Hyper(batch_size=16, optimizer="adam", lr=1e-3, seed=0))
    assert g.graph.as_graph_def().library.function, "expected the step loop's body as a graph function"
    assert autodiff_ops(g.graph) == []


def test_cppn_fit_graph_has_no_autodiff_ops():
    """The CPPN fit (art.fit) trains the CPPN model in the same step loop as every model."""
    from manual_ae.models import CPPN
    from manual_ae.models.cppn import coordinates, pixel_rows
    model = CPPN("cppn", units=8, depth=3, z_dim=4)
    rows = pixel_rows(coordinates(6, 5), np.zeros(4), np.random.default_rng(1).uniform(0, 1, (30, 1)))
    g = build_training_graph(model, model.init_weights(np.random.default_rng(0)), rows.astype(np.float32),
                             Hyper(batch_size=30, optimizer="adam", lr=1e-2, seed=0))
    assert autodiff_ops(g.graph) == []


def test_inspector_flags_autodiff():
    """The inspection can fail: a graph built with tf.gradients is caught."""
    graph = tf.Graph()
    with graph.as_default():
        w = tf.compat.v1.Variable(tf.ones([3, 2]), use_resource=True)
        loss = tf.reduce_sum(tf.sigmoid(tf.matmul(tf.ones([4, 3]), w)))
        tf.compat.v1.gradients(loss, [w])
    assert autodiff_ops(graph)
