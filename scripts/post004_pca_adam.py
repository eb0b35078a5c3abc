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
# # Post 004: PCA with an autoencoder, trained by Adam and backpropagated by hand
#
# ## 1. The question
#
# Post 004 ("Everything you need to know about autoencoders in TensorFlow") opens with dimensionality
# reduction: an autoencoder with linear activations and the mean squared error as its cost can do PCA.
# The post trains a linear 3-2-3 network on points in 3-D and shows their 2-D codings, saying that the
# autoencoder "performed PCA, keeping the variance of the original data, but on a 2-D plane".
#
# The post shows its code only as images; its notebook (docs/reference.md, "Post 004's own code") is TF1 graph
# code after the first edition of Geron's book, and differs from post 003's PCA autoencoder: 200 points
# drawn with seed 42, the first 100 to train and the last 100 to test, **each half standardised with its
# own mean and standard deviation**, and Adam at a learning rate of 0.01 for 1,000 full-batch steps instead
# of SGD. We keep all of that, the separate scaling of the test half included (the usual practice scales it
# with the training half's statistics; here both halves come from one distribution).
#
# Here the gradient of the 3-2-3 network is written by hand (`manual_ae/models/shallow.py`), checked, and
# trained in a TensorFlow 1-style graph. Because the best a linear autoencoder with MSE can do is project
# onto the top two principal directions, PCA itself is the answer to compare with.
#
# As a script: `python scripts/post004_pca_adam.py [--quick] [--epochs N] [--out DIR]`
# (`--help` for all flags). As a notebook: `manual-ae notebooks` writes it as `.ipynb`.

# %%
"""Post 004: PCA with an autoencoder, as the post's own TF1 code trains it: 200 points (seed 42),
each half standardised on its own, linear 3-2-3 with biases, MSE, Adam 0.01, 1,000 full-batch steps.
The post's figure is the 2-D codings of the 100 test points (codings_test.png in the run folder).

    python scripts/post004_pca_adam.py
"""
from manual_ae import walkthrough

# %% [markdown]
# **The one switch.** The post's settings are 1,000 full-batch Adam steps: the reference run took 37 seconds
# on two CPU cores, figures included. `QUICK = True` takes 2 steps instead: every step of the walkthrough
# runs, in seconds, but the plane is nowhere near PCA's yet.

# %%
QUICK = False

# %%
args = walkthrough.arguments(__doc__, quick=QUICK)
case = walkthrough.Walkthrough("pca-adam", args)
print(f"run folder: {case.out}")

# %% [markdown]
# ## 2. The data
#
# Post 003's generator of points near a curved sheet in 3-D ($w_1 = 0.1$, $w_2 = 0.3$, noise 0.1), here with
# `np.random.seed(42)` and 200 points, as post 004's notebook draws them. The first 100 train, the last 100
# test; each half is standardised on its own. There is no validation set. The data is computed, not
# downloaded.

# %%
data = case.show_data()

# %% [markdown]
# ## 3. The model: a weight dictionary
#
# Two `tf.layers.dense` layers with biases in the post, here a dictionary of four arrays: `encoder_h1`
# (3x2) and `encoder_b1` map a point to its 2-D coding, `decoder_h1` (2x3) and `decoder_b1` map it back.
# The kernels are drawn Glorot-uniform (TF1's default for `tf.layers.dense`), the biases start at zero.

# %%
models = case.show_model()
case.show_weights()

# %% [markdown]
# One training step on the first real batch, with the initial weights. The batch is the whole training half
# (100 points): every Adam step of the post sees all of them. Read the left half down: each layer's
# forward call and the shape it returns. Then read the right half **up**: the backward call of that same
# layer, fed the gradient from the layer above, returns its weights' gradients and `d_in`, the gradient it
# passes down.
#
# The loss is the mean of 100 x 3 squared errors, so its backward is $2(\hat{x} - x)/300$ per value. Both
# dense layers are linear: $dW = x^\top \delta_{\mathrm{out}}$, $db = \sum \delta_{\mathrm{out}}$, $\delta_{\mathrm{in}} = \delta_{\mathrm{out}} W^\top$, with no activation
# derivative in between (docs/dense_backprop.md). The first layer passes nothing down (the input is data).
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
# The same forward and backward in float64, each hand-written gradient compared with TensorFlow's autodiff
# and with finite differences: first every layer this model calls (the dense layer with an activation,
# which the registry checks with SELU, and the MSE), then the whole model, whose activation is the identity.
# A wrong gradient fails its row and says where it is wrong (docs/gradient_check.md explains each column).

# %%
failures = case.show_gradcheck()
assert not failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# ## 5. Training by hand
#
# The post's hyperparameters: Adam as TF1 wrote it (`AdamOptimizer`, epsilon 1e-8; Keras's default is
# 1e-7), learning rate 0.01, 1,000 steps, each on all 100 training points (so an "epoch" in the log is one
# step). Each step is one `tf.while_loop` iteration of a `tf.compat.v1` graph: `model.forward`,
# `model.backward`, then Adam's update of every weight from its gradient. No automatic differentiation is
# used. After training, the report fits PCA to the same points and compares: the training MSE as a ratio
# of PCA's (1 is the optimum), the largest angle between the plane the decoder spans and PCA's plane, and
# the test half's MSE as a ratio of the PCA of the test half (each half has its own scaling, hence its own
# PCA).

# %%
result = case.train()

# %% [markdown]
# ## 6. Results: what the post showed
#
# The post's figure: the 2-D codings of the 100 test points. Then the same codings over training (the GIF
# shows the plane settling), and the loss curve.

# %%
case.show_figures(["codings_test.png", "codings_test.gif", "loss.png"], reference=False)   # the reference figures: below

# %% [markdown]
# The same figure from the committed reference run at the post's settings (1,000 steps, seed 42):

# %%
walkthrough.show_image(f"{walkthrough.ROOT}/docs/figures/post004/pca-adam_codings_test.png")

# %% [markdown]
# The post published no numbers for this model, only the figure. The numbers that say whether the
# autoencoder did PCA: this run's, and the committed reference run's (`logs/post004/`).

# %%
print(f"after {result['epochs']} Adam steps: training MSE {result['train_mse_autoencoder']:.5f}, PCA "
      f"{result['train_mse_pca']:.5f}, ratio {result['mse_ratio_to_pca']:.4f}; the learned plane is "
      f"{result['subspace_angle_deg']:.3f} deg from PCA's; test points: ratio {result['test_mse_ratio_to_pca']:.4f}")
case.show_numbers(["mse_ratio_to_pca", "subspace_angle_deg", "test_mse_ratio_to_pca"])

# %% [markdown]
# The post's claim, that the autoencoder performed PCA on a 2-D plane, measured by
# `scripts/reference_runs_post004.py`: after the 1,000 steps the training MSE is PCA's to five decimals and
# the plane is 0.045 degrees from PCA's. The test half reconstructs about 3% worse than its own PCA, which
# is fitted to exactly those points; the autoencoder's plane was fitted to the training half.

# %%
case.show_claims("logs/post004/table.md", heading="## PCA with an autoencoder trained by Adam")
