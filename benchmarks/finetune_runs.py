"""Lesson 06's training runs over three seeds: the recipe from the shipped model, the embedding only, scratch.

Lesson 06 (fine-tuning) trains seed 0 live and reads seeds 1 and 2 from the file this
script writes, ``data/finetune_runs/runs.csv`` (shipped with the package, like
``data/zh_runs/``). The lesson checks that its live seed-0 runs agree with the file's
seed-0 rows, so a stale file fails the lesson.

What is run, per seed (the seed draws the 100 labelled reviews and starts the weights),
exactly as the lesson does it: a stratified sample of 100 reviews of
``data/reviews/train.csv``; ``TrainConfig(sequence_length=suggest_sequence_length(all 4,000
training texts))`` with the seed; the shipped language model ``data/pretrained``. Recipes:

* ``pretrained``: the library's default recipe from the shipped model;
* ``embedding only``: ``pretrained_layers="embedding"`` (a fresh LSTM on the model's word vectors);
* ``scratch``: no pretrained model.

Columns: recipe, seed, epochs (trained), val (accuracy of the restored best epoch on the
full validation split, also the early-stopping set), val_curve (validation accuracy after
each epoch, space-separated), seconds (seconds since training began at the end of each
epoch, space-separated; wall time on the machine that wrote the file), test and
unseen_words (accuracy on the test split and its unseen_words subset, scored once after
training), p_superb and p_dreadful (p(positive) of "The kettle is superb." and "The kettle
is dreadful."), config (the run's ``TrainConfig.to_dict()`` as JSON, seed and recipe
overrides included: the fingerprint of the recipe that made the row; lesson 06 refuses a row
whose config is not the one it would train with) and pretrained (the language model the run
started from: ``pretrain.weights_sha256`` of the shipped model, or empty for scratch).

Run:  python benchmarks/finetune_runs.py [--seeds 0 1 2] [--out data/finetune_runs/runs.csv]
(about 1 minute per seed on 2 idle CPU cores)
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

N_LABELS = 100
RECIPES = {"pretrained": {}, "embedding only": {"pretrained_layers": "embedding"}, "scratch": None}
PAIR = ("The kettle is superb.", "The kettle is dreadful.")
FIELDS = ["recipe", "seed", "epochs", "val", "val_curve", "seconds", "test", "unseen_words", "p_superb", "p_dreadful",
          "config", "pretrained"]


def runs(seeds, echo=print) -> list[dict]:
    from sftkit.lesson import setup

    tf, keras = setup(seed=0)
    from sftkit import data, finetune, pretrain, text
    from sftkit.config import TrainConfig

    splits = data.load_bundled("reviews")
    train_all, val, test = splits["train"], splits["val"], splits["test"]
    unseen = test.take([i for i, s in enumerate(test.extra["subset"]) if s == "unseen_words"])
    lm = pretrain.load_shipped()
    cfg = TrainConfig(sequence_length=text.suggest_sequence_length(train_all.texts))

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.seconds = time.perf_counter(), []

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    def accuracy(clf, dataset):
        return float(np.mean(np.array(clf.predict(dataset.texts)) == np.array(dataset.labels)))

    rows = []
    for seed in seeds:
        sample = data.stratified_sample(train_all, N_LABELS, seed=seed)
        for recipe, overrides in RECIPES.items():
            clock = Clock()
            config = cfg.replace(seed=seed, **(overrides or {}))
            pretrained = None if overrides is None else lm
            clf = finetune.fit_text_classifier(sample.texts, sample.labels, val.texts, val.labels,
                                               config=config, pretrained=pretrained, callbacks=[clock])
            p = clf.predict_proba(list(PAIR))[:, 1]
            rows.append({"recipe": recipe, "seed": seed, "epochs": len(clf.history["loss"]),
                         "val": round(accuracy(clf, val), 4),
                         "val_curve": " ".join(f"{a:.4f}" for a in clf.history["val_accuracy"]),
                         "seconds": " ".join(f"{s:.2f}" for s in clock.seconds),
                         "test": round(accuracy(clf, test), 4), "unseen_words": round(accuracy(clf, unseen), 4),
                         "p_superb": round(float(p[0]), 4), "p_dreadful": round(float(p[1]), 4),
                         "config": json.dumps(config.to_dict(), sort_keys=True),
                         "pretrained": "" if pretrained is None else pretrain.weights_sha256(pretrained)})
            echo(f"{recipe:15s} seed {seed}: validation accuracy {rows[-1]['val']:.3f}, {rows[-1]['epochs']} epochs "
                 f"({clock.seconds[-1]:.0f} s)")
    return rows


def main(argv=None) -> int:
    from _runs_file import runs_main

    return runs_main(argv, description=__doc__.split("\n")[0], folder="finetune_runs", fields=FIELDS, runs=runs)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
