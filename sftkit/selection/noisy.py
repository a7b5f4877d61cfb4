"""Noisy labels from out-of-fold predicted probabilities; confident learning.

To judge an example's label, a model must not have trained on that example (it would
have memorised the label). K-fold cross-validation gives every example a predicted
probability vector from the one model that did not see it: its *out-of-fold*
probabilities ``P[n, j]``.

From them:

* **self-confidence** ``P[n, y_n]``: the probability of the given label (low = suspicious);
* **margin** ``P[n, y_n] - max_{j != y_n} P[n, j]`` (negative = another class is preferred);
* **confident learning** (Northcutt, Jiang and Chuang, "Confident Learning: Estimating
  Uncertainty in Dataset Labels", JAIR 2021). For each class ``j`` a threshold
  ``t_j`` = the mean of ``P[n, j]`` over the examples *labelled* ``j`` (how confident the
  model typically is on its own class). An example labelled ``i`` is *confidently* of
  class ``j`` when ``P[n, j] >= t_j`` (the most probable such ``j`` when there are
  several). Counting the pairs (given ``i``, confident ``j``) gives the *confident joint*
  ``C[i, j]``; the examples counted off the diagonal are the label issues, ranked by
  self-confidence. ``filter_by="prune_by_noise_rate"`` is the paper's other rule: calibrate
  ``C`` into the joint ``Q`` of given and true labels, and for each off-diagonal cell
  flag the ``n * Q[i, j]`` examples labelled ``i`` with the largest margin ``P[j] - P[i]``.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from sftkit.selection.base import Scores


def out_of_fold_proba(texts: Sequence[str], labels: Sequence[str], *, k: int = 5, seed: int = 0, config=None,
                      val_texts=None, val_labels=None, pretrained=None, exclude=None, trusted_texts=None,
                      trusted_labels=None, trusted_weight: int = 3, progress=None, **overrides) -> np.ndarray:
    """Out-of-fold class probabilities: each row scored by the one model that did not train on it.

    The rows are split into ``k`` folds, stratified by label (seeded); for each fold a
    classifier is trained (:func:`sftkit.finetune.fit_text_classifier`) on the other
    ``k - 1`` folds and predicts the held-out one. These are the out-of-sample
    ``pred_probs`` that :func:`find_label_issues` needs.

    Parameters
    ----------
    texts, labels : sequences of str, length N
    k : int >= 2
        Number of folds.
    seed : int
        Seeds the folds; fold ``f``'s model is trained with seed ``seed + f``.
    config : TrainConfig, optional
        Settings of the fold models; ``overrides`` change single fields (``epochs=8``).
    val_texts, val_labels : sequences of str, optional
        A validation set for early stopping of every fold model (``sftkit select`` passes none).
    pretrained : PretrainedLM, optional
    exclude : bool array (N,), optional
        Rows no fold model trains on; they are still predicted (a round that does not
        learn from the rows a previous round flagged; rows a filter dropped).
    trusted_texts, trusted_labels : sequences of str, optional
        A small set labelled with care (not the validation set). Every fold model also
        trains on it, each row repeated ``trusted_weight`` times, so that a mistake the
        noisy data makes *systematically* is outvoted where the trusted rows contradict it.
    progress : callable, optional
        Called with a line of text after each fold.

    Returns
    -------
    float array, shape (N, K)
        Columns in the order ``sorted(set(labels))``, whatever order a model keeps. A
        class a fold model never trained on (every row of it in the held-out fold or in
        ``exclude``) gets probability 0 from that model.

    Raises
    ------
    ValueError
        Trusted labels that do not occur in ``labels``, lists of different lengths, or
        ``trusted_weight`` < 1.
    """
    from sklearn.model_selection import StratifiedKFold

    from sftkit.finetune import fit_text_classifier

    texts, labels = list(texts), [str(y) for y in labels]
    classes = sorted(set(labels))
    extra_texts, extra_labels = [], []
    if trusted_texts is not None:
        trusted_labels = [str(y) for y in trusted_labels]
        if len(trusted_texts) != len(trusted_labels):
            raise ValueError("trusted_texts and trusted_labels differ in length")
        unknown = sorted(set(trusted_labels) - set(classes))
        if unknown:
            raise ValueError(f"trusted labels not in the data: {', '.join(unknown)}")
        if trusted_weight < 1:
            raise ValueError("trusted_weight must be at least 1")
        extra_texts, extra_labels = list(trusted_texts) * trusted_weight, trusted_labels * trusted_weight
    proba = np.full((len(texts), len(classes)), np.nan)
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    skip = np.zeros(len(texts), dtype=bool) if exclude is None else np.asarray(exclude, dtype=bool)
    with warnings.catch_warnings():  # a class with fewer rows than folds: the caller says so in its own words
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        splits = list(folds.split(np.zeros(len(labels)), labels))
    for f, (train, held) in enumerate(splits):
        train = train[~skip[train]]
        clf = fit_text_classifier([texts[i] for i in train] + extra_texts, [labels[i] for i in train] + extra_labels,
                                  val_texts, val_labels,
                                  config=config, pretrained=pretrained, **{"seed": seed + f, **overrides})
        p = clf.predict_proba([texts[i] for i in held])
        seen = list(clf.classes)
        proba[held] = 0.0  # a class this fold model never saw (all its training rows excluded): probability 0
        for j, c in enumerate(classes):
            if c in seen:
                proba[held, j] = p[:, seen.index(c)]
        if progress:
            progress(f"fold {f + 1}/{k} done")
    return proba


def iterative_out_of_fold(texts: Sequence[str], labels: Sequence[str], *, rounds: int = 4, start=None,
                          exclude=None, seed: int = 0, stop_below: float = 0.01, progress=None,
                          **kwargs) -> list[np.ndarray]:
    """Rounds of :func:`out_of_fold_proba`, each trained without the rows the round before flagged.

    A row is flagged when its out-of-fold prediction differs from its given label (a
    negative :func:`margin`). Round ``r`` leaves out of training the rows round ``r - 1``
    flagged (or those ``start``, probabilities from an earlier run, flags) plus
    ``exclude``; it still predicts every row. Each round draws new folds (``seed + r``).
    The models learn less noise each round, so they find more of it; with a trusted set
    (``trusted_texts``/``trusted_labels`` in ``kwargs``) this is how sftkit finds flips
    the noisy data teaches. Stops early when fewer than ``stop_below`` of the rows change
    their flag. Returns each round's probabilities, the last one best.
    """
    from sftkit.finetune import encode_labels

    labels = [str(v) for v in labels]
    y = encode_labels(labels, sorted(set(labels)))
    keep_out = np.zeros(len(labels), dtype=bool) if exclude is None else np.asarray(exclude, dtype=bool)
    previous = None if start is None else margin(np.asarray(start), y) < 0
    out = []
    for r in range(rounds):
        skip = keep_out if previous is None else keep_out | previous
        proba = out_of_fold_proba(texts, labels, seed=seed + r, exclude=skip, **kwargs)
        out.append(proba)
        flags = margin(proba, y) < 0
        changed = None if previous is None else float(np.mean(flags != previous))
        if progress:
            progress(f"round {r + 1}/{rounds}: {int(flags.sum())} rows predicted as another class than their label"
                     + ("" if changed is None else f", {changed:.1%} changed"))
        if changed is not None and changed < stop_below:
            break
        previous = flags
    return out


def self_confidence(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``P[n, y_n]``: the probability the model gives the label the example has."""
    return proba[np.arange(len(y)), y]


def margin(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``P[n, y_n]`` minus the largest probability of any other class."""
    others = proba.copy()
    others[np.arange(len(y)), y] = -np.inf
    return self_confidence(proba, y) - others.max(axis=1)


def per_class_thresholds(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``t_j``: mean predicted probability of class ``j`` over the examples labelled ``j``."""
    return np.array([proba[y == j, j].mean() if np.any(y == j) else 1.0 for j in range(proba.shape[1])])


#: Slack on the per-class thresholds: probabilities equal to their class mean must count
#: as confident even when the floating-point mean rounds a hair above them (cleanlab
#: compares with a small tolerance too).
THRESHOLD_TOLERANCE = 1e-9


def confident_labels(proba: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """For each example the most probable class among those at or above their threshold; -1 if none."""
    above = proba >= thresholds[None, :] - THRESHOLD_TOLERANCE  # a mean can round above every value it averages
    masked = np.where(above, proba, -np.inf)
    best = masked.argmax(axis=1)
    return np.where(above.any(axis=1), best, -1)


def confident_joint(y: np.ndarray, confident: np.ndarray, num_classes: int) -> np.ndarray:
    """``C[i, j]``: number of examples labelled ``i`` that are confidently of class ``j``."""
    C = np.zeros((num_classes, num_classes), dtype=int)
    ok = confident >= 0
    np.add.at(C, (y[ok], confident[ok]), 1)
    return C


def calibrated_joint(C: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``Q``: the confident joint rescaled so each row sums to its label's share, all cells to 1."""
    counts = np.bincount(y, minlength=C.shape[0]).astype(float)
    rows = C.sum(axis=1, keepdims=True).astype(float)
    Q = np.divide(C * counts[:, None], rows, out=np.zeros(C.shape), where=rows > 0)
    total = Q.sum()
    return Q / total if total > 0 else Q  # no confident example at all: no evidence of noise


FILTER_BY = ("prune_by_noise_rate", "confident_learning", "predicted_neq_given")


def find_label_issues(labels: np.ndarray, pred_probs: np.ndarray, *,
                      filter_by: str = "prune_by_noise_rate") -> np.ndarray:
    """Boolean mask of the examples whose given label is likely wrong (confident learning).

    Named and ordered like cleanlab's ``cleanlab.filter.find_label_issues`` (Northcutt,
    Jiang and Chuang, JAIR 2021), of which this is the readable core: the same three
    ``filter_by`` rules, the same default; no ranking, multi-label or parallel options.

    Parameters
    ----------
    labels : int array, shape (N,)
        The given label of each example as a class index in ``0 .. K-1``.
    pred_probs : float array, shape (N, K)
        Predicted class probabilities, rows summing to 1, columns in class-index order.
        They must be **out-of-sample**: each row from a model that did not train on that
        example (:func:`out_of_fold_proba`); a model's probabilities on its own training
        rows repeat the labels it memorised and find almost nothing.
    filter_by : {"prune_by_noise_rate", "confident_learning", "predicted_neq_given"}
        ``"confident_learning"``: the off-diagonal examples of the confident joint (an
        example labelled ``i`` that is confidently of another class ``j``).
        ``"prune_by_noise_rate"`` (cleanlab's default): calibrate the confident joint
        into the joint ``Q`` of given and true labels; for each off-diagonal cell flag
        the ``round(N * Q[i, j])`` examples labelled ``i`` with the largest margin
        ``P[j] - P[i]``. ``"predicted_neq_given"``: the most probable class is not the
        given label. After every rule, as in cleanlab 2.x, a row whose most probable
        class is its given label is unflagged (:func:`model_agrees`), so every flagged
        row is one the model disputes.

    Returns
    -------
    bool array, shape (N,)
        True where the label is likely wrong.

    Raises
    ------
    ValueError
        An unknown ``filter_by``, or ``labels`` and ``pred_probs`` of different lengths.
    """
    labels = np.asarray(labels, dtype=int)
    pred_probs = np.asarray(pred_probs, dtype=np.float64)
    if pred_probs.ndim != 2 or len(labels) != len(pred_probs):
        raise ValueError(f"labels has shape {labels.shape} but pred_probs {pred_probs.shape}; "
                         "pred_probs must be (N, K) for N labels")
    K = pred_probs.shape[1]
    if filter_by not in FILTER_BY:
        raise ValueError(f"filter_by must be one of {', '.join(FILTER_BY)}; got {filter_by!r}")
    if filter_by == "predicted_neq_given":
        issues = pred_probs.argmax(axis=1) != labels
    else:
        t = per_class_thresholds(pred_probs, labels)
        confident = confident_labels(pred_probs, t)
        if filter_by == "confident_learning":
            issues = (confident >= 0) & (confident != labels)
        else:   # prune_by_noise_rate
            Q = calibrated_joint(confident_joint(labels, confident, K), labels)
            issues = np.zeros(len(labels), dtype=bool)
            for i in range(K):
                members = np.flatnonzero(labels == i)
                for j in range(K):
                    if i == j:
                        continue
                    n_flag = int(round(len(labels) * Q[i, j]))
                    order = members[np.argsort(-(pred_probs[members, j] - pred_probs[members, i]), kind="stable")]
                    issues[order[:n_flag]] = True
    # as cleanlab 2.x does after every rule: never flag a row whose most probable class is its given
    # label (the label wins ties within 1e-6)
    return issues & ~model_agrees(pred_probs, labels)


def model_agrees(pred_probs: np.ndarray, labels: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """True where the most probable class is the given label, the label winning ties within ``tol``.

    ``pred_probs`` (N, K) and integer ``labels`` (N,); returns a bool array (N,).
    """
    boosted = np.array(pred_probs, dtype=np.float64)
    boosted[np.arange(len(labels)), labels] += tol
    return boosted.argmax(axis=1) == labels


def noisy_label_scores(labels: Sequence[str], pred_probs: np.ndarray, *, classes: Sequence[str] | None = None,
                       filter_by: str | None = "prune_by_noise_rate") -> Scores:
    """:func:`find_label_issues` as :class:`Scores`: the issues are dropped, every row ranked.

    Parameters
    ----------
    labels : sequence of str, length N
        The given labels (class names).
    pred_probs : float array, shape (N, K)
        Out-of-sample probabilities, columns in the order of ``classes``.
    classes : sequence of str, length K, optional
        Default ``sorted(set(labels))`` (the order :func:`out_of_fold_proba` returns).
    filter_by : str or None
        As in :func:`find_label_issues`; ``None`` drops nothing (rank only).

    Returns
    -------
    Scores
        Score: the margin ``P[y] - max_{j != y} P[j]`` for ``"predicted_neq_given"``,
        else the self-confidence ``P[y]``. Reasons name the predicted class.
        ``extra``: ``thresholds`` (K,), ``self_confidence`` (N,), ``pred_probs`` (N, K).
    """
    from sftkit.finetune import encode_labels

    labels = [str(v) for v in labels]
    classes = list(classes) if classes is not None else sorted(set(labels))
    pred_probs = np.asarray(pred_probs, dtype=np.float64)
    if pred_probs.shape != (len(labels), len(classes)):
        raise ValueError(f"pred_probs has shape {pred_probs.shape}; expected ({len(labels)}, {len(classes)}) "
                         f"for {len(labels)} labels and classes {classes}")
    y = encode_labels(labels, classes)
    sc = self_confidence(pred_probs, y)
    score = margin(pred_probs, y) if filter_by == "predicted_neq_given" else sc
    drop = None if filter_by is None else find_label_issues(y, pred_probs, filter_by=filter_by)
    predicted = [classes[j] for j in pred_probs.argmax(axis=1)]
    reason = [f"label issue: labelled {labels[n]}, model says {predicted[n]} (p={sc[n]:.2f} for the label)"
              if predicted[n] != labels[n] else "" for n in range(len(y))]
    extra = {"thresholds": per_class_thresholds(pred_probs, y), "self_confidence": sc, "pred_probs": pred_probs}
    return Scores(filter_by or "self_confidence", score, reason, drop, extra=extra)
