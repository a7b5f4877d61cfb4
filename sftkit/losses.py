"""Cross-entropy (交叉熵) and its gradient, written in NumPy as the project's reference.

Keras computes these losses for us during training; this module computes the same
numbers by hand, in a few readable lines each, so that a lesson can show the maths and
the tests can check Keras against it (seed sections 4.1-4.3).

The idea in one line. A classifier outputs a probability distribution ``y`` over ``K``
classes; the true class is described by a target distribution ``t`` (one-hot for an
ordinary label). The cross-entropy of one example is::

    L = - sum_i t_i * log(y_i)        (sum over the K classes i; natural log)

For a one-hot target this is simply ``-log(y_true_class)``: the negative log of the
probability the model gave to the right answer. It is never negative, since
``log y <= 0`` for ``0 < y <= 1``. The loss over a batch or a dataset is the *mean* of
the per-example losses (``reduction="mean"``, Keras's default), or their sum.

Conventions used by every function here:

* The class axis is the last axis. ``probs_or_logits`` has shape ``(..., K)``; usually
  ``(N, K)`` for a batch of ``N`` examples. Inputs may be lists or arrays of any float
  dtype; the arithmetic is done in float64 and float64 results are returned.
* ``reduction`` is ``"mean"`` (average over examples, the default, like Keras's
  ``"sum_over_batch_size"``), ``"sum"`` or ``"none"`` (one loss per example).
* ``from_logits=False`` means the input is already probabilities, which are clipped to
  ``[eps, 1 - eps]`` before the log, exactly like Keras 3 (see :data:`KERAS_EPSILON`).
  ``from_logits=True`` means the input is raw scores ``z`` and the log-probabilities are
  computed with a numerically stable :func:`log_softmax` (or its two-class version),
  so no clipping is needed and extreme logits such as ``1e4`` give exact finite losses.
* Bad input raises ``ValueError`` with a one-line message saying what was wrong.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "KERAS_EPSILON",
    "log_softmax",
    "softmax",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "crossentropy_grad_logits",
]

#: Keras's "fuzz factor" (``keras.config.epsilon()``, default ``1e-7``).
#:
#: What Keras 3 does when it is given probabilities (``from_logits=False``), as read in
#: ``keras/src/backend/tensorflow/nn.py``:
#:
#: * categorical: divide each row by its sum, clip to ``[eps, 1 - eps]``, then
#:   ``-sum(t * log(y))``;
#: * sparse categorical: clip to ``[eps, 1 - eps]``, take the log, then a log-softmax
#:   (which also divides by the row sum, just after the clip instead of before);
#: * binary: clip to ``[eps, 1 - eps]``, then ``-(t log y + (1 - t) log(1 - y))``.
#:
#: So the largest loss Keras can report from probabilities is ``-log(1e-7) = 16.118``
#: per example, however wrong the prediction. The clip bounds are rounded to the
#: tensor's own precision: in float32, ``1 - 1e-7`` becomes ``1 - 2**-23``. This module
#: rounds them the same way, so it matches Keras even on saturated probabilities.
KERAS_EPSILON = 1e-7

_REDUCTIONS = ("mean", "sum", "none")


# --------------------------------------------------------------------------------------
# softmax and log-softmax
# --------------------------------------------------------------------------------------
def log_softmax(logits, axis=-1):
    """Return ``log(softmax(logits))``, computed without overflow.

    ``softmax(z)_i = exp(z_i) / sum_j exp(z_j)``, so
    ``log softmax(z)_i = z_i - log sum_j exp(z_j)``.

    Computed naively, ``exp(1000)`` overflows to ``inf`` and the answer becomes ``nan``.
    The trick: softmax does not change when the same constant ``c`` is subtracted from
    every logit (the factor ``exp(-c)`` cancels above and below the fraction). Taking
    ``c = max_j z_j`` makes every shifted logit ``<= 0``, so every ``exp`` lies in
    ``(0, 1]`` and the sum lies in ``[1, K]``: nothing overflows and the log is finite::

        log softmax(z)_i = (z_i - c) - log sum_j exp(z_j - c)
    """
    z = _as_finite_float(logits, "logits")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(logits, axis=-1):
    """Return ``exp(z_i) / sum_j exp(z_j)`` along ``axis``, shifted by the max to avoid overflow.

    Each output row is a probability distribution: entries in ``[0, 1]``, summing to 1.
    """
    z = _as_finite_float(logits, "logits")
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


# --------------------------------------------------------------------------------------
# the three cross-entropies
# --------------------------------------------------------------------------------------
def categorical_crossentropy(
    targets_onehot, probs_or_logits, *, from_logits=False, reduction="mean", eps=KERAS_EPSILON
):
    """Cross-entropy with one-hot (or soft) targets: ``L = -sum_i t_i log y_i`` per example.

    Parameters
    ----------
    targets_onehot : array of shape ``(..., K)``
        The target distribution ``t`` of each example: one-hot for a hard label, or
        any probabilities (e.g. smoothed labels). Entries must lie in ``[0, 1]``.
    probs_or_logits : array of shape ``(..., K)``
        Predicted probabilities ``y`` (``from_logits=False``) or raw scores ``z``
        (``from_logits=True``).
    from_logits : bool
        With logits, ``log y = log_softmax(z)`` exactly. With probabilities, each row is
        divided by its sum and clipped to ``[eps, 1 - eps]`` before the log, as in Keras.
    reduction : ``"mean"`` | ``"sum"`` | ``"none"``
    eps : float
        The clip used with probabilities; Keras's default is ``1e-7``.

    Example: the seed's case in 4.3, target class A and ``p_A = 0.8``::

        >>> round(float(categorical_crossentropy([1, 0], [0.8, 0.2])), 4)
        0.2231
    """
    _check_reduction(reduction)
    t = _as_targets(targets_onehot)
    if from_logits:
        z = _as_finite_float(probs_or_logits, "logits")
        _check_same_shape(t, z, "targets_onehot", "logits")
        log_y = log_softmax(z)
    else:
        y = _as_probabilities(probs_or_logits)
        _check_same_shape(t, y, "targets_onehot", "probabilities")
        lo, hi = _clip_bounds(y.dtype, eps)
        y = y.astype(np.float64)
        row_sums = np.sum(y, axis=-1, keepdims=True)
        if np.any(row_sums == 0):
            raise ValueError("a row of probabilities sums to 0; every example needs some probability")
        log_y = np.log(np.clip(y / row_sums, lo, hi))
    per_example = -np.sum(t * log_y, axis=-1)
    return _reduce(per_example, reduction)


def sparse_categorical_crossentropy(
    labels_int, probs_or_logits, *, from_logits=False, reduction="mean", eps=KERAS_EPSILON
):
    """Cross-entropy with integer labels: ``L = -log y[label]`` per example.

    The same loss as :func:`categorical_crossentropy` with the one-hot target written
    as the index of its 1: with ``t`` one-hot, every term of ``-sum_i t_i log y_i`` is
    zero except the one for the true class. This is the loss the seed's model compiles
    with (``loss='sparse_categorical_crossentropy'``, section 5.2), because its labels
    are stored as integers ``0 .. K-1``.

    ``labels_int`` has shape ``(...)`` and ``probs_or_logits`` shape ``(..., K)``;
    every label must be a whole number in ``[0, K)``. From probabilities, as in Keras, each
    row is clipped to ``[eps, 1 - eps]`` and then divided by its sum (the categorical loss
    divides first): ``L = -log(clip(y)[label] / sum(clip(y)))``.
    """
    _check_reduction(reduction)
    scores = np.asarray(probs_or_logits)
    if scores.ndim < 1:
        raise ValueError("probs_or_logits must have a class axis of length K (shape (..., K))")
    onehot = _labels_to_onehot(labels_int, scores.shape)
    if from_logits:
        return categorical_crossentropy(onehot, scores, from_logits=True, reduction=reduction, eps=eps)
    # Keras's sparse loss clips first and divides by the row's sum after (a log-softmax of
    # the clipped log-probabilities); the categorical loss divides first. The two agree
    # unless a row does not sum to 1 and the clip acts: (0, 0.5) with label 0 gives
    # -log(eps / (0.5 + eps)) here, -log(eps) there.
    y = _as_probabilities(scores)
    lo, hi = _clip_bounds(y.dtype, eps)
    clipped = np.clip(y.astype(np.float64), lo, hi)
    log_y = np.log(clipped) - np.log(np.sum(clipped, axis=-1, keepdims=True))
    return _reduce(-np.sum(onehot * log_y, axis=-1), reduction)


def binary_crossentropy(
    targets, probs_or_logits, *, from_logits=False, reduction="mean", eps=KERAS_EPSILON
):
    """Two-class cross-entropy for yes/no predictions, one probability per entry.

    For a target ``t`` in ``[0, 1]`` and predicted ``y = P(yes)``::

        L = -(t log y + (1 - t) log(1 - y))

    which is :func:`categorical_crossentropy` with the two classes ``(yes, no)``.

    From a logit ``z`` (``y = sigmoid(z) = 1 / (1 + exp(-z))``) the loss simplifies to
    ``log(1 + exp(z)) - z t``; written as::

        L = max(z, 0) - z t + log(1 + exp(-|z|))

    no ``exp`` ever receives a positive argument, so it cannot overflow, even for
    ``z = +-1e4``.

    Every entry of the arrays is its own yes/no prediction: ``reduction="none"`` returns
    an array of the inputs' shape, ``"mean"`` and ``"sum"`` reduce over all entries.
    (Keras's ``BinaryCrossentropy`` first averages over the last axis, so give it shape
    ``(N, 1)`` for ``N`` examples to get the same per-example numbers.)
    """
    _check_reduction(reduction)
    t = _as_targets(targets)
    if from_logits:
        z = _as_finite_float(probs_or_logits, "logits")
        _check_same_shape(t, z, "targets", "logits")
        per_entry = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    else:
        y = _as_probabilities(probs_or_logits)
        _check_same_shape(t, y, "targets", "probabilities")
        lo, hi = _clip_bounds(y.dtype, eps)
        y = np.clip(y.astype(np.float64), lo, hi)
        per_entry = -(t * np.log(y) + (1 - t) * np.log(1 - y))
    return _reduce(per_entry, reduction)


# --------------------------------------------------------------------------------------
# the gradient
# --------------------------------------------------------------------------------------
def crossentropy_grad_logits(targets_onehot_or_int, logits, *, reduction="mean"):
    """Gradient of the softmax cross-entropy with respect to the logits: ``p - t``.

    For one example with logits ``z``, ``p = softmax(z)`` and target ``t``::

        L = -sum_i t_i log p_i = -sum_i t_i z_i + (sum_i t_i) log sum_j exp(z_j)
        dL/dz_j = -t_j + (sum_i t_i) p_j

    which is ``p_j - t_j`` whenever the target sums to 1 (one-hot or soft labels). The
    gradient is bounded (every entry lies in ``[-1, 1]``) and it is large exactly where
    the model is confidently wrong.

    Convention: the result has the shape of ``logits`` and is the gradient of the number
    that ``categorical_crossentropy(t, logits, from_logits=True, reduction=reduction)``
    returns, so it matches ``tf.GradientTape`` on the Keras loss with the same reduction:

    * ``"mean"`` (default, like Keras): ``(p - t) / N``, with ``N`` the number of
      examples (all axes but the last);
    * ``"sum"``: ``p - t``;
    * ``"none"``: also ``p - t``; row ``n`` is the gradient of example ``n``'s own loss
      (example ``n``'s loss does not depend on any other example's logits).

    ``targets_onehot_or_int`` is either an array shaped like ``logits`` (one-hot or soft
    targets) or integer labels with one axis fewer (class indices in ``[0, K)``).
    """
    _check_reduction(reduction)
    z = _as_finite_float(logits, "logits")
    if z.ndim < 1:
        raise ValueError("logits must have a class axis of length K (shape (..., K))")
    raw = np.asarray(targets_onehot_or_int)
    if raw.shape == z.shape:
        t = _as_targets(raw)
    elif raw.shape == z.shape[:-1]:
        t = _labels_to_onehot(raw, z.shape)
    else:
        raise ValueError(
            f"targets must have the logits' shape {z.shape} (one-hot) or {z.shape[:-1]} "
            f"(integer labels), got {raw.shape}"
        )
    grad = softmax(z) * np.sum(t, axis=-1, keepdims=True) - t
    if reduction == "mean":
        n_examples = max(1, z.size // z.shape[-1])
        grad = grad / n_examples
    return grad


# --------------------------------------------------------------------------------------
# input checks (one-line ValueErrors)
# --------------------------------------------------------------------------------------
def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"unknown reduction {reduction!r}; use one of {_REDUCTIONS}")


def _reduce(per_example, reduction):
    if reduction == "mean":
        return np.float64(np.mean(per_example))
    if reduction == "sum":
        return np.float64(np.sum(per_example))
    return per_example


def _as_float(x, name):
    arr = np.asarray(x)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def _as_finite_float(x, name):
    arr = _as_float(x, name).astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contain NaN or inf")
    return arr


def _as_targets(x):
    t = _as_finite_float(x, "targets")
    if np.any((t < 0) | (t > 1)):
        raise ValueError("targets must lie in [0, 1] (one-hot rows, soft labels or 0/1 flags)")
    return t


def _as_probabilities(x):
    """Probabilities keep their own dtype here, because the clip bounds depend on it."""
    y = _as_float(x, "probabilities")
    if not np.all(np.isfinite(y)):
        raise ValueError("probabilities contain NaN or inf")
    if np.any((y < 0) | (y > 1)):
        raise ValueError(
            "probabilities must lie in [0, 1]; if these are raw scores, pass from_logits=True"
        )
    return y


def _clip_bounds(dtype, eps):
    """``(eps, 1 - eps)`` rounded to ``dtype``, as Keras's clip does, returned as float64."""
    if not 0 < eps < 0.5:
        raise ValueError(f"eps must be a small positive number, got {eps}")
    return float(np.asarray(eps, dtype=dtype)), float(np.asarray(1.0 - eps, dtype=dtype))


def _check_same_shape(a, b, name_a, name_b):
    if a.shape != b.shape:
        raise ValueError(f"{name_a} shape {a.shape} does not match {name_b} shape {b.shape}")
    if a.ndim < 1:
        raise ValueError(f"{name_b} must have at least one axis, got a scalar")


def _labels_to_onehot(labels, scores_shape):
    """Turn integer class labels of shape ``(...)`` into one-hot rows of shape ``(..., K)``."""
    lab = np.asarray(labels)
    if lab.shape != tuple(scores_shape[:-1]):
        raise ValueError(
            f"labels shape {lab.shape} does not match probs_or_logits shape {tuple(scores_shape)} "
            f"without its class axis, {tuple(scores_shape[:-1])}"
        )
    num_classes = scores_shape[-1]
    if np.issubdtype(lab.dtype, np.floating):
        if not np.all(np.isfinite(lab)) or np.any(lab != np.round(lab)):
            raise ValueError("labels must be whole numbers (class indices 0 .. K-1)")
        lab = lab.astype(np.int64)
    elif not np.issubdtype(lab.dtype, np.integer):
        raise ValueError(f"labels must be integer class indices, got dtype {lab.dtype}")
    if np.any((lab < 0) | (lab >= num_classes)):
        bad = lab[(lab < 0) | (lab >= num_classes)].ravel()[0]
        raise ValueError(f"label {bad} is out of range for {num_classes} classes (need 0 .. {num_classes - 1})")
    return (lab[..., None] == np.arange(num_classes)).astype(np.float64)
