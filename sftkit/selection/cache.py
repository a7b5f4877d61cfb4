"""Compute the pool's expensive per-example scores once and store them in ``data/selection/``.

    python -m sftkit.selection.cache --out data/selection

Lesson 09 reads the file instead of training a dozen models in class. Columns of
``pool_scores.csv`` (one row per ``data/pool/pool.csv`` row, same order):

* ``oof_<class>``: out-of-fold probabilities, 5 folds, early stopping on reviews/val.csv;
* ``oof2_<class>``: a second round whose models do not train on the rows the first round
  (confident learning), dedup or the quality filter flagged;
* ``ce_general``, ``ce_in_domain``: per-text cross-entropy under the pretrained LM and
  under its copy adapted to 2,000 texts of reviews/train.csv (nan: fewer than two known words;
  with 500 texts the adapted model moved too little: off-domain AUROC 0.85 instead of 0.92);
* ``confidence``, ``variability``, ``correctness``, ``el2n``: training dynamics of one
  6-epoch run on the whole pool (EL2N after the first epoch).
"""
from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np


IN_DOMAIN_SAMPLE = 2000  # review texts (labels unused) that adapt the in-domain language model


def pool_data():
    from sftkit.data import data_dir, load_labelled

    return load_labelled(data_dir() / "pool" / "pool.csv", allow_empty_text=True)


def general_lm(folder=None):
    from sftkit.pretrain import PretrainedLM, load_shipped

    return PretrainedLM.load(folder) if folder else load_shipped()


def compute(lm_folder=None, seed: int = 0, progress=print) -> dict[str, np.ndarray]:
    from sftkit.data import load_bundled, stratified_sample
    from sftkit.selection import dedup, domain, dynamics, noisy, quality

    pool = pool_data()
    reviews = load_bundled("reviews")
    val = reviews["val"]
    cols: dict[str, np.ndarray] = {}
    t = time.perf_counter()
    p1 = noisy.out_of_fold_proba(pool.texts, pool.labels, k=5, seed=seed, val_texts=val.texts,
                                 val_labels=val.labels)
    progress(f"out-of-fold round 1: {time.perf_counter() - t:.0f}s")
    flagged = (noisy.noisy_label_scores(p1, pool.labels, pool.classes).drop
               | dedup.dedup_scores(pool.texts, pool.ids).drop | quality.quality_scores(pool.texts).drop)
    p2 = noisy.out_of_fold_proba(pool.texts, pool.labels, k=5, seed=seed, val_texts=val.texts,
                                 val_labels=val.labels, exclude=flagged)
    progress(f"out-of-fold round 2: {time.perf_counter() - t:.0f}s")
    for j, c in enumerate(pool.classes):
        cols[f"oof_{c}"] = p1[:, j]
    for j, c in enumerate(pool.classes):
        cols[f"oof2_{c}"] = p2[:, j]
    general = general_lm(lm_folder)
    sample = stratified_sample(reviews["train"], IN_DOMAIN_SAMPLE, seed=seed)
    adapted = domain.in_domain_lm(general, sample.texts, seed=seed)
    cols["ce_general"] = general.text_cross_entropy(pool.texts)
    cols["ce_in_domain"] = adapted.text_cross_entropy(pool.texts)
    progress(f"language models: {time.perf_counter() - t:.0f}s")
    per_epoch = dynamics.record_dynamics(pool.texts, pool.labels, epochs=6, seed=seed)
    y = noisy.label_indices(pool.labels, pool.classes)
    cols.update(dynamics.data_map(per_epoch, y))
    cols["el2n"] = dynamics.el2n(per_epoch[0], y)
    progress(f"training dynamics: {time.perf_counter() - t:.0f}s")
    return {"id": np.array(pool.ids), **cols}


def write(path, cols: dict) -> None:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    names = list(cols)
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for i in range(len(cols["id"])):
            w.writerow([cols[k][i] if k == "id" else ("nan" if np.isnan(cols[k][i]) else f"{cols[k][i]:.5f}")
                        for k in names])
    tmp.replace(path)


def read(path=None) -> dict[str, np.ndarray]:
    """The cached columns (``id`` as strings, the rest as float arrays)."""
    from sftkit.data import data_dir

    path = Path(path) if path else data_dir() / "selection" / "pool_scores.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    out = {}
    for j, name in enumerate(header):
        vals = [r[j] for r in body]
        out[name] = np.array(vals) if name == "id" else np.array(vals, dtype=np.float64)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m sftkit.selection.cache", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data/selection", help="folder to write pool_scores.csv into")
    p.add_argument("--lm", default=None, help="general language model folder (default: the shipped one)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    write(Path(args.out) / "pool_scores.csv", compute(args.lm, args.seed))
    print(f"wrote {Path(args.out) / 'pool_scores.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
