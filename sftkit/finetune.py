"""Step 3 of the workflow: fit the seed's classifier, from scratch or from a pretrained model.

:func:`fit_text_classifier` is the one path every part of sftkit trains a classifier
through (the workflow, the lessons, data selection, the benchmarks). Without a
pretrained model the vocabulary is learned from the training texts and every weight
starts at random (training from scratch). With one (``pretrained``, a
:class:`~sftkit.pretrain.PretrainedLM`), the embedding and LSTM start from the language
model's weights and the recipe in :class:`~sftkit.config.TrainConfig` applies.

The recipe is ULMFiT's (Howard and Ruder, "Universal Language Model Fine-tuning for Text
Classification", ACL 2018), in three stages:

1. a general language model: :func:`sftkit.pretrain.pretrain` (the shipped one);
2. target-task language-model fine-tuning on the task's own texts:
   :func:`fine_tune_language_model` (``TrainConfig.lm_epochs``);
3. classifier fine-tuning: :func:`fine_tune`, with discriminative learning rates and
   gradual unfreezing, on one network with one optimizer that takes parameter groups
   (:func:`sftkit.models.param_groups`), compiled once, in one ``fit``. The softmax layer
   sees the LSTM's last state by default (``TrainConfig.pooling="last"``, the seed's
   model); ULMFiT's concat pooling is ``pooling="concat"``.

Measured on the bundled reviews (validation split; benchmarks/results/recipe.md), the
shipped model's LSTM helps below about 1,500 labelled examples and holds a classifier
back above that, where a fresh LSTM on the pretrained embedding learns the task better;
``TrainConfig.pretrained_layers="auto"`` follows that measurement.
"""
from __future__ import annotations

import contextlib
from typing import Sequence

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.config import TrainConfig
from sftkit.models import TextClassifier, build_classifier, param_groups
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
        Start layers from this language model (its vocabulary is used): the embedding and
        LSTM below ``sftkit.config.LSTM_TRANSFER_BELOW`` (1,500) training examples, the embedding only
        from there on (``config.pretrained_layers``), the pretrained word vectors frozen
        when the LSTM is pretrained too (``config.freeze_embedding``). Then
        :func:`fine_tune`'s gradual unfreezing (``config.freeze_epochs``: the new layers
        train alone first) and discriminative learning rates (each pretrained group
        ``config.group_lr_factor`` times slower than the one above it; ULMFiT: Howard and
        Ruder, 2018). ``config.lm_epochs > 0`` first fine-tunes the language model on
        ``train_texts`` (:func:`fine_tune_language_model`).
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


def resolve_sequence_length(cfg: TrainConfig, train_texts: Sequence[str], pretrained=None) -> TrainConfig:
    """``cfg`` with the ``sequence_length`` training will use (:meth:`TrainConfig.sequence_length_for`).

    The token lengths are counted with the tokenizer the classifier will read with: the
    pretrained model's (decided by its vocabulary) or ``cfg.tokenizer`` (``auto`` decided
    by ``train_texts``). A length the user set comes back unchanged, without counting.
    """
    from sftkit.config import FromData
    from sftkit.text import resolve_tokenizer, token_lengths

    if not isinstance(cfg.sequence_length, FromData):
        return cfg
    texts = [str(t) for t in train_texts]
    tokenizer = (resolve_tokenizer("auto", vocabulary=pretrained.vocabulary) if pretrained is not None
                 else resolve_tokenizer(cfg.tokenizer, texts))
    return cfg.replace(sequence_length=cfg.sequence_length_for(token_lengths(texts, tokenizer)))


def _fit(train_texts, train_labels, val_texts, val_labels, cfg, pretrained, callbacks, verbose) -> TextClassifier:
    set_seed(cfg.seed)
    classes = sorted(set(str(y) for y in train_labels))
    if len(classes) < 2:
        raise ValueError("training labels contain a single class; a classifier needs at least two")
    train_texts, train_labels = list(train_texts), [str(v) for v in train_labels]
    cfg = resolve_sequence_length(cfg, train_texts, pretrained)
    n_labelled = len(train_texts)   # the budget the recipe's choices depend on (before augmentation)
    layers = cfg.layers_from_pretrained(n_labelled) if pretrained is not None else ()
    if pretrained is not None and cfg.lm_epochs > 0:  # ULMFiT stage 2, on the training texts only
        pretrained = fine_tune_language_model(pretrained, train_texts, epochs=cfg.lm_epochs,
                                              learning_rate=cfg.lm_learning_rate, seed=cfg.seed)
        set_seed(cfg.seed)
    if pretrained is not None:
        vectorizer = pretrained.vectorizer(cfg.sequence_length)
    else:
        vectorizer = make_vectorizer(list(train_texts), max_tokens=cfg.max_tokens,
                                     sequence_length=cfg.sequence_length, tokenizer=cfg.tokenizer)
    network = build_classifier(
        vectorizer.vocabulary_size(), len(classes), embedding_dim=cfg.embedding_dim,
        lstm_units=cfg.lstm_units, dropout=cfg.dropout, recurrent_dropout=cfg.recurrent_dropout,
        embedding_dropout=cfg.embedding_dropout,
        l2=cfg.l2, bidirectional=cfg.bidirectional, sequence_length=cfg.sequence_length, pooling=cfg.pooling,
        pretrained=pretrained, pretrained_layers=layers, compile=False)
    if cfg.augment != "none":
        from sftkit.augment import augment_dataset

        train_texts, train_labels = augment_dataset(train_texts, train_labels, method=cfg.augment,
                                                    copies=cfg.augment_copies, seed=cfg.seed, lm=pretrained)
    x = vectorize(vectorizer, train_texts)
    y = encode_labels(train_labels, classes)
    validation = None
    if val_texts is not None and len(val_texts) > 0:
        validation = (vectorize(vectorizer, list(val_texts)), encode_labels([str(v) for v in val_labels], classes))
    frozen = cfg.frozen_from_pretrained(n_labelled) if pretrained is not None else ()
    epochs = cfg.epochs_for(len(x))
    h = fine_tune(network, x, y, validation, pretrained_groups=layers, frozen_groups=frozen, epochs=epochs,
                  learning_rate=cfg.learning_rate, batch_size=cfg.batch_size,
                  freeze_epochs=cfg.freeze_epochs_for(n_labelled, epochs),
                  group_lr_factor=cfg.group_lr_factor, patience=cfg.patience, callbacks=callbacks, verbose=verbose)
    hist = {k: [float(v) for v in vals] for k, vals in h.history.items()}
    return TextClassifier(vectorizer, network, classes, history=hist)


VALIDATION_BATCH_SIZE = 256


def fine_tune(network, x, y, validation=None, *, pretrained_groups: Sequence[str] = (),
              frozen_groups: Sequence[str] = (), epochs: int,
              learning_rate: float, batch_size: int = 32, freeze_epochs: int = 1, group_lr_factor: float = 2.6,
              patience: int = 5, callbacks: Sequence = (), verbose: int = 0):
    """ULMFiT's classifier fine-tuning (Howard and Ruder 2018, ACL, section 3.3) as one ``fit``.

    The weights split by :func:`sftkit.models.param_groups` into embedding, lstm and
    head; ``pretrained_groups`` names those that start from a pretrained model. One
    optimizer takes the groups (:func:`group_adam`), so the network is compiled once and
    the network that trains is the network that is saved:

    * discriminative fine-tuning (section 3.2): a pretrained group ``d`` levels below
      the head learns at ``learning_rate / group_lr_factor ** d`` (2.6 in the paper);
    * gradual unfreezing (section 3.3): pretrained groups start frozen and open from the
      top down, one every ``freeze_epochs`` epochs (a callback sets the multipliers);
    * early stopping on validation loss after ``patience`` epochs without a better one,
      counted from the epoch the last pretrained group opens (:class:`EarlyStoppingAfterUnfreezing`:
      a run never ends while a pretrained layer is still waiting to learn; validation is
      scored in batches of ``max(batch_size, 256)``: forward passes only,
      so the numbers are those of any batch size, several times faster at small budgets),
      the best epoch's weights restored at the end. A ``ModelCheckpoint(monitor="val_loss",
      save_best_only=True)`` among ``callbacks`` watches the same model in the same
      ``fit`` and so keeps the same epoch.

    Groups that start at random learn at the full rate from the first step; with none
    pretrained (training from scratch) this is Adam at ``learning_rate``.

    Parameters
    ----------
    network : keras.Model
        The seed's classifier (:func:`sftkit.models.build_classifier`); compiled here.
    x, y : np.ndarray
        Word ids ``(N, T)`` and class ids ``(N,)``.
    validation : tuple of (np.ndarray, np.ndarray), optional
        ``(x_val, y_val)`` for early stopping.
    pretrained_groups : sequence of str
        Names from ``param_groups`` ("embedding", "lstm") that hold pretrained weights.
    frozen_groups : sequence of str
        Groups that never learn (multiplier 0 throughout), e.g. ``("embedding",)``: a word
        vector moves only when its word is in a labelled text, so training pretrained
        vectors on few labels pulls the seen words away from unseen ones.

    Returns
    -------
    keras.callbacks.History
        Its ``history`` has per-epoch ``loss``, ``accuracy`` (and ``val_*``); its
        ``lr_multipliers`` lists, for every epoch run, each group's learning-rate multiplier.
    """
    _, keras = tf_and_keras()
    groups = param_groups(network)
    unknown = (set(pretrained_groups) | set(frozen_groups)) - set(groups)
    if unknown:
        raise ValueError(f"pretrained_groups and frozen_groups must be among {list(groups)}, not {sorted(unknown)}")
    schedule = unfreezing_schedule(list(groups), pretrained_groups, freeze_epochs=freeze_epochs,
                                   group_lr_factor=group_lr_factor, frozen_groups=frozen_groups)
    optimizer = group_adam(learning_rate, list(groups.values()), schedule(0))
    network.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    optimizer.build(network.trainable_variables)
    unfreezing = GradualUnfreezing(optimizer, schedule)
    cbs = [unfreezing]
    if validation is not None and patience > 0:
        # the last learning group opens here: no stop before it (see EarlyStoppingAfterUnfreezing)
        opens_at = next((e for e in range(epochs) if all(m > 0 or g in frozen_groups
                                                         for g, m in zip(groups, schedule(e)))), epochs)
        cbs.append(EarlyStoppingAfterUnfreezing(opens_at, monitor="val_loss", patience=patience,
                                                restore_best_weights=True))
    # validation runs forward only: scoring it in batches of 256 gives the same numbers in a fraction of the time
    history = network.fit(x, y, validation_data=validation, epochs=epochs, batch_size=batch_size, shuffle=True,
                          validation_batch_size=max(batch_size, VALIDATION_BATCH_SIZE),
                          callbacks=cbs + list(callbacks), verbose=verbose)
    history.lr_multipliers = unfreezing.used  # per epoch run, one multiplier per group (in param_groups order)
    return history


def unfreezing_schedule(groups: Sequence[str], pretrained_groups: Sequence[str], *, freeze_epochs: int,
                        group_lr_factor: float, frozen_groups: Sequence[str] = ()):
    """Learning-rate multipliers per epoch for ``groups`` (names, lowest first, the head last).

    A pretrained group ``d`` levels below the head gets ``group_lr_factor ** -d``
    (discriminative fine-tuning) once ``epoch >= d * freeze_epochs``, and 0 (frozen)
    before (gradual unfreezing: the head trains alone, then the LSTM joins, then the
    embedding). ``frozen_groups`` get 0 throughout; other groups 1. Returns
    ``schedule(epoch) -> list[float]``.
    """
    names = list(groups)
    pretrained, frozen = set(pretrained_groups), set(frozen_groups)
    depth = {g: len(names) - 1 - i for i, g in enumerate(names)}

    def schedule(epoch: int) -> list:
        return [0.0 if g in frozen else 1.0 if g not in pretrained else
                (float(group_lr_factor) ** -depth[g] if epoch >= depth[g] * freeze_epochs else 0.0)
                for g in names]
    return schedule


def group_adam(learning_rate, groups: Sequence[Sequence], multipliers: Sequence[float] | None = None):
    """An Adam optimizer with one learning-rate multiplier per group of variables.

    Every weight in group ``g`` takes Adam's step times ``multipliers[g]``; 0 freezes the
    group. The multipliers are one optimizer variable, ``lr_multipliers`` (shape
    ``(len(groups),)``), so a callback can change them between epochs without
    recompiling. Keras has one learning rate per optimizer; this is PyTorch's and
    fastai's parameter groups for it. Raises ``ValueError`` at ``build`` for a variable in
    no group, and for ``weight_decay`` (which would move a frozen group).
    """
    return GroupAdam(learning_rate, groups=groups, multipliers=multipliers)


def fine_tune_language_model(pretrained, texts: Sequence[str], *, epochs: int = 1, learning_rate: float = 1e-3,
                             seed: int = 0, verbose: int = 0):
    """ULMFiT's stage 2: a copy of ``pretrained`` trained further on the task's own texts.

    Use the training texts, labelled and unlabelled alike, never validation or test
    texts. The vocabulary stays the pretrained model's; ``pretrained`` is unchanged.
    Returns a :class:`~sftkit.pretrain.PretrainedLM`. (Howard and Ruder 2018, section 3.2.)
    """
    from sftkit.pretrain import continue_training

    return continue_training(pretrained, list(texts), epochs=epochs, learning_rate=learning_rate, seed=seed,
                             verbose=verbose)


# The recipe's Keras classes. GroupAdam is registered with Keras ("sftkit>GroupAdam") when this
# module is imported, so a model compiled with it reloads after ``import sftkit.finetune``
# (sftkit itself saves classifiers without their optimizer: TextClassifier.save).
_, keras = tf_and_keras()


@keras.saving.register_keras_serializable(package="sftkit")
class GroupAdam(keras.optimizers.Adam):
    """Adam with one learning-rate multiplier per parameter group (see :func:`group_adam`)."""

    def __init__(self, learning_rate=1e-3, groups=(), multipliers=None, **kwargs):
        if kwargs.get("weight_decay"):
            raise ValueError("GroupAdam takes no weight_decay: decoupled decay would move frozen groups too")
        super().__init__(learning_rate, **kwargs)
        self._groups = [list(g) for g in groups]
        n = max(1, len(self._groups))
        self._initial = [1.0] * n if multipliers is None else [float(m) for m in multipliers]
        if len(self._initial) != n:
            raise ValueError(f"{n} parameter groups but {len(self._initial)} multipliers")

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # the initial values go in through the initializer: fit may build the optimizer while tracing
        self.lr_multipliers = self.add_variable(
            (len(self._initial),), initializer=keras.initializers.Constant(np.asarray(self._initial, "float32")),
            name="lr_multipliers")
        self._group_of = {}
        for g, group in enumerate(self._groups or [var_list]):
            for v in group:
                self._group_of[self._get_variable_index(v)] = g
        missing = [v.path for v in var_list if self._get_variable_index(v) not in self._group_of]
        if missing:
            raise ValueError(f"GroupAdam: variable(s) in no parameter group: {', '.join(missing)}")

    def update_step(self, gradient, variable, learning_rate):
        g = self._group_of[self._get_variable_index(variable)]
        super().update_step(gradient, variable, learning_rate * self.lr_multipliers[g])

    def get_config(self):
        # the groups are one network's variables and are not saved: a reloaded GroupAdam is Adam
        return {**super().get_config(), "multipliers": None}

class EarlyStoppingAfterUnfreezing(keras.callbacks.EarlyStopping):
    """Keras's ``EarlyStopping`` that cannot stop a run before epoch ``opens_at`` (0-based).

    Gradual unfreezing keeps pretrained groups frozen for the first epochs; with a long
    frozen phase (``TrainConfig.freeze_epochs_for``) the head alone can stop improving the
    validation loss before the LSTM has learned at all, and plain early stopping would end
    the run there (seen on lesson 06's validation split: 100 labels, sample 2, stopped in
    epoch 6 of a 20-epoch frozen phase at 0.486). Here the patience count restarts at every
    epoch before ``opens_at``, so the last group to open gets ``patience`` epochs of its own.
    The best epoch is still tracked over all epochs (``restore_best_weights``), frozen ones
    included. Unlike ``start_from_epoch``, which ignores the early epochs altogether.
    """

    def __init__(self, opens_at: int, **kwargs):
        super().__init__(**kwargs)
        self.opens_at = int(opens_at)

    def on_epoch_end(self, epoch, logs=None):
        super().on_epoch_end(epoch, logs)
        if epoch < self.opens_at:
            self.wait, self.stopped_epoch = 0, 0
            self.model.stop_training = False


class GradualUnfreezing(keras.callbacks.Callback):
    """Sets the optimizer's per-group multipliers from ``schedule(epoch)`` when each epoch begins.

    ``used`` lists the multipliers of every epoch run, in order.
    """

    def __init__(self, optimizer, schedule):
        super().__init__()
        self.optimizer, self.schedule = optimizer, schedule
        self.used: list = []

    def on_epoch_begin(self, epoch, logs=None):
        self.used.append([float(m) for m in self.schedule(epoch)])
        self.optimizer.lr_multipliers.assign(np.asarray(self.used[-1], dtype="float32"))


def _recipe_classes() -> dict:
    """The recipe's Keras classes by name (``GroupAdam``, ``GradualUnfreezing``)."""
    return {"GroupAdam": GroupAdam, "GradualUnfreezing": GradualUnfreezing,
            "EarlyStoppingAfterUnfreezing": EarlyStoppingAfterUnfreezing}
