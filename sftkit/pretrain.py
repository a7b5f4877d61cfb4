"""Pretraining (预训练): an LSTM language model, the project's miniature LLM (lesson 05).

A language model reads a passage word by word and, at every position, predicts the
next word. Its loss is the same cross-entropy (交叉熵) as the classifier's, averaged over
every predicted word; ``exp`` of that average is the *perplexity*, "how many words the
model is choosing between" (a uniform guess over V words has perplexity V).

The model shares the classifier's encoder: ``Embedding -> LSTM``, here followed by a
softmax over the whole vocabulary at every time step. After pretraining on unlabelled
text, :func:`sftkit.models.build_classifier` can start from its embedding and LSTM
weights: that is "choose a pretrained model", step 1 of the seed's workflow (3.2).
"""
from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.config import LMConfig
from sftkit.runs import claim_folder
from sftkit.text import make_vectorizer, tokenizer_of

LM_FILE = "lm.keras"
VOCAB_FILE = "vocab.txt"
CONFIG_FILE = "config.json"


def build_language_model(vocab_size: int, *, embedding_dim: int = 64, lstm_units: int = 128,
                         learning_rate: float = 3e-3, sequence_length: int | None = None, compile: bool = True):
    """Embedding -> LSTM (every time step) -> Dense(vocab, softmax): next-word prediction."""
    _, keras = tf_and_keras()
    model = keras.Sequential([
        keras.Input(shape=(sequence_length,), dtype="int32", name="word_ids"),
        keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding"),
        keras.layers.LSTM(lstm_units, return_sequences=True, name="lstm"),
        keras.layers.Dense(vocab_size, activation="softmax", name="next_word"),
    ], name="lstm_language_model")
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                      loss="sparse_categorical_crossentropy", weighted_metrics=[])
    return model


# ----------------------------------------------------------------------------- data


def read_corpus(path) -> list[str]:
    """Passages of an unlabelled corpus: one per non-empty line of a UTF-8 text file."""
    from sftkit.data import DataError, _read_text

    path = Path(path)
    if path.suffix.lower() not in (".txt", ""):
        raise DataError(path, f"a corpus is a plain .txt file, one passage per line (got '{path.suffix}')")
    if path.is_file() and not path.read_bytes().strip():
        raise DataError(path, "the file is empty", hint="a corpus needs at least two passages (non-empty lines)")
    lines = [line.strip() for line in _read_text(path).splitlines()]
    passages = [line for line in lines if line]
    if len(passages) < 2:
        raise DataError(path, "needs at least two passages (non-empty lines)")
    return passages


def token_ids(vectorizer, texts: Sequence[str], batch: int = 2048) -> list[np.ndarray]:
    """Each text as its full list of word ids (no cutting, no padding)."""
    tf, _ = tf_and_keras()
    out = []
    for start in range(0, len(texts), batch):
        ids = vectorizer(tf.constant(list(texts[start:start + batch]))).numpy()
        out.extend(row[row > 0].astype(np.int32) for row in ids)
    return out


def next_word_windows(sequences: Sequence[np.ndarray], length: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut passages into windows: inputs ``w[:-1]`` and targets ``w[1:]``, zero-padded.

    A passage longer than ``length + 1`` words gives several windows that overlap by
    one word, so every word after the first is a target exactly once. Passages of fewer
    than two tokens give no window; when none gives one, both arrays have shape
    ``(0, length)``.
    """
    xs, ys = [], []
    if not any(len(seq) >= 2 for seq in sequences):
        return np.zeros((0, length), dtype=np.int32), np.zeros((0, length), dtype=np.int32)
    for seq in sequences:
        for start in range(0, max(1, len(seq) - 1), length):
            w = seq[start:start + length + 1]
            if len(w) < 2:
                continue
            x = np.zeros(length, dtype=np.int32)
            y = np.zeros(length, dtype=np.int32)
            x[: len(w) - 1] = w[:-1]
            y[: len(w) - 1] = w[1:]
            xs.append(x)
            ys.append(y)
    if not xs:
        empty = np.zeros((0, length), dtype=np.int32)
        return empty, empty.copy()
    return np.stack(xs), np.stack(ys)


# ----------------------------------------------------------------------------- the pretrained model


class PretrainedLM:
    """A language model with its vocabulary: what "choose a pretrained model" picks up."""

    def __init__(self, model, vocabulary: Sequence[str], config: LMConfig, history: dict | None = None):
        self.model = model
        self.vocabulary = [str(w) for w in vocabulary]
        self.config = config
        self.history = history or {}

    @property
    def embedding(self) -> np.ndarray:
        return np.asarray(self.model.get_layer("embedding").get_weights()[0])

    def vectorizer(self, sequence_length: int | None = None):
        return make_vectorizer(vocabulary=self.vocabulary, sequence_length=sequence_length)

    def perplexity(self, texts: Sequence[str], batch_size: int = 128) -> float:
        """``exp`` of the mean next-word cross-entropy over every real (non-padding) target.

        Raises
        ------
        ValueError
            When no text has two tokens (the first token of a passage is never a target,
            so a one-token passage has nothing to score).
        """
        seqs = token_ids(self.vectorizer(), texts)
        if not any(len(s) >= 2 for s in seqs):
            longest = max((len(s) for s in seqs), default=0)
            raise ValueError(f"a perplexity needs a passage of at least two tokens; the {len(seqs)} text(s) given "
                             f"have at most {longest} under this model's tokenizer "
                             f"{tokenizer_of(self.vectorizer())!r}")
        x, y = next_word_windows(seqs, self.config.sequence_length)
        return float(np.exp(_mean_nll(self.model, x, y, batch_size)))

    def token_counts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(tokens, known)``: each text's number of tokens under this model's tokenizer, and
        how many of them are in its vocabulary (not ``[UNK]``); two int arrays of shape (N,).

        ``known / tokens`` is how much of a text the model can read: a text in a script or
        vocabulary it never saw is mostly ``[UNK]``.
        """
        seqs = token_ids(self.vectorizer(), list(texts))
        tokens = np.array([len(s) for s in seqs], dtype=np.int64)
        known = np.array([int((s > 1).sum()) for s in seqs], dtype=np.int64)
        return tokens, known

    def text_cross_entropy(self, texts: Sequence[str], batch_size: int = 128) -> np.ndarray:
        """Mean next-word cross-entropy of each text on its own, in nats per known word; shape (N,).

        Only next words in the vocabulary are scored: an ``[UNK]`` target says nothing about
        how typical the text is (every unknown word is the same token), so it would make a
        text of unknown words look as typical as the model finds ``[UNK]`` (``[UNK]`` is still
        read as context). nan for a text with no known word after its first token. How much
        of a text was scored: :meth:`token_counts`.

        A text the model finds typical scores low; an odd one (another domain, gibberish)
        scores high. The difference of two models' scores is Moore and Lewis's relevance.
        """
        seqs = token_ids(self.vectorizer(), texts)
        scores = np.full(len(texts), np.nan)
        length = self.config.sequence_length
        owners, windows_x, windows_y = [], [], []
        for i, seq in enumerate(seqs):
            if len(seq) < 2:
                continue
            x, y = next_word_windows([seq], length)
            owners.extend([i] * len(x))
            windows_x.append(x)
            windows_y.append(y)
        if not owners:
            return scores
        x, y = np.concatenate(windows_x), np.concatenate(windows_y)
        probs_true = np.empty(y.shape, dtype=np.float64)
        for start in range(0, len(x), batch_size):
            p = np.asarray(self.model.predict(x[start:start + batch_size], verbose=0))
            probs_true[start:start + batch_size] = np.take_along_axis(p, y[start:start + batch_size, :, None],
                                                                      axis=-1)[..., 0]
        scored = y > 1                     # 0 is padding, 1 is [UNK]
        nll = -np.log(np.maximum(probs_true, 1e-12)) * scored
        owners = np.array(owners)
        total = np.bincount(owners, weights=nll.sum(axis=1), minlength=len(texts))
        count = np.bincount(owners, weights=scored.sum(axis=1), minlength=len(texts))
        has = count > 0
        scores[has] = total[has] / count[has]
        return scores

    def nearest_words(self, word: str, k: int = 8) -> list[tuple[str, float]]:
        """The ``k`` words whose embedding rows have the highest cosine similarity to ``word``'s."""
        if word not in self.vocabulary[2:]:
            raise KeyError(f"'{word}' is not in the language model's vocabulary")
        emb = self.embedding
        unit = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-8)
        i = self.vocabulary.index(word)
        sims = unit @ unit[i]
        sims[:2] = -np.inf
        sims[i] = -np.inf
        best = np.argsort(-sims, kind="stable")[:k]
        return [(self.vocabulary[j], float(sims[j])) for j in best]

    def save(self, folder) -> Path:
        """Write ``lm.keras`` (weights and architecture, no optimizer state), ``vocab.txt``, ``config.json``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        bare = build_language_model(len(self.vocabulary), embedding_dim=self.config.embedding_dim,
                                    lstm_units=self.config.lstm_units, sequence_length=self.config.sequence_length,
                                    compile=False)
        bare.set_weights(self.model.get_weights())
        bare.save(folder / LM_FILE)
        (folder / VOCAB_FILE).write_text("\n".join(self.vocabulary) + "\n", encoding="utf-8")
        from sftkit.text import resolve_tokenizer

        # the tokenizer a classifier built on this model reads with (decided by the vocabulary, as on loading)
        meta = {"config": asdict(self.config), "tokenizer": resolve_tokenizer("auto", vocabulary=self.vocabulary),
                "history": self.history}
        (folder / CONFIG_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder) -> "PretrainedLM":
        _, keras = tf_and_keras()
        folder = Path(folder)
        for name in (LM_FILE, VOCAB_FILE, CONFIG_FILE):
            if not (folder / name).exists():
                raise FileNotFoundError(f"{folder / name}: not found (is '{folder}' a model written by "
                                        "`sftkit pretrain`?)")
        model = keras.models.load_model(folder / LM_FILE)
        vocab = (folder / VOCAB_FILE).read_text(encoding="utf-8").split("\n")[:-1]
        meta = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        return cls(model, vocab, LMConfig(**meta["config"]), meta.get("history"))


def shipped_lm_dir() -> Path:
    """The folder of the language model that ships with sftkit (trained on the bundled corpus)."""
    from sftkit.data import data_dir

    return data_dir() / "pretrained"


def load_shipped() -> PretrainedLM:
    return PretrainedLM.load(shipped_lm_dir())


def _mean_nll(model, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    total, count = 0.0, 0
    for start in range(0, len(x), batch_size):
        probs = np.asarray(model.predict(x[start:start + batch_size], verbose=0))
        yb = y[start:start + batch_size]
        picked = np.take_along_axis(probs, yb[..., None], axis=-1)[..., 0]
        real = yb > 0
        total += float(-np.log(np.maximum(picked[real], 1e-12)).sum())
        count += int(real.sum())
    return total / max(count, 1)


# ----------------------------------------------------------------------------- pretraining


def pretrain(passages: Sequence[str], *, config: LMConfig | None = None, out=None, callbacks: Sequence = (),
             verbose: int = 0, strategy=None, inputs: Sequence = (), **overrides) -> PretrainedLM:
    """Train a language model on unlabelled passages.

    With ``out``, training can be interrupted and resumed: Keras's ``BackupAndRestore``
    keeps the state of the last finished epoch in ``out/backup/`` and a new call with the
    same ``out`` continues from there. The finished model is written to ``out`` (``lm.keras``,
    ``vocab.txt``, ``config.json``) and the backup removed. ``strategy`` (a
    ``tf.distribute.Strategy``) builds and trains the model under its scope.

    ``out`` follows :mod:`sftkit.runs`' rule: a new or empty folder, or one sftkit wrote,
    never one holding an input (``inputs``). A backup is resumed only if it was made from
    the same passages and settings; otherwise :class:`sftkit.runs.OutputError` says to
    delete ``out/backup`` or choose another ``out``.
    """
    _, keras = tf_and_keras()
    cfg = (config or LMConfig()).replace(**overrides)
    passages = list(passages)
    set_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    order = rng.permutation(len(passages))
    n_val = max(1, int(round(len(passages) * cfg.validation_fraction)))
    val_texts = [passages[i] for i in order[:n_val]]
    train_texts = [passages[i] for i in order[n_val:]]
    vectorizer = make_vectorizer(train_texts, max_tokens=cfg.max_tokens, sequence_length=None)
    vocab = [str(w) for w in vectorizer.get_vocabulary()]
    # the vocabulary and windows come first: a corpus with nothing to learn leaves no folder behind
    x, y = (next_word_windows(token_ids(vectorizer, train_texts), cfg.sequence_length) if len(vocab) > 2
            else next_word_windows([], cfg.sequence_length))
    if len(x) == 0:
        from sftkit.data import DataError

        raise DataError(inputs[0] if inputs else "the corpus",
                        f"no training passage has two tokens after tokenizer {tokenizer_of(vectorizer)} "
                        "(punctuation and symbols are removed; a language model predicts the next word)",
                        hint="give passages of words, several per line")
    xv, yv = next_word_windows(token_ids(vectorizer, val_texts), cfg.sequence_length)
    if out is not None:
        out = claim_folder(out, inputs=inputs)
        check_resumable(out, passages, cfg)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = build_language_model(len(vocab), embedding_dim=cfg.embedding_dim, lstm_units=cfg.lstm_units,
                                     learning_rate=cfg.learning_rate, sequence_length=cfg.sequence_length)
    cbs = list(callbacks)
    if out is not None:
        cbs.insert(0, keras.callbacks.BackupAndRestore(str(out / BACKUP_DIR)))
        cbs.insert(1, _Fingerprint(out / BACKUP_DIR / FINGERPRINT_FILE, fingerprint(passages, cfg)))
    history = model.fit(x, y, sample_weight=(y > 0).astype("float32"),
                        validation_data=(xv, yv, (yv > 0).astype("float32")) if len(xv) else None,
                        epochs=cfg.epochs, batch_size=cfg.batch_size, shuffle=True, callbacks=cbs,
                        verbose=verbose)
    hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    hist["val_perplexity"] = [float(np.exp(v)) for v in hist.get("val_loss", [])]
    lm = PretrainedLM(model, vocab, cfg, hist)
    if out is not None:
        tmp = out / ".final.partial"
        shutil.rmtree(tmp, ignore_errors=True)
        lm.save(tmp)
        for name in (LM_FILE, VOCAB_FILE, CONFIG_FILE):
            (tmp / name).replace(out / name)
        shutil.rmtree(tmp, ignore_errors=True)
    return lm


def continue_training(lm: PretrainedLM, passages: Sequence[str], *, epochs: int = 2,
                      learning_rate: float = 1e-3, seed: int = 0, verbose: int = 0) -> PretrainedLM:
    """A copy of ``lm`` trained further on ``passages`` (same vocabulary): domain adaptation.

    Used to make an in-domain language model from a small sample of in-domain text; the
    original ``lm`` is left unchanged.

    Raises
    ------
    ValueError
        When no passage has two tokens under ``lm``'s tokenizer (nothing to train on).
    """
    _, keras = tf_and_keras()
    cfg = lm.config
    x, y = next_word_windows(token_ids(lm.vectorizer(), list(passages)), cfg.sequence_length)
    if len(x) == 0:
        raise ValueError(f"none of the {len(passages)} passage(s) has two tokens under the language model's "
                         f"tokenizer {tokenizer_of(lm.vectorizer())!r}: nothing to train on")
    set_seed(seed)
    model = build_language_model(len(lm.vocabulary), embedding_dim=cfg.embedding_dim, lstm_units=cfg.lstm_units,
                                 learning_rate=learning_rate, sequence_length=cfg.sequence_length)
    model.set_weights(lm.model.get_weights())
    history = model.fit(x, y, sample_weight=(y > 0).astype("float32"), epochs=epochs,
                        batch_size=cfg.batch_size, shuffle=True, verbose=verbose)
    hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    return PretrainedLM(model, lm.vocabulary, cfg, hist)


# ----------------------------------------------------------------------------- resuming

BACKUP_DIR = "backup"
FINGERPRINT_FILE = "sftkit-resume.json"


def fingerprint(passages: Sequence[str], config: LMConfig) -> dict:
    """What a backup must match to be resumed: the corpus's SHA-256 and the settings (all but ``epochs``)."""
    import hashlib

    digest = hashlib.sha256("\n".join(passages).encode("utf-8")).hexdigest()
    settings = {k: v for k, v in asdict(config).items() if k != "epochs"}  # more epochs may be asked for
    return {"corpus_sha256": digest, "config": settings}


def weights_sha256(lm: PretrainedLM) -> str:
    """SHA-256 (hex) of a language model's vocabulary and weights: which pretrained model a cached run
    started from (lesson 06 compares it with the shipped model's). Equal models give equal digests."""
    import hashlib

    h = hashlib.sha256("\n".join(lm.vocabulary).encode("utf-8"))
    for w in lm.model.get_weights():
        a = np.ascontiguousarray(w)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def check_resumable(out: Path, passages: Sequence[str], config: LMConfig) -> None:
    """Refuse a backup in ``out`` made from another corpus or other settings (one-line error)."""
    from sftkit.runs import OutputError

    backup = Path(out) / BACKUP_DIR
    if not backup.exists():
        return
    stamp = backup / FINGERPRINT_FILE
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = None
    if saved != json.loads(json.dumps(fingerprint(passages, config))):
        what = "no record of its corpus and settings" if saved is None else (
            "another corpus" if saved.get("corpus_sha256") != fingerprint(passages, config)["corpus_sha256"]
            else "other settings")
        raise OutputError(f"{backup}: an interrupted run with {what} cannot be resumed; delete {backup} to "
                          "start over, or choose another --out")


def _fingerprint_callback_class():
    _, keras = tf_and_keras()

    class Fingerprint(keras.callbacks.Callback):
        """Writes the corpus/settings fingerprint next to BackupAndRestore's files at each epoch's end."""

        def __init__(self, path: Path, stamp: dict):
            super().__init__()
            self.path, self.stamp = Path(path), stamp

        def on_epoch_end(self, epoch, logs=None):
            if self.path.parent.exists():
                self.path.write_text(json.dumps(self.stamp) + "\n", encoding="utf-8")

    return Fingerprint


def _Fingerprint(path: Path, stamp: dict):
    return _fingerprint_callback_class()(path, stamp)
