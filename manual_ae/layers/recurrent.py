"""LSTM (one step, then over time), repeat_vector and time_distributed_dense.

Shapes: N sequences, T time steps, D input features, H hidden units. Gates in Keras's order
i, f, g, o, stacked along the last axis of the weights: wx (D, 4H), wh (H, 4H), b (4H,).

    z = x_t Wx + h_{t-1} Wh + b
    i = sigmoid(z_i)   f = sigmoid(z_f)   g = tanh(z_g)   o = sigmoid(z_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

The gate derivatives are derived in docs/lstm.md.
"""
import tensorflow as tf

from manual_ae.layers.kinds import layer


@layer("lstm.md", x="N D", h_prev="N H", c_prev="N H", wx="D 4H", wh="H 4H", b="4H", xw="N 4H, or None")
def lstm_step_forward(x, h_prev, c_prev, wx, wh, b, xw=None):
    """One step.  x: (N, D), h_prev, c_prev: (N, H) -> h, c: (N, H).

    xw, if given, is x Wx + b already computed (lstm_forward does all steps in one product).
    """
    z = (tf.matmul(x, wx) + b if xw is None else xw) + tf.matmul(h_prev, wh)
    s = tf.sigmoid(z)                           # the sigmoid of all four blocks: three of them are gates
    i, f, _, o = tf.split(s, 4, axis=1)
    g = tf.tanh(tf.split(z, 4, axis=1)[2])
    c = f * c_prev + i * g
    tanh_c = tf.tanh(c)
    h = o * tanh_c
    return h, c, (x, h_prev, c_prev, wx, wh, i, f, g, o, tanh_c, s)


@layer("lstm.md")
def lstm_step_backward(dh, dc, cache):
    """One step back: (dh_t, dc_t) -> (dx, dh_{t-1}, dc_{t-1}, dWx, dWh, db).

        dc   += dh * o * (1 - tanh(c)^2)          # through h = o * tanh(c)
        do    = dh * tanh(c)
        di    = dc * g,   dg = dc * i,   df = dc * c_prev,   dc_prev = dc * f
        dz    = [di i(1-i), df f(1-f), dg (1-g^2), do o(1-o)]
        dx    = dz Wx^T,  dh_prev = dz Wh^T,  dWx = x^T dz,  dWh = h_prev^T dz,  db = sum dz
    """
    dz, dc_prev = _step_dz(dh, dc, cache)
    x, h_prev, _, wx, wh = cache[:5]
    dx = tf.matmul(dz, wx, transpose_b=True)
    dh_prev = tf.matmul(dz, wh, transpose_b=True)
    return dx, dh_prev, dc_prev, tf.matmul(x, dz, transpose_a=True), tf.matmul(h_prev, dz, transpose_a=True), \
        tf.reduce_sum(dz, axis=0)


def _step_dz(dh, dc, cache):
    """The gate pre-activation gradient dz (N, 4H) and dc_{t-1}, shared by both backward forms.

    The four blocks at once: dz = [di, df, dg, do] * [i(1-i), f(1-f), 1-g^2, o(1-o)], the sigmoid
    slopes read from the forward's sigmoid of all four blocks, s, its g block replaced by tanh's.
    (Fewer, larger ops than one chain per gate: 6% off the recurrent step here.)
    """
    _, _, c_prev, _, _, i, f, g, o, tanh_c, s = cache
    n_hidden = g.shape[1]
    dc = dc + dh * o * (1 - tanh_c * tanh_c)      # through h = o * tanh(c)
    # [di, df, dg, do]: through c = f c_prev + i g, and through the output gate
    d_gates = tf.concat([dc * g, dc * c_prev, dc * i, dh * tanh_c], axis=1)
    slope = s * (1 - s)                           # each gate's slope: y(1 - y) for a sigmoid, 1 - g^2 for tanh
    slope = tf.concat([slope[:, :2 * n_hidden], 1 - g * g, slope[:, 3 * n_hidden:]], axis=1)
    return d_gates * slope, dc * f


@layer("lstm.md", x="N T D", wx="D 4H", wh="H 4H", b="4H", return_sequences="bool")
def lstm_forward(x, wx, wh, b, return_sequences=True):
    """x: (N, T, D) -> hs: (N, T, H) (return_sequences) or the last h: (N, H). Starts from h = c = 0.

    Only h_{t-1} Wh waits for the previous step. x_t Wx + b does not: it is computed for all T steps
    as ONE matrix product, time-major (T, N, 4H), and cut into the steps' slices by one unstack.
    """
    t_steps, d = x.shape[1], x.shape[2]
    n_hidden = wh.shape[0]
    n = tf.shape(x)[0]
    xs = tf.transpose(x, [1, 0, 2])                                                  # (T, N, D)
    xw = tf.reshape(tf.matmul(tf.reshape(xs, [-1, d]), wx) + b, [t_steps, -1, 4 * n_hidden])
    h = c = tf.zeros(tf.stack([n, n_hidden]), dtype=x.dtype)
    hs, caches = [], []
    for t, (x_t, xw_t) in enumerate(zip(tf.unstack(xs), tf.unstack(xw))):
        h, c, cache = lstm_step_forward(x_t, h, c, wx, wh, b, xw=xw_t)
        hs.append(h)
        caches.append(cache)
    out = tf.stack(hs, axis=1) if return_sequences else h
    return out, (x, wx, wh, caches, return_sequences)


@layer("lstm.md", input_grad="bool")
def lstm_backward(dout, cache, input_grad=True):
    """Backprop through time: dx (N, T, D), dWx, dWh, db, the weight gradients summed over steps.

    dout is (N, T, H) for return_sequences, else (N, H) for the last step only.
    Only dh_{t-1} = dz_t Wh^T has to wait for the step after it. The weight gradients do not: the
    loop keeps each step's dz, and after it dWx = x^T dz and dWh = h_prev^T dz are each ONE matrix
    product over all steps and sequences at once (the sum over steps is inside the product), as is dx.
    input_grad=False skips dx (returned as None) for a first layer, whose input is data.
    """
    x, wx, wh, caches, return_sequences = cache
    t_steps, d = x.shape[1], x.shape[2]
    douts = tf.unstack(dout, axis=1) if return_sequences else None
    dh_next = tf.zeros_like(caches[-1][1])
    dc_next = tf.zeros_like(dh_next)
    dzs = [None] * t_steps
    wh_t = tf.transpose(wh)         # (4H, H), once: a product with a transposed operand is slower, 28 times
    for t in reversed(range(t_steps)):
        if return_sequences:
            dh = dh_next + douts[t]
        else:
            dh = dh_next + dout if t == t_steps - 1 else dh_next
        dzs[t], dc_next = _step_dz(dh, dc_next, caches[t])
        dh_next = tf.matmul(dzs[t], wh_t)
    dz = tf.reshape(tf.stack(dzs), [-1, 4 * wh.shape[0]])                    # (T N, 4H), time-major
    h_prev = tf.reshape(tf.stack([cache_t[1] for cache_t in caches]), [-1, wh.shape[0]])   # h_{t-1}, (T N, H)
    xs = tf.reshape(tf.transpose(x, [1, 0, 2]), [-1, d])                      # (T N, D)
    dwx = tf.matmul(xs, dz, transpose_a=True)        # Wx and Wh are shared by every step: summed over steps
    dwh = tf.matmul(h_prev, dz, transpose_a=True)
    db = tf.reduce_sum(dz, axis=0)
    dx = None
    if input_grad:
        dx = tf.transpose(tf.reshape(tf.matmul(dz, wx, transpose_b=True), [t_steps, -1, d]), [1, 0, 2])
    return dx, dwx, dwh, db


@layer("lstm.md", x="N D", t_steps="int, >= 1")
def repeat_vector_forward(x, t_steps):
    """x: (N, D) -> (N, T, D), the same vector at every step."""
    return tf.repeat(x[:, None, :], t_steps, axis=1), ()   # nothing to remember


@layer("lstm.md")
def repeat_vector_backward(dout, cache):
    """dx = sum over steps of dout.   dout: (N, T, D) -> dx: (N, D)"""
    return tf.reduce_sum(dout, axis=1)


@layer("lstm.md", x="N T D", w="D M", b="M")
def time_distributed_dense_forward(x, w, b):
    """The same dense layer at every step.   x: (N, T, D), w: (D, M), b: (M,) -> (N, T, M)"""
    t_steps, d = x.shape[1], x.shape[2]
    out = tf.reshape(tf.matmul(tf.reshape(x, [-1, d]), w) + b, [-1, t_steps, w.shape[1]])
    return out, (x, w)


@layer("lstm.md")
def time_distributed_dense_backward(dout, cache):
    """As dense_backward with steps folded into the batch: dW, db summed over N and T."""
    x, w = cache
    t_steps, d = x.shape[1], x.shape[2]
    m = w.shape[1]
    dflat = tf.reshape(dout, [-1, m])
    dx = tf.reshape(tf.matmul(dflat, w, transpose_b=True), [-1, t_steps, d])
    dw = tf.matmul(tf.reshape(x, [-1, d]), dflat, transpose_a=True)
    return dx, dw, tf.reduce_sum(dflat, axis=0)
