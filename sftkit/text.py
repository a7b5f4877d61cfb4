"""From text to tensors: tokens, a vocabulary, integer sequences (lesson 02).

Everything goes through one Keras layer, ``keras.layers.TextVectorization``, so that
the exact same steps run in training and inside a saved model that predicts from raw
strings. Its defaults here: lower-case, strip punctuation, split on white space,
index 0 = padding, index 1 = ``[UNK]`` (any word outside the vocabulary).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from sftkit._tf import tf_and_keras

PAD, UNK = "", "[UNK]"


def make_vectorizer(texts: Sequence[str] | None = None, *, max_tokens: int = 10000,
                    sequence_length: int = 64, vocabulary: Sequence[str] | None = None):
    """A ``TextVectorization`` layer that maps a string to ``sequence_length`` word ids.

    Either learn the vocabulary from ``texts`` (the ``max_tokens`` most frequent words,
    counting padding and ``[UNK]``), or pass a fixed ``vocabulary`` (for instance a
    pretrained model's, so that word ids line up with its embedding rows). Texts longer
    than ``sequence_length`` are cut at the end; shorter ones are padded with 0.
    """
    tf, keras = tf_and_keras()
    layer = keras.layers.TextVectorization(
        max_tokens=None if vocabulary is not None else max_tokens,
        output_mode="int",
        output_sequence_length=sequence_length,
        name="vectorizer",
    )
    if vocabulary is not None:
        words = [w for w in vocabulary if w not in (PAD, UNK)]
        layer.set_vocabulary(words)
    else:
        if texts is None or len(texts) == 0:
            raise ValueError("make_vectorizer needs texts to learn a vocabulary from, or a vocabulary")
        layer.adapt(tf.constant(list(texts)), batch_size=1024)
    return layer


def vectorize(vectorizer, texts: Sequence[str]) -> np.ndarray:
    """Word ids for ``texts`` as an ``int32`` array of shape ``(len(texts), sequence_length)``."""
    tf, _ = tf_and_keras()
    if len(texts) == 0:
        length = vectorizer._output_sequence_length or 0
        return np.zeros((0, length), dtype=np.int32)
    return np.asarray(vectorizer(tf.constant(list(texts))), dtype=np.int32)


def simple_tokens(text: str) -> list[str]:
    """The tokens the vectorizer sees, computed in plain Python (for lessons and stats)."""
    import re
    import string

    cleaned = re.sub("[" + re.escape(string.punctuation) + "]", "", text.lower())
    return cleaned.split()


def token_lengths(texts: Sequence[str]) -> np.ndarray:
    """Number of tokens in each text (before cutting or padding)."""
    return np.array([len(simple_tokens(t)) for t in texts], dtype=np.int64)


def suggest_sequence_length(texts: Sequence[str], coverage: float = 0.95, multiple: int = 8) -> int:
    """The shortest length (rounded up to ``multiple``) that keeps ``coverage`` of texts whole."""
    lengths = token_lengths(texts)
    if len(lengths) == 0:
        raise ValueError("no texts")
    q = float(np.quantile(lengths, coverage))
    return int(max(multiple, multiple * np.ceil(q / multiple)))
