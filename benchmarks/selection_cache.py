"""Compute a pool's expensive per-row scores once, through the strategy registry, and store them.

    python benchmarks/selection_cache.py --out data/selection [--data-dir DIR] [--seed 0]

Lessons 09 and 10 read the files instead of training a few dozen models in class. Every score
comes from :mod:`sftkit.selection.strategies`, the code ``sftkit select`` runs:

* ``oof_<class>``: ``strategies.noisy(pool)``, one round of 5-fold out-of-fold
  probabilities from the pool alone (``sftkit select --strategy noisy``);
* ``trusted<r>_<class>``, r = 1, 2, ...: the rounds of the noisy step of
  ``strategies.pipeline(pool, trusted=..., in_domain=...)`` (``sftkit select --strategy
  pipeline --trusted T --in-domain I``): a trusted set of ``TRUSTED_SAMPLE`` rows of
  reviews/train.csv joins every fold model; the rows dedup and the quality filter drop
  are not trained on; round r does not train on what round r - 1 flagged;
* ``ce_general``, ``ce_in_domain``: the pipeline's domain step; per-text cross-entropy
  under the shipped LM and its copy adapted to 80% of ``IN_DOMAIN_SAMPLE`` review texts
  of reviews/train.csv (other rows than the trusted ones) (labels unused; nan: fewer than two known words);
* ``confidence``, ``variability``, ``correctness``, ``el2n``: training dynamics of one
  6-epoch run on the whole pool (:func:`sftkit.selection.dynamics.record_dynamics`; EL2N
  after the first epoch).

``reference_scores.csv`` holds ``ce_general`` and ``ce_in_domain`` of the other 20% of the
in-domain texts, which neither LM trained on and which set the domain cut
(``strategies.DOMAIN_QUANTILE``).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

IN_DOMAIN_SAMPLE = 2000  # review texts (labels unused) given as --in-domain
TRUSTED_SAMPLE = 1000    # carefully labelled rows (reviews/train.csv) given as --trusted
DYNAMICS_EPOCHS = 6


def inputs(folder=None, trusted_sizes=(TRUSTED_SAMPLE,), limit: int | None = None):
    """``(pool, truth, trusted, in_domain, reviews)`` of a corpus folder (default: the bundled one).

    What a user would pass as ``--trusted`` and ``--in-domain``, drawn from
    reviews/train.csv (seed 0): ``trusted`` maps each size to a stratified sample, the
    smaller ones nested in the largest; ``in_domain`` is ``IN_DOMAIN_SAMPLE`` other texts
    of that file (disjoint from the trusted rows). ``limit`` keeps a seeded draw of that
    many pool rows (to test scripts quickly, not for figures).
    """
    from sftkit.data import data_dir, load_labelled, stratified_sample
    from sftkit.selection.experiment import load_pool

    folder = Path(folder) if folder is not None else data_dir()
    pool, truth = load_pool(folder)
    if limit:
        keep = np.sort(np.random.default_rng(0).permutation(len(pool))[:limit])
        pool, truth = pool.take(keep), {k: v[keep] for k, v in truth.items()}
    reviews = {s: load_labelled(folder / "reviews" / f"{s}.csv") for s in ("train", "val", "test")}
    train = reviews["train"]
    largest = max(trusted_sizes)
    big = stratified_sample(train, largest, seed=0)
    trusted = {n: big if n == largest else stratified_sample(big, n, seed=0) for n in trusted_sizes}
    taken = set(big.ids)
    others = [i for i in np.random.default_rng(0).permutation(len(train)) if train.ids[i] not in taken]
    in_domain = train.take(others[:IN_DOMAIN_SAMPLE])
    in_domain.source = f"{IN_DOMAIN_SAMPLE} texts of reviews/train.csv"
    return pool, truth, trusted, in_domain, reviews


def compute(folder=None, seed: int = 0, progress=print, limit: int | None = None) -> tuple[dict, dict]:
    """``(pool columns, reference columns)``; see the module docstring."""
    from sftkit.finetune import encode_labels
    from sftkit.selection import dynamics, strategies

    pool, _, trusted, in_domain, _ = inputs(folder, limit=limit)
    trusted = trusted[TRUSTED_SAMPLE]
    t = time.perf_counter()
    cols: dict[str, np.ndarray] = {"id": np.array(pool.ids)}
    alone = strategies.score("noisy", pool, seed=seed)
    for j, c in enumerate(pool.classes):
        cols[f"oof_{c}"] = alone.extra["pred_probs"][:, j]
    progress(f"out-of-fold, pool alone: {time.perf_counter() - t:.0f}s")
    pipe = strategies.score("pipeline", pool, trusted=trusted, in_domain=in_domain, seed=seed,
                            progress=lambda m: progress(f"pipeline {m}: {time.perf_counter() - t:.0f}s"))
    for r, p in enumerate(pipe.extra["parts"]["noisy"].extra["rounds"], 1):
        for j, c in enumerate(pool.classes):
            cols[f"trusted{r}_{c}"] = p[:, j]
    dom = pipe.extra["parts"]["domain"].extra
    cols["ce_general"], cols["ce_in_domain"] = dom["ce_general"], dom["ce_in_domain"]
    held = dom["held_out"]
    reference = {"id": np.array([f"held-{i + 1}" for i in range(len(held["texts"]))]),
                 "ce_general": held["ce_general"], "ce_in_domain": held["ce_in_domain"]}
    per_epoch = dynamics.record_dynamics(pool.texts, pool.labels, epochs=DYNAMICS_EPOCHS, seed=seed)
    y = encode_labels(pool.labels, pool.classes)
    cols.update(dynamics.data_map(per_epoch, y))
    cols["el2n"] = dynamics.el2n(per_epoch[0], y)
    progress(f"training dynamics: {time.perf_counter() - t:.0f}s")
    return cols, reference


def write(path, cols: dict) -> None:
    """Write the columns (``id`` first) with :func:`sftkit.data.write_rows`: 5 decimals, ``nan`` kept."""
    from sftkit.data import write_rows

    names = list(cols)
    rows = ([cols[k][i] if k == "id" else ("nan" if np.isnan(cols[k][i]) else f"{cols[k][i]:.5f}") for k in names]
            for i in range(len(cols["id"])))
    write_rows(path, names, rows)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data/selection", help="folder to write pool_scores.csv into")
    p.add_argument("--data-dir", default=None, help="a corpus from `sftkit data build` (default: the bundled one)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, default=None, help="score this many pool rows only (to test the script)")
    args = p.parse_args(argv)
    cols, reference = compute(args.data_dir, args.seed, limit=args.limit)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    write(Path(args.out) / "pool_scores.csv", cols)
    write(Path(args.out) / "reference_scores.csv", reference)
    print(f"wrote {Path(args.out) / 'pool_scores.csv'} and reference_scores.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
