"""The learning path through the exercises, their hints, and the scalar warm-up.

    manual-ae exercise                  # the path, in order, with your status on each step
    manual-ae exercise dense --hint 1   # the idea; --hint 2 the formula; --hint 3 the code's shape
    manual-ae exercise dense --solution # the package's own backward, in solution_dense.py

A step's status is read from the exercise files in the current folder (`exercise_NAME.py`, as
`manual-ae exercise NAME` writes them): not started, blank, failing (at which tensor or gradient),
or passing.
"""
import inspect
import os
import re
from dataclasses import dataclass

import tensorflow as tf


@dataclass
class Step:
    name: str          # what `manual-ae exercise NAME` takes
    what: str
    doc: str           # the docs page that derives it
    idea: str          # hint 1: the idea, without the formula


PATH = [
    Step("scalar", "a scalar warm-up: y = tanh(a*b + c)^2, one chain rule by hand", "scripts/learn_scalar_warmup.py",
         "Go backwards one operation at a time: the derivative of the last operation, times the derivative "
         "of the one before it, and so on. A variable used twice gets the sum of both paths."),
    Step("sigmoid", "the sigmoid: a derivative written with its own output", "docs/activations.md",
         "The sigmoid's derivative can be written with its output y alone, which the forward cached: no exp "
         "needed in the backward. Then multiply by the upstream gradient, entry by entry."),
    Step("dense", "a dense layer: matrix products backwards", "docs/dense_backprop.md",
         "Each output is a sum over the inputs weighted by W. Ask which outputs each input and each weight "
         "touched, and sum the upstream gradient over exactly those: the shapes tell you where each "
         "transpose goes, and the bias touched every example."),
    Step("mse", "the mean squared error", "docs/dense_backprop.md (The mean squared error)",
         "The loss is a mean over every element: the derivative of one squared difference, divided by how "
         "many elements the mean ran over."),
    Step("sigmoid_bce", "the log loss fused with the sigmoid", "docs/log_loss.md",
         "Write the log loss of a sigmoid's output in terms of the logit z and differentiate: almost "
         "everything cancels. Do not forget what the mean divides by."),
    Step("selu", "SELU at its kink", "docs/activations.md",
         "Two branches: a constant slope for z > 0, and the exponential's slope for z < 0, which the cached "
         "output gives you without exp. At z = 0 exactly, take the side TensorFlow takes."),
    Step("elu", "ELU at its kink", "docs/activations.md",
         "As SELU without its scale: on the negative side exp(z) is y + 1."),
    Step("stacked", "the stacked autoencoder: the whole chain, layer by layer", "docs/dense_backprop.md",
         "Start from the loss (dL/dL = 1) and call each layer's backward in the reverse order of the "
         "forward, feeding each the gradient the one above returned. The first layer's input is data: "
         "no gradient needed there."),
    Step("tied", "tied weights: one weight, two uses", "docs/dense_backprop.md",
         "The encoder's W is used again, transposed, by the decoder: its gradient is the sum of the "
         "gradients of both uses (transpose the decoder's back)."),
    Step("max_pool2d", "max-pooling: the gradient goes to the winner", "docs/convolution.md",
         "Only the largest input of each window changed the output: it gets the window's upstream "
         "gradient, the others get 0. Find the winners from what the forward cached."),
    Step("conv2d", "a convolution, and its flipped kernel", "docs/convolution.md",
         "Every input pixel touched several outputs through the kernel: sending the gradient back is a "
         "convolution of the upstream gradient with the kernel rotated by 180 degrees (a transposed "
         "convolution). The kernel's gradient correlates the input with the upstream gradient."),
    Step("conv2d_transpose", "a transposed convolution", "docs/convolution.md",
         "A transposed convolution is the input gradient of a convolution: so its own input gradient is a "
         "plain convolution."),
    Step("lstm", "an LSTM through time", "docs/lstm.md",
         "Go through the time steps backwards. Each step gets the gradient from its output and from the "
         "step after it (through h and through c); the weights are shared by every step, so their "
         "gradients sum over time."),
    Step("gaussian_sample", "the VAE's sampling: the reparameterisation trick", "docs/vae.md",
         "z = mean + std * eps with eps fixed: z moves one for one with the mean, and with the log-variance "
         "through std = exp(logvar / 2)."),
    Step("kl_latent", "the VAE's KL term", "docs/vae.md",
         "Differentiate the closed-form KL of each unit with respect to its mean and its log-variance, and "
         "keep the scale and the mean over the batch the forward applied."),
    Step("eigen_projection", "the eigenvector projection (post 000)", "docs/eigen_projection.md",
         "Two paths: through h directly with V held fixed, and through the covariance into its "
         "eigenvectors. The second needs the derivative of an eigendecomposition, F_ij = 1 / (lam_j - lam_i)."),
]
STEPS = {s.name: s for s in PATH}


# ---------------------------------------------------------------- the scalar warm-up

def expression_forward(a, b, c):
    """y = tanh(a*b + c)^2 on scalars (or on tensors, entry by entry)."""
    d = a * b + c
    t = tf.tanh(d)
    return t * t, (a, b, t)


def expression_backward(dy, cache):
    """dt = dy * 2t;  dd = dt * (1 - t^2);  da = dd * b;  db = dd * a;  dc = dd."""
    a, b, t = cache
    dt = dy * 2 * t
    dd = dt * (1 - t * t)
    return dd * b, dd * a, dd


def warmup_inputs(rng):
    return {"a": rng.standard_normal(()), "b": rng.standard_normal(()), "c": rng.standard_normal(())}


# ---------------------------------------------------------------- hints

def _pair(name):
    from manual_ae.gradcheck.model_exercise import _case
    from manual_ae.layers.kinds import KINDS
    if name == "scalar":
        return expression_forward, expression_backward
    if name in KINDS:
        return KINDS[name].forward.layer_function, KINDS[name].backward.layer_function
    model = type(_case(name).model())
    return model.forward, model.backward


def _model_backward_calls(name):
    """The layer backward calls of case `name`'s backward, in the order it makes them (traced once at
    the check's sizes: only the branches its options take), each with the cache key it reads."""
    import numpy as np

    from manual_ae import trace
    from manual_ae.gradcheck.model_exercise import _case
    model = _case(name).model().gradcheck_config()
    rng = np.random.default_rng(0)
    x = np.asarray(model.gradcheck_input(rng, model.gradcheck_batch), np.float32)
    calls, _, _, _ = trace.one_step(model, model.init_weights(rng, np.float32), x)
    return [f'{c.function}(..., c["{c.label}"])' for c in calls if c.direction == "backward"]


def hints(name, level):
    """The hints up to `level` (1 the idea, 2 the formula, 3 the code's shape), as lines."""
    forward, backward = _pair(name)
    step = STEPS.get(name)
    idea = step.idea if step else ("Go back through the forward in reverse, one call at a time; each "
                                   "backward takes the gradient of its output and the cache its forward made.")
    doc = (backward.__doc__ or "").strip().split("\n\n")[0]
    if not doc:     # a model's backward: its chain of calls, as the configured model makes them, is the formula
        doc = "the layer backwards in the order to call them, each fed the gradient the one before returned: " + \
            ", ".join(_model_backward_calls(name))
    source = inspect.getsource(backward)
    body = [line for line in source.split('"""')[-1].splitlines() if line.strip() and not line.strip().startswith("#")]
    ops = sorted(set(re.findall(r"\btf\.[\w.]+", source)))
    shape = (f"{len(body)} lines; " + (f"TensorFlow ops: {', '.join(ops)}" if ops else "no TensorFlow op beyond "
             "arithmetic") + "; it unpacks the cache first, then computes the gradients in the order returned")
    out = [f"hint 1 (the idea): {idea}"]
    if level >= 2:
        out.append(f"hint 2 (the formula): {doc}")
    if level >= 3:
        out.append(f"hint 3 (the code's shape): {shape}")
    return out


# ---------------------------------------------------------------- the path and where you stand

def status(name, folder="."):
    """Where the learner stands on step `name`, from exercise_NAME.py in `folder`."""
    from manual_ae.gradcheck import exercise
    path = os.path.join(folder, f"exercise_{name}.py")
    if not os.path.exists(path):
        return "not started"
    try:
        rows, failures = exercise.check_file(path, seed=0, out=lambda *_: None)
    except exercise.BlankExercise:
        return "blank"
    except Exception as err:           # the file does not load: say so, do not stop the listing
        return f"does not run: {type(err).__name__}"
    if not failures:
        return "passing"
    first = failures[0]
    return f"failing at d{first.param} ({(first.diagnosis or 'wrong').split(':')[0]})"


def lines(folder=".", with_status=True):
    """The path as lines: step number, name, what it teaches, its docs page, your status."""
    out = ["The learning path: write each backward yourself, in this order (manual-ae exercise NAME writes it;",
           "manual-ae gradcheck NAME --using exercise_NAME.py checks it; --hint 1..3 when stuck).",
           f"Your status on each step is read from the exercise_NAME.py files in {os.path.abspath(folder)}.", ""]
    width = max(len(s.name) for s in PATH) + 2
    for i, s in enumerate(PATH, 1):
        state = f"  [{status(s.name, folder)}]" if with_status else ""
        out.append(f"{i:>2}. {s.name:<{width}}{s.what}{state}")
        out.append(f"    {'':<{width}}{s.doc}")
    return out
