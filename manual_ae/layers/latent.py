"""Penalties and sampling on the code layer: sparsity (L1, KL) and the VAE's sample and KL term.

h: (N, U) activations of U coding units for N examples; mean, logvar, eps: (N, K).
Derivations: docs/sparsity.md (L1, KL sparsity), docs/vae.md (sample, KL), docs/eigen_projection.md.
"""
import numpy as np
import tensorflow as tf

from manual_ae.layers.kinds import layer

KL_EPSILON = 1e-7  # keras.losses.kl_divergence clips probabilities to [eps, 1]

WHY = {"weight": "A penalty's weight is >= 0: a negative one rewards what the penalty is there to prevent.",
       "scale": "The KL term's scale is >= 0: a negative one rewards moving away from N(0, I).",
       "h": "The KL sparsity penalty reads each unit's mean activation as a probability: the coding layer "
            "must be a sigmoid (tanh or SELU codes go below 0, where the penalty has no meaning; use "
            "l1_activity for those).",
       "target": "The target is the mean activation wished for each unit, a probability strictly inside (0, 1).",
       "gap_tol": "The gap tolerance is a relative size, >= 0: below 0 every pair of eigenvalues counts as "
                  "separated, equal ones too, and 1 / 0 turns the gradient into NaN."}


@layer("sparsity.md", why=WHY, h="N U", weight="scalar, >= 0")
def l1_activity_forward(h, weight):
    """P = weight * sum_{n,u} |h| / N   (sum over units, mean over the batch, as Keras's activity
    regularizer averages over the batch)."""
    n = tf.cast(tf.shape(h)[0], h.dtype)
    return weight * tf.reduce_sum(tf.abs(h)) / n, (h, weight, n)


@layer("sparsity.md")
def l1_activity_backward(dp, cache):
    """dh = dp * weight * sign(h) / N."""
    h, weight, n = cache
    return dp * weight * tf.sign(h) / n


@layer("sparsity.md", why=WHY, h="N U, in [0, 1]", target="scalar, in (0, 1)", weight="scalar, >= 0")
def kl_sparsity_forward(h, target, weight):
    """P = weight / N * sum_u [ t log(t / q_u) + (1 - t) log((1 - t) / (1 - q_u)) ],  q = mean_n h.

    Pushes each unit's mean activation q_u toward the target t (0.1): most units stay near 0.
    As Keras computes it (the post's regularizer adds kl_divergence(t, q) and kl_divergence(1 - t, 1 - q)),
    each term clips its own probability to [eps, 1]: q in the first, 1 - q in the second. So a unit whose
    mean reaches 0 (or 1) keeps the other term's slope and is still pushed back; one clip of q to
    [eps, 1 - eps] would make both terms flat there.
    The 1/N is Keras's: it divides every activity regularizer by the batch size (keras Layer.__call__),
    which for this penalty, already a function of the batch mean, averages twice and makes the
    penalty depend on the batch size. Kept, so the post's weight 0.05 means what it meant there.
    """
    n = tf.cast(tf.shape(h)[0], h.dtype)
    q = tf.reduce_mean(h, axis=0)
    q_in, r_in = tf.clip_by_value(q, KL_EPSILON, 1), tf.clip_by_value(1 - q, KL_EPSILON, 1)
    # where each clip lets its probability move (tf.clip_by_value passes the gradient on its edges)
    moves = (tf.logical_and(q >= KL_EPSILON, q <= 1), tf.logical_and(1 - q >= KL_EPSILON, 1 - q <= 1))
    kl = target * tf.math.log(target / q_in) + (1 - target) * tf.math.log((1 - target) / r_in)
    return weight * tf.reduce_sum(kl) / n, (h, q_in, r_in, moves, target, weight, n)


@layer("sparsity.md")
def kl_sparsity_backward(dp, cache):
    """dq_u = dp * weight / N * (-t / q_u + (1 - t) / (1 - q_u)), each term 0 where its clip held it
    (-t / q_u where q_u < eps; (1 - t) / (1 - q_u) where 1 - q_u < eps);  dh = dq / N at every example."""
    h, q_in, r_in, (moves_q, moves_r), target, weight, n = cache
    zero = tf.zeros_like(q_in)
    dq = dp * weight / n * (tf.where(moves_q, -target / q_in, zero) + tf.where(moves_r, (1 - target) / r_in, zero))
    return tf.broadcast_to(dq / n, tf.shape(h))


@layer("vae.md", mean="N K", logvar="like mean", eps="like mean")
def gaussian_sample_forward(mean, logvar, eps):
    """z = mean + exp(logvar / 2) * eps, eps ~ N(0, 1) drawn by the caller (reparameterisation)."""
    std = tf.exp(0.5 * logvar)
    return mean + std * eps, (std, eps)


@layer("vae.md")
def gaussian_sample_backward(dz, cache):
    """dmean = dz;  dlogvar = dz * eps * exp(logvar / 2) / 2."""
    std, eps = cache
    return dz, dz * eps * std * 0.5


@layer("vae.md", why=WHY, mean="N K", logvar="like mean", scale="scalar, >= 0")
def kl_latent_forward(mean, logvar, scale):
    """L = scale * mean_n( -1/2 sum_k (1 + logvar - exp(logvar) - mean^2) ): KL(q(z|x) || N(0, I)).

    scale is 1/784 in the chapter-17 VAE (models/vae.py), so the term is on the per-pixel scale of its
    BCE; post 004's own VAE (models/digit_vae.py) passes scale = N, turning the batch mean into a sum.
    """
    n = tf.cast(tf.shape(mean)[0], mean.dtype)
    var = tf.exp(logvar)
    loss = scale * tf.reduce_sum(-0.5 * (1 + logvar - var - mean * mean)) / n
    return loss, (mean, var, scale, n)


@layer("vae.md")
def kl_latent_backward(dloss, cache):
    """dmean = dloss * scale * mean / N;  dlogvar = dloss * scale * (exp(logvar) - 1) / (2 N)."""
    mean, var, scale, n = cache
    return dloss * scale * mean / n, dloss * scale * 0.5 * (var - 1) / n


SIGMA_LOG_EPSILON = 1e-10  # post 004's latent loss takes log(1e-10 + sigma^2), finite at sigma = 0


@layer("vae.md", mean="N K", sigma="like mean", eps="like mean")
def sigma_sample_forward(mean, sigma, eps):
    """z = mean + sigma * eps: post 004's own VAE, whose second head outputs sigma itself (any sign:
    the head is linear, and -sigma gives the same distribution). See docs/vae.md."""
    return mean + sigma * eps, (eps,)


@layer("vae.md")
def sigma_sample_backward(dz, cache):
    """dmean = dz;  dsigma = dz * eps."""
    (eps,) = cache
    return dz, dz * eps


@layer("vae.md", why=WHY, mean="N K", sigma="like mean", scale="scalar, >= 0")
def kl_latent_sigma_forward(mean, sigma, scale):
    """L = scale * mean_n( 1/2 sum_k (sigma^2 + mean^2 - 1 - log(1e-10 + sigma^2)) ), post 004's latent
    loss: KL(N(mean, sigma^2) || N(0, 1)) with 1e-10 keeping the log finite when sigma reaches 0.

    scale = N (the batch size) turns the batch mean into the post's sum over the batch.
    """
    n = tf.cast(tf.shape(mean)[0], mean.dtype)
    var = sigma * sigma
    loss = scale * tf.reduce_sum(0.5 * (var + mean * mean - 1 - tf.math.log(SIGMA_LOG_EPSILON + var))) / n
    return loss, (mean, sigma, var, scale, n)


@layer("vae.md")
def kl_latent_sigma_backward(dloss, cache):
    """dmean = dloss * scale * mean / N;  dsigma = dloss * scale * sigma (1 - 1 / (1e-10 + sigma^2)) / N.

    dsigma is 0 at sigma = 0 exactly, about -1/sigma for 1e-5 << |sigma| << 1 (the log pushes sigma
    away from 0) and is largest at |sigma| = 1e-5: -5e4 at sigma = +1e-5, +5e4 at -1e-5. Continuous,
    odd in sigma, and huge near 0. docs/vae.md derives it and says what the runs measured."""
    mean, sigma, var, scale, n = cache
    return dloss * scale * mean / n, dloss * scale * sigma * (1 - 1 / (SIGMA_LOG_EPSILON + var)) / n


# ---------------------------------------------------------------- eigenvector projection (post 000)

EIGEN_GAP_TOL = 1e-4  # eigenvalue pairs closer than this (relative to the largest |eigenvalue|) count as equal
SIGN_TIE_ULPS = 1000  # eigenvector entries within this many rounding units of the largest magnitude count as tied


@layer("eigen_projection.md", why=WHY, h="N K", stop_gradient="bool", gap_tol="scalar, >= 0")
def eigen_projection_forward(h, stop_gradient=False, gap_tol=EIGEN_GAP_TOL):
    """out = h V, the batch expressed in the eigenvectors of its own covariance.

        C = (h - mean(h))^T (h - mean(h)) / N,   C V = V diag(lam)   (tf.linalg.eigh, lam ascending)

    Sign convention: eigh may return v or -v; each column of V is flipped so that its entry of
    largest magnitude is positive, so the same batch always gives the same basis. Entries whose
    magnitudes tie (within SIGN_TIE_ULPS rounding units of the dtype, where a reordered batch's
    rounding could pick either) resolve to the first.
    stop_gradient=True treats V as a constant in the backward (and, through tf.stop_gradient, in the
    gradient check's automatic differentiation): the variant the post did not try.
    h: (N, K) -> out: (N, K). Derivation of the backward: docs/eigen_projection.md.
    """
    if h.shape[0] == 1:
        raise ValueError("eigen_projection_forward: h has 1 row; expected a batch of at least 2 examples: one "
                         "example has a zero covariance, whose eigenvectors are any basis at all")
    n = tf.cast(tf.shape(h)[0], h.dtype)
    hc = h - tf.reduce_mean(h, axis=0)
    cov = tf.matmul(hc, hc, transpose_a=True) / n
    lam, v = tf.linalg.eigh(cov)
    mag = tf.abs(v)
    tied = mag >= tf.reduce_max(mag, axis=0) * (1 - SIGN_TIE_ULPS * np.finfo(tf.as_dtype(h.dtype).as_numpy_dtype).eps)
    largest = tf.argmax(tf.cast(tied, tf.int32), axis=0)                    # the first of the largest entries
    v = v * tf.sign(tf.gather(tf.transpose(v), largest, batch_dims=1))     # that entry made positive
    if stop_gradient:
        v = tf.stop_gradient(v)
    return tf.matmul(h, v), (h, hc, n, lam, v, stop_gradient, gap_tol)


@layer("eigen_projection.md")
def eigen_projection_backward(dout, cache):
    """dh = dout V^T  +  (through V)  dhc - mean_n(dhc),  where
        dV  = h^T dout
        dC  = V (F o (V^T dV)) V^T,   F_ij = 1 / (lam_j - lam_i) for i != j, 0 on the diagonal
        dhc = hc (dC + dC^T) / N
    Gap guard: where |lam_j - lam_i| <= gap_tol * max|lam| the pair is one (near-)degenerate
    eigenspace, in which V is not determined by C: F_ij = 0 there, so no gradient flows through
    a rotation that the data does not fix (TensorFlow's own eigh gradient regularises 1/gap as
    gap / (gap^2 + 1e-20): 0 at exactly equal eigenvalues, a huge 1/rounding-noise when nearly equal).
    With stop_gradient the second term is dropped.
    dout: (N, K) -> dh: (N, K)
    """
    h, hc, n, lam, v, stop_gradient, gap_tol = cache
    dh = tf.matmul(dout, v, transpose_b=True)                     # through out = h V, V held fixed
    if stop_gradient:
        return dh
    dv = tf.matmul(h, dout, transpose_a=True)                     # (K, K)
    gap = lam[None, :] - lam[:, None]                             # gap_ij = lam_j - lam_i
    tol = gap_tol * tf.reduce_max(tf.abs(lam))
    separated = tf.abs(gap) > tol                                 # False on the diagonal, and for equal pairs
    f = tf.where(separated, 1.0 / tf.where(separated, gap, tf.ones_like(gap)), tf.zeros_like(gap))
    dcov = tf.matmul(v, tf.matmul(f * tf.matmul(v, dv, transpose_a=True), v, transpose_b=True))  # through eigh
    dhc = tf.matmul(hc, dcov + tf.transpose(dcov)) / n            # through C = hc^T hc / N
    return dh + dhc - tf.reduce_mean(dhc, axis=0)                 # through hc = h - mean(h)
