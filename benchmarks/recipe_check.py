"""Validation accuracy of the library's defaults and a few named variants, through the user's path.

Each run is :func:`sftkit.finetune.fit_text_classifier` from the shipped pretrained model on a
stratified sample of ``reviews/train.csv`` (the bundled reviews, or ``--data-dir``), with
early stopping on ``reviews/val.csv``, scored on that same validation split. The test split
is never read. Prints one line per run and the mean over seeds per variant and budget.

Variants (``TrainConfig`` overrides; ``half`` = the head alone for half the epoch budget):

* ``defaults``: the library's defaults;
* ``one_epoch``: ULMFiT's gradual unfreezing, one epoch per group (``freeze_epochs=1``, the
  library's default before the budget-aware rule; the runs logged as ``defaults`` before that
  change are this variant);
* ``concat``: ``pooling="concat"`` (ULMFiT's concat pooling);
* ``old``: an approximation of the recipe before issue 12: the head alone for half the
  epochs, then the LSTM at 0.3 x the head's rate (``freeze_epochs=half``,
  ``group_lr_factor=1/0.3``); the embedding stays frozen (before, it trained at 0.3 x), and
  early stopping watches every epoch (before, it started after the frozen half);
* ``half26``: the head alone for half the epoch budget, then the LSTM at ULMFiT's 1/2.6
  (only the length of the frozen phase differs from ``defaults``);
* ``quarter3``: the head alone for three quarters of the epoch budget, then the LSTM at 0.3 x.

A frozen phase given as a fraction is ``int(fraction * epochs_for(n))`` epochs (half of 40 is 20).

    nice -n 10 python benchmarks/recipe_check.py --budgets 50 100 --seeds 0 1 2
    python benchmarks/recipe_check.py --summarize benchmarks/results/recipe_check2/*.log

``--summarize LOG ...`` trains nothing: it reads the per-run lines of earlier logs of this
script (the runs are deterministic, so a run split over several logs is one experiment) and
prints, per budget, the mean over the seeds every variant shares there, with each variant's
number of seeds and its wins against the first variant named (``--variants`` order). The
log's name ``defaults`` is read as ``--rename defaults=one_epoch`` says (logs written before
the budget-aware default).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from sftkit.config import TrainConfig
from sftkit.data import load_bundled, load_labelled, stratified_sample
from sftkit.finetune import fit_text_classifier
from sftkit.pretrain import load_shipped

VARIANTS = {
    "defaults": {},
    "one_epoch": {"freeze_epochs": 1},
    "concat": {"pooling": "concat"},
    "old": {"freeze_epochs": 0.5, "group_lr_factor": 1 / 0.3},
    "half26": {"freeze_epochs": 0.5, "group_lr_factor": 2.6},
    "quarter3": {"freeze_epochs": 0.75, "group_lr_factor": 1 / 0.3},
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--budgets", nargs="+", type=int, default=[50, 100])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--data-dir", default=None, help="a folder written by `sftkit data build`")
    parser.add_argument("--summarize", nargs="+", default=None, metavar="LOG",
                        help="print the table of earlier logs of this script instead of training")
    parser.add_argument("--rename", nargs="+", default=[], metavar="OLD=NEW",
                        help="with --summarize: read a variant named OLD in the logs as NEW")
    args = parser.parse_args(argv)
    if args.summarize:
        return summarize(args.summarize, dict(r.split("=", 1) for r in args.rename),
                         args.variants if "--variants" in (argv or sys.argv) else None)
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
                if isinstance(over.get("freeze_epochs"), float):  # a fraction of the epoch budget
                    over["freeze_epochs"] = int(over["freeze_epochs"] * TrainConfig().epochs_for(n))
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


RUN_LINE = re.compile(r"^\s+(\S+)\s+n=\s*(\d+) seed=(\d+) val ([0-9.]+) \((\d+) epochs")


def summarize(logs, rename: dict, variants=None) -> int:
    """Print the mean validation accuracy per variant and budget from the run lines of ``logs``."""
    runs: dict = {}
    for log in logs:
        for line in Path(log).read_text(encoding="utf-8").splitlines():
            m = RUN_LINE.match(line)
            if m:
                name = rename.get(m.group(1), m.group(1))
                key = (name, int(m.group(2)), int(m.group(3)))
                acc = float(m.group(4))
                if key in runs and runs[key] != acc:
                    raise SystemExit(f"{log}: {key} logged twice with different accuracies: {runs[key]} and {acc}")
                runs[key] = acc
    names = variants or sorted({k[0] for k in runs})
    budgets = sorted({k[1] for k in runs})
    print(f"validation accuracy from {len(runs)} logged runs ({', '.join(str(p) for p in logs)})")
    print("mean over the seeds all listed variants have at that budget; [seeds]; wins = seeds on which the "
          f"variant beats {names[0]}")
    print(f"{'labels':>7}  {'seeds':>13}  " + "  ".join(f"{v:>16s}" for v in names))
    for n in budgets:
        have = [v for v in names if any(k[0] == v and k[1] == n for k in runs)]
        seeds = sorted(set.intersection(*[{k[2] for k in runs if k[0] == v and k[1] == n} for v in have]))
        if not seeds or have[0] != names[0]:
            continue
        cells = []
        for v in names:
            if v not in have:
                cells.append(f"{'-':>16s}")
                continue
            accs = [runs[v, n, s] for s in seeds]
            wins = sum(runs[v, n, s] > runs[names[0], n, s] for s in seeds)
            cells.append(f"{statistics.mean(accs):7.3f} ({wins}/{len(seeds)} up)")
        print(f"{n:7d}  {str(seeds):>13}  " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
