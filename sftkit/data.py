"""Labelled texts: reading and writing tables, validation, stratified splits, the bundled datasets.

Seed section 3.2, step 2 (准备训练数据, prepare the training data). A fine-tuning run is
only as good as the file it reads, so loading is strict: every problem is reported as a
one-line :class:`DataError` that names the file, the line and what to do about it, and no
row is lost without a word.

Supported formats, chosen by file suffix:

* ``.csv``: a header row, then one example per row; quoted as RFC 4180 (a field holding
  a comma, a quote or a line break is quoted, a quote inside doubled). A quote that
  opens and never closes stops with the line it opened on. A first line ``sep=;`` (as
  Excel writes it) sets the delimiter.
* ``.tsv``: a header row, then one example per line, without quote processing (TSV as it
  is written in the wild: a text may start with ``"``).
* ``.jsonl`` (or ``.ndjson``): one JSON object per line, lines split on ``\n`` only.

Files are UTF-8, or UTF-8, UTF-16 or UTF-32 with a byte-order mark. Columns default to
``text`` and ``label``; an ``id`` column is used when present, otherwise ids are made
from row numbers. :func:`read_rows` reads a whole file, :class:`RowStream` one row at a
time (files of any size, standard input).

Everything sftkit writes as a table goes through :func:`write_rows` (atomic: a temporary
file in the same folder, renamed into place when complete), and reads back identically
with :func:`read_rows`, Python's ``csv`` module and pandas.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import sys
import unicodedata
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

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
        """A new dataset with the examples at ``indices`` (in that order).

        Raises
        ------
        TypeError
            If ``indices`` holds booleans (a mask): ``int(True)`` is 1, so a mask would
            silently pick rows 0 and 1 again and again. Pass ``np.flatnonzero(mask)``.
        """
        values = list(indices)
        if getattr(getattr(indices, "dtype", None), "kind", "") == "b" or any(
                isinstance(i, (bool, np.bool_)) for i in values):
            raise TypeError("take() needs row indices, not a boolean mask; pass np.flatnonzero(mask) "
                            "for the rows where the mask is True")
        idx = [int(i) for i in values]
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

#: Every character that Python's ``str.splitlines()`` (and so some CSV readers) treats as
#: the end of a line. A written field holding any of them is quoted.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

#: File suffix -> format name.
FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))

# csv's default field limit is 131,072 characters; a text may be longer. The limit is a
# C long, 32 bits on Windows.
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
_SEP_LINE = re.compile(r"sep=(.)\s*$")


def file_format(path) -> str:
    """``"csv"``, ``"tsv"`` or ``"jsonl"`` from the file's suffix; :class:`DataError` for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DataError(path, f"unknown file type '{suffix or '(none)'}'", hint="use .csv, .tsv or .jsonl")
    return FORMATS[suffix]


def _encoding(head: bytes) -> tuple[str, str]:
    """``(codec, name)`` from the byte-order mark at the start of a file (UTF-8 without one)."""
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return codec, name
    return "utf-8", "UTF-8"


def _decode(path, raw: bytes) -> str:
    codec, name = _encoding(raw[:4])
    if name == "UTF-8" and b"\x00" in raw:  # before the UTF-8 check: UTF-16 text is full of NUL bytes
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError(path, "a NUL character (byte 0x00): the file looks like UTF-16 without a byte-order "
                              "mark, or is not a text file", line, hint="save it as UTF-8")
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as e:
        line = raw[: e.start].decode(codec, errors="replace").count("\n") + 1
        what = f"byte 0x{raw[e.start]:02x} is not valid UTF-8" if name == "UTF-8" else f"bytes not valid {name}"
        raise DataError(path, what, line, hint="save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(path, "a NUL character (byte 0x00): the file looks like UTF-16 without a byte-order "
                              "mark, or is not a text file", line, hint="save it as UTF-8")
    return text


def _read_text(path: Path) -> str:
    """The whole file decoded: UTF-8, or UTF-8/UTF-16/UTF-32 with a byte-order mark."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found", hint="check the path")
    if path.is_dir():
        raise DataError(path, "is a directory, not a data file")
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise DataError(path, "the file is empty", hint="it needs a header row and at least one example")
    return text


@contextmanager
def _csv_field_limit():
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, _FIELD_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(old)


class Row(dict):
    """One delimited row as ``{column: value}``; columns past the row's last field hold ``""``.

    ``n_fields`` is how many fields the row really had, so that a short row can be told from
    one whose last field is empty ("a,"): ``Row(["text", "label"], ["hi"]).n_fields == 1``.
    """

    def __init__(self, header: list[str], fields: list[str]):
        super().__init__(zip(header, fields + [""] * (len(header) - len(fields))))
        self.n_fields = len(fields)


def _delimited(path, lines: Iterator[str], fmt: str, keep_empty: bool = False,
               skipped: dict | None = None) -> Iterator:
    """Parse CSV or TSV lines: yields the header (a list), then ``(line_number, {column: value})``.

    ``lines`` must keep their line endings and be split on ``\\r``, ``\\n`` and ``\\r\\n``
    only (``io.StringIO(text, newline="")`` or a text stream opened with ``newline=""``).

    * TSV is read without quote processing (``csv.QUOTE_NONE``): a text starting with
      ``"`` stays that text, and every non-blank line is one row.
    * CSV is read with quotes (RFC 4180) in strict mode: a quote that opens and never
      closes, or text after a closing quote, stops with the line where the row began.
      An Excel-style first line ``sep=;`` sets the delimiter.
    * A blank line (nothing but white space, as pandas's ``skip_blank_lines`` skips) is
      never a row; ``skipped["blank"]`` counts them. A row whose fields are all empty
      (``""`` or ``,``) is skipped too, unless ``keep_empty`` (``sftkit predict`` keeps
      every row, so that its ``row-N`` ids follow the input's data rows).
    """
    consumed: list[str] = []   # the raw lines of the record being read

    def recorded(source):
        for text in source:
            consumed.append(text)
            yield text

    lines = iter(lines)
    delimiter, offset = ("\t" if fmt == "tsv" else ","), 0
    first = next(lines, "")
    first_clean = first.lstrip("\ufeff")
    m = _SEP_LINE.match(first_clean) if fmt == "csv" else None
    if m:
        delimiter, offset = m.group(1), 1
    else:
        lines = itertools.chain([first_clean], lines)
    lines = recorded(lines)
    if fmt == "tsv":
        reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    with _csv_field_limit():
        header: list[str] | None = []
        while header is not None and all(not h.strip() for h in header):  # blank lines before the header
            try:
                header = next(reader, None)
            except csv.Error as e:
                raise DataError(path, f"cannot parse the header ({e})", reader.line_num + offset) from None
        if header is None:
            raise DataError(path, "no header: every line is blank", hint="put the column names on the first line")
        header_line = reader.line_num + offset
        header = [h.strip() for h in header]
        if fmt == "csv" and len(header) == 1 and delimiter == ",":
            for other, name in ((";", "';'"), ("\t", "tabs")):
                if other in header[0]:
                    raise DataError(path, f"the header is one column, '{header[0][:60]}': the file looks "
                                          f"separated by {name}, not commas", header_line,
                                    hint="save it as comma-separated CSV" + (
                                        ", or add the line 'sep=;' above the header" if other == ";"
                                        else ", or rename it .tsv"))
        named = [h for h in header if h]  # Excel may add unnamed empty columns
        if len(set(named)) < len(named):
            dup = next(h for h in named if named.count(h) > 1)
            raise DataError(path, f"column '{dup}' appears twice in the header", header_line)
        yield header
        n_lines = reader.line_num
        while True:
            start = reader.line_num + 1
            consumed.clear()
            try:
                row = next(reader, None)
            except csv.Error as e:
                msg = str(e)
                if "unexpected end of data" in msg:
                    raise DataError(path, "a quote opens in this row and never closes (the rest of the file "
                                          "would be one text)", start + offset,
                                    hint='close the quote, or write a quote inside a text as ""') from None
                if "expected after" in msg and reader.line_num > start:
                    raise DataError(path, f"a quote opens in this row and runs on to line {reader.line_num + offset}"
                                          ", where it closes with more text after it", start + offset,
                                    hint='close the quote, or write a quote inside a text as ""') from None
                if "expected after" in msg:
                    raise DataError(path, "text after a closing quote: a field that starts with a quote must "
                                          "end with one", start + offset,
                                    hint='quote the whole field and write a quote inside it as ""') from None
                raise DataError(path, f"cannot parse the row ({msg})", start + offset) from None
            if row is None:
                break
            line = start + offset
            n_lines += 1
            if not "".join(consumed).strip():
                if skipped is not None:
                    skipped["blank"] = skipped.get("blank", 0) + 1
                continue
            if not keep_empty and all(not c.strip() for c in row):
                continue
            while len(row) > len(header) and not row[-1].strip():
                row = row[:-1]  # trailing empty fields, as spreadsheets save them
            if len(row) > len(header):
                raise DataError(path, f"{len(row)} fields but the header has {len(header)}", line,
                                hint="quote texts that contain the delimiter" if fmt == "csv"
                                else "a TSV text must not contain a tab")
            if len(row) == 1 and len(header) > 1 and delimiter == "," and ";" in row[0]:
                raise DataError(path, f"one field, '{row[0][:60]}', where the header has {len(header)}: the "
                                      "rows look separated by ';'", line, hint="save the file as comma-separated CSV")
            yield line, Row(header, row)
        if fmt == "tsv" and n_lines != reader.line_num:  # pragma: no cover - a guard on the invariant
            raise DataError(path, f"read {n_lines} records from {reader.line_num} lines")


class JsonRow(dict):
    """One JSON Lines object as ``{key: str}``; objects and lists are kept as JSON text and
    ``nested`` names those keys (key -> "an object" / "a list"), so a loader can refuse them."""

    nested: dict[str, str] = {}


def _no_repeated_keys(pairs, twice: list) -> dict:
    seen = set()
    for k, _ in pairs:
        if k in seen:
            twice.append(k)
        seen.add(k)
    return dict(pairs)


def _jsonl(path, lines: Iterable[str], skipped: dict | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """Parse JSON Lines split on ``\\n`` only (a JSON string may hold U+2028 and friends); blank lines are skipped."""
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            if skipped is not None:
                skipped["blank"] = skipped.get("blank", 0) + 1
            continue
        twice: list[str] = []
        try:
            obj = json.loads(line.lstrip("\ufeff") if line_no == 1 else line,
                             object_pairs_hook=lambda pairs: _no_repeated_keys(pairs, twice))
        except json.JSONDecodeError as e:
            raise DataError(path, f"not valid JSON ({e.msg})", line_no) from None
        if not isinstance(obj, dict):
            raise DataError(path, "each line must be a JSON object", line_no)
        if twice:
            raise DataError(path, f"key '{twice[0]}' appears twice in one object", line_no,
                            hint="JSON readers disagree on which value counts; keep one")
        row = JsonRow({str(k): "" if v is None else json.dumps(v, ensure_ascii=False)
                       if isinstance(v, (dict, list)) else str(v) for k, v in obj.items()})
        row.nested = {str(k): "an object" if isinstance(v, dict) else "a list"
                      for k, v in obj.items() if isinstance(v, (dict, list))}
        for k, v in row.items():
            if "\x00" in v:
                raise DataError(path, f"a NUL character (\\u0000) in '{k}'", line_no, hint="remove it")
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise DataError(path, f"a lone surrogate (an escape like \\ud83d without its pair) in '{k}'",
                                line_no, hint="write the character itself or both halves") from None
        yield line_no, row


def _rows_from_lines(path, lines: Iterable[str], fmt: str, keep_empty: bool = False, skipped: dict | None = None):
    """``(columns or None, iterator of (line, row))``; JSONL has no header, so no columns up front."""
    if fmt == "jsonl":
        return None, _jsonl(path, lines, skipped)
    it = _delimited(path, lines, fmt, keep_empty=keep_empty, skipped=skipped)
    return next(it), it


def read_rows(path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a CSV, TSV or JSONL file into ``(columns, [(line, row_dict), ...])``.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (quoted, RFC 4180), ``.tsv`` (unquoted: tabs separate, every line is a row)
        or ``.jsonl``/``.ndjson`` (one JSON object per line). UTF-8, or UTF-8, UTF-16 or
        UTF-32 with a byte-order mark.

    Returns
    -------
    columns : list of str
        The header (for JSONL: every key in order of first appearance).
    rows : list of (int, dict)
        Each non-blank row with the line of the file it starts on.

    Raises
    ------
    DataError
        One line naming the file, the line and the problem: unknown suffix, missing or
        empty file, bad encoding, an unclosed quote, a row with more fields than the
        header, a semicolon-separated ``.csv``, invalid JSON.
    """
    path = Path(path)
    fmt = file_format(path)
    text = _read_text(path)
    newline = "\n" if fmt == "jsonl" else ""
    header, rows = _rows_from_lines(path, io.StringIO(text, newline=newline), fmt)
    rows = list(rows)
    if header is None:
        header = list(dict.fromkeys(k for _, r in rows for k in r))
    return header, rows


class RowStream:
    """Rows of a CSV, TSV or JSONL file (or of standard input) read one at a time, for files of any size.

    ``with RowStream(path) as rows: for line, row in rows: ...``; ``rows.columns`` is the
    header (``None`` for JSONL), ``rows.fraction_read()`` how far into the file the
    reader is (``None`` when the size is unknown, as for a pipe). The formats, encodings
    and errors are those of :func:`read_rows`. For ``path="-"`` the format is JSONL if the
    first line starts with ``{``, TSV if it has a tab and no comma, else CSV.
    Blank lines are never rows (``rows.skipped["blank"]`` counts them as they are read);
    with ``keep_empty`` a row whose fields are all empty (``""``, ``,``) is a row too.
    """

    def __init__(self, path, stdin=None, keep_empty: bool = False):
        self.skipped: dict = {"blank": 0}   # blank lines passed over (none is a row), counted as they are read
        self._stdin = str(path) == "-"
        if self._stdin:
            self.name, self.size, self.fmt = "<stdin>", None, None
            binary = stdin if stdin is not None else sys.stdin.buffer
            self._binary = binary if hasattr(binary, "peek") else io.BufferedReader(binary)
        else:
            p = Path(path)
            self.name, self.fmt = str(p), file_format(p)
            if not p.exists():
                raise DataError(p, "file not found", hint="check the path")
            if p.is_dir():
                raise DataError(p, "is a directory, not a data file")
            self._binary = open(p, "rb")
            self.size = p.stat().st_size
        head = self._binary.peek(4)[:4]
        codec, _ = _encoding(head)
        codec = "utf-8-sig" if codec == "utf-8" else codec
        if self.fmt is None:
            probe = self._binary.peek(4096).decode(codec, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
            self.fmt = ("jsonl" if probe.lstrip().startswith("{") else
                        "tsv" if "\t" in probe and "," not in probe else "csv")
        self._text = io.TextIOWrapper(self._binary, encoding=codec, newline="\n" if self.fmt == "jsonl" else "")
        try:
            self.columns, self._rows = _rows_from_lines(self.name, self._checked_lines(), self.fmt,
                                                        keep_empty=keep_empty, skipped=self.skipped)
        except BaseException:
            self.close()
            raise

    def _checked_lines(self):
        line = 0
        try:
            for line, text in enumerate(self._text, start=1):
                if "\x00" in text:
                    raise DataError(self.name, "a NUL character (byte 0x00): the file looks like UTF-16 without "
                                               "a byte-order mark, or is not a text file", line,
                                    hint="save it as UTF-8")
                yield text
        except UnicodeDecodeError as e:
            raise DataError(self.name, f"not valid {e.encoding.upper().replace('-SIG', '')} ({e.reason})",
                            line + 1, hint="save the file as UTF-8") from None
        if line == 0:
            raise DataError(self.name, "the input is empty", hint="it needs a header row and at least one example")

    def fraction_read(self) -> float | None:
        if not self.size:
            return None
        try:
            return min(1.0, self._binary.tell() / self.size)
        except (OSError, ValueError):
            return None

    def __iter__(self):
        return self._rows

    def close(self):
        """Close the file (standard input is left open)."""
        if getattr(self, "_rows", None) is not None and hasattr(self._rows, "close"):
            self._rows.close()  # restores csv's field limit
        if self._stdin:
            self._text.detach()
        else:
            self._text.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _refuse_short_row(path, line: int, row, header: list[str], col: str) -> None:
    """Raise if ``row`` ended before column ``col``: a short row, not an empty value."""
    n_fields = getattr(row, "n_fields", len(header))
    if header.index(col) >= n_fields:
        raise DataError(path, f"{n_fields} field{'s' if n_fields != 1 else ''} but the header has "
                              f"{len(header)}, so no value for column '{col}'", line,
                        hint="add the missing fields; a text that runs over several lines must be quoted")


def load_labelled(path, text_col: str = "text", label_col: str = "label", id_col: str = "id",
                  allow_empty_text: bool = False, require_id: bool = False) -> LabelledTexts:
    """Load labelled texts, checking every row.

    Without an ``id_col`` column the ids are ``row-1``, ``row-2`` ... unless
    ``require_id`` (the user named the column, so its absence is a typo).

    Raises :class:`DataError` for: a missing or empty file, bytes that are not UTF-8,
    a missing column, an empty text (unless ``allow_empty_text``), a missing label,
    a repeated id, a JSON object or list as a text, label or id, and a file with a
    header but no examples.
    """
    path = Path(path)
    header, rows = read_rows(path)
    needed = ((text_col, "--text-col"), (label_col, "--label-col")) + (((id_col, "--id-col"),) if require_id else ())
    for col, flag in needed:
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
        nested = getattr(row, "nested", None)
        if nested:
            for col in (text_col, label_col, id_col):
                if col in nested:
                    raise DataError(path, f"'{col}' is {nested[col]}, not a string", line,
                                    hint="give each row's text, label and id as a JSON string (or number)")
        text = row.get(text_col, "")
        label = row.get(label_col, "").strip()
        if not text.strip() and not allow_empty_text:
            _refuse_short_row(path, line, row, header, text_col)
            raise DataError(path, f"empty text in column '{text_col}'", line,
                            hint="remove the row or fill in the text")
        if not label:
            _refuse_short_row(path, line, row, header, label_col)
            raise DataError(path, f"missing label in column '{label_col}'", line,
                            hint="every labelled example (for training or scoring) needs a label")
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


# ----------------------------------------------------------------------------- writing


_CSV_QUOTE_IF = frozenset(LINE_BREAKS + '",')


def _csv_field(value) -> str:
    s = str(value)
    return '"' + s.replace('"', '""') + '"' if any(c in _CSV_QUOTE_IF for c in s) else s


def format_row(fields: Sequence, fmt: str = "csv", columns: Sequence[str] | None = None) -> str:
    """One row as a line of ``fmt`` (``"csv"``, ``"tsv"`` or ``"jsonl"``), ending in ``\\n``.

    CSV quotes a field that holds a quote, a comma or any line break of
    :data:`LINE_BREAKS` (and a lone empty field, so the row is not a blank line); TSV is
    written unquoted like the TSV :func:`read_rows` reads, so a field holding a tab or a
    line break is refused (``ValueError``); JSONL needs ``columns`` (the keys) and escapes
    U+0085, U+2028 and U+2029 so that only ``\\n`` ends a line.
    """
    if fmt in ("csv", "tsv") and any("\x00" in str(v) for v in fields):
        raise ValueError("a NUL character cannot be written to CSV or TSV")
    if fmt == "csv":
        if len(fields) == 1 and str(fields[0]) == "":
            return '""\n'
        return ",".join(_csv_field(v) for v in fields) + "\n"
    if fmt == "tsv":
        out = [str(v) for v in fields]
        for s in out:
            if "\t" in s or any(c in s for c in LINE_BREAKS):
                raise ValueError(f"a TSV field cannot hold a tab or a line break: {s[:40]!r}; write .csv or .jsonl")
        if len(out) == 1 and out[0] == "":
            raise ValueError("a TSV row with one empty field would be a blank line; write .csv or .jsonl")
        return "\t".join(out) + "\n"
    if fmt == "jsonl":
        if columns is None or len(columns) != len(fields):
            raise ValueError("a JSONL row needs one column name per field")
        line = json.dumps({str(k): str(v) for k, v in zip(columns, fields)}, ensure_ascii=False)
        return line.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"
    raise ValueError(f"unknown format {fmt!r}; use csv, tsv or jsonl")


def _partial_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")


def write_rows(path, columns: Sequence[str], rows: Iterable[Sequence], fmt: str | None = None) -> int:
    """Write a table atomically; return the number of rows written.

    The rows go to a temporary file in the same folder, which replaces ``path`` only when
    every row is written, so a reader never sees half a file and an error leaves nothing
    behind. ``rows`` may be a generator (it is consumed once, row by row). Every file
    written here reads back identically with :func:`read_rows`, Python's ``csv`` module
    and pandas (see :func:`format_row` for the quoting rules).

    Parameters
    ----------
    path : str or Path
        Destination; its folder must exist.
    columns : sequence of str
        The header row (the keys for JSONL).
    rows : iterable of sequences
        One value per column; values are written with ``str()``.
    fmt : {"csv", "tsv", "jsonl"}, optional
        Default: from the suffix of ``path``.

    Raises
    ------
    ValueError
        A row with the wrong number of fields, or a TSV field holding a tab or line break.
    DataError
        An unknown suffix (when ``fmt`` is not given).
    """
    path = Path(path)
    fmt = fmt or file_format(path)
    columns = [str(c) for c in columns]
    tmp = _partial_name(path)
    n = 0
    try:
        with open(tmp, "x", encoding="utf-8", newline="") as f:
            if fmt != "jsonl":
                f.write(format_row(columns, fmt))
            for row in rows:
                row = list(row)
                if len(row) != len(columns):
                    raise ValueError(f"row {n + 1} has {len(row)} fields for {len(columns)} columns")
                f.write(format_row(row, fmt, columns))
                n += 1
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def write_labelled(path, data: "LabelledTexts", text_col: str = "text", label_col: str = "label",
                   id_col: str = "id") -> int:
    """Write ``data`` (ids, texts, labels, then its extra columns) with :func:`write_rows`.

    ``load_labelled(path, text_col, label_col, id_col)`` gives the same ids, texts, labels
    and extra columns back.
    """
    columns = [id_col, text_col, label_col] + list(data.extra)
    rows = ([data.ids[i], data.texts[i], data.labels[i]] + [data.extra[c][i] for c in data.extra]
            for i in range(len(data)))
    return write_rows(path, columns, rows)


# ----------------------------------------------------------------------------- warnings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


#: The strings ``pandas.read_csv`` reads as a missing value by default (its ``na_values``
#: documentation), the empty string aside (sftkit refuses an empty label).
PANDAS_NA_STRINGS = frozenset({
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
    "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})


def missing_value_label(label: str) -> bool:
    """True for a label pandas would read as a missing value (``"nan"``, ``"NA"``, ``"None"``, ``"null"`` ...)."""
    return str(label).strip() in PANDAS_NA_STRINGS


def _missing_hint(label: str) -> str:
    return (f"'{label}' is how a missing value is written (pandas.read_csv reads it as missing): give these rows "
            "their label, or remove them")


def label_warnings(data: "LabelledTexts | Sequence[str]") -> list[str]:
    """Labels that are probably one class written two ways, or no label at all, as one-line messages.

    Each distinct label becomes its own class, so ``"Spam"`` and ``"spam "`` or ``"1"``
    and ``"1.0"`` would be trained as different classes. Warned about:

    * labels equal after Unicode NFKC normalisation (full-width and half-width forms),
      case folding and collapsing white space ("differ only in case, spacing or width");
    * labels that read as the same number (``"1"``, ``"1.0"``, ``"01"``);
    * labels pandas reads as a missing value (:data:`PANDAS_NA_STRINGS`: ``"nan"``,
      ``"NA"``, ``"None"``, ``"null"`` ...), as written by ``df.to_csv`` of a missing label.

    Parameters
    ----------
    data : LabelledTexts or sequence of str
        The labelled data, or just its labels.

    Returns
    -------
    list of str
        One message per group of look-alike labels, naming each label and its count
        (and for a :class:`LabelledTexts`, the line it first appears on); empty when the
        labels are distinct. Nothing is changed: merge them in the file if they are one class.
    """
    labels = list(data.labels) if isinstance(data, LabelledTexts) else [str(v) for v in data]
    lines = data.lines if isinstance(data, LabelledTexts) else None
    counts = Counter(labels)
    first = {}
    for i, v in enumerate(labels):
        first.setdefault(v, i)

    def named(group):
        parts = []
        for v in sorted(group, key=lambda v: (-counts[v], v)):
            where = f", first on line {lines[first[v]]}" if lines else ""
            parts.append(f"{v!r} ({_plural(counts[v], 'row')}{where})")
        return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]

    def groups(key):
        out: dict = {}
        for v in counts:
            k = key(v)
            if k is not None:
                out.setdefault(k, []).append(v)
        return [g for g in out.values() if len(g) > 1]

    def spelling(v):
        return " ".join(unicodedata.normalize("NFKC", v).casefold().split())

    def number(v):
        try:
            x = float(unicodedata.normalize("NFKC", v).strip())
        except ValueError:
            return None
        return x if x == x else None  # nan is not equal to itself: no group

    messages = [f"label {named([v])} becomes a class of its own, but {_missing_hint(v)}"
                for v in sorted(counts) if missing_value_label(v)]
    messages += [f"labels {named(g)} differ only in case, spacing or width: each is its own class; "
                 "write them one way if they mean the same" for g in groups(spelling)]
    spelled = [set(g) for g in groups(spelling)]
    for g in groups(number):
        if any(set(g) <= s for s in spelled):
            continue
        messages.append(f"labels {named(g)} are the same number written differently: each is its own class; "
                        "write them one way if they mean the same")
    return messages


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
                            hint=_missing_hint(label) if missing_value_label(label) else
                            "add examples of it or remove it")
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
                            hint=_missing_hint(label) if missing_value_label(label) else
                            f"give it at least {need}, or pass --val and --test files")
    if len(counts) < 2:
        raise DataError(data.source, "only one class in the data", hint="a classifier needs at least two labels")
    idx = np.arange(len(data))
    n_test, n_val = round(len(data) * test_fraction), round(len(data) * val_fraction)
    rest, test_idx = train_test_split(idx, test_size=n_test, random_state=seed, stratify=data.labels)
    rest_labels = [data.labels[i] for i in rest]
    train_idx, val_idx = train_test_split(rest, test_size=n_val, random_state=(seed + 1) % 2**32,
                                          stratify=rest_labels)  # a second draw; stays in NumPy's seed range
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
                            hint=_missing_hint(label) if missing_value_label(label) else
                            f"give it at least {need}, or pass --{'val' if val is None else 'test'}")
    idx = np.arange(len(data))
    keep, part = train_test_split(idx, test_size=max(len(set(data.labels)), round(len(data) * fraction)),
                                  random_state=seed, stratify=data.labels)
    train, split = data.take(sorted(keep)), data.take(sorted(part))
    note = (f"split {len(split)} {missing} examples off {data.source} (seed {seed}, stratified); "
            f"{len(train)} remain for training")
    return (train, split, test, note) if val is None else (train, val, split, note)


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
    "zh_reviews": "Chinese product reviews (商品评论), positive/negative, with negation and contrast",
}


def load_bundled(name: str) -> dict[str, LabelledTexts]:
    """The bundled dataset ``name`` as ``{"train": ..., "val": ..., "test": ...}``."""
    if name not in BUNDLED:
        raise ValueError(f"no bundled dataset '{name}'; choose one of: {', '.join(BUNDLED)}")
    folder = data_dir() / name
    return {split: load_labelled(folder / f"{split}.csv") for split in SPLITS}
