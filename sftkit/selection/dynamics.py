"""Training dynamics: data maps (Swayamdipta et al. 2020) and EL2N (Paul et al. 2021).

Swayamdipta et al., "Dataset Cartography: Mapping and Diagnosing Datasets with Training
Dynamics" (EMNLP 2020): train once, and after every epoch record the probability the
model gives each training example's *gold* (given) label. Over the epochs:

* **confidence**: the mean of that probability;
* **variability**: its standard deviation;
* **correctness**: the share of epochs in which the example was predicted right.

Plotted as variability (x) against confidence (y), the *data map* has three regions:
easy-to-learn (high confidence, low variability), ambiguous (high variability) and
hard-to-learn (low confidence, low variability), where mislabelled examples gather.

Paul, Ganguli and Dziugaite, "Deep Learning on a Data Diet: Finding Important Examples
Early in Training" (NeurIPS 2021): the **EL2N** score of an example is the L2 norm of
the error vector ``p(x) - onehot(y)`` early in training; a high score marks a hard (or
mislabelled) example.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


def record_dynamics(texts: Sequence[str], labels: Sequence[str], *, config=None, pretrained=None,
                    **overrides) -> np.ndarray:
    """Train the classifier once on ``texts`` and return its probabilities on those same
    texts after every epoch.

    Training goes through :func:`sftkit.finetune.fit_text_classifier` with every setting
    of ``config`` and ``overrides`` (dropout, L2, augmentation, a pretrained start ...),
    without a validation set, so every epoch runs (no early stopping). A callback keeps
    the network's weights after each epoch; the probabilities are computed afterwards
    with the trained classifier's own vectorizer.

    Parameters
    ----------
    texts, labels : sequences of str, length N
    config : TrainConfig, optional
    pretrained : PretrainedLM, optional
    **overrides
        Single :class:`~sftkit.config.TrainConfig` fields (``epochs=6``).

    Returns
    -------
    float array, shape (epochs, N, K)
        Probabilities; classes in the order ``sorted(set(labels))``.
    """
    from sftkit._tf import tf_and_keras
    from sftkit.finetune import fit_text_classifier

    _, keras = tf_and_keras()

    class WeightsPerEpoch(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.weights: list[list[np.ndarray]] = []

        def on_epoch_end(self, epoch, logs=None):
            net = getattr(self.model, "network", self.model)  # a training wrapper keeps the network inside
            self.weights.append([np.array(w) for w in net.get_weights()])

    recorder = WeightsPerEpoch()
    clf = fit_text_classifier(list(texts), list(labels), config=config, pretrained=pretrained,
                              callbacks=[recorder], **overrides)
    final = clf.network.get_weights()
    per_epoch = []
    try:
        for w in recorder.weights:
            clf.network.set_weights(w)
            per_epoch.append(clf.predict_proba(list(texts)))
    finally:
        clf.network.set_weights(final)
    return np.stack(per_epoch)


def data_map(proba_per_epoch: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Confidence, variability and correctness of every example (Swayamdipta et al. 2020)."""
    gold = proba_per_epoch[:, np.arange(len(y)), y]          # (epochs, n)
    right = proba_per_epoch.argmax(axis=2) == y[None, :]
    return {"confidence": gold.mean(axis=0), "variability": gold.std(axis=0), "correctness": right.mean(axis=0)}


def el2n(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``|| p(x) - onehot(y) ||_2`` for each example, from one epoch's ``(n, classes)`` probabilities."""
    onehot = np.eye(proba.shape[1])[y]
    return np.linalg.norm(proba - onehot, axis=1)
