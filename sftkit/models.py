"""The seed's text classifier, and a wrapper that predicts from raw strings (lesson 03).

Seed section 5.2 defines the model in three lines::

    model = tf.keras.Sequential([
        tf.keras.layers.Embedding(input_dim=vocab_size, output_dim=embedding_dim),
        tf.keras.layers.LSTM(units=lstm_units),
        tf.keras.layers.Dense(units=num_classes, activation='softmax')
    ])

:func:`build_classifier` builds exactly that, with the options a practitioner needs
(dropout, L2, a bidirectional LSTM) switched off by default, and compiles it the way the
seed does: Adam and sparse categorical cross-entropy (交叉熵).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from sftkit._tf import tf_and_keras
from sftkit.text import vectorize

MODEL_FILE = "model.keras"
LABELS_FILE = "labels.json"


def build_classifier(vocab_size: int, num_classes: int, *, embedding_dim: int = 64,
                     lstm_units: int = 64, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                     l2: float = 0.0, bidirectional: bool = False, learning_rate: float = 1e-3,
                     sequence_length: int | None = None, compile: bool = True):
    """Embedding -> LSTM -> Dense(softmax), compiled with Adam and sparse cross-entropy.

    ``vocab_size`` counts every word id the vectorizer can produce (padding and
    ``[UNK]`` included). The embedding masks id 0, so padding does not reach the LSTM.
    ``dropout`` is applied to the LSTM's output before the softmax layer;
    ``recurrent_dropout`` inside the LSTM; ``l2`` is a weight penalty on every kernel.
    """
    _, keras = tf_and_keras()
    if vocab_size < 3 or num_classes < 2:
        raise ValueError("need vocab_size >= 3 and num_classes >= 2")
    reg = keras.regularizers.L2(l2) if l2 > 0 else None
    lstm = keras.layers.LSTM(lstm_units, recurrent_dropout=recurrent_dropout,
                             kernel_regularizer=reg, recurrent_regularizer=reg, name="lstm")
    if bidirectional:
        lstm = keras.layers.Bidirectional(lstm, name="bilstm")
    layers = [
        keras.Input(shape=(sequence_length,), dtype="int32", name="word_ids"),
        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True,
                               embeddings_regularizer=reg, name="embedding"),
        lstm,
    ]
    if dropout > 0:
        layers.append(keras.layers.Dropout(dropout, name="dropout"))
    layers.append(keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=reg,
                                     name="classifier"))
    model = keras.Sequential(layers, name="seed_classifier")
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def lstm_param_count(input_dim: int, units: int) -> int:
    """Parameters of one LSTM layer: 4 gates, each with input weights, recurrent weights, bias."""
    return 4 * (units * (input_dim + units) + units)


class TextClassifier:
    """A trained classifier that takes raw strings: vectorizer + network + class names."""

    def __init__(self, vectorizer, network, classes: Sequence[str], history: dict | None = None):
        self.vectorizer = vectorizer
        self.network = network
        self.classes = [str(c) for c in classes]
        self.history = history or {}

    def predict_proba(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        """Class probabilities, shape ``(len(texts), len(classes))``, columns in ``classes`` order."""
        ids = vectorize(self.vectorizer, list(texts))
        if len(ids) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return np.asarray(self.network.predict(ids, batch_size=batch_size, verbose=0))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable class name for each text."""
        proba = self.predict_proba(texts)
        return [self.classes[i] for i in proba.argmax(axis=1)]

    def end_to_end(self):
        """One Keras model from a string tensor of shape ``(batch, 1)`` to probabilities."""
        _, keras = tf_and_keras()
        text = keras.Input(shape=(1,), dtype="string", name="text")
        return keras.Model(text, self.network(self.vectorizer(text)), name="text_classifier")

    def save(self, folder) -> Path:
        """Write ``model.keras`` (vectorizer included) and ``labels.json`` into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.end_to_end().save(folder / MODEL_FILE)
        (folder / LABELS_FILE).write_text(json.dumps({"classes": self.classes}, indent=2) + "\n",
                                          encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder) -> "TextClassifier":
        """Load a folder written by :meth:`save`; raises ``FileNotFoundError`` with the missing path."""
        _, keras = tf_and_keras()
        folder = Path(folder)
        for name in (MODEL_FILE, LABELS_FILE):
            if not (folder / name).exists():
                raise FileNotFoundError(f"{folder / name}: not found (is '{folder}' a model written by sftkit?)")
        full = keras.models.load_model(folder / MODEL_FILE)
        classes = json.loads((folder / LABELS_FILE).read_text(encoding="utf-8"))["classes"]
        return cls(full.get_layer("vectorizer"), full.get_layer("seed_classifier"), classes)
