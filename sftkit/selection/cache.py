"""Compute the pool's expensive per-example scores once and store them in ``data/selection/``.

    python -m sftkit.selection.cache --out data/selection

Lesson 09 reads the files instead of training a few dozen models in class.

Columns of ``pool_scores.csv`` (one row per ``data/pool/pool.csv`` row, same order):

* ``oof_<class>``: out-of-fold probabilities from the pool alone, 5 folds, early
  stopping on reviews/val.csv;
* ``trusted<r>_<class>`` for r = 1, 2, ...: rounds of
  :func:`sftkit.selection.noisy.iterative_out_of_fold` with a *trusted set* of
  ``TRUSTED_SAMPLE`` rows of reviews/train.csv (labelled with care) added to every fold
  model's training; round r does not train on the rows round r - 1 flagged (round 1: the
  rows ``oof_`` flagged), nor on what dedup and the quality filter drop;
* ``ce_general``, ``ce_in_domain``: per-text cross-entropy under the pretrained LM and
  under its copy adapted to ``IN_DOMAIN_SAMPLE`` texts of reviews/train.csv (labels
  unused; nan: fewer than two known words). With 500 texts and 2 epochs the adapted
  model moved too little (off-domain AUROC 0.85; 2,000 texts: 0.91; 2,000 texts and
  8 epochs at 3e-3: 0.94);
* ``confidence``, ``variability``, ``correctness``, ``el2n``: training dynamics of one
  6-epoch run on the whole pool (EL2N after the first epoch).

``reference_scores.csv`` holds ``ce_general`` and ``ce_in_domain`` of reviews/val.csv:
in-domain texts neither model trained on, from which a domain cut is set
(:func:`sftkit.selection.domain.threshold_from`).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np


IN_DOMAIN_SAMPLE = 2000  # review texts (labels unused) that adapt the in-domain language model
IN_DOMAIN_EPOCHS, IN_DOMAIN_LR = 8, 3e-3
TRUSTED_SAMPLE = 1000  # carefully labelled rows (reviews/train.csv) every trusted fold model also learns
TRUSTED_ROUNDS = 4


def pool_data():
    from sftkit.data import data_dir, load_labelled

    return load_labelled(data_dir() / "pool" / "pool.csv", allow_empty_text=True)


def general_lm(folder=None):
    from sftkit.pretrain import PretrainedLM, load_shipped

    return PretrainedLM.load(folder) if folder else load_shipped()


def compute(lm_folder=None, seed: int = 0, progress=print) -> tuple[dict, dict]:
    """``(pool columns, reference columns)``; see the module docstring."""
    from sftkit.data import load_bundled, stratified_sample
    from sftkit.selection import dedup, domain, dynamics, noisy, quality

    pool = pool_data()
    reviews = load_bundled("reviews")
    val = reviews["val"]
    cols: dict[str, np.ndarray] = {}
    t = time.perf_counter()
    common = dict(k=5, val_texts=val.texts, val_labels=val.labels)
    p1 = noisy.out_of_fold_proba(pool.texts, pool.labels, seed=seed, **common)
    for j, c in enumerate(pool.classes):
        cols[f"oof_{c}"] = p1[:, j]
    progress(f"out-of-fold, pool alone: {time.perf_counter() - t:.0f}s")
    trusted = stratified_sample(reviews["train"], TRUSTED_SAMPLE, seed=seed)
    filtered = dedup.dedup_scores(pool.texts, pool.ids).drop | quality.quality_scores(pool.texts).drop
    rounds = noisy.iterative_out_of_fold(
        pool.texts, pool.labels, rounds=TRUSTED_ROUNDS, start=p1, exclude=filtered, seed=seed,
        trusted_texts=trusted.texts, trusted_labels=trusted.labels,
        progress=lambda m: progress(f"trusted {m}: {time.perf_counter() - t:.0f}s"), **common)
    for r, p in enumerate(rounds, 1):
        for j, c in enumerate(pool.classes):
            cols[f"trusted{r}_{c}"] = p[:, j]
    general = general_lm(lm_folder)
    sample = stratified_sample(reviews["train"], IN_DOMAIN_SAMPLE, seed=seed)
    adapted = domain.in_domain_lm(general, sample.texts, epochs=IN_DOMAIN_EPOCHS, learning_rate=IN_DOMAIN_LR,
                                  seed=seed)
    cols["ce_general"] = general.text_cross_entropy(pool.texts)
    cols["ce_in_domain"] = adapted.text_cross_entropy(pool.texts)
    reference = {"id": np.array(val.ids), "ce_general": general.text_cross_entropy(val.texts),
                 "ce_in_domain": adapted.text_cross_entropy(val.texts)}
    progress(f"language models: {time.perf_counter() - t:.0f}s")
    per_epoch = dynamics.record_dynamics(pool.texts, pool.labels, epochs=6, seed=seed)
    y = noisy.label_indices(pool.labels, pool.classes)
    cols.update(dynamics.data_map(per_epoch, y))
    cols["el2n"] = dynamics.el2n(per_epoch[0], y)
    progress(f"training dynamics: {time.perf_counter() - t:.0f}s")
    return {"id": np.array(pool.ids), **cols}, reference


def trusted_rounds(cols: dict, classes) -> list[np.ndarray]:
    """The cached trusted rounds' probability matrices, in order."""
    out, r = [], 1
    while f"trusted{r}_{classes[0]}" in cols:
        out.append(np.stack([cols[f"trusted{r}_{c}"] for c in classes], axis=1))
        r += 1
    return out


def write(path, cols: dict) -> None:
    """Write the columns (``id`` first) with :func:`sftkit.data.write_rows`: 5 decimals, ``nan`` kept."""
    from sftkit.data import write_rows

    names = list(cols)
    rows = ([cols[k][i] if k == "id" else ("nan" if np.isnan(cols[k][i]) else f"{cols[k][i]:.5f}") for k in names]
            for i in range(len(cols["id"])))
    write_rows(path, names, rows)


def read(path=None) -> dict[str, np.ndarray]:
    """The cached columns (``id`` as strings, the rest as float arrays); default ``pool_scores.csv``."""
    from sftkit.data import data_dir, read_rows

    path = Path(path) if path else data_dir() / "selection" / "pool_scores.csv"
    header, rows = read_rows(path)
    out = {}
    for name in header:
        vals = [r[name] for _, r in rows]
        out[name] = np.array(vals) if name == "id" else np.array(vals, dtype=np.float64)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m sftkit.selection.cache", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data/selection", help="folder to write pool_scores.csv into")
    p.add_argument("--lm", default=None, help="general language model folder (default: the shipped one)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    cols, reference = compute(args.lm, args.seed)
    write(Path(args.out) / "pool_scores.csv", cols)
    write(Path(args.out) / "reference_scores.csv", reference)
    print(f"wrote {Path(args.out) / 'pool_scores.csv'} and reference_scores.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
