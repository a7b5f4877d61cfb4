"""``sftkit select``: score a labelled file, keep the best rows, say why the others went.

Writes into ``--out``: ``kept.csv`` (the kept rows, the input's columns),
``rejected.csv`` (the other rows plus ``reason``, ``detail`` and ``score``) and
``summary.json``. Every input row is in exactly one of the two files; the input file is
never changed; the folder is written to a temporary place and moved into position only
when complete. Both CSV files are written by :func:`sftkit.data.write_rows`, so they read
back with sftkit, Python's ``csv`` module and pandas to exactly the input's rows.

The ``reason`` column holds one of a fixed set of codes (:data:`REASONS`):

* ``duplicate``: the same or nearly the same text as an earlier row (dedup);
* ``low_quality``: a quality rule failed: empty, too short or long, junk characters,
  repetitive, boilerplate, mostly unknown words (quality);
* ``label_issue``: out-of-fold models doubt the label (noisy);
* ``off_domain``: unlike the ``--in-domain`` texts (domain);
* ``over_budget``: not dropped by any rule, but ranked below the ``--budget`` cut, or tied
  at the cut and later in the file (``detail`` says which).

``detail`` says what the scorer saw (which quality rule, which row a duplicate copies, the
model's label and probability). The counts printed at the end and the
``rejected_by_reason`` of ``summary.json`` count these codes, row for row as in
``rejected.csv``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from sftkit.selection import strategies

#: The reason codes of rejected.csv, and what each means.
REASONS = {
    "duplicate": "the same or nearly the same text as an earlier row",
    "low_quality": "a quality rule failed (empty, too short or long, junk characters, repetitive, boilerplate, "
                   "mostly unknown words)",
    "label_issue": "out-of-fold models doubt the given label",
    "off_domain": "unlike the --in-domain texts",
    "over_budget": "not dropped by any rule, but ranked below the --budget cut, or tied at the cut and later in "
                   "the file (ties keep file order)",
}

# the Scores.method of each scorer that drops rows -> its reason code
_DROP_CODES = {"dedup": "duplicate", "quality": "low_quality", "noisy": "label_issue", "domain": "off_domain"}


def reason_codes(parts, rejected) -> dict[int, str]:
    """The reason code of each rejected row: the first scorer in ``parts`` that dropped it, else over_budget.

    Parameters
    ----------
    parts : sequence of Scores
        The scorers behind the selection, in the order they were combined.
    rejected : sequence of int
        Row indices of the rejected rows.

    Returns
    -------
    dict
        Row index -> one of :data:`REASONS`.
    """
    out = {}
    for i in rejected:
        i = int(i)
        dropper = next((p for p in parts if p.drop[i]), None)
        out[i] = "over_budget" if dropper is None else _DROP_CODES[dropper.method]
    return out


def add_parser(subparsers):
    """Add the ``select`` subcommand to ``sftkit``'s subparsers."""
    p = subparsers.add_parser(
        "select", help="data selection: drop bad rows, keep the most useful ones",
        description="Score every row of a labelled file with a data-selection strategy (数据选择) and write "
                    "kept.csv, rejected.csv (with each row's reason and score) and summary.json. "
                    "Strategies: " + "; ".join(f"{k}: {v}" for k, v in strategies.DESCRIPTIONS.items()) + ".")
    p.add_argument("--data", required=True, help="labelled file (.csv, .tsv or .jsonl); it is never changed")
    p.add_argument("--strategy", required=True, choices=list(strategies.REGISTRY), help="how to score the rows")
    p.add_argument("--budget", default=None,
                   help="keep at most this many rows: a whole count (1 = one row), a fraction with a decimal "
                        "point in (0, 1] (1.0 = every row) or a percentage (10%%) of the input "
                        "(default: keep every row the strategy does not drop). The best-scored rows are kept; "
                        "rows tied at the cut (every row a rule-only strategy - dedup, quality, filter - keeps "
                        "scores the same) are kept in file order. For noisy and pipeline the best-scored rows "
                        "are the rows the models are surest of, easy and alike: on the project's fresh benchmark "
                        "corpus, random rows among the kept rows of the pipeline (with 1,000 trusted rows) trained "
                        "a better model at 1,000 and 2,500 rows. For those, run without --budget, then "
                        "--strategy random --budget N on the kept.csv it writes")
    p.add_argument("--balance", action="store_true",
                   help="with --budget: keep each class's share of the input (at least one row of every class "
                        "the strategy does not drop entirely, when the budget has room)")
    p.add_argument("--out", default="sftkit-select",
                   help="output folder (default: sftkit-select); an earlier select run's folder is replaced, a "
                        "folder holding other files is refused")
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    p.add_argument("--id-col", default=None,
                   help="column with unique ids (default: id, and rows are numbered row-1, row-2 ... if the file "
                        "has no 'id' column; a column named here must exist)")
    p.add_argument("--seed", type=int, default=None,
                   help=f"seed for folds, training and random subsets, an integer in [0, {strategies.SEED_MAX}] "
                        "(noisy, domain, diversity, random, pipeline; default: 0)")
    p.add_argument("--folds", type=int, default=None,
                   help=f"K for out-of-fold probabilities, at least 2 and at most the rows of the largest class "
                        f"(noisy, pipeline; default: {strategies.FOLDS})")
    p.add_argument("--epochs", type=int, default=None,
                   help=f"epochs of every model trained while scoring (noisy, pipeline, diversity; "
                        f"default: {strategies.EPOCHS})")
    p.add_argument("--trusted", help="a small labelled file checked by hand, with the same column names and "
                                     "labels as --data: every out-of-fold model also trains on it (noisy, pipeline)")
    p.add_argument("--rounds", type=int, default=None,
                   help="rounds of out-of-fold training, each without the rows the previous round flagged "
                        f"(noisy, pipeline; default: 1, or {strategies.TRUSTED_ROUNDS} with --trusted)")
    p.add_argument("--in-domain", help="file of in-domain texts (same --text-col) for the domain strategy")
    p.add_argument("--lm", metavar="DIR",
                   help="the general language model of the domain strategy (domain, pipeline): a folder written by "
                        "`sftkit pretrain` from general text like yours (default: the shipped one, which knows only "
                        "the English words of sftkit's bundled corpus)")
    p.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate Jaccard similarity of character shingle sets, shingles about a word long "
                        "(5 characters; 2 in Chinese/Japanese; 3 in Thai/Lao/Khmer/Myanmar), in (0, 1]; 1 = only "
                        f"texts with the same shingles (dedup, filter, pipeline; default: {strategies.DEDUP_THRESHOLD})")
    from sftkit.config import TrainConfig, add_config_arguments

    model = p.add_argument_group("the models trained while scoring (noisy, pipeline, diversity)")
    add_config_arguments(model, TrainConfig, exclude=[f.name for f in dataclasses.fields(TrainConfig)
                                                      if f.name not in MODEL_FLAGS])
    p.set_defaults(func=cmd_select)
    return p


# the flags that are settings of the registry's strategies; each strategy gets those it takes
_SETTINGS = ("threshold", "folds", "epochs", "rounds", "seed", "trusted", "in_domain")
# what a numeric setting is when its flag is not given
_DEFAULTS = {"threshold": strategies.DEDUP_THRESHOLD, "folds": strategies.FOLDS, "epochs": strategies.EPOCHS,
             "seed": 0, "rounds": None}
#: TrainConfig fields select offers as flags: how texts become tokens and how big the network is
MODEL_FLAGS = ("tokenizer", "sequence_length", "max_tokens", "embedding_dim", "lstm_units", "batch_size")
#: The files select writes into --out (besides sftkit's marker). A folder holding anything else
#: is refused, so re-running never deletes a file the user put there.
OUTPUT_FILES = ("kept.csv", "rejected.csv", "summary.json")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _users(setting: str) -> str:
    return ", ".join(n for n in strategies.REGISTRY if setting in strategies.settings_of(n))


def parse_budget(text: str | None) -> int | float | None:
    """``--budget`` as :func:`~sftkit.selection.base.budget_count` takes it.

    ``"200"`` and ``"1"`` are counts (int: 200 rows, one row); ``"0.25"`` and ``"1.0"``
    fractions (float; ``1.0`` = every row); ``"25%"`` a percentage (the float 0.25); a
    whole number with a decimal point above 1 (``"200.0"``) a count.

    Raises
    ------
    CliError
        Anything else (0, negative, nan, inf, a fraction above 1 that is not whole, a
        percentage outside (0%, 100%], text that is not a number), in one line.
    """
    import math

    from sftkit.cli import CliError

    if text is None:
        return None
    raw = str(text).strip()
    bad = CliError(f"--budget must be a whole count >= 1 (1 = one row), a fraction in (0, 1] (1.0 = every row) "
                   f"or a percentage in (0%, 100%]; got {text!r}")
    if raw.endswith("%"):
        try:
            pct = float(raw[:-1])
        except ValueError:
            raise bad from None
        if not (math.isfinite(pct) and 0 < pct <= 100):
            raise bad
        return pct / 100
    if raw.isdigit() or (raw.startswith("+") and raw[1:].isdigit()):
        if int(raw) < 1:
            raise bad
        return int(raw)
    try:
        value = float(raw)
    except ValueError:
        raise bad from None
    if not math.isfinite(value) or value <= 0 or (value > 1 and value != int(value)):
        raise bad
    return int(value) if value > 1 else value


def _check_flags(args) -> tuple[dict, int | float | None]:
    """Every flag checked before any file is read; returns the strategy's settings (files still as
    paths) and the budget (:func:`parse_budget`).

    Raises ``CliError``/``ConfigError`` for a flag the strategy does not use, a value out of
    range, a missing --in-domain/--budget, --balance without --budget, or one column named
    by two of --text-col/--label-col/--id-col.
    """
    from sftkit.cli import CliError
    from sftkit.config import TrainConfig

    takes = strategies.settings_of(args.strategy)
    for name in _SETTINGS:
        if getattr(args, name) is not None and name not in takes:
            raise CliError(f"{_flag(name)} is not used by the {args.strategy} strategy (only by {_users(name)})")
    defaults = TrainConfig()
    changed = [n for n in MODEL_FLAGS if getattr(args, n) != getattr(defaults, n)]
    if changed and "config" not in takes:
        raise CliError(f"{_flag(changed[0])} is not used by the {args.strategy} strategy "
                       f"(it trains no model; only {_users('config')} do)")
    if args.strategy == "domain" and not args.in_domain:
        raise CliError("the domain strategy needs --in-domain FILE (texts of the target domain)")
    if args.lm is not None and "general" not in takes:
        raise CliError(f"--lm is not used by the {args.strategy} strategy (only by {_users('general')})")
    budget = parse_budget(args.budget)
    if args.strategy in ("random", "diversity") and args.budget is None:
        raise CliError(f"the {args.strategy} strategy needs --budget (a count, a fraction or a percentage)")
    if args.balance and args.budget is None:
        raise CliError("--balance needs --budget (without a budget every row the strategy does not drop is kept)")
    columns = {"--text-col": args.text_col, "--label-col": args.label_col, "--id-col": args.id_col or "id"}
    named = list(columns.items())
    for i, (flag_a, col_a) in enumerate(named):
        for flag_b, col_b in named[i + 1:]:
            if col_a == col_b:
                default = " (its default)" if flag_b == "--id-col" and args.id_col is None else ""
                raise CliError(f"{flag_a} and {flag_b}{default} are both '{col_a}'; each must name its own column")
    settings = {}
    for name in _SETTINGS:
        if name in takes:
            value = getattr(args, name)
            settings[name] = _DEFAULTS.get(name) if value is None else value
    strategies.check_settings(args.strategy, **{k: v for k, v in settings.items() if k not in ("in_domain",)})
    if "config" in takes:
        settings["config"] = TrainConfig(**{name: getattr(args, name) for name in MODEL_FLAGS})  # checks them
    return settings, budget


def _score(args, data, settings: dict):
    """``(Scores of args.strategy, the scorers it combines)`` for ``data``: read the extra files, call the registry."""
    from sftkit.cli import CliError
    from sftkit.data import DataError, LabelledTexts, load_labelled, read_rows

    takes = strategies.settings_of(args.strategy)
    settings = dict(settings)
    if args.lm is not None:
        from sftkit.pretrain import PretrainedLM

        settings["general"] = PretrainedLM.load(args.lm)
    if settings.get("trusted"):
        if _same_file(args.trusted, args.data):
            raise CliError(f"--trusted {args.trusted} is the --data file itself: every out-of-fold model would "
                           "train on the rows it judges; give a separate file of rows checked by hand")
        try:
            settings["trusted"] = load_labelled(args.trusted, text_col=args.text_col, label_col=args.label_col,
                                                id_col=args.id_col or "id")
        except DataError as e:
            if not e.problem.startswith("no column"):
                raise
            raise DataError(args.trusted, e.problem, e.line,
                            hint=f"the --trusted file must use the same column names as --data "
                                 f"({args.text_col}, {args.label_col})") from None
    if settings.get("in_domain"):
        header, rows = read_rows(args.in_domain)
        if args.text_col not in header:
            raise DataError(args.in_domain, f"no column '{args.text_col}'", 1,
                            hint=f"the --in-domain file must use the text column name of --data ('{args.text_col}')")
        texts = [r.get(args.text_col, "") for _, r in rows]
        settings["in_domain"] = LabelledTexts.from_lists(texts, [""] * len(texts), source=args.in_domain)
    if "progress" in takes:
        settings["progress"] = print
    scores = strategies.score(args.strategy, data, **settings)
    return scores, list(scores.extra.get("parts", {"": scores}).values())


def _same_file(a, b) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _free_name(name: str, taken) -> str:
    """``name``, else ``select_name``, else ``select_name_2`` ...: the first not in ``taken``."""
    if name not in taken:
        return name
    candidate, n = f"select_{name}", 2
    while candidate in taken:
        candidate, n = f"select_{name}_{n}", n + 1
    return candidate


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _warn(line: str) -> None:
    import sys

    print(f"sftkit: warning: {line}", file=sys.stderr)


def cmd_select(args) -> int:
    """Run ``sftkit select``; raises ``DataError``/``CliError`` (one line, exit 2 in ``sftkit``) for bad input."""
    from sftkit import __version__
    from sftkit.cli import CliError
    from sftkit.data import DataError, label_warnings, load_labelled, write_rows
    from sftkit.selection.base import budget_count, select
    from sftkit.runs import check_output_folder, finish_run_dir, prepare_run_dir

    start = time.perf_counter()
    settings, budget = _check_flags(args)                # every flag, before any file is read
    src = Path(args.data)
    inputs = [p for p in (src, args.trusted, args.in_domain, args.lm) if p]
    check_output_folder(args.out, inputs=inputs, own_files=OUTPUT_FILES)
    id_col = args.id_col or "id"
    data = load_labelled(src, text_col=args.text_col, label_col=args.label_col, id_col=id_col,
                         allow_empty_text=True, require_id=args.id_col is not None)
    for line in label_warnings(data):
        _warn(line)
    k = budget_count(budget, len(data))
    if k == 0:
        raise CliError(f"--budget {args.budget} keeps 0 of the {len(data)} rows of {src}; give at least one row")
    digest = _sha256(src)
    scores, parts = _score(args, data, settings)
    chosen = select(scores, budget, labels=data.labels, balance=args.balance)
    codes = reason_codes(parts, chosen.rejected)
    by_reason = dict(sorted(Counter(codes.values()).items()))
    notes = [n for p in parts for n in p.extra.get("notes", [])]
    if len(data) and not len(chosen.kept):
        notes.insert(0, f"warning: no row is left: {args.strategy} rejected all {len(data)} rows (see rejected.csv)")
    columns = [id_col, args.text_col, args.label_col] + list(data.extra)
    added = []
    for c in ("reason", "detail", "score"):
        added.append(_free_name(c, columns + added))
    rows = [[data.ids[i], data.texts[i], data.labels[i]] + [data.extra[c][i] for c in data.extra]
            for i in range(len(data))]
    out = Path(args.out)
    used = {name: v for name, v in settings.items() if name not in ("trusted", "in_domain", "config", "progress")}
    if "rounds" in used and used["rounds"] is None:
        used["rounds"] = strategies.TRUSTED_ROUNDS if args.trusted else 1
    for name in ("trusted", "in_domain"):
        if settings.get(name):
            path = getattr(args, name)
            used[name] = {"path": str(path), "sha256": _sha256(path)}
    if "config" in settings:
        used["model"] = {n: getattr(settings["config"], n) for n in MODEL_FLAGS}
    tmp = prepare_run_dir(out, inputs=inputs, own_files=OUTPUT_FILES)
    try:
        write_rows(tmp / "kept.csv", columns, (rows[i] for i in chosen.kept))
        write_rows(tmp / "rejected.csv", columns + added,
                   (rows[i] + [codes[i], chosen.reason[i], f"{chosen.score[i]:.6g}"] for i in chosen.rejected))
        summary = {"written_by": f"sftkit {__version__}", "data": str(src), "sha256": digest,
                   "strategy": args.strategy, "budget": args.budget, "budget_rows": k if budget is not None else None,
                   "balance": args.balance, "settings": used, "columns": {"id": id_col, "text": args.text_col,
                                                                          "label": args.label_col},
                   **chosen.summary(data.labels),
                   "rejected_by_reason": by_reason, "reason_codes": REASONS,
                   "input_per_class": data.counts(), "notes": notes, "seconds": round(time.perf_counter() - start, 1),
                   **{p.method: p.extra["summary"] for p in parts if "summary" in p.extra}}
        if "seed" in used:
            summary["seed"] = used["seed"]
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if _sha256(src) != digest:
            raise DataError(src, "the input file changed while it was being read")
        finish_run_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    kept_classes = {data.labels[i] for i in chosen.kept}
    undropped = {data.labels[i] for i in range(len(data)) if not scores.drop[i]}
    lost = sorted(undropped - kept_classes)
    if args.balance and lost:
        _warn(f"--balance: class(es) {', '.join(repr(c) for c in lost)} got no row: --budget {args.budget} "
              f"({k} rows) has fewer places than the {len(undropped)} classes")
    ties = sum(1 for i in chosen.rejected if codes[i] == "over_budget" and "ties the cut" in chosen.reason[i])
    if ties:
        print(f"note: {ties} rows tied at the cut with kept rows were left out by file order; for a random "
              f"subset, run without --budget, then --strategy random --budget {args.budget} on kept.csv")
    why = ", ".join(f"{code} {n}" for code, n in by_reason.items())
    whole = f" (--budget {args.budget} = every row)" if budget == 1.0 and isinstance(budget, float) else ""
    print(f"{args.strategy}: kept {len(chosen.kept)} of {len(data)} rows{whole}, rejected {len(chosen.rejected)}"
          + (f" ({why})" if why else "") + f"; wrote {out.resolve()}")
    for note in notes:   # a warning on stderr, a note on stdout
        if note.startswith("warning: "):
            _warn(note[len("warning: "):])
        else:
            print(f"note: {note}")
    return 0
