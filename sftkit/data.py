"""Labelled texts: loading with validation, stratified splits, the bundled datasets.

Seed section 3.2, step 2 (准备训练数据, prepare the training data). A fine-tuning run is
only as good as the file it reads, so loading is strict: every problem is reported as a
one-line :class:`DataError` that names the file, the line and what to do about it.

Supported formats, chosen by file suffix:

* ``.csv`` and ``.tsv``: a header row, then one example per row;
* ``.jsonl`` (or ``.ndjson``): one JSON object per line.

Columns default to ``text`` and ``label``; an ``id`` column is used when present,
otherwise ids are made from line numbers.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

SPLITS = ("train", "val", "test")


class DataError(ValueError):
    """A problem with an input file, reported in one line: ``FILE: line N: what; what to do``."""

    def __init__(self, path, problem: str, line: int | None = None, hint: str = ""):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}: line {line}: " if line is not None else f"{self.path}: "
        super().__init__(where + problem + (f"; {hint}" if hint else ""))


@dataclass
class LabelledTexts:
    """Parallel lists of ids, texts and string labels, plus any other columns.

    ``lines`` keeps the line of the source file each example came from, so that a
    later check (say, a label never seen in training) can still point at the row.
    """

    ids: list[str]
    texts: list[str]
    labels: list[str]
    source: str = "<memory>"
    lines: list[int] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self):
        n = len(self.texts)
        if not (len(self.ids) == len(self.labels) == n):
            raise ValueError("ids, texts and labels must have the same length")
        if not self.lines:
            self.lines = [i + 1 for i in range(n)]

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def classes(self) -> list[str]:
        """The distinct labels, sorted (the class index order used everywhere)."""
        return sorted(set(self.labels))

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))

    def take(self, indices: Sequence[int]) -> "LabelledTexts":
        """A new dataset with the examples at ``indices`` (in that order)."""
        idx = [int(i) for i in indices]
        return LabelledTexts(
            ids=[self.ids[i] for i in idx],
            texts=[self.texts[i] for i in idx],
            labels=[self.labels[i] for i in idx],
            source=self.source,
            lines=[self.lines[i] for i in idx],
            extra={k: [v[i] for i in idx] for k, v in self.extra.items()},
        )

    @classmethod
    def from_lists(cls, texts, labels, ids=None, source="<memory>") -> "LabelledTexts":
        texts = [str(t) for t in texts]
        ids = [str(i) for i in ids] if ids is not None else [f"row-{i + 1}" for i in range(len(texts))]
        return cls(ids=ids, texts=texts, labels=[str(y) for y in labels], source=source)


# ----------------------------------------------------------------------------- reading


def _read_text(path: Path) -> str:
    if not path.exists():
        raise DataError(path, "file not found", hint="check the path")
    if path.is_dir():
        raise DataError(path, "is a directory, not a data file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(path, f"byte 0x{raw[e.start]:02x} is not valid UTF-8", line,
                        hint="save the file as UTF-8") from None
    if not text.strip():
        raise DataError(path, "the file is empty", hint="it needs a header row and at least one example")
    return text


def _rows_delimited(path: Path, text: str, delimiter: str):
    """Yield ``(line_number, {column: value})`` from a CSV/TSV file with a header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as e:
        raise DataError(path, f"cannot parse the header ({e})", 1) from None
    header = [h.strip() for h in header]
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) > len(header):
                raise DataError(path, f"{len(row)} fields but the header has {len(header)}", line,
                                hint="quote texts that contain the delimiter")
            row = row + [""] * (len(header) - len(row))
            rows.append((line, dict(zip(header, row))))
    except csv.Error as e:
        raise DataError(path, f"cannot parse the row ({e})", reader.line_num) from None
    return header, rows


def _rows_jsonl(path: Path, text: str):
    rows, header = [], []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataError(path, f"not valid JSON ({e.msg})", line_no) from None
        if not isinstance(obj, dict):
            raise DataError(path, "each line must be a JSON object", line_no)
        for k in obj:
            if k not in header:
                header.append(k)
        rows.append((line_no, {k: "" if v is None else str(v) for k, v in obj.items()}))
    return header, rows


def read_rows(path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a CSV, TSV or JSONL file into ``(columns, [(line, row_dict), ...])``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".jsonl", ".ndjson"):
        raise DataError(path, f"unknown file type '{suffix or '(none)'}'",
                        hint="use .csv, .tsv or .jsonl")
    text = _read_text(path)
    if suffix == ".csv":
        return _rows_delimited(path, text, ",")
    if suffix == ".tsv":
        return _rows_delimited(path, text, "\t")
    return _rows_jsonl(path, text)


def load_labelled(path, text_col: str = "text", label_col: str = "label", id_col: str = "id",
                  allow_empty_text: bool = False) -> LabelledTexts:
    """Load labelled texts, checking every row.

    Raises :class:`DataError` for: a missing or empty file, bytes that are not UTF-8,
    a missing column, an empty text (unless ``allow_empty_text``), a missing label,
    a repeated id, and a file with a header but no examples.
    """
    path = Path(path)
    header, rows = read_rows(path)
    for col, flag in ((text_col, "--text-col"), (label_col, "--label-col")):
        if col not in header:
            shown = ", ".join(repr(h) for h in header) or "none"
            raise DataError(path, f"no column '{col}' (columns: {shown})", 1,
                            hint=f"name the right one with {flag}")
    if not rows:
        raise DataError(path, "no examples after the header")
    ids, texts, labels, lines = [], [], [], []
    others = [h for h in header if h not in (text_col, label_col, id_col)]
    extra: dict[str, list[str]] = {h: [] for h in others}
    seen: dict[str, int] = {}
    has_ids = id_col in header
    for n, (line, row) in enumerate(rows, start=1):
        text = row.get(text_col, "")
        label = row.get(label_col, "").strip()
        if not text.strip() and not allow_empty_text:
            raise DataError(path, f"empty text in column '{text_col}'", line,
                            hint="remove the row or fill in the text")
        if not label:
            raise DataError(path, f"missing label in column '{label_col}'", line,
                            hint="every training example needs a label")
        ex_id = row.get(id_col, "").strip() if has_ids else f"row-{n}"
        if not ex_id:
            raise DataError(path, f"empty id in column '{id_col}'", line)
        if ex_id in seen:
            raise DataError(path, f"id '{ex_id}' already used on line {seen[ex_id]}", line,
                            hint="ids must be unique")
        seen[ex_id] = line
        ids.append(ex_id)
        texts.append(text)
        labels.append(label)
        lines.append(line)
        for h in others:
            extra[h].append(row.get(h, ""))
    return LabelledTexts(ids=ids, texts=texts, labels=labels, source=str(path), lines=lines, extra=extra)


# ----------------------------------------------------------------------------- splits


def check_splits(train: LabelledTexts, *others: LabelledTexts) -> None:
    """Refuse splits a classifier cannot learn from or be scored on.

    Every class needs at least two training examples, and a label that appears in
    validation or test but never in training could never be predicted.
    """
    counts = Counter(train.labels)
    if len(counts) < 2:
        raise DataError(train.source, f"only one class ('{train.labels[0]}') in the training data",
                        hint="a classifier needs at least two labels")
    for label, c in sorted(counts.items()):
        if c < 2:
            line = train.lines[train.labels.index(label)]
            raise DataError(train.source, f"class '{label}' has only one example", line,
                            hint="add examples of it or remove it")
    for data in others:
        for label, line in zip(data.labels, data.lines):
            if label not in counts:
                raise DataError(data.source, f"label '{label}' does not occur in the training data", line,
                                hint="every label must have training examples")


def stratified_split(data: LabelledTexts, val_fraction: float = 0.1, test_fraction: float = 0.1,
                     seed: int = 0) -> tuple[LabelledTexts, LabelledTexts, LabelledTexts]:
    """Split into train/validation/test, keeping each class's share in every part.

    The same seed always gives the same split. Classes too small to appear in every
    part are refused with a message saying how many examples they need.
    """
    from sklearn.model_selection import train_test_split

    if not 0 < val_fraction < 1 or not 0 < test_fraction < 1 or val_fraction + test_fraction >= 1:
        raise ValueError("val_fraction and test_fraction must be in (0, 1) and sum to less than 1")
    counts = Counter(data.labels)
    need = max(3, int(np.ceil(1 / min(val_fraction, test_fraction))))
    for label, c in sorted(counts.items()):
        if c < need:
            line = data.lines[data.labels.index(label)]
            raise DataError(data.source, f"class '{label}' has {c} example{'s' if c != 1 else ''}, "
                            f"too few to split", line,
                            hint=f"give it at least {need}, or pass --val and --test files")
    if len(counts) < 2:
        raise DataError(data.source, "only one class in the data", hint="a classifier needs at least two labels")
    idx = np.arange(len(data))
    n_test, n_val = round(len(data) * test_fraction), round(len(data) * val_fraction)
    rest, test_idx = train_test_split(idx, test_size=n_test, random_state=seed, stratify=data.labels)
    rest_labels = [data.labels[i] for i in rest]
    train_idx, val_idx = train_test_split(rest, test_size=n_val, random_state=seed + 1, stratify=rest_labels)
    return data.take(sorted(train_idx)), data.take(sorted(val_idx)), data.take(sorted(test_idx))


def split_off(data: LabelledTexts, val: LabelledTexts | None = None, test: LabelledTexts | None = None, *,
              fraction: float = 0.1, seed: int = 0) -> tuple[LabelledTexts, LabelledTexts, LabelledTexts, str]:
    """Train, validation and test sets from what the user gave: split off whichever is missing.

    With both ``val`` and ``test`` the data is returned as it is. With one of them, the
    other is split off ``data`` (stratified, ``fraction`` of it, seeded); with neither,
    both are (:func:`stratified_split`). Returns ``(train, val, test, note)`` where
    ``note`` says what was split (empty if nothing was). Raises :class:`DataError` for
    classes too small to split.
    """
    from sklearn.model_selection import train_test_split

    if val is not None and test is not None:
        return data, val, test, ""
    if val is None and test is None:
        train, val, test = stratified_split(data, fraction, fraction, seed=seed)
        return train, val, test, (f"split {data.source} (seed {seed}): {len(train)} train, {len(val)} validation, "
                                  f"{len(test)} test")
    missing = "validation" if val is None else "test"
    need = max(2, int(np.ceil(1 / fraction)))
    for label, c in sorted(Counter(data.labels).items()):
        if c < need:
            line = data.lines[data.labels.index(label)]
            raise DataError(data.source, f"class '{label}' has {c} example{'s' if c != 1 else ''}, too few to "
                            f"split off a {missing} set", line,
                            hint=f"give it at least {need}, or pass --{'val' if val is None else 'test'}")
    idx = np.arange(len(data))
    keep, part = train_test_split(idx, test_size=max(len(set(data.labels)), round(len(data) * fraction)),
                                  random_state=seed, stratify=data.labels)
    train, split = data.take(sorted(keep)), data.take(sorted(part))
    note = (f"split {len(split)} {missing} examples off {data.source} (seed {seed}, stratified); "
            f"{len(train)} remain for training")
    return (train, split, test, note) if val is None else (train, val, split, note)


def label_warnings(data: LabelledTexts) -> list[str]:
    """One line per group of labels that probably mean the same class.

    Labels that differ only by case or surrounding/inner spacing (``"Spam"``, ``"spam "``),
    and labels that are the same number written differently (``"1"``, ``"1.0"``), become
    separate classes; that is rarely what the file's author meant.
    """
    counts = Counter(data.labels)
    groups: dict[tuple[str, str], list[str]] = {}
    for label in counts:
        key = " ".join(label.split()).casefold()
        try:
            number = float(key)
            if np.isfinite(number):
                key = repr(number)
                groups.setdefault(("number", key), []).append(label)
                continue
        except ValueError:
            pass
        groups.setdefault(("text", key), []).append(label)
    lines = []
    for (kind, _), labels in sorted(groups.items()):
        if len(labels) > 1:
            shown = ", ".join(f"{lab!r} ({counts[lab]})" for lab in sorted(labels))
            why = "are the same number" if kind == "number" else "differ only by case or spacing"
            lines.append(f"{data.source}: labels {shown} {why} but count as different classes; "
                         "make them one label if they mean one class")
    return lines


def stratified_sample(data: LabelledTexts, n: int, seed: int = 0) -> LabelledTexts:
    """``n`` examples drawn without replacement, each class keeping its share (seeded)."""
    from sklearn.model_selection import train_test_split

    if n >= len(data):
        return data
    if n < len(set(data.labels)):
        raise ValueError(f"a sample of {n} cannot hold all {len(set(data.labels))} classes")
    idx, _ = train_test_split(np.arange(len(data)), train_size=n, random_state=seed, stratify=data.labels)
    return data.take(sorted(idx))


# ----------------------------------------------------------------------------- bundled data


def data_dir() -> Path:
    """Where the bundled data lives: inside the installed package, or ``data/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "bundled", here.parent / "data"):
        if (candidate / "reviews").is_dir():
            return candidate
    raise FileNotFoundError("sftkit's bundled data is missing; reinstall the package")


BUNDLED = {
    "reviews": "product reviews, positive/negative (word order matters)",
    "spam": "SMS-style messages, spam/ham (imbalanced)",
}


def load_bundled(name: str) -> dict[str, LabelledTexts]:
    """The bundled dataset ``name`` as ``{"train": ..., "val": ..., "test": ...}``."""
    if name not in BUNDLED:
        raise ValueError(f"no bundled dataset '{name}'; choose one of: {', '.join(BUNDLED)}")
    folder = data_dir() / name
    return {split: load_labelled(folder / f"{split}.csv") for split in SPLITS}
