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
# # Post 004: a variational autoencoder that generates images, backpropagated by hand
#
# ## 1. The question
#
# Post 004 ("Everything you need to know about autoencoders in TensorFlow") ends with the variational
# autoencoder: the encoder outputs a mean and a spread for each coding unit, the code the decoder reads
# is *sampled* from that Gaussian, and a second term in the loss, the latent loss, pulls those Gaussians
# toward N(0, 1). Then codings drawn from N(0, 1) decode to new images: the post's figure is digits
# generated that way.
#
# This walkthrough is the chapter-17 Keras VAE of "Hands-On Machine Learning" (2nd edition), which post
# 003 follows and with which this project first reproduced post 004: Fashion-MNIST, 784-150-100 (SELU),
# a mean head and a **log-variance** head of 10 each, $z = \mu + \exp(\log\sigma^2/2) \odot \varepsilon$, decoder
# 10-100-150-784 (sigmoid); loss = the pixel-wise log loss + the KL term divided by 784; RMSprop at
# 1e-3, batch 128, 25 epochs. Post 004's own code is different: TF1, MNIST digits, 784-500-500 (ELU),
# a head that outputs sigma itself, losses summed instead of averaged, Adam. That model is
# `scripts/post004_digit_vae.py`.
#
# One difference from today's Keras matters here: the reference run's RMSprop was TF 2.0's,
# $g/(\sqrt{v} + \epsilon)$; Keras 3's is $g/\sqrt{v + \epsilon}$, which takes much smaller steps where the
# gradients are tiny. We use TF 2.0's form (`rmsprop-tf2`; docs/optimizers.md).
#
# As a script: `python scripts/post004_fashion_vae.py [--quick] [--epochs N] [--out DIR]`
# (`--help` for all flags). As a notebook: `manual-ae notebooks` writes it as `.ipynb`.

# %%
"""Post 004: the variational autoencoder (codings 10, RMSprop, batch 128, 25 epochs): reconstructions, images generated from random codings, an interpolation.

    python scripts/post004_fashion_vae.py
"""
from manual_ae import walkthrough

# %% [markdown]
# **The one switch.** The post's settings train 25 epochs on 55,000 images (about 2 seconds an epoch on
# two CPU cores). `QUICK = True` trains 2 epochs on 2,048 images instead: every step runs, in seconds,
# but the images it generates are blurs, not clothes.

# %%
QUICK = False

# %%
args = walkthrough.arguments(__doc__, quick=QUICK)
case = walkthrough.Walkthrough("vae", args)
print(f"run folder: {case.out}")

# %% [markdown]
# ## 2. The data
#
# Fashion-MNIST, as in the chapter-17 notebook (post 004 used MNIST digits): 28x28 grey images of
# clothes, pixel values scaled to [0, 1], flattened to 784 numbers. The first 55,000 training images
# train and the last 5,000 validate; the labels are never used. On this machine the files come from
# Debian's `dataset-fashion-mnist`; with a network, Keras's download does the same.

# %%
data = case.show_data()

# %% [markdown]
# ## 3. The model: a weight dictionary
#
# Seven dense layers: two in the encoder, the two heads (`mean_h`, `logvar_h`) that both read the
# encoder's 100 units, and three in the decoder. Glorot-uniform kernels, zero biases. The sample has no
# weights: it reads the two heads and a noise `eps` drawn outside the network.

# %%
models = case.show_model()

# %% [markdown]
# One training step on the first real batch of 128 images, with the initial weights and one draw of
# `eps`. Read the left half down, then the right half **up**. Three things differ from a plain
# autoencoder (docs/vae.md derives them):
#
# * `sample`: $z = \mu + \exp(\log\sigma^2/2) \odot \varepsilon$. With $\varepsilon$ fixed, $z$ is a plain function of the two
#   heads, so its backward returns two gradients: $\delta_\mu = \delta_z$ and $\delta_{\log\sigma^2} = \delta_z \odot \varepsilon \odot \exp(\log\sigma^2/2)/2$;
# * `kl`: $-\frac{1}{2}\sum_k \bigl(1 + \log\sigma_k^2 - \exp(\log\sigma_k^2) - \mu_k^2\bigr)$, averaged over the batch and divided by 784 to
#   put it on the per-pixel scale of the log loss. Its backward gives $\mu$ and $(\exp(\log\sigma^2) - 1)/2$
#   (each times $1/(784N)$). The heads feed both the sample and the KL term, so each head's gradient is
#   the sum of the two paths (`dmean + dmean_kl` in `manual_ae/models/vae.py`);
# * the two heads' backward calls each return a `d_in` for the same 100 encoder units: the encoder gets
#   their sum.
#
# The loss layer fuses the sigmoid with the log loss, $(\hat{y} - x)/K$ with $K$ = 784 pixels times the
# batch (docs/log_loss.md); the dense layers are docs/dense_backprop.md.
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
# (docs/gradient_check.md explains each column): first every layer this model calls, the sample and the
# KL term included, then the whole model on a batch of three images at the training sizes. The check
# draws `eps` once and holds it fixed, so the loss is a deterministic function of the weights.

# %%
failures = case.show_gradcheck()
assert not failures, "a hand-written gradient is wrong: see the FAIL rows above"

# %% [markdown]
# ## 5. Training by hand
#
# The chapter-17 hyperparameters: RMSprop (TF 2.0's form: rho 0.9, epsilon 1e-7 outside the square
# root), learning rate 1e-3, batch 128, 25 epochs. Each step draws a new `eps` inside the
# `tf.compat.v1` graph, then runs the forward, the backward and RMSprop's update of each weight; no
# automatic differentiation trains anything (docs/trainer.md). Validation samples `eps` too, as Keras's
# `Sampling` layer does, so the validation loss carries sampling noise. In a terminal a progress bar
# runs; in a notebook one line per epoch.

# %%
result = case.train()

# %% [markdown]
# ## 6. Results: what the post showed
#
# The post's figure, for this model: images decoded from 24 codings drawn from N(0, I), never seen in
# training. Then validation images over their reconstructions, a row decoded along the straight line
# between two validation images' mean codings, and the loss curve.

# %%
case.show_figures(["generated.png", "reconstructions.png", "interpolation.png", "loss.png"])

# %% [markdown]
# Our numbers beside the chapter-17 notebook's. "This run" is what just trained (with `QUICK`, 2 epochs
# on a subset: far from the post's); "reference run" is the committed run at the post's settings
# (`logs/vae.log`). The rounded accuracy moves with the seed, since validation samples its codings: seeds
# 1, 2 and 3 ended at 0.9206, 0.9193 and 0.9155 (docs/results.md,
# "Results: the Fashion-MNIST family").

# %%
case.show_numbers()

# %% [markdown]
# Post 004's claims about its VAE (its digits, its sigma head) are measured on its own model in
# `logs/post004/table.md`: see `scripts/post004_digit_vae.py`. No claims table covers this one.
