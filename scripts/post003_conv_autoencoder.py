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
# # Post 003: the convolutional autoencoder, backpropagated by hand
#
# ## 1. The question
#
# Dense layers treat an image as 784 unrelated numbers. Post 003 ("Autoencoder vs PCA") asks whether
# convolutions, which are good at images, can do the encoding instead: an encoder of three 3x3
# convolutions (16, 32, 64 channels, SELU), each followed by a 2x2 max pool, shrinks a 28x28 image to a
# 3x3x64 code; a decoder of three stride-2 transposed convolutions grows it back to 28x28, with a sigmoid
# output and the pixel-wise log loss (SGD, learning rate 1.0, 5 epochs).
#
# Here the convolution, the pooling and the transposed convolution each have a hand-written backward
# (`manual_ae/layers/conv.py`, model `manual_ae/models/conv.py`). Two things in the post's text differ
# from its code: the text says "MNIST", but the code trains on the Fashion-MNIST arrays loaded earlier
# in the post, as we do; and its "decoder" summary is a second copy of the encoder's table, so the post
# never shows the decoder's parameters (part 3 counts them).
#
# As a script: `python scripts/post003_conv_autoencoder.py [--quick] [--epochs N] [--out DIR]`
# (`--help` for all flags). As a notebook: `manual-ae notebooks` writes it as `.ipynb`.

# %%
"""Post 003: the convolutional autoencoder (Conv16-32-64 with pooling / three stride-2 transposed convolutions), 5 epochs.

    python scripts/post003_conv_autoencoder.py
"""
from manual_ae import walkthrough

# %% [markdown]
# **The one switch.** The post's settings train 5 epochs on 55,000 images (about half a minute an
# epoch on two CPU cores). `QUICK = True` trains 2 epochs on 2,048 images instead: every step runs, in
# seconds, but the numbers are not the post's.

# %%
QUICK = False

# %%
args = walkthrough.arguments(__doc__, quick=QUICK)
case = walkthrough.Walkthrough("conv", args)
print(f"run folder: {case.out}")

# %% [markdown]
# ## 2. The data
#
# Fashion-MNIST: 28x28 grey images of clothes, pixel values scaled to [0, 1], each kept as a 28x28x1
# image (height, width, one channel) rather than flattened. As in the post, the first 55,000 training
# images train and the last 5,000 validate; the labels are never used. On this machine the files come
# from Debian's `dataset-fashion-mnist`; with a network, Keras's download does the same.

# %%
data = case.show_data()

# %% [markdown]
# ## 3. The model: a weight dictionary
#
# Six filters and six biases. A convolution's filter is `(KH, KW, C_in, C_out)`; a transposed
# convolution's is stored the other way round, `(KH, KW, C_out, C_in)`, as TensorFlow stores it. Filters
# are Glorot-uniform, biases zero, as Keras draws them. Each encoder row is one "sandwich" (convolution,
# SELU, max pool) with one backward. The encoder has 23,296 parameters, the number the post printed; the
# decoder has 23,233.

# %%
models = case.show_model()
case.show_weights()

# %% [markdown]
# One training step on the first real batch of 32 images, with the initial weights. Read the left half
# down, then the right half **up**: each backward call gets the gradient from the layer above and
# returns its weights' gradients and `d_in` for the layer below.
#
# What each backward computes (docs/convolution.md derives it):
#
# * the loss layer fuses the sigmoid with the log loss: $\delta_{\mathrm{logits}} = (\hat{y} - x)/K$, $K$ = 784 pixels times
#   the batch (docs/log_loss.md);
# * a convolution's filter gradient correlates its input with the upstream gradient ($dW = x^\top \delta_{\mathrm{out}}$ of a
#   dense layer, with every 3x3 window of the input as a row); its input gradient is the transposed
#   convolution of the upstream gradient with the same filter;
# * a transposed convolution is the mirror image: its input gradient is an ordinary stride-2 convolution;
# * a max pool sends each gradient to the one pixel that was the maximum of its 2x2 window (on ties, the
#   first in row-major order, as TensorFlow does). The third pool reads a 7x7 map and keeps 3x3: its last
#   row and column get no gradient at all;
# * the decoder's first layer goes from 3x3 to 7x7 because its padding is VALID: $(3 - 1) \cdot 2 + 3 = 7$;
#   the next two, SAME with stride 2, double the size: 14, then 28.
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
# (docs/gradient_check.md explains each column): first every layer this model calls, at small sizes and
# several kernel sizes, strides and paddings, then the whole model on a batch of three images at the
# training sizes. The registry checks the conv-activation-pool sandwich with ELU; the model rows check it
# with SELU.

# %%
failures = case.show_gradcheck()
assert not failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# The max pool alone, on the inputs where its backward could go wrong: odd sizes (the 7x7 map that
# loses its last row and column), tied maxima (the gradient goes to the first, as TensorFlow's), a map
# too small for any window. And SELU on its kink at 0, where the slope is a convention: TensorFlow's
# (docs/activations.md).

# %%
from manual_ae import gradcheck

_, pool_failures = gradcheck.run(["max_pool2d", "selu", "selu (on the kink z = 0)"])
assert not pool_failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# ## 5. Training by hand
#
# The post's hyperparameters: SGD, learning rate 1.0, batch 32, 5 epochs, the epoch's order shuffled by
# the seed. Each step is one `tf.while_loop` iteration of a `tf.compat.v1` graph: the forward chain, the
# backward chain above, and `w -= lr * grad` for each of the twelve arrays. No automatic differentiation
# trains anything (docs/trainer.md). In a terminal a progress bar runs; in a notebook one line per epoch.

# %%
result = case.train()

# %% [markdown]
# ## 6. Results: what the post showed
#
# The post's figure: validation images (top) over their reconstructions (bottom) from the 3x3x64 code.
# Then the loss curve of this run.

# %%
case.show_figures(["reconstructions.png", "loss.png"])

# %% [markdown]
# Our numbers beside the published ones. "This run" is what just trained (with `QUICK`, 2 epochs on a
# subset: far from the post's); "reference run" is the committed run at the post's settings
# (`logs/conv.log`). The post's notebook printed no rounded accuracy for this model.

# %%
case.show_numbers(["train_loss", "val_loss", "val_rounded_accuracy"])

# %% [markdown]
# The post's one checkable statement about this model is its encoder's parameter count, counted from our
# weight dictionary by `scripts/reference_runs_post003_claims.py`.

# %%
case.show_claims("logs/post003/table.md", rows_with=["convolutional encoder"])
