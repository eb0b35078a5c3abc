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
# # Post 003: the recurrent autoencoder, backpropagated by hand
#
# ## 1. The question
#
# Post 003 ("Autoencoder vs PCA") says that for sequences (time series, text) a recurrent network may
# suit better, and builds a recurrent autoencoder for the same images by reading each image as a
# sequence: 28 time steps, one row of 28 pixels per step. The encoder is an LSTM of 100 units that
# returns its whole sequence, then an LSTM of 30 that returns only its last state: the 30-number code.
# The decoder repeats the code at each of the 28 steps (`RepeatVector`), runs an LSTM of 100 over them,
# and maps each step's state to a row of 28 pixels (`TimeDistributed(Dense(28, sigmoid))`). Loss: the
# pixel-wise log loss; SGD, learning rate 0.1, 10 epochs.
#
# Here the LSTM's backward through time is written by hand (`manual_ae/layers/recurrent.py`, model
# `manual_ae/models/recurrent.py`). The post's code has two slips we do not copy: it calls
# `keras.layers.Dense` without importing `keras`, and it ends with `show_reconstructions(conv_ae)`, so
# its figure shows the convolutional autoencoder's reconstructions, not this model's. Part 6 shows this
# model's.
#
# As a script: `python scripts/post003_recurrent_autoencoder.py [--quick] [--epochs N] [--out DIR]`
# (`--help` for all flags). As a notebook: `manual-ae notebooks` writes it as `.ipynb`.

# %%
"""Post 003: the recurrent (LSTM) autoencoder, image rows as time steps, SGD lr 0.1, 10 epochs.

    python scripts/post003_recurrent_autoencoder.py
"""
from manual_ae import walkthrough

# %% [markdown]
# **The one switch.** The post's settings train 10 epochs on 55,000 images (a little over half a minute
# an epoch on two CPU cores). `QUICK = True` trains 2 epochs on 2,048 images instead: every step runs,
# in seconds, but the numbers are not the post's.

# %%
QUICK = False

# %%
args = walkthrough.arguments(__doc__, quick=QUICK)
case = walkthrough.Walkthrough("recurrent", args)
print(f"run folder: {case.out}")

# %% [markdown]
# ## 2. The data
#
# Fashion-MNIST: 28x28 grey images of clothes, pixel values scaled to [0, 1]. Each image stays a 28x28
# array: 28 steps of 28 features. As in the post, the first 55,000 training images train and the last
# 5,000 validate; the labels are never used. On this machine the files come from Debian's
# `dataset-fashion-mnist`; with a network, Keras's download does the same.

# %%
data = case.show_data()

# %% [markdown]
# ## 3. The model: a weight dictionary
#
# Each LSTM is three arrays: `wx` (input to the four gates), `wh` (previous state to the four gates) and
# `b`, with the four gates (input, forget, candidate, output) side by side, so `wx` is `(D, 4H)`. The
# table below names each LSTM by its `wx` and counts all three arrays; the list under it shows every
# array. They are drawn as Keras draws them: Glorot-uniform `wx`, orthogonal `wh`, zero biases except
# the forget gate's, which start at 1 (a quarter of each `b` is 1: hence its mean of 0.25).

# %%
models = case.show_model()
case.show_weights()

# %% [markdown]
# One training step on the first real batch of 32 images, with the initial weights. Read the left half
# down, then the right half **up**: each backward call gets the gradient from the layer above and
# returns its weights' gradients and `d_in` for the layer below.
#
# What each backward computes (docs/lstm.md derives it):
#
# * the loss layer fuses the sigmoid with the log loss: $\delta_{\mathrm{logits}} = (\hat{y} - x)/K$, $K$ = 784 pixels times
#   the batch (docs/log_loss.md);
# * `time_distributed_dense` is one dense layer applied at every step, the steps folded into the batch:
#   its weight gradient sums over the 32 images and the 28 steps;
# * `lstm_backward` runs backpropagation through time, from step 28 down to step 1, carrying `dh` and `dc`
#   back through the gates; `wx`, `wh` and `b` are used at every step, so their gradients are sums over
#   the steps;
# * `repeat_vector` copied the code to 28 steps, so its backward adds the 28 gradients into one `(32, 30)`;
# * the encoder's second LSTM returned only its last state: its upstream gradient enters at the last
#   step, and earlier steps get gradient only through the recurrent state.
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
# Each hand-written gradient in float64 against TensorFlow's autodiff and centered finite differences
# (docs/gradient_check.md explains each column): first every layer this model calls, the LSTM both
# returning its sequence and its last state (and with a single step, where `wh` multiplies the zero
# initial state and its gradient is exactly 0), then the whole model on a batch of three images at the
# training sizes.

# %%
failures = case.show_gradcheck()
assert not failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# ## 5. Training by hand
#
# The post's hyperparameters: SGD, learning rate 0.1, batch 32, 10 epochs, the epoch's order shuffled by
# the seed. Each step is one `tf.while_loop` iteration of a `tf.compat.v1` graph; inside it, each LSTM's
# 28 time steps are unrolled, forward and back, and `w -= lr * grad` updates each of the eleven arrays.
# No automatic differentiation trains anything (docs/trainer.md). In a terminal a progress bar runs; in a
# notebook one line per epoch.

# %%
result = case.train()

# %% [markdown]
# ## 6. Results: what the post showed
#
# The figure the post meant to show: validation images (top) over this model's reconstructions (bottom),
# each row of pixels decoded from the 30-number code. Then the loss curve of this run.

# %%
case.show_figures(["reconstructions.png", "loss.png"])

# %% [markdown]
# Our numbers beside the published ones (the chapter-17 notebook's run that post 003 follows). "This run"
# is what just trained (with `QUICK`, 2 epochs on a subset: far from the post's); "reference run" is the
# committed run at the post's settings (`logs/recurrent.log`).

# %%
case.show_numbers()

# %% [markdown]
# Post 003 makes no claim about this model beyond its figure, and `logs/post003/table.md` has no row
# for it.
