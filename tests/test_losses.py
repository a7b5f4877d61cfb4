"""Tests of sftkit.losses: the NumPy reference against Keras 3 and tf.GradientTape.

The property tests draw random batches whose logits include extreme values (+-1e4), so
that probabilities saturate at exactly 0 and 1 and Keras's clipping is exercised.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sftkit import losses
from sftkit._tf import tf_and_keras

tf, keras = tf_and_keras()

SETTINGS = settings(max_examples=40, deadline=None)
REDUCTIONS = ["mean", "sum", "none"]
KERAS_REDUCTION = {"mean": "sum_over_batch_size", "sum": "sum", "none": "none"}

# A logit is usually moderate, sometimes extreme.
_logit = st.one_of(
    st.floats(-30, 30, width=32),
    st.sampled_from([-1e4, 1e4, -500.0, 500.0, 0.0]),
)


@st.composite
def batches(draw, max_n=6, max_k=5):
    """(logits float32 (N, K), integer labels (N,))."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(2, max_k))
    z = draw(hnp.arrays(np.float32, (n, k), elements=_logit))
    labels = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    return z, labels


def _onehot(labels, k):
    return np.eye(k, dtype=np.float32)[labels]


def _keras(loss_cls, reduction, from_logits, t, y):
    loss = loss_cls(from_logits=from_logits, reduction=KERAS_REDUCTION[reduction])
    return np.asarray(loss(tf.constant(t), tf.constant(y)), dtype=np.float64)


def _close(ours, theirs):
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=2e-5)


# --------------------------------------------------------------------------------------
# hand-checked values
# --------------------------------------------------------------------------------------
def test_seed_example_done_right():
    # seed 4.3: target class A, p_A = 0.8 -> L = -log 0.8 = 0.2231 (positive)
    assert losses.categorical_crossentropy([1, 0, 0], [0.8, 0.1, 0.1]) == pytest.approx(0.22314355, abs=1e-8)
    assert losses.sparse_categorical_crossentropy(0, [0.8, 0.2]) == pytest.approx(0.22314355, abs=1e-8)
    assert losses.binary_crossentropy([1.0], [0.8]) == pytest.approx(0.22314355, abs=1e-8)


def test_hand_values():
    assert losses.sparse_categorical_crossentropy(1, [0.9, 0.01, 0.09]) == pytest.approx(4.60517019, abs=1e-7)
    assert losses.sparse_categorical_crossentropy(2, [0.0, 0.0, 0.0], from_logits=True) == pytest.approx(math.log(3))
    # mean over examples of -log 0.5 and -log 0.25
    got = losses.sparse_categorical_crossentropy([0, 1], [[0.5, 0.5], [0.75, 0.25]])
    assert got == pytest.approx((math.log(2) + math.log(4)) / 2)
    per = losses.sparse_categorical_crossentropy([0, 1], [[0.5, 0.5], [0.75, 0.25]], reduction="none")
    np.testing.assert_allclose(per, [math.log(2), math.log(4)])
    assert losses.sparse_categorical_crossentropy([0, 1], [[0.5, 0.5], [0.75, 0.25]], reduction="sum") == pytest.approx(math.log(8))
    # binary with t = 0: -log(1 - 0.3)
    assert losses.binary_crossentropy([0.0], [0.3]) == pytest.approx(-math.log(0.7))
    # confident and wrong, from logits: L = 1000 exactly, no overflow
    assert losses.sparse_categorical_crossentropy(1, [1000.0, 0.0], from_logits=True) == pytest.approx(1000.0)
    assert losses.binary_crossentropy([0.0], [1e4], from_logits=True) == pytest.approx(1e4)
    # from probabilities Keras's clip caps the loss at -log(1e-7)
    assert losses.sparse_categorical_crossentropy(1, [1.0, 0.0]) == pytest.approx(-math.log(1e-7))


def test_log_softmax_is_stable_and_shift_invariant():
    z = np.array([1000.0, 0.0])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = np.log(np.exp(z) / np.exp(z).sum())
    assert not np.all(np.isfinite(naive))  # the naive formula breaks here
    np.testing.assert_allclose(losses.log_softmax(z), [0.0, -1000.0])
    np.testing.assert_allclose(losses.softmax(z), [1.0, 0.0])


@SETTINGS
@given(batches(), st.floats(-1e3, 1e3))
def test_softmax_properties(batch, shift):
    z, _ = batch
    p = losses.softmax(z)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(losses.softmax(z.astype(np.float64) + shift), p, atol=1e-9)
    np.testing.assert_allclose(np.exp(losses.log_softmax(z)), p, atol=1e-12)
    assert np.all(losses.log_softmax(z) <= 0)


# --------------------------------------------------------------------------------------
# against Keras
# --------------------------------------------------------------------------------------
@SETTINGS
@given(batches(), st.sampled_from(REDUCTIONS))
def test_categorical_from_logits_matches_keras(batch, reduction):
    z, labels = batch
    t = _onehot(labels, z.shape[1])
    ours = losses.categorical_crossentropy(t, z, from_logits=True, reduction=reduction)
    _close(ours, _keras(keras.losses.CategoricalCrossentropy, reduction, True, t, z))


@SETTINGS
@given(batches(), st.sampled_from(REDUCTIONS))
def test_categorical_from_probs_matches_keras(batch, reduction):
    z, labels = batch
    p = losses.softmax(z).astype(np.float32)  # saturates to exact 0s and 1s
    t = _onehot(labels, z.shape[1])
    ours = losses.categorical_crossentropy(t, p, reduction=reduction)
    _close(ours, _keras(keras.losses.CategoricalCrossentropy, reduction, False, t, p))
    assert np.all(np.asarray(ours) >= 0)


@SETTINGS
@given(batches(), st.sampled_from(REDUCTIONS), st.booleans())
def test_sparse_matches_keras(batch, reduction, from_logits):
    z, labels = batch
    y = z if from_logits else losses.softmax(z).astype(np.float32)
    ours = losses.sparse_categorical_crossentropy(labels, y, from_logits=from_logits, reduction=reduction)
    _close(ours, _keras(keras.losses.SparseCategoricalCrossentropy, reduction, from_logits, labels, y))
    # and it is the categorical loss with one-hot targets
    same = losses.categorical_crossentropy(
        _onehot(labels, z.shape[1]), y, from_logits=from_logits, reduction=reduction
    )
    np.testing.assert_allclose(ours, same, rtol=1e-6, atol=1e-6)  # equal up to the clip order


@pytest.mark.parametrize("label, row", [(0, [0.0, 0.5]), (1, [0.0, 0.5]), (2, [0.3, 0.3, 0.0]), (1, [0.1, 0.0, 0.2])])
def test_sparse_follows_keras_order_on_rows_that_do_not_sum_to_one(label, row):
    # Keras's sparse loss clips then divides by the row's sum; its categorical loss divides
    # then clips: on (0, 0.5) with label 0 they give 15.4249 and 16.1181.
    y = np.asarray([row], np.float32)
    ours = losses.sparse_categorical_crossentropy([label], y)
    theirs = float(keras.losses.SparseCategoricalCrossentropy()(np.asarray([label]), y))
    assert ours == pytest.approx(theirs, rel=1e-5, abs=1e-6)
    if label == 0 and row == [0.0, 0.5]:
        assert ours == pytest.approx(15.4249, abs=1e-4)
        assert losses.categorical_crossentropy([[1.0, 0.0]], y) == pytest.approx(16.1181, abs=1e-4)


@SETTINGS
@given(
    hnp.arrays(np.float32, st.tuples(st.integers(1, 8), st.just(1)), elements=_logit),
    st.sampled_from(REDUCTIONS),
    st.booleans(),
    st.data(),
)
def test_binary_matches_keras(z, reduction, from_logits, data):
    # soft targets are allowed; hard 0/1 targets are the common case
    t = data.draw(
        hnp.arrays(np.float32, z.shape, elements=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1, width=32)))
    )
    with np.errstate(over="ignore"):  # sigmoid(-1e4) is exactly 0, which is what we want
        y = z if from_logits else (1 / (1 + np.exp(-z.astype(np.float64)))).astype(np.float32)
    ours = losses.binary_crossentropy(t, y, from_logits=from_logits, reduction=reduction)
    # Keras averages over the last axis (length 1 here), so per-example numbers agree
    _close(ours, _keras(keras.losses.BinaryCrossentropy, reduction, from_logits, t, y).reshape(np.shape(ours)))


def test_binary_is_two_class_categorical():
    p = np.array([0.8, 0.3, 0.5, 0.01])
    t = np.array([1.0, 0.0, 1.0, 0.0])
    two_class = losses.categorical_crossentropy(np.stack([t, 1 - t], -1), np.stack([p, 1 - p], -1), reduction="none")
    np.testing.assert_allclose(losses.binary_crossentropy(t, p, reduction="none"), two_class)
    z = np.log(p / (1 - p))
    np.testing.assert_allclose(losses.binary_crossentropy(t, z, from_logits=True, reduction="none"), two_class)


# --------------------------------------------------------------------------------------
# the gradient p - t
# --------------------------------------------------------------------------------------
@SETTINGS
@given(batches(), st.sampled_from(REDUCTIONS), st.booleans())
def test_gradient_matches_gradient_tape(batch, reduction, int_labels):
    z, labels = batch
    t = _onehot(labels, z.shape[1])
    zv = tf.Variable(z)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True, reduction=KERAS_REDUCTION[reduction])
    with tf.GradientTape() as tape:
        loss = loss_fn(tf.constant(t), zv)
        if reduction == "none":
            loss = tf.reduce_sum(loss)  # row n is then d(loss of example n)/d(its logits)
    tape_grad = tape.gradient(loss, zv).numpy()
    ours = losses.crossentropy_grad_logits(labels if int_labels else t, z, reduction=reduction)
    assert ours.shape == z.shape and np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, tape_grad, atol=1e-6)


@SETTINGS
@given(batches(max_n=3, max_k=4), st.sampled_from(REDUCTIONS))
def test_gradient_matches_finite_differences(batch, reduction):
    z, labels = batch
    z = np.clip(z.astype(np.float64), -20, 20)  # keep the central difference well-conditioned
    t = _onehot(labels, z.shape[1]).astype(np.float64)

    def total(zz):
        return np.sum(losses.categorical_crossentropy(t, zz, from_logits=True, reduction=reduction))

    h = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[idx] = h
        numeric[idx] = (total(z + step) - total(z - step)) / (2 * h)
    np.testing.assert_allclose(losses.crossentropy_grad_logits(t, z, reduction=reduction), numeric, atol=1e-6)


def test_gradient_by_hand():
    g = losses.crossentropy_grad_logits([0], [[0.0, 0.0]])
    np.testing.assert_allclose(g, [[-0.5, 0.5]])
    g = losses.crossentropy_grad_logits([0, 1], [[0.0, 0.0], [0.0, 0.0]])  # mean: divided by N = 2
    np.testing.assert_allclose(g, [[-0.25, 0.25], [0.25, -0.25]])
    g = losses.crossentropy_grad_logits([0, 1], [[0.0, 0.0], [0.0, 0.0]], reduction="sum")
    np.testing.assert_allclose(g, [[-0.5, 0.5], [0.5, -0.5]])


# --------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: losses.categorical_crossentropy([[1, 0]], [[0.5, 0.3, 0.2]]), "does not match"),
        (lambda: losses.sparse_categorical_crossentropy([0, 1], [[0.5, 0.5]]), "does not match"),
        (lambda: losses.binary_crossentropy([1, 0], [0.5]), "does not match"),
        (lambda: losses.sparse_categorical_crossentropy([3], [[0.5, 0.3, 0.2]]), "out of range"),
        (lambda: losses.sparse_categorical_crossentropy([-1], [[0.5, 0.5]]), "out of range"),
        (lambda: losses.sparse_categorical_crossentropy([0.5], [[0.5, 0.5]]), "whole numbers"),
        (lambda: losses.categorical_crossentropy([[1, 0]], [[1.5, -0.5]]), r"\[0, 1\]"),
        (lambda: losses.binary_crossentropy([1.0], [2.0]), "from_logits=True"),
        (lambda: losses.categorical_crossentropy([[1, 0]], [[0.5, 0.5]], reduction="avg"), "unknown reduction"),
        (lambda: losses.crossentropy_grad_logits([[1, 0]], [[0.0, 0.0]], reduction="max"), "unknown reduction"),
        (lambda: losses.crossentropy_grad_logits([5], [[0.0, 0.0]]), "out of range"),
        (lambda: losses.crossentropy_grad_logits([[1, 0, 0]], [[0.0, 0.0]]), "targets must have"),
        (lambda: losses.categorical_crossentropy([[1, 0]], [[np.nan, 0.0]], from_logits=True), "NaN"),
        (lambda: losses.categorical_crossentropy([[2, 0]], [[0.5, 0.5]]), "targets must lie"),
    ],
)
def test_clear_errors(call, message):
    with pytest.raises(ValueError, match=message) as info:
        call()
    assert "\n" not in str(info.value)
