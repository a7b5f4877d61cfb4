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

from sftkit._tf import tf_and_keras
from sftkit.selection.base import Scores


def dynamics_callback(x: np.ndarray, y: np.ndarray, batch_size: int = 512):
    """A Keras callback that predicts on ``(x, y)`` after every epoch and keeps the probabilities.

    After training, ``callback.proba`` has shape ``(epochs, n, classes)``.
    """
    _, keras = tf_and_keras()

    class TrainingDynamics(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.per_epoch: list[np.ndarray] = []

        def on_epoch_end(self, epoch, logs=None):
            self.per_epoch.append(np.asarray(self.model.predict(x, batch_size=batch_size, verbose=0)))

        @property
        def proba(self) -> np.ndarray:
            return np.stack(self.per_epoch)

    return TrainingDynamics()


def record_dynamics(texts: Sequence[str], labels: Sequence[str], *, config=None, **overrides) -> np.ndarray:
    """Train the seed's classifier once on ``texts`` (no early stopping) and return the
    per-epoch probabilities on those same texts, shape ``(epochs, n, classes)``; classes sorted."""
    from sftkit._tf import set_seed
    from sftkit.models import build_classifier
    from sftkit.text import make_vectorizer, vectorize
    from sftkit.config import TrainConfig

    cfg = (config or TrainConfig()).with_(**overrides)
    set_seed(cfg.seed)
    classes = sorted(set(map(str, labels)))
    y = np.array([classes.index(str(v)) for v in labels])
    vectorizer = make_vectorizer(list(texts), max_tokens=cfg.max_tokens, sequence_length=cfg.sequence_length)
    x = vectorize(vectorizer, list(texts))
    network = build_classifier(vectorizer.vocabulary_size(), len(classes), embedding_dim=cfg.embedding_dim,
                               lstm_units=cfg.lstm_units, learning_rate=cfg.learning_rate,
                               sequence_length=cfg.sequence_length, pooling=cfg.pooling)
    callback = dynamics_callback(x, y)
    network.fit(x, y, epochs=cfg.epochs_for(len(x)), batch_size=cfg.batch_size, shuffle=True, callbacks=[callback], verbose=0)
    return callback.proba


def data_map(proba_per_epoch: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Confidence, variability and correctness of every example (Swayamdipta et al. 2020)."""
    gold = proba_per_epoch[:, np.arange(len(y)), y]          # (epochs, n)
    right = proba_per_epoch.argmax(axis=2) == y[None, :]
    return {"confidence": gold.mean(axis=0), "variability": gold.std(axis=0), "correctness": right.mean(axis=0)}


def el2n(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``|| p(x) - onehot(y) ||_2`` for each example, from one epoch's ``(n, classes)`` probabilities."""
    onehot = np.eye(proba.shape[1])[y]
    return np.linalg.norm(proba - onehot, axis=1)


def dynamics_scores(proba_per_epoch: np.ndarray, labels: Sequence[str], classes: Sequence[str],
                    kind: str = "confidence", el2n_epoch: int = 1) -> Scores:
    """Scores from recorded dynamics: ``"confidence"`` (drop nothing, low = hard-to-learn),
    ``"ambiguous"`` (high variability first), or ``"el2n"`` (low error first, at ``el2n_epoch``, 0-based)."""
    y = np.array([list(classes).index(str(v)) for v in labels])
    m = data_map(proba_per_epoch, y)
    if kind == "confidence":
        score = m["confidence"]
    elif kind == "ambiguous":
        score = m["variability"]
    elif kind == "el2n":
        score = -el2n(proba_per_epoch[el2n_epoch], y)
    else:
        raise ValueError(f"kind must be confidence, ambiguous or el2n, not {kind!r}")
    reason = [f"hard to learn: confidence {c:.2f}, variability {v:.2f}" if c < 0.5 else ""
              for c, v in zip(m["confidence"], m["variability"])]
    return Scores(kind, score, reason, extra=m)
