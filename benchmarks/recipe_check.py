"""Validation accuracy of the library's defaults and a few named variants, through the user's path.

Each run is :func:`sftkit.finetune.fit_text_classifier` from the shipped pretrained model on a
stratified sample of ``reviews/train.csv`` (the bundled reviews, or ``--data-dir``), with
early stopping on ``reviews/val.csv``, scored on that same validation split. The test split
is never read. Prints one line per run and the mean over seeds per variant and budget.

Variants (``TrainConfig`` overrides; ``half`` = the head alone for half the epoch budget):

* ``defaults``: the library's defaults;
* ``concat``: ``pooling="concat"`` (ULMFiT's concat pooling);
* ``old``: an approximation of the recipe before issue 12: the head alone for half the
  epochs, then the LSTM at 0.3 x the head's rate (``freeze_epochs=half``,
  ``group_lr_factor=1/0.3``); the embedding stays frozen (before, it trained at 0.3 x), and
  early stopping watches every epoch (before, it started after the frozen half).

    nice -n 10 python benchmarks/recipe_check.py --budgets 50 100 --seeds 0 1 2
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from sftkit.config import TrainConfig
from sftkit.data import load_bundled, load_labelled, stratified_sample
from sftkit.finetune import fit_text_classifier
from sftkit.pretrain import load_shipped

VARIANTS = {
    "defaults": {},
    "concat": {"pooling": "concat"},
    "old": {"freeze_epochs": "half", "group_lr_factor": 1 / 0.3},
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--budgets", nargs="+", type=int, default=[50, 100])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--data-dir", default=None, help="a folder written by `sftkit data build`")
    args = parser.parse_args(argv)
    if args.data_dir:
        train, val = (load_labelled(Path(args.data_dir) / "reviews" / f"{s}.csv") for s in ("train", "val"))
    else:
        splits = load_bundled("reviews")
        train, val = splits["train"], splits["val"]
    lm = load_shipped()
    results: dict = {}
    start = time.perf_counter()
    for n in args.budgets:
        for seed in args.seeds:
            sample = stratified_sample(train, n, seed=seed)
            for name in args.variants:
                over = dict(VARIANTS[name])
                if over.get("freeze_epochs") == "half":
                    over["freeze_epochs"] = TrainConfig().epochs_for(n) // 2
                cfg = TrainConfig(seed=seed, **over)
                clf = fit_text_classifier(sample.texts, sample.labels, val.texts, val.labels, config=cfg,
                                          pretrained=lm)
                acc = float(np.mean(np.array(clf.predict(val.texts)) == np.array(val.labels)))
                results.setdefault((name, n), []).append(acc)
                print(f"  {name:9s} n={n:5d} seed={seed} val {acc:.3f} ({len(clf.history['loss'])} epochs, "
                      f"{time.perf_counter() - start:.0f}s)", flush=True)
    print(f"\nvalidation accuracy (mean over seeds {args.seeds}; val n={len(val)})")
    print(f"{'labels':>7}  " + "  ".join(f"{v:>9s}" for v in args.variants))
    for n in args.budgets:
        print(f"{n:7d}  " + "  ".join(f"{statistics.mean(results[v, n]):9.3f}" for v in args.variants))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
