"""How does `sftkit train` compare with the simple thing? TF-IDF + logistic regression beside it.

A user's first question about their own data. On the same train/validation/test splits:

1. the baseline: TF-IDF on word 1-2-grams (space-separated scripts) or on character
   1-2-grams (Chinese and other scripts without spaces, decided by
   ``sftkit.text.cjk_share`` as the tokenizer's ``auto`` does), sublinear term
   frequencies, then scikit-learn's ``LogisticRegression`` with ``C`` chosen by
   validation accuracy;
2. ``sftkit train`` with its defaults: the library's own workflow (``run_workflow``,
   default ``TrainConfig``, tokenizer ``auto``), the code path the command runs.

Each model is scored once on the test split; prints accuracy and macro F1 for both
(the same ``sftkit.evaluate.report``; both decide by the most probable class), the
accuracy per ``subset`` when the test file has that column, and the difference.

Run:
    python benchmarks/baseline.py FILE [--val-fraction 0.1 --test-fraction 0.1 --seed 0]
    python benchmarks/baseline.py --train T.csv --val V.csv --test S.csv
    python benchmarks/baseline.py --bundled zh_reviews      # data/zh_reviews/{train,val,test}.csv
Options: --text-col/--label-col (default text/label), --baseline-only, --seeds 0 1 2
(train the LSTM with several seeds and print each and the mean).
Exit code 2 for bad input (a one-line message naming the file and the problem).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

# The baseline itself is library code (sftkit.baseline), shared with the lessons (lesson 11).


def baseline_analyzer(texts) -> str:
    """``"char"`` for text mostly in scripts without spaces, else ``"word"`` (:func:`sftkit.baseline.baseline_analyzer`)."""
    from sftkit.baseline import baseline_analyzer as analyzer

    return analyzer(texts)


def tfidf_logreg(train, val, test, analyzer: str | None = None) -> dict:
    """TF-IDF 1-2-grams + logistic regression, C chosen on validation (:func:`sftkit.baseline.tfidf_logreg`)."""
    from sftkit.baseline import tfidf_logreg as fit_and_score

    return fit_and_score(train, val, test, analyzer)


def sftkit_defaults(train, val, test, seed: int = 0) -> dict:
    """``sftkit train`` with its default config on these splits (no run folder)."""
    try:
        from sftkit.workflow import run_workflow
    except ImportError:  # before the split of sftkit/train.py
        from sftkit.train import run_workflow
    try:
        from sftkit.config import TrainConfig
    except ImportError:
        from sftkit.train import TrainConfig
    from sftkit.text import resolve_tokenizer

    result = run_workflow(train, val, test, config=TrainConfig().replace(seed=seed), progress=None, verbose=0)
    config = TrainConfig()
    return {"tokenizer": resolve_tokenizer(config.tokenizer, train.texts), "val": result.validation,
            "test": result.test, "epochs": len(result.classifier.history.get("loss", [])),
            # the most probable class, as in the test report's accuracy (and the baseline's predict)
            "predicted": [result.classifier.classes[i]
                          for i in result.classifier.predict_proba(test.texts).argmax(axis=1)]}


def subset_accuracy(test, predicted) -> str:
    """``" (standard 0.912, unseen_words 0.550)"`` when the test file has a ``subset`` column."""
    subsets = test.extra.get("subset")
    if not subsets:
        return ""
    parts = []
    for name in sorted(set(subsets)):
        idx = [i for i, s in enumerate(subsets) if s == name]
        parts.append(f"{name} {np.mean([predicted[i] == test.labels[i] for i in idx]):.3f}")
    return " (" + ", ".join(parts) + ")"


def _load(args):
    from sftkit.data import data_dir, load_labelled, stratified_split

    cols = dict(text_col=args.text_col, label_col=args.label_col)
    if args.bundled:
        folder = data_dir() / args.bundled
        return tuple(load_labelled(folder / f"{s}.csv", **cols) for s in ("train", "val", "test"))
    if args.file:
        data = load_labelled(args.file, **cols)
        return stratified_split(data, args.val_fraction, args.test_fraction, seed=args.seed)
    return tuple(load_labelled(p, **cols) for p in (args.train, args.val, args.test))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("file", nargs="?", help="one labelled file, split stratified into train/val/test")
    p.add_argument("--train")
    p.add_argument("--val")
    p.add_argument("--test")
    p.add_argument("--bundled", help="a bundled dataset folder under data/, e.g. zh_reviews")
    p.add_argument("--text-col", default="text")
    p.add_argument("--label-col", default="label")
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--test-fraction", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0, help="seed of the split of FILE")
    p.add_argument("--seeds", type=int, nargs="+", default=[0], help="seeds of the sftkit model")
    p.add_argument("--baseline-only", action="store_true")
    args = p.parse_args(argv)
    given = [bool(args.file), bool(args.bundled), any((args.train, args.val, args.test))]
    if sum(given) != 1 or (given[2] and not all((args.train, args.val, args.test))):
        p.error("give one labelled FILE, or --bundled NAME, or all of --train, --val and --test")
    from sftkit.data import DataError

    try:
        train, val, test = _load(args)
    except (DataError, FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"data: {len(train)} train / {len(val)} validation / {len(test)} test; classes "
          f"{', '.join(sorted(set(train.labels)))}")
    t0 = time.perf_counter()
    base = tfidf_logreg(train, val, test)
    print(f"baseline  TF-IDF {base['analyzer']} 1-2-grams + logistic regression (C={base['C']:g} on validation): "
          f"val accuracy {base['val'].accuracy:.3f} | test accuracy {base['test'].accuracy:.3f}, "
          f"macro F1 {base['test'].macro_f1:.3f}{subset_accuracy(test, base['predicted'])}  "
          f"({time.perf_counter() - t0:.0f} s)")
    if args.baseline_only:
        return 0
    accs, f1s = [], []
    for seed in args.seeds:
        t0 = time.perf_counter()
        ours = sftkit_defaults(train, val, test, seed=seed)
        accs.append(ours["test"].accuracy)
        f1s.append(ours["test"].macro_f1)
        print(f"sftkit train defaults (tokenizer {ours['tokenizer']}, seed {seed}, {ours['epochs']} epochs): "
              f"val accuracy {ours['val'].accuracy:.3f} | test accuracy {ours['test'].accuracy:.3f}, "
              f"macro F1 {ours['test'].macro_f1:.3f}{subset_accuracy(test, ours['predicted'])}  "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    if len(args.seeds) > 1:
        print(f"sftkit train defaults, mean over {len(args.seeds)} seeds: test accuracy {np.mean(accs):.3f} "
              f"(min {min(accs):.3f}), macro F1 {np.mean(f1s):.3f}")
    print(f"difference (sftkit - baseline): test accuracy {np.mean(accs) - base['test'].accuracy:+.3f}, "
          f"macro F1 {np.mean(f1s) - base['test'].macro_f1:+.3f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
