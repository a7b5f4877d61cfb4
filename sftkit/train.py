"""Training and the five-step fine-tuning workflow (seed 3.1 and 3.2).

Seed section 3.2 lists the steps of supervised fine-tuning (有监督微调):

1. choose a pretrained model (选择预训练模型);
2. prepare the training data (准备训练数据);
3. fine-tune the model's parameters (微调模型参数);
4. evaluate on the validation set and tune hyperparameters (评估模型性能);
5. test the final model on the test set, once (测试模型性能).

:func:`run_workflow` performs them in that order and writes everything it did into one
output folder. :func:`fit_text_classifier` is step 3 on its own, for lessons and scripts.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.models import TextClassifier, build_classifier
from sftkit.text import make_vectorizer, vectorize

RUN_MARKER = ".sftkit-run"


@dataclass
class TrainConfig:
    """Hyperparameters of one fine-tuning run; the defaults suit the bundled data on a CPU."""

    epochs: int = 8
    batch_size: int = 32
    learning_rate: float = 2e-3
    embedding_dim: int = 64
    lstm_units: int = 64
    max_tokens: int = 10000
    sequence_length: int = 48
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    l2: float = 0.0
    bidirectional: bool = False
    pooling: str = "last"
    patience: int = 2
    seed: int = 0
    # text data augmentation of the training split (see sftkit.augment): a method name or "none"
    augment: str = "none"
    augment_copies: int = 1
    # used only when fine-tuning from a pretrained model (``init``):
    # None = the measured recipe (benchmarks/data_efficiency.py): freeze the encoder for
    # half of the epochs, then train everything with the encoder at 0.3 x the head's rate.
    freeze_epochs: int | None = None
    encoder_lr_factor: float = 0.3

    def freeze_epochs_for_init(self) -> int:
        """Epochs with the encoder frozen when fine-tuning from a pretrained model."""
        return self.epochs // 2 if self.freeze_epochs is None else self.freeze_epochs

    def with_(self, **changes) -> "TrainConfig":
        unknown = set(changes) - set(asdict(self))
        if unknown:
            raise TypeError(f"unknown TrainConfig field(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)


def _label_ids(labels: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index[y] for y in labels], dtype=np.int32)


def fit_text_classifier(train_texts: Sequence[str], train_labels: Sequence[str],
                        val_texts: Sequence[str] | None = None, val_labels: Sequence[str] | None = None,
                        *, config: TrainConfig | None = None, init=None, callbacks: Sequence = (),
                        verbose: int = 0, strategy=None, **overrides) -> TextClassifier:
    """Build the seed's model and fit it: step 3 of the workflow.

    Without ``init`` the vocabulary is learned from the training texts and every weight
    starts at random. With ``init`` (a :class:`~sftkit.pretrain.PretrainedLM`) the
    pretrained model's vocabulary is used and its embedding and LSTM weights are the
    starting point; then ``config.freeze_epochs`` first trains the new softmax layer alone
    with the encoder frozen, and ``config.encoder_lr_factor`` < 1 gives the encoder a
    smaller learning rate than the head afterwards (ULMFiT's recipe, in two stages).

    With validation data, training stops early when validation loss has not improved
    for ``patience`` epochs and the best epoch's weights are restored. Keyword
    ``overrides`` change single fields of ``config`` (``epochs=3, seed=1``).
    ``strategy`` (a ``tf.distribute.Strategy``) builds and trains the model under its
    scope, e.g. ``MirroredStrategy`` over several devices.
    Returns a :class:`~sftkit.models.TextClassifier`; its ``history`` holds the curves.
    """
    _, keras = tf_and_keras()
    cfg = (config or TrainConfig()).with_(**overrides)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        return _fit(train_texts, train_labels, val_texts, val_labels, cfg, init, callbacks, verbose)


def _fit(train_texts, train_labels, val_texts, val_labels, cfg, init, callbacks, verbose) -> TextClassifier:
    _, keras = tf_and_keras()
    set_seed(cfg.seed)
    classes = sorted(set(str(y) for y in train_labels))
    if len(classes) < 2:
        raise ValueError("training labels contain a single class; a classifier needs at least two")
    if init is not None:
        vectorizer = init.vectorizer(cfg.sequence_length)
    else:
        vectorizer = make_vectorizer(list(train_texts), max_tokens=cfg.max_tokens,
                                     sequence_length=cfg.sequence_length)
    network = build_classifier(
        vectorizer.vocabulary_size(), len(classes), embedding_dim=cfg.embedding_dim,
        lstm_units=cfg.lstm_units, dropout=cfg.dropout, recurrent_dropout=cfg.recurrent_dropout,
        l2=cfg.l2, bidirectional=cfg.bidirectional, learning_rate=cfg.learning_rate,
        sequence_length=cfg.sequence_length, pooling=cfg.pooling, encoder=init)
    train_texts, train_labels = list(train_texts), [str(v) for v in train_labels]
    if cfg.augment != "none":
        from sftkit.augment import augment_dataset

        train_texts, train_labels = augment_dataset(train_texts, train_labels, method=cfg.augment,
                                                    copies=cfg.augment_copies, seed=cfg.seed, lm=init)
    x = vectorize(vectorizer, train_texts)
    y = _label_ids(train_labels, classes)
    validation = None
    cbs = list(callbacks)
    if val_texts is not None and len(val_texts) > 0:
        validation = (vectorize(vectorizer, list(val_texts)), _label_ids([str(v) for v in val_labels], classes))
    fit = dict(validation_data=validation, batch_size=cfg.batch_size, shuffle=True, verbose=verbose)
    hist: dict[str, list[float]] = {}
    first = 0
    frozen = cfg.freeze_epochs_for_init() if init is not None else 0
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
        if init is not None and cfg.encoder_lr_factor != 1.0:
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


# ----------------------------------------------------------------------------- output folder


def _prepare_out(out: Path) -> Path:
    """A temporary folder next to ``out``; the run is moved into place only when complete."""
    out = Path(out).resolve()
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out}: exists and is not a folder; choose another --out")
        if any(out.iterdir()) and not (out / RUN_MARKER).exists():
            raise FileExistsError(f"{out}: folder exists, is not empty and was not written by sftkit; "
                                  "choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))


def _finish_out(tmp: Path, out: Path) -> None:
    out = Path(out).resolve()
    (tmp / RUN_MARKER).write_text("written by sftkit; safe to replace with a new run\n", encoding="utf-8")
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


# ----------------------------------------------------------------------------- the workflow


@dataclass
class WorkflowResult:
    classifier: TextClassifier
    validation: object  # evaluate.Report
    test: object  # evaluate.Report
    out: Path | None
    metrics: dict


def describe_init(init) -> str:
    if init is None:
        return "none (the classifier starts from random weights)"
    ppl = init.history.get("val_perplexity", [])
    tail = f", validation perplexity {ppl[-1]:.1f}" if ppl else ""
    return (f"LSTM language model with {len(init.vocabulary)} words, embedding {init.config.embedding_dim}, "
            f"LSTM {init.config.lstm_units}{tail}")


def _say(progress: Callable[[str], None] | None, msg: str) -> None:
    if progress is not None:
        progress(msg)


def run_workflow(train, val, test, *, config: TrainConfig | None = None, init=None, out=None,
                 progress: Callable[[str], None] | None = print, verbose: int | None = None,
                 dataset_name: str = "") -> WorkflowResult:
    """The seed's five steps on ``LabelledTexts`` splits; writes a run folder when ``out`` is given.

    The folder holds ``metrics.json`` (test figures at the top level, validation under
    ``"validation"``), ``report.md``, ``curves.png``, ``confusion.png``,
    ``training_log.csv``, ``checkpoints/best.weights.h5`` and the saved model in
    ``model/``. It is written into a temporary folder and moved into place at the end,
    so a failed run leaves nothing half-written behind.
    """
    from sftkit import evaluate, plots
    from sftkit.data import check_splits

    _, keras = tf_and_keras()
    cfg = config or TrainConfig()
    if verbose is None:
        verbose = (1 if sys.stdout.isatty() else 2) if progress is not None else 0
    check_splits(train, val, test)
    tmp = _prepare_out(Path(out)) if out is not None else None
    try:
        _say(progress, "[1/5] choose a pretrained model: " + describe_init(init))
        _say(progress, f"[2/5] prepare data: {len(train)} train / {len(val)} validation / {len(test)} test, "
                       f"classes {', '.join(train.classes)}")
        callbacks = []
        if tmp is not None:
            (tmp / "checkpoints").mkdir()
            callbacks = [
                keras.callbacks.ModelCheckpoint(str(tmp / "checkpoints" / "best.weights.h5"), monitor="val_loss",
                                                save_best_only=True, save_weights_only=True),
                keras.callbacks.CSVLogger(str(tmp / "training_log.csv")),
            ]
        _say(progress, f"[3/5] fine-tune: up to {cfg.epochs} epochs, early stopping on validation loss")
        clf = fit_text_classifier(train.texts, train.labels, val.texts, val.labels, config=cfg, init=init,
                                  callbacks=callbacks, verbose=verbose)
        val_rep = evaluate.evaluate_classifier(clf, val)
        _say(progress, f"[4/5] validation: accuracy {val_rep.accuracy:.3f}, macro F1 {val_rep.macro_f1:.3f}")
        test_rep = evaluate.evaluate_classifier(clf, test, validation=val)
        _say(progress, f"[5/5] test (used once): accuracy {test_rep.accuracy:.3f}, macro F1 {test_rep.macro_f1:.3f}")
        metrics = test_rep.to_dict()
        metrics.update({
            "split": "test",
            "validation": val_rep.to_dict(),
            "dataset": dataset_name or train.source,
            "sizes": {"train": len(train), "val": len(val), "test": len(test)},
            "epochs_run": len(clf.history.get("loss", [])),
            "pretrained": describe_init(init),
            "config": asdict(cfg),
            "history": clf.history,
        })
        if tmp is not None:
            _write_run(tmp, clf, metrics, val_rep, test_rep, plots)
            _finish_out(tmp, Path(out))
            _say(progress, f"wrote {Path(out).resolve()}")
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return WorkflowResult(clf, val_rep, test_rep, Path(out).resolve() if out is not None else None, metrics)


def _write_run(folder: Path, clf: TextClassifier, metrics: dict, val_rep, test_rep, plots) -> None:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    clf.save(folder / "model")
    fig = plots.training_curves(clf.history)
    fig.savefig(folder / "curves.png", dpi=100)
    plt.close(fig)
    fig = plots.confusion_matrix(test_rep.confusion, test_rep.labels, title="test set")
    fig.savefig(folder / "confusion.png", dpi=100)
    plt.close(fig)
    cfg = metrics["config"]
    lines = [
        "# sftkit run report",
        "",
        f"Data: `{metrics['dataset']}`; {metrics['sizes']['train']} train, {metrics['sizes']['val']} validation, "
        f"{metrics['sizes']['test']} test examples.",
        "",
        f"Pretrained model: {metrics['pretrained']}.",
        "",
        "Model: the seed's Embedding -> LSTM -> Dense(softmax) classifier "
        f"(embedding {cfg['embedding_dim']}, LSTM {cfg['lstm_units']} units, sequence length "
        f"{cfg['sequence_length']}), Adam lr {cfg['learning_rate']}, {metrics['epochs_run']} epochs run "
        f"(early stopping patience {cfg['patience']}), seed {cfg['seed']}.",
        "",
        "## Training curves",
        "",
        "![training curves](curves.png)",
        "",
        "## Validation (used for decisions)",
        "",
        val_rep.markdown(),
        "",
        "## Test (used once, at the end)",
        "",
        test_rep.markdown(),
        "",
        "![confusion matrix](confusion.png)",
        "",
        "Files: `metrics.json` (these figures), `training_log.csv` (per-epoch loss and accuracy), "
        "`model/` (load with `sftkit predict --model`), `checkpoints/best.weights.h5`.",
        "",
    ]
    (folder / "report.md").write_text("\n".join(lines), encoding="utf-8")
