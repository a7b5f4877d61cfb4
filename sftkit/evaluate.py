"""Evaluation: accuracy, per-class precision/recall/F1, confusion matrix, curves, thresholds, errors.

Seed 3.2 steps 4-5 and Q2 (准确率 accuracy, 召回率 recall, F1). The arithmetic is
scikit-learn's (well tested, and what a practitioner will meet elsewhere); this module
only arranges it into one report that prints as a table and saves as JSON. Lesson 08
works the same numbers by hand and checks them against it.

For a task with two classes the report also holds what accuracy hides:

* the ROC and precision-recall curves of the positive class's probability, with their
  areas (ROC AUC, average precision);
* a **decision threshold**: predict the positive class when its probability is at least
  ``t``. The threshold is a decision, so it is chosen on the *validation* set
  (:func:`choose_threshold`, by default the ``t`` with the best F1 of the positive class)
  and then applied, unchanged, to the test set;
* the worst errors: the wrong predictions the model was most sure of, to read one by one
  (error analysis).
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np


@dataclass
class Report:
    """Everything ``sftkit`` says about a model on one labelled set.

    JSON keys (``metrics.json`` and ``sftkit evaluate --json``):

    * ``accuracy``: share of examples whose predicted class is the true one;
    * ``macro_f1``: unweighted mean of the per-class F1 (every class counts the same)
      over the classes that have examples in this set (``absent`` lists the others: a
      class with no examples has no recall and would count as F1 0, a fault of the set,
      not of the model);
    * ``absent``: the classes of ``labels`` with no examples in this set (usually ``[]``);
    * ``weighted_f1``: per-class F1 weighted by support;
    * ``per_class``: ``label -> {precision, recall, f1, support}``;
    * ``labels``: the class order used by ``confusion``;
    * ``confusion``: ``confusion[i][j]`` = examples of true class ``labels[i]``
      predicted as ``labels[j]``;
    * ``n``: number of examples.

    The figures above use the most probable class (``argmax``). When the class
    probabilities are known (``report(..., proba=...)``, :func:`evaluate_classifier`),
    these keys are added; each is ``null`` when it does not apply:

    * ``positive``: the positive class of a two-class task (``null`` with more classes);
    * ``roc_auc``: area under the ROC curve of ``P(positive)`` (0.5 = chance, 1 = perfect
      ranking); ``null`` if the set holds only one class;
    * ``average_precision``: area under the precision-recall curve (scikit-learn's
      average precision); the base rate of the positive class is chance level;
    * ``roc``: ``{fpr, tpr, thresholds}``, the ROC curve's points; the first threshold
      is ``null`` (it stands for "nothing predicted positive");
    * ``pr``: ``{precision, recall, thresholds}``, the precision-recall curve's points
      (``precision`` and ``recall`` have one more point than ``thresholds``: the
      end point recall 0, precision 1);
    * ``threshold``: the decision threshold applied to ``P(positive)``, or ``null``:
      ``{value, chosen_on, chosen_score, precision, recall, f1, accuracy, confusion}``,
      where ``chosen_on`` says where the value came from (``"validation"`` or
      ``"given"``), ``chosen_score`` is the positive class's F1 on the set it was
      chosen on (``null`` when given), and the other figures are those of *this* set
      when the positive class is predicted for ``P(positive) >= value``
      (``confusion`` uses the order of ``labels``);
    * ``worst_errors``: the most confident wrong predictions (argmax), most confident
      first, each ``{id, text, true, predicted, probability}`` where ``probability`` is
      the model's probability of the class it wrongly predicted.
    """

    accuracy: float
    macro_f1: float
    weighted_f1: float
    per_class: dict
    labels: list
    confusion: list
    n: int
    positive: str | None = None
    roc_auc: float | None = None
    average_precision: float | None = None
    roc: dict | None = None
    pr: dict | None = None
    threshold: dict | None = None
    worst_errors: list = field(default_factory=list)
    absent: list = field(default_factory=list)

    def absent_note(self) -> str | None:
        """One line when some classes have no examples here (left out of macro F1), else ``None``."""
        if not self.absent:
            return None
        names = ", ".join(f"'{c}'" for c in self.absent)
        present = len(self.labels) - len(self.absent)
        return (f"no examples of class{'es' if len(self.absent) > 1 else ''} {names}: macro F1 is the mean over "
                f"the {present} class{'es' if present != 1 else ''} present, and {'their' if len(self.absent) > 1 else 'its'} recall and F1 "
                "are not defined (n/a)")

    def _cell(self, c, key, fmt):
        """A per-class figure as text; ``n/a`` where it is undefined (a class with no examples has no
        recall or F1, and no precision either unless the model predicted it)."""
        m = self.per_class[c]
        if c in self.absent and key in ("recall", "f1"):
            return "n/a"
        if key == "precision" and c in self.absent:
            j = self.labels.index(c)
            if not any(row[j] for row in self.confusion):
                return "n/a"
        return format(m[key], fmt)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def table(self) -> str:
        """A plain-text table: one row per class, the averages, the confusion matrix, and
        (when known) the curves' areas, the threshold and the worst errors."""
        width = max(8, *(len(c) for c in self.labels))
        lines = [f"{'class':<{width}}  precision  recall     f1  support"]
        for c in self.labels:
            m = self.per_class[c]
            lines.append(f"{c:<{width}}  {self._cell(c, 'precision', '.3f'):>9}  {self._cell(c, 'recall', '.3f'):>6}  "
                         f"{self._cell(c, 'f1', '.3f'):>5}  {m['support']:7d}")
        lines.append(f"{'accuracy':<{width}}  {self.accuracy:.3f} on {self.n} examples")
        lines.append(f"{'macro F1':<{width}}  {self.macro_f1:.3f}   weighted F1 {self.weighted_f1:.3f}")
        if self.absent:
            lines.append(f"note: {self.absent_note()}")
        lines.append("")
        lines.append("confusion matrix (rows: true class, columns: predicted class)")
        lines.append(" " * (width + 2) + "".join(f"{c:>{width + 2}}" for c in self.labels))
        for c, row in zip(self.labels, self.confusion):
            lines.append(f"{c:<{width}}  " + "".join(f"{v:>{width + 2}d}" for v in row))
        if self.positive is not None and self.roc_auc is not None:
            lines.append("")
            lines.append(f"positive class '{self.positive}': ROC AUC {self.roc_auc:.3f}, "
                         f"average precision {self.average_precision:.3f}")
        if self.threshold is not None:
            t = self.threshold
            where = (f"chosen on {t['chosen_on']}, F1 there {t['chosen_score']:.3f}"
                     if t["chosen_score"] is not None else t["chosen_on"])
            lines.append(f"at threshold {t['value']:.3f} ({where}): precision {t['precision']:.3f}, "
                         f"recall {t['recall']:.3f}, F1 {t['f1']:.3f}, accuracy {t['accuracy']:.3f}")
        if self.worst_errors:
            lines.append("")
            lines.append("most confident errors (true -> predicted, probability of the prediction)")
            for e in self.worst_errors:
                text = e["text"] if len(e["text"]) <= 70 else e["text"][:67] + "..."
                lines.append(f"  {e['id']}  {e['true']} -> {e['predicted']}  {e['probability']:.3f}  {text}")
        return "\n".join(lines)

    def markdown(self) -> str:
        rows = ["| class | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
        for c in self.labels:
            m = self.per_class[c]
            rows.append(f"| {c} | {self._cell(c, 'precision', '.3f')} | {self._cell(c, 'recall', '.3f')} | "
                        f"{self._cell(c, 'f1', '.3f')} | {m['support']} |")
        rows.append(f"\nAccuracy **{self.accuracy:.3f}**, macro F1 **{self.macro_f1:.3f}**, "
                    f"weighted F1 {self.weighted_f1:.3f}, on {self.n} examples.")
        if self.absent:
            rows.append(f"Note: {self.absent_note()}.")
        if self.positive is not None and self.roc_auc is not None:
            rows.append(f"Positive class `{self.positive}`: ROC AUC {self.roc_auc:.3f}, "
                        f"average precision {self.average_precision:.3f}.")
        if self.threshold is not None:
            t = self.threshold
            rows.append(f"At threshold {t['value']:.3f} ({t['chosen_on']}): precision {t['precision']:.3f}, "
                        f"recall {t['recall']:.3f}, F1 {t['f1']:.3f}.")
        return "\n".join(rows)


# ----------------------------------------------------------------------------- pieces


def positive_class(labels: Sequence[str], positive: str | None = None) -> str | None:
    """The positive class of a two-class task: ``positive`` if given, else the second label
    in ``labels`` order (``spam`` of ham/spam, ``positive`` of negative/positive).
    ``None`` for more than two classes."""
    labels = [str(c) for c in labels]
    if positive is not None:
        if str(positive) not in labels:
            raise ValueError(f"positive class {positive!r} is not one of the labels ({', '.join(labels)})")
        if len(labels) != 2:
            raise ValueError("a positive class (and a threshold) needs a task with exactly two classes")
        return str(positive)
    return labels[1] if len(labels) == 2 else None


def _finite(values) -> list:
    return [round(float(v), 6) if math.isfinite(float(v)) else None for v in values]


def binary_curves(y_true: Sequence[str], p_positive, positive: str) -> dict:
    """ROC and precision-recall curves of ``p_positive`` and their areas (scikit-learn)."""
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

    y = np.array([str(v) == positive for v in y_true], dtype=int)
    p = np.asarray(p_positive, dtype=float)
    if y.min() == y.max():  # one class only: the curves are undefined
        return {"roc_auc": None, "average_precision": None, "roc": None, "pr": None}
    fpr, tpr, roc_t = roc_curve(y, p)
    prec, rec, pr_t = precision_recall_curve(y, p)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "average_precision": float(average_precision_score(y, p)),
        "roc": {"fpr": _finite(fpr), "tpr": _finite(tpr), "thresholds": _finite(roc_t)},
        "pr": {"precision": _finite(prec), "recall": _finite(rec), "thresholds": _finite(pr_t)},
    }


def choose_threshold(y_true: Sequence[str], p_positive, positive: str) -> tuple[float, float]:
    """The threshold with the best F1 of ``positive`` on this (validation!) set: ``(t, F1)``.

    Candidates are the distinct probabilities themselves (scikit-learn's
    ``precision_recall_curve``); predicting positive for ``p >= t`` gives the precision
    and recall at that point, and F1 is their harmonic mean. Ties go to the highest
    threshold (fewest positive predictions). Use it on validation data, then apply the
    returned ``t`` unchanged to the test set.
    """
    from sklearn.metrics import precision_recall_curve

    y = np.array([str(v) == positive for v in y_true], dtype=int)
    if y.min() == y.max():
        raise ValueError("choosing a threshold needs examples of both classes")
    prec, rec, thresholds = precision_recall_curve(y, np.asarray(p_positive, dtype=float))
    prec, rec = prec[:-1], rec[:-1]  # the last point (recall 0) has no threshold
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
    best = np.flatnonzero(f1 == f1.max())[-1]
    return float(thresholds[best]), float(f1[best])


def apply_threshold(p_positive, threshold: float, labels: Sequence[str], positive: str) -> list[str]:
    """Class names: ``positive`` where ``P(positive) >= threshold``, the other class elsewhere."""
    other = [c for c in labels if c != positive][0]
    return [positive if p >= threshold else other for p in np.asarray(p_positive, dtype=float)]


def threshold_figures(y_true: Sequence[str], p_positive, threshold: float, labels: Sequence[str],
                      positive: str, chosen_on: str = "given", chosen_score: float | None = None) -> dict:
    """The ``threshold`` entry of a report: this set's figures at a fixed threshold."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    y_true = [str(v) for v in y_true]
    pred = apply_threshold(p_positive, threshold, labels, positive)
    p, r, f, _ = precision_recall_fscore_support(y_true, pred, labels=[positive], zero_division=0)
    return {"value": float(threshold), "chosen_on": chosen_on,
            "chosen_score": None if chosen_score is None else float(chosen_score),
            "precision": float(p[0]), "recall": float(r[0]), "f1": float(f[0]),
            "accuracy": float(accuracy_score(y_true, pred)),
            "confusion": confusion_matrix(y_true, pred, labels=list(labels)).tolist()}


def worst_errors(y_true: Sequence[str], proba, labels: Sequence[str], ids: Sequence[str] | None = None,
                 texts: Sequence[str] | None = None, n: int = 10) -> list[dict]:
    """The ``n`` wrong (argmax) predictions with the highest probability, most confident first."""
    proba = np.asarray(proba, dtype=float)
    pred = proba.argmax(axis=1)
    index = {c: i for i, c in enumerate(labels)}
    truth = np.array([index[str(y)] for y in y_true])
    wrong = np.flatnonzero(pred != truth)
    conf = proba[wrong, pred[wrong]]
    order = wrong[np.argsort(-conf, kind="stable")][:max(0, n)]
    return [{"id": str(ids[i]) if ids is not None else f"row-{i + 1}",
             "text": str(texts[i]) if texts is not None else "",
             "true": labels[truth[i]], "predicted": labels[pred[i]],
             "probability": float(proba[i, pred[i]])} for i in order]


# ----------------------------------------------------------------------------- the report


def report(y_true: Sequence[str], y_pred: Sequence[str] | None, labels: Sequence[str] | None = None, *,
           proba=None, positive: str | None = None, threshold: float | None = None,
           threshold_chosen_on: str = "given", threshold_score: float | None = None,
           ids: Sequence[str] | None = None, texts: Sequence[str] | None = None, worst: int = 10) -> Report:
    """Score predicted class names against true ones.

    With ``proba`` (class probabilities, columns in ``labels`` order) ``y_pred`` may be
    ``None`` (the argmax is used) and the report gains the curves, the ``threshold``
    figures (when ``threshold`` is given) and the ``worst`` most confident errors
    (with ``ids`` and ``texts`` when given).
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    y_true = [str(y) for y in y_true]
    if proba is not None:
        if labels is None:
            raise ValueError("with proba, give labels: the class of each probability column")
        proba = np.asarray(proba, dtype=float)
        if proba.shape != (len(y_true), len(labels)):
            raise ValueError(f"proba has shape {proba.shape}, expected ({len(y_true)}, {len(labels)})")
        if y_pred is None:
            y_pred = [str(labels[i]) for i in proba.argmax(axis=1)]
    if y_pred is None:
        raise ValueError("give y_pred or proba")
    y_pred = [str(y) for y in y_pred]
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} true labels but {len(y_pred)} predictions")
    if not y_true:
        raise ValueError("nothing to evaluate: no examples")
    labels = sorted(set(y_true) | set(y_pred)) if labels is None else [str(c) for c in labels]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = {c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                 for i, c in enumerate(labels)}
    present = [c for c in labels if per_class[c]["support"] > 0]
    rep = Report(
        accuracy=float(accuracy_score(y_true, y_pred)),
        # over the classes with examples here: a class absent from this set has no recall to average
        macro_f1=float(f1_score(y_true, y_pred, labels=present or labels, average="macro", zero_division=0)),
        weighted_f1=float(f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0)),
        per_class=per_class,
        labels=list(labels),
        confusion=confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        n=len(y_true),
        absent=[c for c in labels if c not in present],
    )
    if proba is None:
        if threshold is not None:
            raise ValueError("a threshold needs the class probabilities (proba)")
        return rep
    rep.worst_errors = worst_errors(y_true, proba, labels, ids, texts, worst)
    pos = positive_class(labels, positive)
    if pos is None:
        if threshold is not None:
            raise ValueError("a threshold needs a task with exactly two classes")
        return rep
    p_pos = proba[:, labels.index(pos)]
    rep.positive = pos
    curves = binary_curves(y_true, p_pos, pos)
    rep.roc_auc, rep.average_precision = curves["roc_auc"], curves["average_precision"]
    rep.roc, rep.pr = curves["roc"], curves["pr"]
    if threshold is not None:
        rep.threshold = threshold_figures(y_true, p_pos, threshold, labels, pos, threshold_chosen_on,
                                          threshold_score)
    return rep


def _same_file(a, b) -> bool:
    """True if ``a`` and ``b`` share examples: the same object, or rows with the same id from one file.

    (Splits made from one file by ``stratified_split`` share the file but no ids.)
    """
    from pathlib import Path

    if a is b:
        return True
    if a.source == "<memory>" or b.source == "<memory>":
        return False
    if Path(a.source).resolve() != Path(b.source).resolve():
        return False
    return bool(set(a.ids) & set(b.ids))


def evaluate_classifier(classifier, data, *, validation=None, threshold: float | None = None,
                        positive: str | None = None, worst: int = 10) -> Report:
    """Run ``classifier`` (a :class:`~sftkit.models.TextClassifier`) on ``data`` and report.

    For a two-class model, ``validation`` (labelled texts) chooses the decision threshold
    with :func:`choose_threshold` and the report shows ``data``'s figures at it; or pass
    a ``threshold`` you chose earlier. ``positive`` names the positive class (default:
    see :func:`positive_class`). Without either, a threshold saved with the model
    (:meth:`~sftkit.models.TextClassifier.set_threshold`) is applied. Choosing the
    threshold on ``data`` itself is refused: it would report a figure tuned on the very
    examples it claims to measure.
    """
    from sftkit.data import DataError

    for ds in (data,) if validation is None else (data, validation):
        unknown = sorted(set(ds.labels) - set(classifier.classes))
        if unknown:
            line = ds.lines[ds.labels.index(unknown[0])]
            raise DataError(ds.source, f"label '{unknown[0]}' is not one the model knows "
                            f"({', '.join(classifier.classes)})", line)
    if validation is not None and threshold is not None:
        raise ValueError("give a validation set to choose the threshold on, or a threshold, not both")
    classes = list(classifier.classes)
    chosen_on, score = "given", None
    saved = getattr(classifier, "threshold", None)
    if validation is None and threshold is None and saved is not None and positive in (None, classifier.positive):
        threshold, positive = saved, classifier.positive
        chosen_on = f"saved with the model (chosen on {classifier.threshold_chosen_on})"
    if validation is not None:
        if _same_file(validation, data):
            raise ValueError(f"{data.source}: the threshold must be chosen on other data (validation) than "
                             "the data it is scored on")
        pos = positive_class(classes, positive)
        if pos is None:
            raise ValueError("choosing a threshold needs a model with exactly two classes")
        missing = [c for c in classes if c not in set(validation.labels)]
        if missing:
            raise DataError(validation.source, f"no examples of class '{missing[0]}': choosing a threshold needs "
                            "validation examples of both classes", hint="give a validation file with both")
        pv = classifier.predict_proba(validation.texts)[:, classes.index(pos)]
        threshold, score = choose_threshold(validation.labels, pv, pos)
        chosen_on = "validation"
    proba = classifier.predict_proba(data.texts)
    return report(data.labels, None, labels=classes, proba=proba, positive=positive, threshold=threshold,
                  threshold_chosen_on=chosen_on, threshold_score=score, ids=data.ids, texts=data.texts,
                  worst=worst)
