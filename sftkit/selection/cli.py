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
* ``over_budget``: not dropped by any rule, but ranked below the ``--budget`` cut.

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
    "over_budget": "not dropped by any rule, but ranked below the --budget cut",
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
    p.add_argument("--budget", type=float, default=None,
                   help="keep at most this many rows: a fraction in (0, 1] of the input or a whole count "
                        "(default: keep every row the strategy does not drop). The best-scored rows are kept; "
                        "for noisy and pipeline those are the rows the models are surest of, easy and alike: on "
                        "the project's fresh benchmark corpus, random rows among the pipeline's kept rows trained "
                        "a better model at 1,000 and 2,500 rows. For those, run without --budget, then "
                        "--strategy random --budget N on the kept.csv it writes")
    p.add_argument("--balance", action="store_true", help="keep each class's share of the input within the budget")
    p.add_argument("--out", default="sftkit-select", help="output folder (default: sftkit-select)")
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    p.add_argument("--id-col", default="id", help="column with unique ids; row-N is used if absent (default: id)")
    p.add_argument("--seed", type=int, default=0, help="seed for folds, training and random subsets (default: 0)")
    p.add_argument("--folds", type=int, default=strategies.FOLDS,
                   help=f"K for out-of-fold probabilities (noisy, pipeline; default: {strategies.FOLDS})")
    p.add_argument("--epochs", type=int, default=strategies.EPOCHS,
                   help=f"epochs of every model trained while scoring (noisy, pipeline, diversity; "
                        f"default: {strategies.EPOCHS})")
    p.add_argument("--trusted", help="a small labelled file checked by hand (same columns): every out-of-fold "
                                     "model also trains on it (noisy, pipeline)")
    p.add_argument("--rounds", type=int, default=None,
                   help="rounds of out-of-fold training, each without the rows the previous round flagged "
                        f"(default: 1, or {strategies.TRUSTED_ROUNDS} with --trusted)")
    p.add_argument("--in-domain", help="file of in-domain texts (same --text-col) for the domain strategy")
    p.add_argument("--lm", metavar="DIR",
                   help="the general language model of the domain strategy (domain, pipeline): a folder written by "
                        "`sftkit pretrain` from general text like yours (default: the shipped one, which knows only "
                        "the English words of sftkit's bundled corpus)")
    p.add_argument("--threshold", type=float, default=strategies.DEDUP_THRESHOLD,
                   help="near-duplicate Jaccard similarity of character 5-gram sets, 2-grams in Chinese/Japanese "
                        "(dedup, filter, pipeline; "
                        f"default: {strategies.DEDUP_THRESHOLD})")
    from sftkit.config import TrainConfig, add_config_arguments

    model = p.add_argument_group("the models trained while scoring (noisy, pipeline, diversity)")
    add_config_arguments(model, TrainConfig, exclude=[f.name for f in dataclasses.fields(TrainConfig)
                                                      if f.name not in MODEL_FLAGS])
    p.set_defaults(func=cmd_select)
    return p


# the flags that are settings of the registry's strategies; each strategy gets those it takes
_SETTINGS = ("threshold", "folds", "epochs", "rounds", "seed", "trusted", "in_domain")
#: TrainConfig fields select offers as flags: how texts become tokens and how big the network is
MODEL_FLAGS = ("tokenizer", "sequence_length", "max_tokens", "embedding_dim", "lstm_units", "batch_size")


def _score(args, data):
    """``(Scores of args.strategy, the scorers it combines)`` for ``data``: read the extra files, call the registry."""
    from sftkit.cli import CliError
    from sftkit.data import DataError, LabelledTexts, load_labelled, read_rows

    takes = strategies.settings_of(args.strategy)
    for flag in ("trusted", "in_domain"):
        if getattr(args, flag) and flag not in takes:
            users = ", ".join(n for n in strategies.REGISTRY if flag in strategies.settings_of(n))
            raise CliError(f"--{flag.replace('_', '-')} is not used by the {args.strategy} strategy (only by {users})")
    settings = {name: getattr(args, name) for name in _SETTINGS if name in takes}
    if args.strategy == "domain" and not args.in_domain:
        raise CliError("the domain strategy needs --in-domain FILE (texts of the target domain)")
    if args.lm is not None:
        if "general" not in takes:
            users = ", ".join(n for n in strategies.REGISTRY if "general" in strategies.settings_of(n))
            raise CliError(f"--lm is not used by the {args.strategy} strategy (only by {users})")
        from sftkit.pretrain import PretrainedLM

        settings["general"] = PretrainedLM.load(args.lm)
    if settings.get("trusted"):
        settings["trusted"] = load_labelled(args.trusted, text_col=args.text_col, label_col=args.label_col,
                                            id_col=args.id_col)
    if settings.get("in_domain"):
        header, rows = read_rows(args.in_domain)
        if args.text_col not in header:
            raise DataError(args.in_domain, f"no column '{args.text_col}'", 1, hint="name it with --text-col")
        texts = [r.get(args.text_col, "") for _, r in rows]
        settings["in_domain"] = LabelledTexts.from_lists(texts, [""] * len(texts), source=args.in_domain)
    from sftkit.config import TrainConfig

    defaults = TrainConfig()
    changed = [n for n in MODEL_FLAGS if getattr(args, n) != getattr(defaults, n)]
    if changed and "config" not in takes:
        users = ", ".join(n for n in strategies.REGISTRY if "config" in strategies.settings_of(n))
        raise CliError(f"--{changed[0].replace('_', '-')} is not used by the {args.strategy} strategy "
                       f"(it trains no model; only {users} do)")
    if "config" in takes:
        settings["config"] = TrainConfig(**{name: getattr(args, name) for name in MODEL_FLAGS})
    if "progress" in takes:
        settings["progress"] = print
    scores = strategies.score(args.strategy, data, **settings)
    return scores, list(scores.extra.get("parts", {"": scores}).values())


def cmd_select(args) -> int:
    """Run ``sftkit select``; raises ``DataError`` (one line, exit 2 in ``sftkit``) for bad input."""
    from sftkit.data import DataError, load_labelled, write_rows
    from sftkit.selection.base import budget_count, select
    from sftkit.runs import check_output_folder, finish_run_dir, prepare_run_dir

    start = time.perf_counter()
    src = Path(args.data)
    data = load_labelled(src, text_col=args.text_col, label_col=args.label_col, id_col=args.id_col,
                         allow_empty_text=True)
    budget = None
    if args.budget is not None:
        budget = int(args.budget) if args.budget > 1 and args.budget == int(args.budget) else args.budget
        try:
            budget_count(budget, len(data))
        except ValueError as e:
            raise DataError(src, f"--budget {args.budget:g}: {e}") from None
    if args.strategy in ("random", "diversity") and args.budget is None:
        raise DataError(src, f"the {args.strategy} strategy needs --budget (a fraction or a count)")
    inputs = [p for p in (src, args.trusted, args.in_domain, args.lm) if p]
    check_output_folder(args.out, inputs=inputs)  # before the (long) scoring
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    scores, parts = _score(args, data)
    chosen = select(scores, budget, labels=data.labels, balance=args.balance)
    codes = reason_codes(parts, chosen.rejected)
    by_reason = dict(sorted(Counter(codes.values()).items()))
    notes = [n for p in parts for n in p.extra.get("notes", [])]
    if len(data) and not len(chosen.kept):
        notes.insert(0, f"warning: no row is left: {args.strategy} rejected all {len(data)} rows (see rejected.csv)")
    columns = [args.id_col, args.text_col, args.label_col] + list(data.extra)
    added = [c if c not in columns else f"select_{c}" for c in ("reason", "detail", "score")]
    rows = [[data.ids[i], data.texts[i], data.labels[i]] + [data.extra[c][i] for c in data.extra]
            for i in range(len(data))]
    out = Path(args.out)
    tmp = prepare_run_dir(out, inputs=inputs)
    try:
        write_rows(tmp / "kept.csv", columns, (rows[i] for i in chosen.kept))
        write_rows(tmp / "rejected.csv", columns + added,
                   (rows[i] + [codes[i], chosen.reason[i], f"{chosen.score[i]:.6g}"] for i in chosen.rejected))
        summary = {"data": str(src), "sha256": digest, "strategy": args.strategy, "budget": args.budget,
                   "balance": args.balance, "seed": args.seed, **chosen.summary(data.labels),
                   "rejected_by_reason": by_reason, "reason_codes": REASONS,
                   "input_per_class": data.counts(), "notes": notes, "seconds": round(time.perf_counter() - start, 1),
                   **{p.method: p.extra["summary"] for p in parts if "summary" in p.extra}}
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if hashlib.sha256(src.read_bytes()).hexdigest() != digest:
            raise DataError(src, "the input file changed while it was being read")
        finish_run_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    why = ", ".join(f"{code} {n}" for code, n in by_reason.items())
    print(f"{args.strategy}: kept {len(chosen.kept)} of {len(data)} rows, rejected {len(chosen.rejected)}"
          + (f" ({why})" if why else "") + f"; wrote {out.resolve()}")
    for note in notes:   # a warning on stderr, a note on stdout
        warning = note.startswith("warning")
        print(note if warning else f"note: {note}", file=sys.stderr if warning else sys.stdout)
    return 0
