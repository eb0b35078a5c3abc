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
# # Warm-up: backpropagation on a few scalars
#
# Before any layer or model: one expression of three numbers, its derivative by hand, one operation at
# a time, checked by finite differences; then the same with a vector, where the rule does not change.
# This is the first step of the learning path (`manual-ae exercise` prints it); micrograd and
# makemore part 4 start the same way.
#
# As a script: `python scripts/learn_scalar_warmup.py`. As a notebook: `manual-ae notebooks learn`.

# %%
"""Warm-up: y = tanh(a*b + c)^2 differentiated by hand, one operation at a time, checked by finite
differences; then the same with a vector a, and a variable used twice.

    python scripts/learn_scalar_warmup.py
"""
import numpy as np

from manual_ae.gradcheck import core
from manual_ae.gradcheck.path import expression_backward, expression_forward

# %% [markdown]
# ## 1. The forward, one operation at a time
#
# Three inputs, three operations. Each intermediate gets a name, so the backward can name its gradient.

# %%
a, b, c = 0.7, -1.3, 0.4
d = a * b + c          # a product and a sum
t = np.tanh(d)         # a squashing function
y = t * t              # a square
print(f"a = {a}, b = {b}, c = {c}  ->  d = a*b + c = {d:.6f}  ->  t = tanh(d) = {t:.6f}  ->  y = t^2 = {y:.6f}")

# %% [markdown]
# ## 2. The backward by hand
#
# Go back through the same operations in reverse. Each step multiplies the gradient that arrives
# ($dy/d$ of the operation's output) by the operation's local derivative:
#
# | step | local derivative | gradient |
# |---|---|---|
# | $y = t^2$ | $dy/dt = 2t$ | `dt = dy * 2t` |
# | $t = \tanh(d)$ | $dt/dd = 1 - t^2$ (written with the output $t$, which the forward kept) | `dd = dt * (1 - t^2)` |
# | $d = a \cdot b + c$ | $dd/da = b$, $dd/db = a$, $dd/dc = 1$ | `da = dd * b`, `db = dd * a`, `dc = dd` |
#
# The first gradient is $dy/dy = 1$.

# %%
dy = 1.0
dt = dy * 2 * t
dd = dt * (1 - t * t)
da, db, dc = dd * b, dd * a, dd
for name, value in (("dt", dt), ("dd", dd), ("da", da), ("db", db), ("dc", dc)):
    print(f"{name} = {value:+.8f}")

# %% [markdown]
# ## 3. Checked by finite differences
#
# Nudge one input by $h$ either way and watch y: $\bigl(y(a + h) - y(a - h)\bigr)/2h$ is the slope, with an error
# of order $h^2$. The hand-written value and the numeric one should agree to about 1e-10 here.

# %%
def f(a, b, c):
    return np.tanh(a * b + c) ** 2


h = 1e-5
numeric = {"da": (f(a + h, b, c) - f(a - h, b, c)) / (2 * h), "db": (f(a, b + h, c) - f(a, b - h, c)) / (2 * h),
           "dc": (f(a, b, c + h) - f(a, b, c - h)) / (2 * h)}
print(f"{'':<4}{'by hand':>16}{'numeric':>16}{'|difference|':>14}")
for name, mine in (("da", da), ("db", db), ("dc", dc)):
    print(f"{name:<4}{mine:>+16.10f}{numeric[name]:>+16.10f}{abs(mine - numeric[name]):>14.1e}")

# %% [markdown]
# ## 4. A variable used twice
#
# In $e = a \cdot b + a$ the input a reaches e along two paths, so its gradient is the **sum** of both:
# $de/da = b + 1$. Forgetting one path is the classic mistake (a tied weight, a skip connection, an
# LSTM's weights used at every time step all follow this rule); micrograd writes it `a.grad += ...`.

# %%
e = a * b + a
de_da = b + 1                      # from the product, plus from the sum
numeric = ((a + h) * b + (a + h) - ((a - h) * b + (a - h))) / (2 * h)
print(f"de/da by hand {de_da:+.10f}, numeric {numeric:+.10f}; one path only would give {b:+.4f}")

# %% [markdown]
# ## 5. The same with a vector, and the package's check
#
# With a vector a of four entries (b and c still scalars), the forward runs entry by entry; the
# backward is the same three lines, entry by entry, except for b and c: each was used by every entry,
# so their gradients sum over the four (section 4's rule again). The package's warm-up,
# `expression_forward` / `expression_backward` (manual_ae/gradcheck/path.py), is exactly this, and its
# check compares it with TensorFlow's autodiff and with finite differences in float64, as every layer
# of the package is checked.

# %%
rng = np.random.default_rng(0)
inputs = {"a": rng.standard_normal(4), "b": np.array(-1.3), "c": np.array(0.4)}


def vector_backward(dy, cache):
    """As expression_backward, and b, c summed over the entries that used them."""
    da, db, dc = expression_backward(dy, cache)
    return da, np.sum(db), np.sum(dc)


rows = core.check_layer("warm-up, a vector", expression_forward, vector_backward, inputs, ("a", "b", "c"),
                        ("a", "b", "c"))
for r in rows:
    print(f"d{r.param:<3} shape {str(r.shape):<6} vs tape {r.err_tape:.1e}  vs numeric {r.err_num:.1e}  {r.result}")
assert all(r.passed for r in rows)

# %% [markdown]
# ## 6. Your turn
#
# `manual-ae exercise scalar` writes `exercise_scalar.py` with this forward and an empty backward;
# `manual-ae gradcheck scalar --using exercise_scalar.py` checks what you write and names the mistake if
# there is one (a forgotten `dy` is `upstream-ignored`, a flipped sign is `sign`). Then the path goes on:
# the sigmoid, a dense layer, the losses, and the first whole model, the stacked autoencoder.
