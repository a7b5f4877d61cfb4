"""Lesson 11's training runs over three seeds: three Chinese tokenizers from scratch, and the Chinese LM.

Lesson 11 (中文文本分类) trains seed 0 live and reads seeds 1 and 2 from the file this
script writes, ``data/zh_runs/runs.csv`` (shipped with the package, like
``data/overfitting/``). The lesson checks that its live seed-0 runs agree with the file's
seed-0 rows, so a stale file fails the lesson.

What is run, per seed (the seed draws the 500 labelled reviews and starts the weights),
exactly as the lesson does it: a stratified sample of 500 reviews of
``data/zh_reviews/train.csv``, the library's default ``TrainConfig`` with the seed, and a
``sequence_length`` per tokenizer that keeps 95 % of the seed-0 sample's reviews whole
(rounded up to a multiple of 8). Recipes:

* ``chars``, ``jieba``, ``chars+bigrams``: from scratch with that tokenizer;
* ``jieba, pretrained``: from ``data/zh_pretrained`` (``pretrained=``; its vocabulary is
  jieba words), the library's recipe for a pretrained start.

Every run is scored on the full validation split (also its early-stopping set; the test
split is not touched). Columns: recipe, seed, sequence_length, val (accuracy, the most
probable class), epochs (trained).

Run:  python benchmarks/zh_runs.py [--seeds 0 1 2] [--out data/zh_runs/runs.csv]
(about 1 minute per seed on 2 CPU cores)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

N_LABELS = 500
TOKENIZERS = ("chars", "jieba", "chars+bigrams")
FIELDS = ["recipe", "seed", "sequence_length", "val", "epochs"]


def length_for(tokenizer: str, texts, coverage: float = 0.95, multiple: int = 8) -> int:
    """The shortest multiple of ``multiple`` that keeps ``coverage`` of ``texts`` whole, in this tokenizer's tokens."""
    from sftkit.text import token_lengths

    return int(multiple * np.ceil(np.quantile(token_lengths(texts, tokenizer), coverage) / multiple))


def runs(seeds, echo=print) -> list[dict]:
    from sftkit.data import data_dir, load_bundled, stratified_sample
    from sftkit.finetune import fit_text_classifier
    from sftkit.pretrain import PretrainedLM

    splits = load_bundled("zh_reviews")
    train_all, val = splits["train"], splits["val"]
    lengths = {t: length_for(t, stratified_sample(train_all, N_LABELS, seed=0).texts) for t in TOKENIZERS}
    lm = PretrainedLM.load(data_dir() / "zh_pretrained")
    rows = []
    for seed in seeds:
        sample = stratified_sample(train_all, N_LABELS, seed=seed)
        for recipe, tokenizer, pretrained in [(t, t, None) for t in TOKENIZERS] + [("jieba, pretrained", "jieba", lm)]:
            t0 = time.perf_counter()
            clf = fit_text_classifier(sample.texts, sample.labels, val.texts, val.labels, tokenizer=tokenizer,
                                      seed=seed, sequence_length=lengths[tokenizer], pretrained=pretrained)
            acc = float(np.mean(np.array(clf.predict(val.texts)) == np.array(val.labels)))
            rows.append({"recipe": recipe, "seed": seed, "sequence_length": lengths[tokenizer],
                         "val": round(acc, 4), "epochs": len(clf.history["loss"])})
            echo(f"{recipe:18s} seed {seed}: validation accuracy {acc:.3f}, {rows[-1]['epochs']} epochs "
                 f"({time.perf_counter() - t0:.0f} s)")
    return rows


def main(argv=None) -> int:
    from _runs_file import runs_main

    return runs_main(argv, description=__doc__.split("\n")[0], folder="zh_runs", fields=FIELDS, runs=runs)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
