"""Does pretraining pay on the Chinese reviews? Scratch vs data/zh_pretrained across label budgets.

The Chinese counterpart of ``benchmarks/data_efficiency.py`` (same recipe: the library's
default ``TrainConfig``, epochs from ``epochs_for(n)``, the full validation split for early
stopping only): for each budget n (a stratified sample of ``data/zh_reviews/train.csv``)
and seed, the classifier is trained from random weights and from the Chinese language
model, then scored on the test split, overall and on its ``unseen_words`` subset.

    python benchmarks/zh_pretraining.py                          # budgets 500 and all, seed 0 (about 8 minutes)
    python benchmarks/zh_pretraining.py --budgets 100 500 all --seeds 0 1 --lm OTHER_LM_FOLDER
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np


def epochs_for(n: int) -> int:
    """As in data_efficiency.py: enough passes that a small budget gets a few hundred steps."""
    return int(min(40, max(10, math.ceil(4000 / n))))


def main(argv=None) -> int:
    from sftkit.config import TrainConfig
    from sftkit.data import data_dir, load_labelled, stratified_sample
    from sftkit.finetune import fit_text_classifier
    from sftkit.pretrain import PretrainedLM

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--budgets", nargs="+", default=["500", "all"])
    p.add_argument("--seeds", nargs="+", type=int, default=[0])
    p.add_argument("--lm", default=None, help="language model folder (default: data/zh_pretrained)")
    args = p.parse_args(argv)
    folder = data_dir() / "zh_reviews"
    train, val, test = (load_labelled(folder / f"{s}.csv") for s in ("train", "val", "test"))
    unseen = np.array([s == "unseen_words" for s in test.extra["subset"]])
    lm = PretrainedLM.load(args.lm or data_dir() / "zh_pretrained")
    y = np.array(test.labels)
    print(f"{'labels':>6} {'seed':>4} {'model':<10} {'test':>6} {'unseen_words':>12}")
    for b in args.budgets:
        n = len(train) if b == "all" else int(b)
        for seed in args.seeds:
            sub = train if n >= len(train) else stratified_sample(train, n, seed=seed)
            cfg = TrainConfig(epochs=epochs_for(n), seed=seed)
            for name, pre in (("scratch", None), ("pretrained", lm)):
                t0 = time.perf_counter()
                clf = fit_text_classifier(sub.texts, sub.labels, val.texts, val.labels, config=cfg, pretrained=pre)
                pred = np.array(clf.predict(test.texts))
                print(f"{n:>6} {seed:>4} {name:<10} {np.mean(pred == y):>6.3f} {np.mean(pred[unseen] == y[unseen]):>12.3f}"
                      f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
