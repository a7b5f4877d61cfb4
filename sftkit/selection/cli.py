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

import hashlib
import json
import shutil
import time
from collections import Counter
from pathlib import Path

STRATEGIES = {
    "dedup": "drop exact and near-duplicates (MinHash LSH), keep the first of each group",
    "quality": "drop empty, too short/long, junk-character, repetitive and boilerplate texts",
    "filter": "dedup + quality (no model needed; fast)",
    "noisy": "confident learning on K-fold out-of-fold probabilities: drop likely wrong labels (trains K models "
             "per round; with --trusted, drops rows whose label the last round's models do not predict)",
    "domain": "Moore-Lewis cross-entropy difference against --in-domain texts (uses the shipped language model; "
              "the cut is the 95th percentile of 20% of those texts held out from the adaptation)",
    "diversity": "greedy k-center on a classifier's sentence embeddings (use with --budget)",
    "random": "a seeded random subset of --budget rows (the baseline every strategy must beat)",
    "pipeline": "filter, then noisy, then domain if --in-domain is given",
}

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
_DROP_CODES = {"dedup": "duplicate", "quality": "low_quality", "confident_learning": "label_issue",
               "disagreement": "label_issue", "domain": "off_domain"}


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
                    "Strategies: " + "; ".join(f"{k}: {v}" for k, v in STRATEGIES.items()) + ".")
    p.add_argument("--data", required=True, help="labelled file (.csv, .tsv or .jsonl); it is never changed")
    p.add_argument("--strategy", required=True, choices=sorted(STRATEGIES), help="how to score the rows")
    p.add_argument("--budget", type=float, default=None,
                   help="keep at most this many rows: a fraction in (0, 1] of the input or a whole count "
                        "(default: keep every row the strategy does not drop)")
    p.add_argument("--balance", action="store_true", help="keep each class's share of the input within the budget")
    p.add_argument("--out", default="sftkit-select", help="output folder (default: sftkit-select)")
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    p.add_argument("--id-col", default="id", help="column with unique ids; row-N is used if absent (default: id)")
    p.add_argument("--seed", type=int, default=0, help="seed for folds, training and random subsets (default: 0)")
    p.add_argument("--folds", type=int, default=5, help="K for out-of-fold probabilities (noisy, pipeline; default: 5)")
    p.add_argument("--epochs", type=int, default=8, help="most epochs per trained model (default: 8)")
    p.add_argument("--trusted", help="a small labelled file checked by hand (same columns): every out-of-fold "
                                     "model also trains on it (noisy, pipeline)")
    p.add_argument("--rounds", type=int, default=None,
                   help="rounds of out-of-fold training, each without the rows the previous round flagged "
                        "(default: 1, or 4 with --trusted)")
    p.add_argument("--in-domain", help="file of in-domain texts (same --text-col) for the domain strategy")
    p.add_argument("--threshold", type=float, default=0.8,
                   help="near-duplicate Jaccard similarity of character 5-gram sets (default: 0.8)")
    p.set_defaults(func=cmd_select)
    return p


def _score(args, data):
    """``(Scores of the chosen strategy, the scorers it combines)`` for ``data``."""
    import numpy as np

    from sftkit.data import DataError, read_rows
    from sftkit.selection import base, dedup, quality

    name = args.strategy
    if name == "random":
        rng = np.random.default_rng(args.seed)
        only = base.Scores("random", rng.random(len(data)), [""] * len(data))
        return only, [only]
    parts = []  # a row several scorers drop is explained by the first: junk that is also a copy is low_quality
    if name in ("quality", "filter", "pipeline"):
        parts.append(quality.quality_scores(data.texts))
    if name in ("dedup", "filter", "pipeline"):
        parts.append(dedup.dedup_scores(data.texts, data.ids, threshold=args.threshold))
    if name in ("noisy", "pipeline", "diversity"):
        if len(set(data.labels)) < 2:
            raise DataError(data.source, "only one class; label-based strategies need at least two")
        if args.folds < 2:
            raise DataError(data.source, "--folds must be at least 2")
    if name in ("noisy", "pipeline"):
        from sftkit.selection import noisy

        rounds = args.rounds if args.rounds is not None else (4 if args.trusted else 1)
        if rounds < 1:
            raise DataError(args.data, "--rounds must be at least 1")
        trusted = {}
        if args.trusted:
            from sftkit.data import load_labelled

            t = load_labelled(args.trusted, text_col=args.text_col, label_col=args.label_col, id_col=args.id_col)
            unknown = sorted(set(t.labels) - set(data.classes))
            if unknown:
                raise DataError(args.trusted, f"label(s) {', '.join(unknown)} do not occur in {args.data}")
            trusted = dict(trusted_texts=t.texts, trusted_labels=t.labels)
        probas = noisy.iterative_out_of_fold(data.texts, data.labels, rounds=rounds, k=args.folds, seed=args.seed,
                                             epochs=args.epochs, progress=print, **trusted)
        kind = "disagreement" if args.trusted else "confident_learning"
        parts.append(noisy.noisy_label_scores(probas[-1], data.labels, data.classes, kind=kind))
    if name == "domain" or (name == "pipeline" and args.in_domain):
        if not args.in_domain:
            raise DataError(args.data, "the domain strategy needs --in-domain FILE (texts of the target domain)")
        from sftkit.pretrain import load_shipped
        from sftkit.selection import domain

        header, ref_rows = read_rows(args.in_domain)
        if args.text_col not in header:
            raise DataError(args.in_domain, f"no column '{args.text_col}'", 1, hint="name it with --text-col")
        ref = [r[args.text_col] for _, r in ref_rows if r.get(args.text_col, "").strip()]
        if len(ref) < 20:
            raise DataError(args.in_domain, f"only {len(ref)} in-domain texts", hint="give at least 20")
        # adapt on 80% of the in-domain texts; the other 20%, unseen by both models, set the
        # cut: a row is off-domain when its difference is above 95% of theirs
        order = np.random.default_rng(args.seed).permutation(len(ref))
        n_held = max(10, len(ref) // 5)
        held, adapt = [ref[i] for i in order[:n_held]], [ref[i] for i in order[n_held:]]
        general = load_shipped()
        adapted = domain.in_domain_lm(general, adapt, seed=args.seed)
        cut = domain.threshold_from(domain.cross_entropy_difference(held, general, adapted), 0.95)
        diff = domain.cross_entropy_difference(data.texts, general, adapted)
        parts.append(domain.domain_scores(diff, threshold=cut))
    if name == "diversity":
        from sftkit.selection import diversity
        from sftkit.finetune import fit_text_classifier

        clf = fit_text_classifier(data.texts, data.labels, epochs=args.epochs, seed=args.seed)
        parts.append(diversity.diversity_scores(diversity.encoder_embeddings(clf, data.texts)))
    return (parts[0] if len(parts) == 1 else base.combine(*parts, method=name)), parts


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
    inputs = [p for p in (src, args.trusted, args.in_domain) if p]
    check_output_folder(args.out, inputs=inputs)  # before the (long) scoring
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    scores, parts = _score(args, data)
    chosen = select(scores, budget, labels=data.labels, balance=args.balance)
    codes = reason_codes(parts, chosen.rejected)
    by_reason = dict(sorted(Counter(codes.values()).items()))
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
                   "input_per_class": data.counts(), "seconds": round(time.perf_counter() - start, 1)}
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
    return 0
