"""Hyperparameter tuning on the validation set: a small grid search (seed 3.2, step 4).

Step 4 of the seed's workflow evaluates on the *validation* set and adjusts the
hyperparameters; step 5 uses the test set *once*, at the end. A test figure that helped
choose anything (a dropout rate, a number of epochs, a threshold) is no longer an
estimate of how the model does on new data: it has been fitted, a little, to those test
examples. So :func:`grid_search` takes training and validation data only, and refuses a
"validation" set whose file is named like a test file (``test.csv``, ``dev_test.jsonl``)
or is the training file itself. Keep the test set out of reach until the choice is made.
"""
from __future__ import annotations

import itertools
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from sftkit.config import TrainConfig

METRICS = ("accuracy", "macro_f1", "weighted_f1", "positive_f1")
_TEST_NAME = re.compile(r"(^|[^a-z])test$")


def looks_like_test(source: str) -> bool:
    """True if ``source`` is a file whose name (without suffix) ends in ``test``."""
    if not source or source.startswith("<"):
        return False
    return bool(_TEST_NAME.search(Path(source).stem.lower()))


def _check_sources(train, val) -> None:
    for name, ds in (("training", train), ("validation", val)):
        if looks_like_test(ds.source):
            raise ValueError(f"{ds.source}: a test file given as the {name} data; tune on a validation "
                             "split and score the test set once, at the end")
    if train is val or (not train.source.startswith("<") and train.source == val.source):
        raise ValueError("the validation data is the training data: scores on it measure memory, not "
                         "generalisation; split off a validation set")


@dataclass
class TuneResult:
    """The grid search's outcome: one row per configuration, and the best one."""

    rows: list[dict]
    best_config: TrainConfig
    best_score: float
    metric: str

    def table(self) -> str:
        """A plain-text table, best configuration first."""
        if not self.rows:
            return "(no runs)"
        keys = [k for k in self.rows[0] if k not in ("score", "epochs_run", "seconds", "seed_scores")]
        head = "  ".join(f"{k:>14}" for k in keys) + f"  {'val ' + self.metric:>16}  epochs  seconds"
        lines = [head]
        for r in sorted(self.rows, key=lambda r: -r["score"]):
            cells = "  ".join(f"{str(r[k]):>14}" for k in keys)
            lines.append(f"{cells}  {r['score']:16.4f}  {r['epochs_run']:6d}  {r['seconds']:7.1f}")
        return "\n".join(lines)


def _score(clf, val, metric: str, positive: str | None) -> float:
    from sftkit import evaluate

    proba = clf.predict_proba(val.texts)
    rep = evaluate.report(val.labels, None, labels=clf.classes, proba=proba, positive=positive, worst=0)
    if metric == "positive_f1":
        pos = evaluate.positive_class(clf.classes, positive)
        if pos is None:
            raise ValueError("metric 'positive_f1' needs a task with two classes")
        return rep.per_class[pos]["f1"]
    return getattr(rep, metric)


def grid_search(train, val, grid: dict[str, Sequence], *, base: TrainConfig | None = None, pretrained=None,
                metric: str = "macro_f1", positive: str | None = None, seeds: Sequence[int] | None = None,
                progress: Callable[[str], None] | None = None) -> TuneResult:
    """Train one model per combination of ``grid`` values and score each on ``val``.

    ``train`` and ``val`` are :class:`~sftkit.data.LabelledTexts`; there is deliberately no
    test argument. ``grid`` maps :class:`~sftkit.config.TrainConfig` field names to the
    values to try, e.g. ``{"dropout": [0.0, 0.3], "l2": [0.0, 1e-4]}``; every other field
    comes from ``base``. ``metric`` is one of :data:`METRICS` (``positive_f1``: the F1 of
    the positive class of a two-class task, see :func:`sftkit.evaluate.positive_class`).
    A validation score moves with the random seed; with ``seeds`` each configuration is
    trained once per seed and scored by the mean (the best config keeps ``base``'s seed).
    Ties go to the configuration listed first. Returns a :class:`TuneResult`.
    """
    from sftkit.finetune import fit_text_classifier

    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}")
    if not grid:
        raise ValueError("the grid is empty: give at least one field and its values")
    base = base or TrainConfig()
    fields = asdict(base)
    for name, values in grid.items():
        if name not in fields:
            raise ValueError(f"'{name}' is not a TrainConfig field (fields: {', '.join(fields)})")
        if isinstance(values, (str, bytes)) or len(values) == 0:
            raise ValueError(f"grid['{name}'] must be a non-empty list of values")
    _check_sources(train, val)
    names = list(grid)
    rows, best = [], None
    for combo in itertools.product(*(grid[n] for n in names)):
        cfg = base.with_(**dict(zip(names, combo)))
        start = time.perf_counter()
        scores, epochs = [], []
        for seed in (seeds if seeds else [cfg.seed]):
            clf = fit_text_classifier(train.texts, train.labels, val.texts, val.labels, config=cfg.with_(seed=seed),
                                      pretrained=pretrained)
            scores.append(float(_score(clf, val, metric, positive)))
            epochs.append(len(clf.history.get("loss", [])))
        score = sum(scores) / len(scores)
        row = dict(zip(names, combo))
        row.update(score=score, epochs_run=max(epochs), seconds=round(time.perf_counter() - start, 1))
        if seeds:
            row["seed_scores"] = scores
        rows.append(row)
        if progress is not None:
            progress(", ".join(f"{k}={v}" for k, v in zip(names, combo)) + f": validation {metric} {score:.4f}")
        if best is None or score > best[0]:
            best = (score, cfg)
    return TuneResult(rows=rows, best_config=best[1], best_score=best[0], metric=metric)
