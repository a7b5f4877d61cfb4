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
from sftkit.text import register_tokenizers, vectorize

MODEL_FILE = "model.keras"
LABELS_FILE = "labels.json"


POOLINGS = ("last", "mean_max", "concat")
ENCODER_LAYERS = ("embedding", "lstm")


def build_classifier(vocab_size: int, num_classes: int, *, embedding_dim: int = 64,
                     lstm_units: int = 64, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                     embedding_dropout: float = 0.0, l2: float = 0.0, bidirectional: bool = False,
                     learning_rate: float = 1e-3,
                     sequence_length: int | None = None, pooling: str = "last", pretrained=None,
                     pretrained_layers: Sequence[str] = ENCODER_LAYERS, compile: bool = True, encoder=None):
    """Embedding -> LSTM -> Dense(softmax), compiled with Adam and sparse cross-entropy.

    ``vocab_size`` counts every word id the vectorizer can produce (padding and
    ``[UNK]`` included). The embedding masks id 0, so padding does not reach the LSTM.
    ``dropout`` is applied to the LSTM's output before the softmax layer;
    ``recurrent_dropout`` inside the LSTM; ``embedding_dropout`` drops whole channels of
    the word vectors for the length of a text (Keras's ``SpatialDropout1D``; Tompson et al.,
    "Efficient Object Localization Using Convolutional Networks", CVPR 2015); ``l2`` is a
    weight penalty on every kernel.

    ``pooling="last"`` is the seed's model: the softmax layer sees the LSTM's last
    state. ``"mean_max"`` keeps the LSTM's output at every word and gives the softmax
    layer their average and their maximum, so a signal early in a long text is not lost.
    ``"concat"`` is ULMFiT's concat pooling (Howard and Ruder 2018, section 3.3): the last
    state, the maximum and the average, side by side (shape ``(batch, 3 * lstm_units)``).

    ``pretrained`` (a :class:`~sftkit.pretrain.PretrainedLM`) starts the layers named in
    ``pretrained_layers`` (``"embedding"``, ``"lstm"``) from a pretrained language model's
    weights; the others start at random. Its vocabulary must be the one the vectorizer
    uses, and its sizes override ``embedding_dim`` and ``lstm_units``. ``encoder`` is its
    older name. Returns a ``keras.Sequential`` named ``seed_classifier`` mapping word ids
    ``(batch, sequence_length)`` to class probabilities ``(batch, num_classes)``; its
    weights split into groups by :func:`param_groups`.

    Raises ``ValueError`` for a vocabulary under 3 words, fewer than two classes, an
    unknown pooling or layer name, a pretrained model whose vocabulary size differs, or a
    bidirectional LSTM started from a (left-to-right) pretrained one.
    """
    _, keras = tf_and_keras()
    encoder = pretrained if pretrained is not None else encoder
    unknown = set(pretrained_layers) - set(ENCODER_LAYERS)
    if unknown:
        raise ValueError(f"pretrained_layers must be among {ENCODER_LAYERS}, not {sorted(unknown)}")
    if vocab_size < 3 or num_classes < 2:
        raise ValueError("need vocab_size >= 3 and num_classes >= 2")
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, not {pooling!r}")
    if encoder is not None:
        if len(encoder.vocabulary) != vocab_size:
            raise ValueError(f"the pretrained model has {len(encoder.vocabulary)} words, the vectorizer "
                             f"{vocab_size}: build the vectorizer from the model's vocabulary")
        if bidirectional and "lstm" in pretrained_layers:
            raise ValueError("a pretrained (left-to-right) LSTM cannot start a bidirectional one")
        embedding_dim, lstm_units = encoder.config.embedding_dim, encoder.config.lstm_units
    reg = keras.regularizers.L2(l2) if l2 > 0 else None
    lstm = keras.layers.LSTM(lstm_units, recurrent_dropout=recurrent_dropout, return_sequences=pooling != "last",
                             kernel_regularizer=reg, recurrent_regularizer=reg, name="lstm")
    if bidirectional:
        lstm = keras.layers.Bidirectional(lstm, name="bilstm")
    word_ids = keras.Input(shape=(sequence_length,), dtype="int32", name="word_ids")
    embedding = keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True,
                                       embeddings_regularizer=reg, name="embedding")
    layers = [word_ids, embedding]
    if embedding_dropout > 0:
        layers.append(keras.layers.SpatialDropout1D(embedding_dropout, name="embedding_dropout"))
    layers.append(lstm)
    if pooling == "mean_max":
        layers.append(custom_layers()["MeanMaxPooling"](name="mean_max"))
    elif pooling == "concat":
        layers.append(custom_layers()["ConcatPooling"](name="concat_pool"))
    if dropout > 0:
        layers.append(keras.layers.Dropout(dropout, name="dropout"))
    layers.append(keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=reg,
                                     name="classifier"))
    model = keras.Sequential(layers, name="seed_classifier")
    if encoder is not None:
        for name in pretrained_layers:
            model.get_layer(name).set_weights(encoder.model.get_layer(name).get_weights())
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# sftkit's own Keras layers, registered with Keras ("sftkit>MeanMaxPooling", ...) when this
# module is imported, together with the tokenizers' graph steps that a saved vectorizer
# names: after ``import sftkit.models``, ``keras.models.load_model`` reads any model sftkit
# saved without ``custom_objects``.
_, keras = tf_and_keras()
register_tokenizers()


def _masked_mean_and_max(inputs, m):
    """Mean and maximum over time of ``inputs`` (batch, time, units), counting only the steps
    where ``m`` (batch, time, 1; 1.0 = real word, 0.0 = padding) is 1; both (batch, units).

    A text with no real step (empty after standardization, e.g. only punctuation) gets
    zeros for both, not -1e9: such a row in a validation split of real reviews made the
    validation loss about 1e6 (benchmarks/results/zh_real_check.md)."""
    ops = keras.ops
    steps = ops.sum(m, axis=1)
    mean = ops.sum(inputs * m, axis=1) / ops.maximum(steps, 1.0)
    biggest = ops.max(inputs * m - 1e9 * (1.0 - m), axis=1)
    return mean, ops.where(steps > 0, biggest, ops.zeros_like(biggest))


@keras.saving.register_keras_serializable(package="sftkit")
class MeanMaxPooling(keras.layers.Layer):
    """Average and maximum of the LSTM outputs over the real (unmasked) words."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        ops = keras.ops
        if mask is None:
            return ops.concatenate([ops.mean(inputs, axis=1), ops.max(inputs, axis=1)], axis=-1)
        mean, biggest = _masked_mean_and_max(inputs, ops.expand_dims(ops.cast(mask, inputs.dtype), -1))
        return ops.concatenate([mean, biggest], axis=-1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2 * input_shape[-1])


@keras.saving.register_keras_serializable(package="sftkit")
class ConcatPooling(keras.layers.Layer):
    """ULMFiT's concat pooling: the LSTM's output at the last real word, their maximum and their average.

    Input ``(batch, time, units)`` with the padding mask; output ``(batch, 3 * units)``.
    Texts are padded at the end, so the last real word is at ``(number of words) - 1``.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        ops = keras.ops
        if mask is None:
            mask = ops.ones(ops.shape(inputs)[:2], dtype="bool")
        m = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)
        last_step = ops.maximum(ops.sum(ops.cast(mask, "int32"), axis=1) - 1, 0)
        last = ops.take_along_axis(inputs, last_step[:, None, None], axis=1)[:, 0, :]
        mean, biggest = _masked_mean_and_max(inputs, m)
        return ops.concatenate([last, biggest, mean], axis=-1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 3 * input_shape[-1])


def custom_layers() -> dict:
    """sftkit's own Keras layers by name: ``{"MeanMaxPooling": ..., "ConcatPooling": ...}``.

    They are registered with Keras when :mod:`sftkit.models` is imported; the dict is for
    code that passes ``custom_objects`` explicitly.
    """
    return {"MeanMaxPooling": MeanMaxPooling, "ConcatPooling": ConcatPooling}


PARAM_GROUPS = ("embedding", "lstm", "head")


def param_groups(network) -> dict:
    """The classifier's weights in three groups, lowest first: ``embedding``, ``lstm``, ``head``.

    fastai's ``awd_lstm_clas_split`` for the seed's model: the word vectors, the recurrent
    layer (or its bidirectional wrapper), and everything above it (the softmax layer;
    pooling and dropout have no weights). Discriminative learning rates and gradual
    unfreezing (:func:`sftkit.finetune.fine_tune`) act on these groups.
    Returns ``{name: [variables]}`` in that order; every trainable variable of
    ``network`` is in exactly one group.
    """
    group_of_layer = {"embedding": "embedding", "lstm": "lstm", "bilstm": "lstm"}
    groups: dict = {g: [] for g in PARAM_GROUPS}
    for layer in network.layers:
        groups[group_of_layer.get(layer.name, "head")].extend(layer.trainable_variables)
    return groups


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
        # the decision rule: argmax, or (two classes) P(positive) >= threshold
        self.threshold: float | None = None
        self.positive: str | None = None
        self.threshold_chosen_on: str | None = None

    def set_threshold(self, threshold: float | None, positive: str | None = None,
                      chosen_on: str = "given") -> None:
        """Make ``predict`` say ``positive`` when ``P(positive) >= threshold`` (two classes only).

        ``positive`` defaults to the second class in sorted order; ``threshold=None``
        goes back to argmax. Raises ``ValueError`` for more than two classes, an unknown
        class or a threshold outside [0, 1]. The rule is saved with the model.
        """
        if threshold is None:
            self.threshold = self.positive = self.threshold_chosen_on = None
            return
        if len(self.classes) != 2:
            raise ValueError(f"a decision threshold needs exactly two classes; this model has {len(self.classes)}")
        positive = self.classes[1] if positive is None else str(positive)
        if positive not in self.classes:
            raise ValueError(f"positive class {positive!r} is not one of the model's classes {self.classes}")
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"a threshold is a probability in [0, 1]; got {threshold!r}")
        self.threshold, self.positive, self.threshold_chosen_on = float(threshold), positive, chosen_on

    def decision_rule(self) -> dict:
        """``{"kind": "argmax"}`` or ``{"kind": "threshold", "positive", "threshold", "chosen_on"}``."""
        if self.threshold is None:
            return {"kind": "argmax"}
        return {"kind": "threshold", "positive": self.positive, "threshold": self.threshold,
                "chosen_on": self.threshold_chosen_on}

    def predict_proba(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        """Class probabilities, shape ``(len(texts), len(classes))``, columns in ``classes`` order."""
        ids = vectorize(self.vectorizer, list(texts))
        if len(ids) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return np.asarray(self.network.predict(ids, batch_size=batch_size, verbose=0))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The predicted class name of each text, under the model's decision rule.

        The rule is the most probable class (argmax), unless a two-class model carries a
        threshold (:meth:`set_threshold`; ``sftkit train`` chooses one on validation).
        """
        return self.decide(self.predict_proba(texts))

    def decide(self, proba) -> list[str]:
        """Class names from probabilities of shape ``(N, K)`` under the decision rule."""
        proba = np.asarray(proba)
        if self.threshold is None:
            return [self.classes[i] for i in proba.argmax(axis=1)]
        pos = self.classes.index(self.positive)
        other = self.classes[1 - pos]
        return [self.positive if p >= self.threshold else other for p in proba[:, pos]]

    def end_to_end(self, network=None):
        """One Keras model from a string tensor of shape ``(batch, 1)`` to probabilities.

        ``network`` (default: this classifier's) maps word ids to probabilities.
        """
        _, keras = tf_and_keras()
        text = keras.Input(shape=(1,), dtype="string", name="text")
        network = self.network if network is None else network
        return keras.Model(text, network(self.vectorizer(text)), name="text_classifier")

    def inference_network(self):
        """A copy of the network with the same weights and no optimizer or compile settings.

        Training compiles the network with :func:`sftkit.finetune.group_adam`, whose state
        belongs to one run's parameter groups; Keras saves a compiled model's optimizer and
        on loading rebuilds it without those groups, so its variables do not match
        ("Skipping variable loading for optimizer"). The saved model is for prediction:
        it carries the weights only.
        """
        # from_config, not keras.models.clone_model: a clone is compiled like its original
        copy = type(self.network).from_config(self.network.get_config())
        copy.set_weights(self.network.get_weights())
        return copy

    def save(self, folder) -> Path:
        """Write ``model.keras`` (vectorizer included) and ``labels.json`` (classes, decision rule) into ``folder``.

        ``model.keras`` holds the weights and no optimizer state (:meth:`inference_network`):
        it loads uncompiled, ready to predict.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.end_to_end(self.inference_network()).save(folder / MODEL_FILE)
        meta = {"classes": self.classes, "decision_rule": self.decision_rule()}
        (folder / LABELS_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder) -> "TextClassifier":
        """Load a folder written by :meth:`save`.

        Raises
        ------
        FileNotFoundError
            Naming the missing ``model.keras`` or ``labels.json``.
        sftkit.data.DataError
            One line naming the file, for a damaged folder: ``labels.json`` that is not JSON,
            lists no classes, lists a different number of classes than the network has
            outputs, or holds an invalid decision rule; a ``model.keras`` Keras cannot read.
        """
        _, keras = tf_and_keras()
        folder = Path(folder)
        for name in (MODEL_FILE, LABELS_FILE):
            if not (folder / name).exists():
                raise FileNotFoundError(f"{folder / name}: not found (is '{folder}' a model written by sftkit?)")
        from sftkit.data import DataError

        labels_path, model_path = folder / LABELS_FILE, folder / MODEL_FILE
        try:
            meta = json.loads(labels_path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise DataError(labels_path, "not UTF-8 text (damaged, or not written by sftkit)") from None
        except json.JSONDecodeError as e:
            raise DataError(labels_path, f"not valid JSON ({e.msg})", e.lineno,
                            hint="the file is damaged; copy it again from the run that wrote the model") from None
        classes = meta.get("classes") if isinstance(meta, dict) else None
        if (not isinstance(classes, list) or len(classes) < 2 or not all(isinstance(c, str) for c in classes)
                or len(set(classes)) != len(classes)):
            raise DataError(labels_path, "no list of two or more distinct class names under \"classes\" "
                            "(damaged, or not written by sftkit)")
        try:
            full = keras.models.load_model(model_path)  # sftkit's layers are registered at import
            vectorizer, network = full.get_layer("vectorizer"), full.get_layer("seed_classifier")
        except Exception as e:  # a damaged zip, a truncated file, another kind of model: Keras raises many kinds
            reason = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
            if "File not found" in reason or "zip" in reason.lower():
                reason = "not a complete .keras zip file"
            raise DataError(model_path, f"not a readable sftkit model ({reason}); it is damaged, truncated or "
                            "was not written by sftkit", hint="train again, or copy the run folder again") from None
        outputs = int(network.outputs[0].shape[-1])
        if outputs != len(classes):
            raise DataError(labels_path, f"lists {len(classes)} classes but {model_path.name} has {outputs} "
                            "outputs: the two files come from different runs",
                            hint="use the labels.json written with this model.keras")
        clf = cls(vectorizer, network, classes)
        rule = meta.get("decision_rule", {"kind": "argmax"})
        if not isinstance(rule, dict) or rule.get("kind") not in ("argmax", "threshold"):
            raise DataError(labels_path, "\"decision_rule\" is not {\"kind\": \"argmax\"} or a threshold rule "
                            "(damaged, or not written by sftkit)")
        if rule["kind"] == "threshold":
            try:
                if isinstance(rule.get("threshold"), bool) or rule.get("threshold") is None:
                    raise ValueError(f"a threshold is a probability in [0, 1]; got {rule.get('threshold')!r}")
                clf.set_threshold(float(rule["threshold"]), positive=rule.get("positive"),
                                  chosen_on=rule.get("chosen_on", "given"))
            except (ValueError, TypeError) as e:
                raise DataError(labels_path, f"its decision rule is invalid: {e}",
                                hint="fix the rule there (or copy the file again from the run)") from None
        return clf
