"""The one interface of data selection: scores in, a subset out.

A scorer returns :class:`Scores`: for every example a number (higher = more worth
keeping), a reason (why it scored low; ``""`` if there is nothing to say) and a
``drop`` flag for examples the method rejects outright whatever the budget.
:func:`select` keeps the best examples that are not dropped, up to a budget given as a
fraction of the input or a count, optionally keeping each class's share.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np


@dataclass
class Scores:
    """One method's verdict on every example, in the order of the data it scored."""

    method: str
    score: np.ndarray                      # higher = more worth keeping
    reason: list[str]                      # why an example is suspicious ("" = nothing to say)
    drop: np.ndarray | None = None         # True = reject whatever the budget
    extra: dict = field(default_factory=dict)  # method-specific arrays (e.g. thresholds, per-epoch curves)

    def __post_init__(self):
        self.score = np.asarray(self.score, dtype=np.float64)
        n = len(self.score)
        if len(self.reason) != n:
            raise ValueError(f"{len(self.reason)} reasons for {n} scores")
        self.drop = np.zeros(n, dtype=bool) if self.drop is None else np.asarray(self.drop, dtype=bool)
        if len(self.drop) != n:
            raise ValueError(f"{len(self.drop)} drop flags for {n} scores")

    def __len__(self) -> int:
        return len(self.score)


@dataclass
class Selection:
    """Which rows were kept and which rejected, with a reason and score for each rejection."""

    kept: np.ndarray        # row indices, in input order
    rejected: np.ndarray    # row indices, in input order
    reason: list[str]       # one per row of the input ("" for kept rows)
    score: np.ndarray       # the score each row was ranked by

    def summary(self, labels: Sequence[str] | None = None) -> dict:
        from collections import Counter

        why = Counter(self.reason[i].split(":")[0] for i in self.rejected)
        out = {"n_input": len(self.reason), "n_kept": len(self.kept), "n_rejected": len(self.rejected),
               "rejected_by_reason": dict(sorted(why.items()))}
        if labels is not None:
            out["kept_per_class"] = dict(sorted(Counter(labels[i] for i in self.kept).items()))
        return out


def budget_count(budget: float | int | None, n: int) -> int:
    """A budget as a number of rows.

    Parameters
    ----------
    budget : int, float or None
        An int >= 1 is a count (``1`` is one row); a float in (0, 1] a fraction of ``n``
        (``1.0`` is every row); a whole float > 1 (``200.0``) a count; None every row.
    n : int
        Rows in the input.

    Returns
    -------
    int
        Rows to keep, at most ``n`` (a fraction is rounded, so it may round to 0).

    Raises
    ------
    ValueError
        Anything else: 0, negative, nan, infinite, a fraction above 1 that is not whole, a bool.
    """
    if budget is None:
        return n
    if isinstance(budget, (bool, np.bool_)):
        raise ValueError("budget must be a fraction in (0, 1] or a count >= 1")
    if isinstance(budget, (int, np.integer)) and budget >= 1:
        return min(int(budget), n)
    b = float(budget)
    if math.isfinite(b) and 0 < b <= 1:
        return int(round(b * n))
    if math.isfinite(b) and b >= 1 and b == int(b):
        return min(int(b), n)
    raise ValueError(f"budget must be a fraction in (0, 1] or a whole count >= 1, not {budget!r}")


def _balanced_quotas(k: int, labels: list[str], candidates: np.ndarray) -> dict[str, int]:
    """Each class's places among ``k``: ``round(k * share)``, and at least 1 for every class
    with a candidate row when ``k`` has a place for each such class (taken from the classes
    with the most places)."""
    n = len(labels)
    counts = {c: labels.count(c) for c in sorted(set(labels))}
    quota = {c: int(round(k * m / n)) for c, m in counts.items()}
    present = sorted({labels[i] for i in candidates})
    starved = [c for c in present if quota[c] == 0]
    if starved and k >= len(present):
        for c in starved:
            quota[c] = 1
        while sum(quota.values()) > k:
            c = max(quota, key=lambda c: (quota[c], counts[c]))
            quota[c] -= 1
    return quota


def select(scores: Scores, budget: float | int | None = None, labels: Sequence[str] | None = None,
           balance: bool = False) -> Selection:
    """Keep the best-scored rows that are not dropped, at most ``budget`` of them.

    Ties keep input order, and the reason of a row cut by a tie says so ("ties the cut;
    tied rows are kept in file order"), not "below the cut". With ``balance`` (needs
    ``labels``) every class gets the same share of the budget as it has in the input
    (rounded), as far as its undropped rows allow, and every class with an undropped row
    at least one place when the budget has one for each such class; the unused places go
    to the best remaining rows of any class.

    Raises
    ------
    ValueError
        A bad ``budget`` (:func:`budget_count`), or ``balance`` without ``labels``.
    """
    n = len(scores)
    k = budget_count(budget, n)
    reason = list(scores.reason)
    candidates = np.flatnonzero(~scores.drop)
    score = np.where(np.isnan(scores.score), -np.inf, scores.score)
    order = candidates[np.argsort(-score[candidates], kind="stable")]
    if balance:
        if labels is None:
            raise ValueError("balance=True needs labels")
        labels = list(labels)
        chosen: list[int] = []
        for c, quota in _balanced_quotas(k, labels, candidates).items():
            chosen.extend([i for i in order if labels[i] == c][:quota])
        taken = set(chosen)
        chosen.extend([i for i in order if i not in taken][: max(0, k - len(chosen))])
        keep = np.array(sorted(chosen[:k]), dtype=int)
    else:
        keep = np.sort(order[:k])
    mask = np.zeros(n, dtype=bool)
    mask[keep] = True
    cut = score[keep].min() if len(keep) else np.inf
    for i in np.flatnonzero(~mask):
        if not scores.drop[i]:
            where = ("below the cut" if score[i] < cut else "beyond its class's share of the budget (balance)"
                     if balance else "ties the cut; tied rows are kept in file order")
            reason[i] = f"over budget: {scores.method} score {scores.score[i]:.4g} {where}" + (
                f" ({reason[i]})" if reason[i] else "")
        elif not reason[i]:
            reason[i] = f"{scores.method}: dropped"
    for i in keep:
        reason[i] = ""
    return Selection(kept=np.flatnonzero(mask), rejected=np.flatnonzero(~mask), reason=reason,
                     score=scores.score.copy())


def percentile_rank(x: np.ndarray) -> np.ndarray:
    """Each value's rank as a fraction in [0, 1] (0 = lowest); nan ranks lowest.

    Tied values share their average rank (``scipy.stats.rankdata(method="average")``), so
    a scorer that gives many rows the same score (every kept row of a filter scores 1)
    ranks them equally instead of by their position in the file.
    """
    from scipy.stats import rankdata

    x = np.where(np.isnan(x), -np.inf, np.asarray(x, dtype=np.float64))
    if len(x) == 0:
        return np.zeros(0)
    return (rankdata(x, method="average") - 1) / max(len(x) - 1, 1)


def combine(*parts: Scores, method: str = "combined") -> Scores:
    """Several scorers at once: dropped by any, ranked by the mean percentile rank of the scores.

    The reason is the first dropping method's reason, else that of the method that ranks
    the example lowest.
    """
    if not parts:
        raise ValueError("combine needs at least one Scores")
    n = len(parts[0])
    if any(len(p) != n for p in parts):
        raise ValueError("all Scores must cover the same examples")
    ranks = np.stack([percentile_rank(p.score) for p in parts])
    drop = np.any([p.drop for p in parts], axis=0)
    reason = []
    worst = ranks.argmin(axis=0)
    for i in range(n):
        why = next((p.reason[i] for p in parts if p.drop[i]), None)
        if why is None:
            why = parts[worst[i]].reason[i]
        reason.append(why)
    return Scores(method, ranks.mean(axis=0), reason, drop)
