"""Domain relevance by cross-entropy difference (Moore and Lewis 2010).

Moore and Lewis, "Intelligent Selection of Language Model Training Data" (ACL 2010):
score a candidate text ``s`` with two language models, one trained on a small sample of
the *target* domain (``I``) and one on general text (``G``), and take the difference of
their per-word cross-entropies::

    H_I(s) - H_G(s)

A low (negative) value means the text looks more like the target domain than like text
in general: keep it. Here ``G`` is sftkit's pretrained LSTM language model and ``I`` is a
copy of it trained a little further on in-domain text
(:func:`sftkit.pretrain.continue_training`). Dividing by length is built in: both
cross-entropies are means over the words of the text.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from sftkit.selection.base import Scores


def in_domain_lm(general, in_domain_texts: Sequence[str], *, epochs: int = 8, learning_rate: float = 3e-3,
                 seed: int = 0):
    """The general LM adapted to the target domain (a copy; ``general`` is unchanged).

    The defaults were measured on the bundled pool with 2,000 review texts: off-domain
    AUROC 0.912 after 2 epochs at 1e-3, 0.932 after 4 at 3e-3, 0.940 after 8 at 3e-3.
    """
    from sftkit.pretrain import continue_training

    return continue_training(general, list(in_domain_texts), epochs=epochs, learning_rate=learning_rate, seed=seed)


def cross_entropy_difference(texts: Sequence[str], general, in_domain) -> np.ndarray:
    """``H_in(s) - H_general(s)`` for each text (nan for texts with fewer than two known words)."""
    return in_domain.text_cross_entropy(list(texts)) - general.text_cross_entropy(list(texts))


def threshold_from(reference: np.ndarray, quantile: float) -> float:
    """A cut from in-domain texts the LMs were not trained on: a share ``quantile`` of them fall below it.

    ``reference`` holds the cross-entropy differences of held-out in-domain texts (nan
    ignored). No default: the one setting is :data:`sftkit.selection.strategies.DOMAIN_QUANTILE`,
    which the ``domain`` strategy passes.
    """
    return float(np.nanquantile(reference, quantile))


def domain_scores(difference: np.ndarray, threshold: float | None = None) -> Scores:
    """Score = minus the cross-entropy difference (higher = more in-domain).

    With ``threshold``, texts whose difference is above it are dropped as off-domain;
    texts the LMs cannot score (nan) are dropped too.
    """
    d = np.asarray(difference, dtype=np.float64)
    unknown = np.isnan(d)
    score = np.where(unknown, -np.inf, -d)
    drop = None
    if threshold is not None:
        drop = unknown | (np.nan_to_num(d, nan=np.inf) > threshold)
    reason = ["off-domain: too few known words" if u else
              (f"off-domain: cross-entropy difference {v:+.2f}" if threshold is None or v > threshold else "")
              for u, v in zip(unknown, d)]
    if threshold is None:
        reason = [r if (u or v > 0) else "" for r, u, v in zip(reason, unknown, d)]
    return Scores("domain", score, reason, drop, extra={"difference": d})
