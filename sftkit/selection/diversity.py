"""Diversity: greedy k-center selection on the classifier's sentence embeddings.

Sener and Savarese, "Active Learning for Convolutional Neural Networks: A Core-Set
Approach" (ICLR 2018): choose the subset whose points cover the whole set best, that is,
minimise the largest distance from any example to its nearest chosen one. The greedy
2-approximation: start from one point, then repeatedly add the point farthest from
everything chosen so far. Near-copies are never chosen twice before the rest of the
space is covered; the catch is that outliers (junk, off-topic text) are the farthest
points of all, so diversity should come *after* filtering.
"""
from __future__ import annotations

import numpy as np

from sftkit.selection.base import Scores


def encoder_embeddings(classifier, texts, batch_size: int = 512) -> np.ndarray:
    """What the softmax layer sees for each text: the LSTM's output (after pooling, if any)."""
    from sftkit._tf import tf_and_keras
    from sftkit.text import vectorize

    _, keras = tf_and_keras()
    net = classifier.network
    name = "mean_max" if any(layer.name == "mean_max" for layer in net.layers) else "lstm"
    encoder = keras.Model(net.inputs, net.get_layer(name).output)
    return np.asarray(encoder.predict(vectorize(classifier.vectorizer, list(texts)), batch_size=batch_size,
                                      verbose=0))


def k_center_order(points: np.ndarray, k: int | None = None, start: int = 0) -> np.ndarray:
    """Indices in the order greedy k-center picks them (the first ``k``, default all)."""
    n = len(points)
    k = n if k is None else min(k, n)
    points = np.asarray(points, dtype=np.float64)
    nearest = np.full(n, np.inf)          # distance of each point to its nearest chosen one
    chosen = np.zeros(n, dtype=bool)
    order = [start]
    for _ in range(k - 1):
        chosen[order[-1]] = True
        nearest = np.minimum(nearest, np.linalg.norm(points - points[order[-1]], axis=1))
        order.append(int(np.where(chosen, -1.0, nearest).argmax()))
    return np.array(order)


def diversity_scores(embeddings: np.ndarray, k: int | None = None) -> Scores:
    """Score = how early greedy k-center picks the example (1 = first; 0 = not picked)."""
    n = len(embeddings)
    order = k_center_order(embeddings, k)
    score = np.zeros(n)
    score[order] = 1.0 - np.arange(len(order)) / n
    reason = ["" if s > 0 else "diversity: close to an example already chosen" for s in score]
    return Scores("diversity", score, reason, extra={"order": order})
