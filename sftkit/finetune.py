"""Step 3 of the workflow: fit the seed's classifier, from scratch or from a pretrained model.

:func:`fit_text_classifier` is the one path every part of sftkit trains a classifier
through (the workflow, the lessons, data selection, the benchmarks). Without a
pretrained model the vocabulary is learned from the training texts and every weight
starts at random (training from scratch). With one (``pretrained``, a
:class:`~sftkit.pretrain.PretrainedLM`), the embedding and LSTM start from the language
model's weights and the recipe in :class:`~sftkit.config.TrainConfig` applies.
"""
from __future__ import annotations

import contextlib
from typing import Sequence

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.config import TrainConfig
from sftkit.models import TextClassifier, build_classifier
from sftkit.text import make_vectorizer, vectorize


def encode_labels(labels: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Class indices of ``labels`` (shape ``(N,)``, int32) in the order of ``classes``.

    Raises ``ValueError`` naming the first label that is not one of ``classes``.
    """
    index = {c: i for i, c in enumerate(classes)}
    try:
        return np.array([index[str(y)] for y in labels], dtype=np.int32)
    except KeyError as e:
        raise ValueError(f"label {e.args[0]!r} is not one of the classes {list(classes)}") from None


def fit_text_classifier(train_texts: Sequence[str], train_labels: Sequence[str],
                        val_texts: Sequence[str] | None = None, val_labels: Sequence[str] | None = None,
                        *, config: TrainConfig | None = None, pretrained=None, callbacks: Sequence = (),
                        verbose: int = 0, strategy=None, init=None, **overrides) -> TextClassifier:
    """Build the seed's model and fit it: step 3 of the workflow.

    Parameters
    ----------
    train_texts, train_labels : sequences of str, length N
        The training examples; labels are class names (any strings). The classes are
        ``sorted(set(train_labels))`` and give the column order of every probability.
    val_texts, val_labels : sequences of str, optional
        Validation examples, used for early stopping on validation loss (the best
        epoch's weights are restored) and nothing else.
    config : TrainConfig, optional
        The hyperparameters; keyword ``overrides`` change single fields (``epochs=3``).
    pretrained : sftkit.pretrain.PretrainedLM, optional
        Start the embedding and LSTM from this language model (its vocabulary is used);
        then ``config.freeze_epochs`` first train the new softmax layer alone, and
        ``config.encoder_lr_factor`` gives the encoder a smaller learning rate than the
        head afterwards (discriminative learning rates, ULMFiT: Howard and Ruder, 2018).
    callbacks : sequence of keras.callbacks.Callback
        Passed to ``fit``.
    verbose : int
        Keras's ``fit`` verbosity (0 silent, 1 progress bar, 2 one line per epoch).
    strategy : tf.distribute.Strategy, optional
        Build and train under its scope (e.g. ``MirroredStrategy`` over several devices).
    init : PretrainedLM, optional
        The old name of ``pretrained``, kept for older scripts.

    Returns
    -------
    TextClassifier
        Takes raw strings; its ``history`` holds the per-epoch curves.

    Raises
    ------
    ValueError
        If the training labels hold fewer than two classes, a validation label is not a
        training class, or a setting is out of range (:class:`~sftkit.config.ConfigError`).
    """
    if init is not None:
        if pretrained is not None:
            raise TypeError("give pretrained=, not both pretrained= and its old name init=")
        pretrained = init
    cfg = (config or TrainConfig()).replace(**overrides)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        return _fit(train_texts, train_labels, val_texts, val_labels, cfg, pretrained, callbacks, verbose)


def _fit(train_texts, train_labels, val_texts, val_labels, cfg, pretrained, callbacks, verbose) -> TextClassifier:
    _, keras = tf_and_keras()
    set_seed(cfg.seed)
    classes = sorted(set(str(y) for y in train_labels))
    if len(classes) < 2:
        raise ValueError("training labels contain a single class; a classifier needs at least two")
    if pretrained is not None:
        vectorizer = pretrained.vectorizer(cfg.sequence_length)
    else:
        vectorizer = make_vectorizer(list(train_texts), max_tokens=cfg.max_tokens,
                                     sequence_length=cfg.sequence_length, tokenizer=cfg.tokenizer)
    network = build_classifier(
        vectorizer.vocabulary_size(), len(classes), embedding_dim=cfg.embedding_dim,
        lstm_units=cfg.lstm_units, dropout=cfg.dropout, recurrent_dropout=cfg.recurrent_dropout,
        l2=cfg.l2, bidirectional=cfg.bidirectional, learning_rate=cfg.learning_rate,
        sequence_length=cfg.sequence_length, pooling=cfg.pooling, encoder=pretrained)
    train_texts, train_labels = list(train_texts), [str(v) for v in train_labels]
    if cfg.augment != "none":
        from sftkit.augment import augment_dataset

        train_texts, train_labels = augment_dataset(train_texts, train_labels, method=cfg.augment,
                                                    copies=cfg.augment_copies, seed=cfg.seed, lm=pretrained)
    x = vectorize(vectorizer, train_texts)
    y = encode_labels(train_labels, classes)
    validation = None
    cbs = list(callbacks)
    if val_texts is not None and len(val_texts) > 0:
        validation = (vectorize(vectorizer, list(val_texts)), encode_labels([str(v) for v in val_labels], classes))
    fit = dict(validation_data=validation, batch_size=cfg.batch_size, shuffle=True, verbose=verbose)
    hist: dict[str, list[float]] = {}
    first = 0
    frozen = cfg.freeze_epochs_for_pretrained() if pretrained is not None else 0
    if frozen > 0:
        _set_encoder_trainable(network, False)
        _compile(network, cfg.learning_rate)
        h = network.fit(x, y, epochs=min(frozen, cfg.epochs), callbacks=cbs, **fit)
        _append(hist, h.history)
        first = len(h.history.get("loss", []))
        _set_encoder_trainable(network, True)
    if first < cfg.epochs:
        if validation is not None and cfg.patience > 0:
            cbs = cbs + [keras.callbacks.EarlyStopping(monitor="val_loss", patience=cfg.patience,
                                                       restore_best_weights=True)]
        trainer = network
        if pretrained is not None and cfg.encoder_lr_factor != 1.0:
            trainer = two_speed(network, cfg.learning_rate, cfg.encoder_lr_factor)
        elif first > 0:
            _compile(network, cfg.learning_rate)
        h = trainer.fit(x, y, epochs=cfg.epochs, initial_epoch=first, callbacks=cbs, **fit)
        _append(hist, h.history)
    return TextClassifier(vectorizer, network, classes, history=hist)


ENCODER_LAYERS = ("embedding", "lstm")


def _set_encoder_trainable(network, trainable: bool) -> None:
    for name in ENCODER_LAYERS:
        network.get_layer(name).trainable = trainable


def _compile(network, learning_rate: float) -> None:
    _, keras = tf_and_keras()
    network.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])


def _append(hist: dict, new: dict) -> None:
    for k, vals in new.items():
        hist.setdefault(k, []).extend(float(v) for v in vals)


def two_speed(network, learning_rate: float, encoder_factor: float):
    """Wrap ``network`` so its encoder learns at ``encoder_factor`` times the head's rate.

    Keras gives one optimizer one learning rate, so the wrapper keeps two Adam
    optimizers and, in its training step, hands each the gradients of its own weights.
    The wrapper exists only while training; the network itself is what gets saved.
    """
    tf, keras = tf_and_keras()
    encoder_ids = {id(v) for name in ENCODER_LAYERS for v in network.get_layer(name).trainable_variables}

    class TwoSpeed(keras.Model):
        def __init__(self):
            super().__init__(name="two_speed_trainer")
            self.network = network
            self.encoder_optimizer = keras.optimizers.Adam(learning_rate * encoder_factor)

        def call(self, inputs, training=False):
            return self.network(inputs, training=training)

        def train_step(self, data):
            x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
            encoder = [v for v in self.trainable_variables if id(v) in encoder_ids]
            head = [v for v in self.trainable_variables if id(v) not in encoder_ids]
            grads = tape.gradient(loss, encoder + head)
            self.encoder_optimizer.apply(grads[:len(encoder)], encoder)
            self.optimizer.apply(grads[len(encoder):], head)
            return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    trainer = TwoSpeed()
    trainer.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    trainer.encoder_optimizer.build([v for v in network.trainable_variables if id(v) in encoder_ids])
    return trainer
