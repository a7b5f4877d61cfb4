"""Where do duplicates, off-domain rows and junk start to hurt? Pools with more of each.

    python benchmarks/pool_rates.py --work DIR [--seed 7] [--levels 0.25 0.5] [--train-seeds 0]
                                    [--kinds ...] [--duplicates-of clean|any] [--no-bundled]

For each kind of bad row (``duplicate``, ``off_domain``, ``junk``) and each level, builds a
corpus with ``sftkit data build --seed SEED --pool-rates KIND=LEVEL,flipped=F`` (the code
path of that command: ``sftkit.synth.build_corpus``) into ``DIR/KIND-LEVEL``, plus one with
the bundled rates, and trains the classifier on

- the whole pool, and
- the pool after the one step made for that kind (``dedup`` for duplicates, ``quality``
  for junk, ``domain`` with 2,000 in-domain review texts for off-domain rows), selected
  with ``sftkit.selection.strategies.score`` and ``select`` as ``sftkit select`` does.

With ``--duplicates-of any`` the corpora are built with ``sftkit data build --duplicates-of any``
(near-duplicates copy any review, flipped ones with their wrong label, not only clean ones); their
rows are recorded under the kind ``duplicate(any)`` (``bundled(any)``, ...) in their own folders, so
rows from the default (``clean``) setting keep their old names and both can share one ``DIR``.
``--no-bundled`` skips the corpus with the bundled rates.

``F`` keeps the flipped labels at the bundled share of the review rows (2,000 of 7,900),
so a level changes one kind of bad row and the rows it crowds out, not the label noise.
Test accuracy is on that corpus's reviews/test.csv (scored once per model, steers nothing);
reviews/val.csv stops training early. Each finished model is a row of
``DIR/rows.csv`` (kind, rate, strategy, seed, n_train, accuracy); running the same command
again skips them. The defaults are frozen settings, not tuned: see benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from selection_cache import inputs  # noqa: E402

from sftkit.selection import select, strategies  # noqa: E402
from sftkit.selection.experiment import accuracy_after_training  # noqa: E402
from sftkit.synth import build_corpus  # noqa: E402
from sftkit.synth.build import DUPLICATES_OF, POOL_RATES  # noqa: E402

STEP = {"duplicate": "dedup", "junk": "quality", "off_domain": "domain"}
FIELDS = ("kind", "rate", "strategy", "seed", "n_train", "accuracy")
_ADDED = ("duplicate", "off_domain", "junk")
FLIP_SHARE_OF_REVIEWS = POOL_RATES["flipped"] / (1 - sum(POOL_RATES[k] for k in _ADDED))


def rates_for(kind: str | None, level: float | None) -> dict:
    """The pool rates of one level: ``kind`` at ``level``, flips at the bundled share of reviews."""
    rates = dict(POOL_RATES)
    if kind is not None:
        rates[kind] = level
    rates["flipped"] = round(FLIP_SHARE_OF_REVIEWS * (1 - sum(rates[k] for k in _ADDED)), 4)
    return rates


def make_plan(kinds, levels, duplicates_of=("clean",), bundled: bool = True) -> list[tuple]:
    """``(label, kind, level, duplicates_of)`` per corpus: the bundled rates (``kind`` None) unless
    ``bundled`` is false, then each kind at each level, for each setting of ``duplicates_of``.

    Labels are the kind (``duplicate``, ``bundled``) for the default ``clean`` setting, as in rows
    written before the setting existed, and ``duplicate(any)`` ... for ``any``.
    """
    plan = []
    for copies in dict.fromkeys(duplicates_of):
        suffix = "" if copies == "clean" else f"({copies})"
        plan += [("bundled" + suffix, None, None, copies)] if bundled else []
        plan += [(k + suffix, k, lv, copies) for k in kinds for lv in levels]
    return plan


def table(rows: list[dict], plan: list[tuple], train_seeds, kinds) -> list[str]:
    """The printed table: per corpus of ``plan`` and the step made for its kind (for the bundled
    rates: for each of ``kinds``), accuracy mean (min-max) over those of ``train_seeds`` found
    (``seeds``: how many) for the whole pool and after the step, rows kept, and the gain."""
    seeds = {str(seed) for seed in train_seeds}

    def spread(values):
        return f"{np.mean(values):.3f} ({min(values):.3f}-{max(values):.3f})"

    lines = [f"{'kind':<15} {'rate':>7} {'whole pool (min-max)':>22} {'after step (min-max)':>22} {'step':<8} "
             f"{'rows kept':>9} {'gain':>7} {'seeds':>5}"]
    for label, kind, level, _ in plan:
        rate = f"{rates_for(kind, level)[kind]:g}" if kind else "bundled"
        # seeds are str when read back from rows.csv and int when trained in this run
        here = [r for r in rows if r["kind"] == label and r["rate"] == rate and str(r["seed"]) in seeds]
        whole = [float(r["accuracy"]) for r in here if r["strategy"] == "whole pool"]
        steps = {STEP[k] for k in ([kind] if kind else kinds)}
        for strategy in sorted(steps & {r["strategy"] for r in here}):
            step = [float(r["accuracy"]) for r in here if r["strategy"] == strategy]
            n_kept = next(r["n_train"] for r in here if r["strategy"] == strategy)
            lines.append(f"{label:<15} {rate:>7} {spread(whole):>22} {spread(step):>22} {strategy:<8} "
                         f"{n_kept:>9} {np.mean(step) - np.mean(whole):>+7.3f} {len(step):>5}")
    return lines


def read_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", required=True, help="folder for the corpora and rows.csv (resumable)")
    ap.add_argument("--seed", type=int, default=7, help="corpus seed (default 7: not the bundled corpus)")
    ap.add_argument("--levels", type=float, nargs="+", default=[0.25, 0.5], help="shares of the pool to try")
    ap.add_argument("--kinds", nargs="+", choices=list(STEP), default=list(STEP))
    ap.add_argument("--train-seeds", type=int, nargs="+", default=[0], help="training seeds (default 0)")
    ap.add_argument("--threads", type=int, default=None, help="TensorFlow threads (default: all)")
    ap.add_argument("--duplicates-of", choices=DUPLICATES_OF, nargs="+", default=["clean"],
                    help="what the near-duplicates copy: clean (correctly labelled reviews only, the bundled "
                         "pool's way; default) or any (any review, flipped ones with their wrong label); "
                         "several are run in the order given")
    ap.add_argument("--no-bundled", action="store_true", help="skip the corpus with the bundled rates")
    args = ap.parse_args(argv)
    if args.threads:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    out = work / "rows.csv"
    rows = read_rows(out)
    done = {(r["kind"], r["rate"], r["strategy"], r["seed"]) for r in rows}
    start = time.perf_counter()
    plan = make_plan(args.kinds, args.levels, args.duplicates_of, bundled=not args.no_bundled)
    for label, kind, level, copies in plan:
        rates = rates_for(kind, level)
        folder = work / (f"{kind}-{level:g}" if kind else "bundled")
        if copies != "clean":
            folder = folder.with_name(f"{folder.name}-{copies}")
        if not (folder / "pool" / "pool.csv").exists():
            build_corpus(folder, seed=args.seed, pool_rates=rates, duplicates_of=copies)
        pool, truth, _, in_domain, reviews = inputs(folder)
        tried = {"whole pool": None}
        for k in [kind] if kind else args.kinds:
            tried[STEP[k]] = k
        rate = f"{rates[kind]:g}" if kind else "bundled"
        for strategy, step_kind in tried.items():
            for seed in args.train_seeds:
                key = (label, rate, strategy, str(seed))
                if key in done:
                    continue
                if strategy == "whole pool":
                    kept = np.arange(len(pool))
                else:
                    settings = {"in_domain": in_domain, "seed": 0} if strategy == "domain" else {}
                    kept = select(strategies.score(strategy, pool, **settings), None, labels=pool.labels,
                                  balance=False).kept
                acc = accuracy_after_training(pool.take(kept), reviews["test"], reviews["val"], seed=seed)
                rows.append(dict(zip(FIELDS, (label, rate, strategy, seed, len(kept), round(acc, 4)))))
                write_rows(out, rows)
                share = {s: int((truth["status"] == s).sum()) for s in ("clean", "flipped", *_ADDED)}
                share["duplicate wrongly labelled"] = int(((truth["status"] == "duplicate")
                                                           & (truth["true_label"] != np.array(pool.labels))).sum())
                print(f"{label:<10} {rate:>7} {strategy:<10} seed {seed} n={len(kept):>5} accuracy {acc:.3f} "
                      f"(pool {share}; {time.perf_counter() - start:.0f}s)", flush=True)
    print("\n" + "\n".join(table(rows, plan, args.train_seeds, args.kinds)))
    print(f"(mean and min-max over training seeds {args.train_seeds}; corpus seed {args.seed}; "
          f"kind(any): near-duplicates copy any review, flipped ones too)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
