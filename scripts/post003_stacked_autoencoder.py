# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Post 003: the stacked autoencoder, backpropagated by hand
#
# ## 1. The question
#
# Post 003 ("Autoencoder vs PCA") stacks two hidden layers on each side of a 30-unit code:
# 784-100-30-100-784, SELU hidden layers, a sigmoid output read as "the probability that this pixel is
# dark", trained on Fashion-MNIST with the pixel-wise log loss (binary cross-entropy) and SGD at a
# learning rate of 1.5 for 20 epochs. The post asks whether a deeper autoencoder learns better codes than
# a single layer, and says the log loss makes it converge faster than the mean squared error.
#
# Here every gradient of that network is written by hand (`manual_ae/models/stacked.py`), checked, and
# trained in a TensorFlow 1-style graph. The post's own code is Keras (`stacked_ae.fit(...)`), which
# differentiates automatically; docs/reference.md lists the numbers its notebook printed, which we aim to land on.
#
# As a script: `python scripts/post003_stacked_autoencoder.py [--quick] [--epochs N] [--out DIR]`
# (`--help` for all flags). As a notebook: `manual-ae notebooks` writes it as `.ipynb`.

# %%
"""Post 003: the stacked autoencoder 784-100-30-100-784 (SELU, sigmoid output, BCE) on Fashion-MNIST.

SGD lr 1.5, batch 32, 20 epochs. Figure: originals over reconstructions.

    python scripts/post003_stacked_autoencoder.py [--quick]
"""
from manual_ae import walkthrough

# %% [markdown]
# **The one switch.** The post's settings train 20 epochs on 55,000 images (a few seconds an epoch on two
# CPU cores: `logs/stacked.log` has each epoch's time). `QUICK = True` trains 2 epochs on 2,048 images instead: every step runs, in seconds,
# but the numbers are not the post's.

# %%
QUICK = False

# %%
args = walkthrough.arguments(__doc__, quick=QUICK)
case = walkthrough.Walkthrough("stacked", args)
print(f"run folder: {case.out}")

# %% [markdown]
# ## 2. The data
#
# Fashion-MNIST: 28x28 grey images of clothes, pixel values scaled to [0, 1]. As in the post, the first
# 55,000 training images train and the last 5,000 validate; the labels are never used (the image is its
# own target). On this machine the files come from Debian's `dataset-fashion-mnist`; with a network,
# Keras's download does the same.

# %%
data = case.show_data()

# %% [markdown]
# ## 3. The model: a weight dictionary
#
# No `Sequential`, no layers holding their own weights: the model is a dictionary of arrays named as the
# post's layers (`encoder_h1` is the first encoder kernel, `encoder_b1` its bias), drawn with Keras's
# default Glorot-uniform initialiser and zero biases. Keras's `summary` of the post's model has the same
# rows and counts.

# %%
models = case.show_model()

# %% [markdown]
# One training step on the first real batch of 32 images, with the initial weights. Read the left half
# down: each layer's forward call and the shape it returns. Then read the right half **up**: the backward
# call of that same layer, fed the gradient from the layer above, returns the gradients of its weights and
# `d_in`, the gradient it passes down. The first layer passes nothing down (the input is data).
#
# The loss layer fuses the sigmoid with the log loss: its backward is simply $(\hat{y} - x)/K$ per pixel
# ($K$ = 784 pixels times the batch), the same number Keras computes for a sigmoid output with
# `binary_crossentropy` (docs/log_loss.md derives it). Each dense layer's backward is
# $dW = x^\top \delta_z$, $db = \sum \delta_z$, $\delta_{\mathrm{in}} = \delta_z W^\top$, with $\delta_z = \delta_{\mathrm{out}} \odot \mathrm{selu}'(z)$ (docs/dense_backprop.md).
#
# Under the table: the model's `backward` as written (and where each layer backward it calls lives),
# every tensor of the step with its values, and the same step checked tensor by tensor against
# TensorFlow's autodiff, in the order the backward computes them (`exact`, `close`, or `WRONG`: the
# first WRONG row is where a bug would be). To write this backward yourself: `manual-ae exercise`
# prints the learning path; `manual-ae exercise stacked` is the first whole model.

# %%
case.show_step()

# %% [markdown]
# ## 4. The gradient check: is every gradient right?
#
# The gradient check runs the same forward and backward in float64 and compares each hand-written
# gradient with TensorFlow's autodiff and with finite differences: first every layer this model calls, then
# the whole model. A wrong gradient fails its row and says where it is wrong (docs/gradient_check.md
# explains each column). SELU has a kink at 0; the check puts inputs exactly there and follows
# TensorFlow's convention (docs/activations.md).

# %%
failures = case.show_gradcheck()
assert not failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# ## 5. Training by hand
#
# The post's hyperparameters: SGD, learning rate 1.5, batch 32, 20 epochs, the epoch's order shuffled by
# the seed. Each step is one `tf.while_loop` iteration of a `tf.compat.v1` graph: gather the batch,
# `model.forward`, `model.backward`, then `w -= lr * grad` for every weight. No automatic differentiation is
# used (a test walks the graph to prove it). In a terminal a progress bar runs; in a notebook one line per
# epoch. The run folder gets the log, checkpoints, the figures and the TensorBoard graph
# (`tensorboard --logdir runs`: the step is the body of `train_steps`, one box per layer and direction).

# %%
result = case.train()

# %% [markdown]
# ## 6. Results: what the post showed
#
# The post's figure: five validation images (top) over their reconstructions (bottom). Thirty numbers per
# image keep the shape of each garment and lose the fine print. Then the loss curve of this run.

# %%
case.show_figures(["reconstructions.png", "loss.png"])

# %% [markdown]
# Our numbers beside the published ones. "This run" is what just trained (with `QUICK`, 2 epochs on a
# subset: far from the post's); "reference run" is the committed run at the post's settings
# (`logs/stacked.log`), with the numbers the post's notebook printed after 20 epochs.

# %%
case.show_numbers()

# %% [markdown]
# The post's claims about this autoencoder, each measured over three seeds by
# `scripts/reference_runs_post003_claims.py` (the log loss against the MSE: `stacked-mse` trains the
# same network on the pixel MSE; tying the weights: `scripts/post003_tied_autoencoder.py`).

# %%
case.show_claims("logs/post003/table.md", rows_with=["log loss", "tying"])
