"""The full set of lesson 07's training runs, over three seeds: remedies for label noise and model capacity.

Lesson 07 trains seed 0 live and reads seeds 1 and 2 from the file this script writes,
``data/overfitting/runs.csv`` (shipped with the package, like ``data/selection/``). The
lesson checks that its live seed-0 runs agree with the file's seed-0 rows, so a stale
file fails the lesson.

What is run, per seed (the seed draws the training reviews, flips the labels and starts
the weights), on the bundled reviews' three easiest shapes (simple, np_list, multi;
annotator-disagreement rows dropped), from a shuffle of that pool:

* ``remedy`` rows: 400 reviews with about a quarter of the labels flipped, trained with
  the lesson's small recipe (embedding 32, LSTM 32, sequences of 32 words, learning rate
  5e-3, 15 epochs, no early stopping) and each remedy on its own: none, ``dropout=0.5``,
  ``l2=3e-3``, ``patience=2`` (early stopping), ``augment="token_dropout"``;
* ``capacity`` rows: the first 150 reviews (clean labels), 12 epochs, embedding and LSTM
  of 4, 32 and 128 units.

Every run is scored on its seed's 500 held-out pool reviews (never trained on, never used
for early stopping). Columns: experiment, name, seed, train (accuracy on its own training
labels), memorised (share of flipped labels it reproduces; empty for capacity), held
(held-out accuracy), epochs (trained), weights (trainable parameters).

Run:  python benchmarks/overfitting_runs.py [--seeds 0 1 2] [--out data/overfitting/runs.csv]
(about 3-4 minutes on 2 CPU cores)
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

import numpy as np

EASY = {"simple", "np_list", "multi"}
REMEDIES = {"none": {}, "dropout": {"dropout": 0.5}, "L2": {"l2": 3e-3}, "early stopping": {"patience": 2},
            "augmentation": {"augment": "token_dropout"}}
CAPACITY = (4, 32, 128)
FIELDS = ["experiment", "name", "seed", "train", "memorised", "held", "epochs", "weights"]


def base_config():
    from sftkit.config import TrainConfig

    return TrainConfig(epochs=15, patience=0, sequence_length=32, embedding_dim=32, lstm_units=32,
                       learning_rate=5e-3, seed=0)


def easy_pool():
    from sftkit.data import LabelledTexts
    from sftkit.synth import DEFAULT_SEED, generate

    rows = generate(DEFAULT_SEED)

    def as_data(split):
        kept = [r for r in rows[f"reviews/{split}.csv"] if r["shape"] in EASY and not r.get("noisy")]
        return LabelledTexts.from_lists([r["text"] for r in kept], [r["label"] for r in kept],
                                        [r["id"] for r in kept])

    return as_data("train"), as_data("val")


def draw(pool, seed, n_small=150, n_noisy=400, n_held=500):
    order = np.random.default_rng(seed).permutation(len(pool))
    return (pool.take(order[:n_small]), pool.take(order[n_small:n_small + n_noisy]),
            pool.take(order[len(pool) - n_held:]))


def add_noise(data, share, seed):
    from sftkit.data import LabelledTexts

    other = {"positive": "negative", "negative": "positive"}
    flipped = np.random.default_rng(seed + 1000).random(len(data)) < share
    labels = [other[y] if f else y for y, f in zip(data.labels, flipped)]
    return LabelledTexts.from_lists(data.texts, labels, data.ids), flipped


def main(argv=None) -> int:
    from sftkit.finetune import fit_text_classifier
    from sftkit.lesson import setup

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "data" / "overfitting" / "runs.csv"))
    args = ap.parse_args(argv)
    setup(seed=0)
    pool, val = easy_pool()
    base = base_config()
    out = []

    def score(experiment, name, seed, clf, train, flipped, held):
        pred = np.array(clf.predict(train.texts))
        truth = np.array(train.labels)
        row = {"experiment": experiment, "name": name, "seed": seed,
               "train": round(float(np.mean(pred == truth)), 4),
               "memorised": "" if flipped is None else round(float(np.mean(pred[flipped] == truth[flipped])), 4),
               "held": round(float(np.mean(np.array(clf.predict(held.texts)) == np.array(held.labels))), 4),
               "epochs": len(clf.history["loss"]), "weights": int(clf.network.count_params())}
        out.append(row)
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)

    for seed in args.seeds:
        t = time.perf_counter()
        small, clean, held = draw(pool, seed)
        noisy, flipped = add_noise(clean, 0.25, seed)
        for name, change in REMEDIES.items():
            clf = fit_text_classifier(noisy.texts, noisy.labels, val.texts, val.labels,
                                      config=base.with_(seed=seed, **change))
            score("remedy", name, seed, clf, noisy, flipped, held)
        for units in CAPACITY:
            clf = fit_text_classifier(small.texts, small.labels, val.texts, val.labels,
                                      config=base.with_(seed=seed, epochs=12, embedding_dim=units, lstm_units=units))
            score("capacity", str(units), seed, clf, small, None, held)
        print(f"seed {seed}: {time.perf_counter() - t:.0f} s", flush=True)
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(out)
    os.replace(tmp, path)
    print(f"wrote {len(out)} runs to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
