"""The simple thing to beat: TF-IDF n-grams and logistic regression, C chosen on validation.

A user's first question about their own data is how the LSTM compares with a linear model
on bag-of-n-gram features. This is that model, written once and called by
``benchmarks/baseline.py`` and the lessons alike:

* features: TF-IDF (scikit-learn's ``TfidfVectorizer``, sublinear term frequencies) of
  word 1-2-grams for space-separated scripts, or of character 1-2-grams for Chinese and
  other scripts without spaces (after the NFKC and case folding the tokenizers use);
  :func:`baseline_analyzer` decides by ``sftkit.text.cjk_share``, as the tokenizer's
  ``auto`` does;
* classifier: ``LogisticRegression`` for each ``C`` in :data:`C_GRID`, the one with the
  best validation accuracy kept (the first on ties).

The test split is not an argument of :func:`fit_baseline`: score it once, at the end, with
:meth:`Baseline.predict`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

#: Inverse regularisation strengths tried, weakest regularisation last.
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def baseline_analyzer(texts: Sequence[str]) -> str:
    """``"char"`` for text mostly in scripts without spaces, else ``"word"``."""
    from sftkit.text import CJK_THRESHOLD, cjk_share

    return "char" if cjk_share(texts) > CJK_THRESHOLD else "word"


def fold(text: str) -> str:
    """NFKC, then lower case: the folding the ``chars`` tokenizer applies first (``Ｔｙｐｅ３`` -> ``type3``)."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass
class Baseline:
    """A fitted TF-IDF + logistic regression baseline.

    ``analyzer`` is ``"word"`` or ``"char"``; ``C`` the value chosen on validation;
    ``val_scores`` the validation accuracy of every ``C`` tried; ``val`` the
    :class:`sftkit.evaluate.Report` of the chosen model on validation.
    """

    analyzer: str
    C: float
    vectorizer: Any
    model: Any
    val_scores: dict
    val: Any

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The predicted class name of each text (the most probable class)."""
        return [str(y) for y in self.model.predict(self.vectorizer.transform([str(t) for t in texts]))]


def fit_baseline(train, val, analyzer: str | None = None, c_grid: Sequence[float] = C_GRID) -> Baseline:
    """Fit the baseline on ``train``, choosing ``C`` by accuracy on ``val``.

    Parameters
    ----------
    train, val : sftkit.data.LabelledTexts
        Training and validation examples (``texts``, ``labels``).
    analyzer : {"word", "char"}, optional
        n-grams of words or of characters; by default :func:`baseline_analyzer` of the
        training texts.
    c_grid : sequence of float
        The ``C`` values tried.

    Returns
    -------
    Baseline

    Raises
    ------
    ValueError
        If the training labels hold fewer than two classes, the validation split is
        empty, or ``analyzer`` is not ``"word"`` or ``"char"``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from sftkit.evaluate import report

    if len(set(train.labels)) < 2:
        raise ValueError("training labels contain a single class; the baseline needs at least two")
    if len(val) == 0:
        raise ValueError("the validation split is empty: C is chosen on validation")
    analyzer = analyzer or baseline_analyzer(train.texts)
    if analyzer == "char":
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, preprocessor=fold)
    elif analyzer == "word":
        vec = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    else:
        raise ValueError(f"analyzer must be 'word' or 'char'; got {analyzer!r}")
    x_train, x_val = vec.fit_transform(list(train.texts)), vec.transform(list(val.texts))
    y_val = np.asarray([str(y) for y in val.labels])
    best, scores = None, {}
    for C in c_grid:
        model = LogisticRegression(C=C, max_iter=5000).fit(x_train, [str(y) for y in train.labels])
        scores[C] = float(np.mean(model.predict(x_val) == y_val))
        if best is None or scores[C] > scores[best[0]]:
            best = (C, model)
    C, model = best
    labels = sorted(set(str(y) for y in train.labels))
    return Baseline(analyzer, C, vec, model, scores, report(val.labels, list(model.predict(x_val)), labels))


def tfidf_logreg(train, val, test, analyzer: str | None = None) -> dict:
    """:func:`fit_baseline`, then the test split scored once.

    Returns ``{"analyzer", "C", "predicted", "val", "test"}``: the test predictions and
    :class:`sftkit.evaluate.Report` objects for validation and test.
    """
    from sftkit.evaluate import report

    base = fit_baseline(train, val, analyzer)
    predicted = base.predict(test.texts)
    labels = sorted(set(str(y) for y in train.labels))
    return {"analyzer": base.analyzer, "C": base.C, "predicted": predicted, "val": base.val,
            "test": report(test.labels, predicted, labels)}
