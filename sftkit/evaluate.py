"""Evaluation: accuracy, per-class precision/recall/F1, confusion matrix (seed 3.2 steps 4-5, Q2).

The arithmetic is scikit-learn's (well tested, and what a practitioner will meet
elsewhere); this module only arranges it into one report that prints as a table and
saves as JSON. Lesson 08 works the same numbers by hand and checks them against it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Sequence


@dataclass
class Report:
    """Everything ``sftkit`` says about a model on one labelled set.

    JSON keys (``metrics.json`` and ``sftkit evaluate --json``):

    * ``accuracy``: share of examples whose predicted class is the true one;
    * ``macro_f1``: unweighted mean of the per-class F1 (every class counts the same);
    * ``weighted_f1``: per-class F1 weighted by support;
    * ``per_class``: ``label -> {precision, recall, f1, support}``;
    * ``labels``: the class order used by ``confusion``;
    * ``confusion``: ``confusion[i][j]`` = examples of true class ``labels[i]``
      predicted as ``labels[j]``;
    * ``n``: number of examples.
    """

    accuracy: float
    macro_f1: float
    weighted_f1: float
    per_class: dict
    labels: list
    confusion: list
    n: int

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def table(self) -> str:
        """A plain-text table: one row per class, then the averages and the confusion matrix."""
        width = max(8, *(len(c) for c in self.labels))
        lines = [f"{'class':<{width}}  precision  recall     f1  support"]
        for c in self.labels:
            m = self.per_class[c]
            lines.append(f"{c:<{width}}  {m['precision']:9.3f}  {m['recall']:6.3f}  {m['f1']:5.3f}  {m['support']:7d}")
        lines.append(f"{'accuracy':<{width}}  {self.accuracy:.3f} on {self.n} examples")
        lines.append(f"{'macro F1':<{width}}  {self.macro_f1:.3f}   weighted F1 {self.weighted_f1:.3f}")
        lines.append("")
        lines.append("confusion matrix (rows: true class, columns: predicted class)")
        lines.append(" " * (width + 2) + "".join(f"{c:>{width + 2}}" for c in self.labels))
        for c, row in zip(self.labels, self.confusion):
            lines.append(f"{c:<{width}}  " + "".join(f"{v:>{width + 2}d}" for v in row))
        return "\n".join(lines)

    def markdown(self) -> str:
        rows = ["| class | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
        for c in self.labels:
            m = self.per_class[c]
            rows.append(f"| {c} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
        rows.append(f"\nAccuracy **{self.accuracy:.3f}**, macro F1 **{self.macro_f1:.3f}**, "
                    f"weighted F1 {self.weighted_f1:.3f}, on {self.n} examples.")
        return "\n".join(rows)


def report(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None = None) -> Report:
    """Score predicted class names against true ones."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    y_true = [str(y) for y in y_true]
    y_pred = [str(y) for y in y_pred]
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} true labels but {len(y_pred)} predictions")
    if not y_true:
        raise ValueError("nothing to evaluate: no examples")
    labels = sorted(set(y_true) | set(y_pred)) if labels is None else [str(c) for c in labels]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = {c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                 for i, c in enumerate(labels)}
    return Report(
        accuracy=float(accuracy_score(y_true, y_pred)),
        macro_f1=float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        weighted_f1=float(f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0)),
        per_class=per_class,
        labels=list(labels),
        confusion=confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        n=len(y_true),
    )


def evaluate_classifier(classifier, data) -> Report:
    """Run ``classifier`` (a :class:`~sftkit.models.TextClassifier`) on ``data`` and report."""
    unknown = sorted(set(data.labels) - set(classifier.classes))
    if unknown:
        from sftkit.data import DataError

        line = data.lines[data.labels.index(unknown[0])]
        raise DataError(data.source, f"label '{unknown[0]}' is not one the model knows "
                        f"({', '.join(classifier.classes)})", line)
    return report(data.labels, classifier.predict(data.texts), labels=classifier.classes)
