"""What data selection buys: strategies x budgets x seeds -> test accuracy.

For every strategy (a :class:`~sftkit.selection.base.Scores`, or a function of the seed
that returns one), every budget (a number of training rows, or ``None`` for everything
the strategy keeps) and every seed, select a subset of the pool, fine-tune the seed's
classifier on it, and score it on a fixed test set. The table answers the seed's
question in 2.3, the relation between data selection and model performance
(数据选择与模型性能的关系): is less but better data better than more?
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sftkit.selection.base import Scores, select

FIELDS = ("strategy", "budget", "seed", "n_train", "accuracy")


def load_pool(folder=None):
    """A corpus's data-selection pool and its ground truth.

    ``folder`` is a corpus made by ``sftkit data build --out FOLDER`` (default: the
    bundled one, :func:`sftkit.data.data_dir`). Returns ``(pool, truth)``: the
    :class:`~sftkit.data.LabelledTexts` of ``pool/pool.csv`` (empty texts allowed: some
    junk rows are empty) and, from ``pool/truth.csv``, a dict of string arrays of shape
    ``(N,)`` in the pool's row order: ``status`` (clean, flipped, duplicate, off_domain,
    junk), ``true_label``, ``duplicate_of`` and ``detail``. Raises ``ValueError`` when
    the two files do not list the same ids in the same order.
    """
    from sftkit.data import data_dir, read_rows, load_labelled

    folder = Path(folder) if folder is not None else data_dir()
    pool = load_labelled(folder / "pool" / "pool.csv", allow_empty_text=True)
    header, rows = read_rows(folder / "pool" / "truth.csv")
    truth = {c: np.array([r.get(c, "") for _, r in rows]) for c in header if c != "id"}
    if [r["id"] for _, r in rows] != pool.ids:
        raise ValueError(f"{folder / 'pool' / 'truth.csv'} does not list the ids of pool.csv in the same order")
    return pool, truth


def read_columns(path) -> dict[str, np.ndarray]:
    """A CSV of per-row numbers (the cached scores in ``data/selection/``) as arrays.

    ``id`` stays a string array; every other column becomes float64 (``nan`` allowed).
    """
    from sftkit.data import read_rows

    header, rows = read_rows(path)
    return {c: np.array([r[c] for _, r in rows]) if c == "id" else
            np.array([r[c] for _, r in rows], dtype=np.float64) for c in header}


def stack_proba(columns: dict[str, np.ndarray], prefix: str, classes: Sequence[str]) -> np.ndarray:
    """The ``(N, K)`` probability matrix stored as columns ``<prefix>_<class>``, in ``classes`` order."""
    return np.stack([columns[f"{prefix}_{c}"] for c in classes], axis=1)


def accuracy_after_training(train, test, val=None, *, seed: int = 0, config=None) -> float:
    """Fine-tune on ``train`` (a ``LabelledTexts``), return accuracy on ``test``."""
    from sftkit.finetune import fit_text_classifier

    clf = fit_text_classifier(train.texts, train.labels, val.texts if val else None, val.labels if val else None,
                              config=config, seed=seed)
    predicted = clf.predict(test.texts)
    return float(np.mean([p == t for p, t in zip(predicted, test.labels)]))


def run_experiment(pool, strategies: dict[str, Scores | Callable[[int], Scores]], test, val=None, *,
                   budgets: Sequence[int | None] = (None,), seeds: Sequence[int] = (0,), config=None,
                   balance: bool = True, progress=None) -> list[dict]:
    """One row per (strategy, budget, seed): how many rows were trained on and the test accuracy."""
    rows = []
    for name, strategy in strategies.items():
        for budget in budgets:
            for seed in seeds:
                scores = strategy(seed) if callable(strategy) else strategy
                chosen = select(scores, budget, labels=pool.labels, balance=balance)
                acc = accuracy_after_training(pool.take(chosen.kept), test, val, seed=seed, config=config)
                rows.append({"strategy": name, "budget": "all" if budget is None else int(budget), "seed": seed,
                             "n_train": len(chosen.kept), "accuracy": round(acc, 4)})
                if progress:
                    progress(rows[-1])
    return rows


def summarise(rows: Sequence[dict]) -> list[dict]:
    """Mean and spread over seeds for each (strategy, budget)."""
    groups: dict = {}
    for r in rows:
        groups.setdefault((r["strategy"], str(r["budget"])), []).append(r)
    out = []
    for (name, budget), rs in groups.items():
        acc = np.array([float(r["accuracy"]) for r in rs])
        out.append({"strategy": name, "budget": budget, "n_train": int(np.mean([int(r["n_train"]) for r in rs])),
                    "seeds": len(rs), "mean": float(acc.mean()), "min": float(acc.min()), "max": float(acc.max())})
    return out


def write_rows(path, rows: Sequence[dict]) -> None:
    """Write the rows of :func:`run_experiment` as CSV (columns ``FIELDS``), atomically."""
    from sftkit import data

    data.write_rows(path, FIELDS, ([r[k] for k in FIELDS] for r in rows))


def read_rows(path) -> list[dict]:
    """The rows :func:`write_rows` wrote, with ``seed``, ``n_train`` and ``accuracy`` as numbers."""
    from sftkit import data

    _, rows = data.read_rows(path)
    return [{**r, "seed": int(r["seed"]), "n_train": int(r["n_train"]), "accuracy": float(r["accuracy"])}
            for _, r in rows]


def plot_budget_curve(rows: Sequence[dict], title: str = "data selection and model performance"):
    """Test accuracy against the number of training rows, one line per strategy (mean over seeds,
    bars from the worst to the best seed)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    table = summarise(rows)
    for name in dict.fromkeys(r["strategy"] for r in table):
        pts = sorted((r["n_train"], r["mean"], r["min"], r["max"]) for r in table if r["strategy"] == name)
        n, mean, lo, hi = map(np.array, zip(*pts))
        ax.errorbar(n, mean, yerr=[mean - lo, hi - mean], marker="o", capsize=3, label=name)
    ax.set_xlabel("training examples selected from the pool")
    ax.set_ylabel("test accuracy (reviews/test.csv)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
