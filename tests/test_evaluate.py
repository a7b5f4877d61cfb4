"""Evaluation (sftkit.evaluate): figures against hand counts, curves, thresholds, worst errors, JSON."""
import json

import numpy as np
import pytest

from sftkit import evaluate

LABELS = ["ham", "spam"]
#            ham  ham  ham  ham  ham  ham spam spam spam spam
TRUE = ["ham"] * 6 + ["spam"] * 4
P_SPAM = [0.05, 0.10, 0.20, 0.30, 0.45, 0.70, 0.40, 0.60, 0.80, 0.95]


def proba():
    p = np.array(P_SPAM)
    return np.stack([1 - p, p], axis=1)


def test_counts_by_hand():
    rep = evaluate.report(TRUE, None, labels=LABELS, proba=proba())
    # argmax: spam predicted for 0.70 (a ham), 0.60, 0.80, 0.95 -> TP 3, FP 1, FN 1, TN 5
    assert rep.confusion == [[5, 1], [1, 3]]
    assert rep.accuracy == pytest.approx(0.8)
    assert rep.per_class["spam"]["precision"] == pytest.approx(3 / 4)
    assert rep.per_class["spam"]["recall"] == pytest.approx(3 / 4)
    assert rep.per_class["ham"]["f1"] == pytest.approx(5 / 6)
    assert rep.macro_f1 == pytest.approx((5 / 6 + 3 / 4) / 2)
    assert rep.positive == "spam"
    # ROC AUC = share of (spam, ham) pairs ranked the right way: 21 of 24 (0.40 < 0.45, 0.70; 0.60 < 0.70)
    assert rep.roc_auc == pytest.approx(21 / 24)
    assert rep.roc["fpr"][0] == 0 and rep.roc["thresholds"][0] is None
    assert rep.pr["recall"][-1] == 0 and len(rep.pr["precision"]) == len(rep.pr["thresholds"]) + 1


def test_all_ham_baseline_has_high_accuracy_and_no_spam_recall():
    rep = evaluate.report(TRUE, ["ham"] * 10, labels=LABELS)
    assert rep.accuracy == pytest.approx(0.6)
    assert rep.per_class["spam"]["recall"] == 0 and rep.per_class["spam"]["f1"] == 0
    assert rep.roc is None and rep.threshold is None and rep.worst_errors == []


def test_choose_threshold_maximises_f1_and_is_applied_unchanged():
    t, f1 = evaluate.choose_threshold(TRUE, P_SPAM, "spam")
    # p >= 0.4 catches all 4 spam with 2 ham: F1 = 2*4/(2*4+2) = 0.8; p >= 0.6 gives 0.75
    assert t == pytest.approx(0.4) and f1 == pytest.approx(0.8)
    rep = evaluate.report(TRUE, None, labels=LABELS, proba=proba(), threshold=t, threshold_chosen_on="validation",
                          threshold_score=f1)
    assert rep.threshold["confusion"] == [[4, 2], [0, 4]]
    assert rep.threshold["recall"] == 1.0 and rep.threshold["f1"] == pytest.approx(0.8)
    assert rep.threshold["chosen_on"] == "validation"
    assert evaluate.apply_threshold([0.39, 0.4], 0.4, LABELS, "spam") == ["ham", "spam"]


def test_worst_errors_are_the_most_confident_mistakes():
    ids = [f"m{i}" for i in range(10)]
    rep = evaluate.report(TRUE, None, labels=LABELS, proba=proba(), ids=ids, texts=[f"text {i}" for i in range(10)],
                          worst=5)
    assert [e["id"] for e in rep.worst_errors] == ["m5", "m6"]  # 0.70 spam for a ham, then 0.60 ham for a spam
    first = rep.worst_errors[0]
    assert first == {"id": "m5", "text": "text 5", "true": "ham", "predicted": "spam", "probability": 0.7}
    assert len(evaluate.report(TRUE, None, labels=LABELS, proba=proba(), worst=1).worst_errors) == 1


def test_json_keeps_old_keys_and_adds_new_ones():
    d = json.loads(evaluate.report(TRUE, None, labels=LABELS, proba=proba(), threshold=0.5).to_json())
    old = {"accuracy", "macro_f1", "weighted_f1", "per_class", "labels", "confusion", "n"}
    new = {"positive", "roc_auc", "average_precision", "roc", "pr", "threshold", "worst_errors", "absent"}
    assert set(d) == old | new
    for key in new | old:
        assert f"``{key}``" in evaluate.Report.__doc__, f"{key} is not documented"
    assert "Infinity" not in json.dumps(d)


def test_three_classes_have_no_curves_and_refuse_a_threshold():
    labels = ["a", "b", "c"]
    p = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.5, 0.1, 0.4]])
    rep = evaluate.report(["a", "b", "c"], None, labels=labels, proba=p)
    assert rep.positive is None and rep.roc is None and rep.accuracy == pytest.approx(2 / 3)
    assert rep.worst_errors[0]["true"] == "c" and rep.worst_errors[0]["predicted"] == "a"
    with pytest.raises(ValueError, match="two classes"):
        evaluate.report(["a", "b", "c"], None, labels=labels, proba=p, threshold=0.5)
    with pytest.raises(ValueError, match="not one of the labels"):
        evaluate.positive_class(LABELS, "eggs")
    with pytest.raises(ValueError, match="shape"):
        evaluate.report(TRUE, None, labels=labels, proba=proba())


class _Stub:
    """A classifier whose probability of 'spam' is written in the text itself."""

    classes = LABELS

    def predict_proba(self, texts):
        p = np.array([float(t.split()[-1]) for t in texts])
        return np.stack([1 - p, p], axis=1)


def test_evaluate_classifier_chooses_the_threshold_on_validation_only():
    from sftkit.data import LabelledTexts

    val = LabelledTexts.from_lists([f"v {p}" for p in P_SPAM], TRUE, source="val.csv")
    test = LabelledTexts.from_lists(["t 0.35", "t 0.55", "t 0.45", "t 0.1"], ["spam", "spam", "ham", "ham"],
                                    source="test.csv")
    rep = evaluate.evaluate_classifier(_Stub(), test, validation=val)
    assert rep.threshold["value"] == pytest.approx(0.4) and rep.threshold["chosen_score"] == pytest.approx(0.8)
    assert rep.threshold["confusion"] == [[1, 1], [1, 1]]
    assert rep.per_class["spam"]["recall"] == 0.5  # argmax figures are unchanged by the threshold
    with pytest.raises(ValueError, match="other data"):
        evaluate.evaluate_classifier(_Stub(), test, validation=test)


def test_cli_evaluate_chooses_threshold_on_val_and_writes_json_and_plots(tmp_path, run_cli):
    from sftkit.finetune import fit_text_classifier
    from tests.conftest import tiny_rows, write_csv

    rows = tiny_rows(200, seed=5)
    clf = fit_text_classifier([r["text"] for r in rows], [r["label"] for r in rows], epochs=3, sequence_length=8,
                              embedding_dim=8, lstm_units=8, learning_rate=0.02, patience=0)
    clf.save(tmp_path / "model")
    val = write_csv(tmp_path / "val.csv", tiny_rows(40, seed=6))
    test = write_csv(tmp_path / "test.csv", tiny_rows(40, seed=7))
    code, out, err = run_cli("evaluate", "--model", tmp_path / "model", "--data", test, "--val", val,
                             "--json", tmp_path / "rep.json", "--plots", tmp_path / "figs", "--worst", "3")
    assert code == 0, err
    assert "chosen on validation" in out and "ROC AUC" in out
    rep = json.loads((tmp_path / "rep.json").read_text())
    assert rep["threshold"]["chosen_on"] == "validation" and rep["positive"] == "positive"
    assert len(rep["worst_errors"]) <= 3 and rep["n"] == 40
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == [".sftkit-run", "confusion.png", "pr.png",
                                                                     "roc.png"]
    code, _, err = run_cli("evaluate", "--model", tmp_path / "model", "--data", test, "--val", test)
    assert code == 2 and "chosen on other data" in err
    code, _, err = run_cli("evaluate", "--model", tmp_path / "model", "--data", test, "--val", val,
                           "--threshold", "0.5")
    assert code == 2 and "not both" in err
