"""Data selection: the interface, the scorers (on hand-made data) and `sftkit select`."""
import argparse
import csv
import hashlib
import json

import numpy as np
import pytest

from sftkit.data import DataError
from sftkit.selection import Scores, combine, select
from sftkit.selection.base import budget_count, percentile_rank
from sftkit.selection import dedup, diversity, domain, dynamics, noisy, quality

from conftest import tiny_rows, write_csv


# ----------------------------------------------------------------------------- interface


def test_budget_count_fraction_and_count():
    assert budget_count(None, 10) == 10
    assert budget_count(0.5, 10) == 5
    assert budget_count(3, 10) == 3
    assert budget_count(30, 10) == 10
    for bad in (0, -1, 0.0, 1.5, True):
        with pytest.raises(ValueError):
            budget_count(bad, 10)


def test_select_keeps_best_undropped_rows_and_explains_the_rest():
    s = Scores("m", [0.9, 0.1, 0.5, 0.8, 0.7], ["", "low", "", "", ""], drop=[False, False, False, True, False])
    sel = select(s, budget=2)
    assert sel.kept.tolist() == [0, 4]
    assert sel.rejected.tolist() == [1, 2, 3]
    assert sel.reason[3] == "m: dropped"
    assert sel.reason[1].startswith("over budget") and "low" in sel.reason[1]
    assert all(sel.reason[i] == "" for i in sel.kept)
    assert select(s).kept.tolist() == [0, 1, 2, 4]  # no budget: everything not dropped


def test_select_balance_keeps_class_shares():
    labels = ["a"] * 6 + ["b"] * 4
    s = Scores("m", [1, 1, 1, 1, 1, 1, 0, 0, 0, 0], [""] * 10)
    assert select(s, 5, labels).kept.tolist() == [0, 1, 2, 3, 4]
    kept = select(s, 5, labels, balance=True).kept
    assert sorted(labels[i] for i in kept) == ["a", "a", "a", "b", "b"]


def test_combine_drops_by_any_and_averages_ranks():
    a = Scores("a", [3, 2, 1], ["", "", "a-why"], drop=[False, True, False])
    b = Scores("b", [1, 2, 3], ["b-why", "", ""])
    c = combine(a, b)
    assert c.drop.tolist() == [False, True, False]
    assert np.allclose(c.score, [0.5, 0.5, 0.5])
    assert c.reason[1] == ""  # a dropped it without a reason
    assert percentile_rank(np.array([np.nan, 1.0, 2.0])).tolist() == [0.0, 0.5, 1.0]


# ----------------------------------------------------------------------------- dedup and quality


def test_dedup_finds_exact_and_near_copies_and_keeps_the_first():
    texts = ["The kettle is lovely and the lid fits well.",
             "The blender is awful; it broke after two days of light use.",
             "the kettle is lovely and the lid fits well!!",          # exact after normalising
             "Our kettle is lovely and the lid fits well.",            # near copy (one word swapped)
             "A completely different sentence about a garden chair."]
    s = dedup.dedup_scores(texts, ids=["a", "b", "c", "d", "e"])
    assert s.drop.tolist() == [False, False, True, True, False]
    assert s.reason[2] == "duplicate: same text as a"
    assert s.reason[3] == "near-duplicate: of a"
    assert dedup.jaccard(dedup.shingles("abcdefg"), dedup.shingles("abcdefg")) == 1.0


def test_quality_rules_each_catch_their_case():
    good = "The kettle is lovely and the lid fits well, I use it every day."
    texts = [good, "", "   ", "click here to see more reviews", "tssnv ftrjbwqbq hqtkxdn nwqcw",
             " ".join(["and then I forgot"] * 30), "the lid"]
    s = quality.quality_scores(texts, vocabulary=set(quality.WORD.findall(good.lower())) | {"and", "then", "forgot"})
    assert s.drop.tolist() == [False, True, True, True, True, True, True]
    assert s.reason[1] == "quality: empty text"
    assert s.reason[3] == "quality: boilerplate"
    assert "vowels" in s.reason[4] or "unknown" in s.reason[4]
    assert "too long" in s.reason[5] or "repetitive" in s.reason[5]
    assert "too short" in s.reason[6]
    assert s.score[0] == 1.0 and (s.score[1:] < 1.0).all()


# ----------------------------------------------------------------------------- noisy labels


PROBA = np.array([[0.9, 0.1], [0.8, 0.2], [0.25, 0.75],  # labelled 0; the third looks like a 1
                  [0.2, 0.8], [0.1, 0.9], [0.6, 0.4]])   # labelled 1; the last looks like a 0
Y = np.array([0, 0, 0, 1, 1, 1])


def test_thresholds_and_confident_joint_by_hand():
    t = noisy.per_class_thresholds(PROBA, Y)
    assert np.allclose(t, [(0.9 + 0.8 + 0.25) / 3, (0.8 + 0.9 + 0.4) / 3])
    conf = noisy.confident_labels(PROBA, t)
    # row 2: p1 = 0.75 >= t1 = 0.7 -> confidently class 1; row 5: p0 = 0.6 < t0 = 0.65, p1 = 0.4 < t1 -> none
    assert conf.tolist() == [0, 0, 1, 1, 1, -1]
    assert noisy.confident_joint(Y, conf, 2).tolist() == [[2, 1], [0, 2]]
    assert noisy.find_label_issues(PROBA, Y).tolist() == [False, False, True, False, False, False]
    Q = noisy.calibrated_joint(noisy.confident_joint(Y, conf, 2), Y)
    assert np.isclose(Q.sum(), 1.0) and np.allclose(Q.sum(axis=1), [0.5, 0.5])
    assert noisy.find_label_issues(PROBA, Y, method="prune_by_noise_rate").tolist() == [
        False, False, True, False, False, False]


def test_self_confidence_margin_and_scores():
    assert np.allclose(noisy.self_confidence(PROBA, Y), [0.9, 0.8, 0.25, 0.8, 0.9, 0.4])
    assert np.allclose(noisy.margin(PROBA, Y), [0.8, 0.6, -0.5, 0.6, 0.8, -0.2])
    labels = ["neg" if v == 0 else "pos" for v in Y]
    s = noisy.noisy_label_scores(PROBA, labels, ["neg", "pos"])
    assert s.drop.tolist() == [False, False, True, False, False, False]
    assert s.reason[2].startswith("label issue: labelled neg, model says pos")
    with pytest.raises(ValueError):
        noisy.noisy_label_scores(PROBA, labels, ["neg", "pos"], kind="nonsense")


# ----------------------------------------------------------------------------- dynamics, domain, diversity


def test_data_map_and_el2n():
    proba = np.array([[[0.6, 0.4], [0.3, 0.7]], [[0.8, 0.2], [0.5, 0.5]]])  # (epochs=2, n=2, classes=2)
    m = dynamics.data_map(proba, np.array([0, 0]))
    assert np.allclose(m["confidence"], [0.7, 0.4])
    assert np.allclose(m["variability"], [0.1, 0.1])
    assert np.allclose(m["correctness"], [1.0, 0.5])  # argmax of [0.5, 0.5] is class 0
    assert np.allclose(dynamics.el2n(proba[0], np.array([0, 1])), [np.sqrt(0.32), np.sqrt(0.18)])


def test_domain_scores_threshold_and_unknown():
    s = domain.domain_scores(np.array([-0.5, 0.3, np.nan, 1.2]), threshold=0.5)
    assert s.drop.tolist() == [False, False, True, True]
    assert s.score[0] > s.score[1] > s.score[3]
    assert s.reason[2] == "off-domain: too few known words"
    assert domain.threshold_from(np.array([0.0, 1.0, np.nan]), 0.5) == 0.5


def test_k_center_covers_far_points_first_and_never_repeats():
    pts = np.array([[0, 0], [0, 0], [10, 0], [0, 10], [1, 1], [0, 0]], dtype=float)
    order = diversity.k_center_order(pts)
    assert sorted(order.tolist()) == list(range(6))
    assert set(order[:3].tolist()) == {0, 2, 3}
    s = diversity.diversity_scores(pts, k=3)
    assert (s.score > 0).sum() == 3 and s.score[0] == 1.0


def test_training_dynamics_and_out_of_fold_on_tiny_data():
    rows = tiny_rows(120)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    per_epoch = dynamics.record_dynamics(texts, labels, epochs=2, embedding_dim=8, lstm_units=8, sequence_length=12)
    assert per_epoch.shape == (2, 120, 2)
    assert np.allclose(per_epoch.sum(axis=2), 1.0, atol=1e-4)
    proba = noisy.out_of_fold_proba(texts, labels, k=2, epochs=1, embedding_dim=8, lstm_units=8, sequence_length=12)
    assert proba.shape == (120, 2) and not np.isnan(proba).any()


class _WordRule:
    """A stand-in classifier: 'bad' means negative, anything else positive."""
    classes = ["negative", "positive"]

    def predict_proba(self, texts):
        return np.array([[0.9, 0.1] if "bad" in t else [0.2, 0.8] for t in texts])


def test_trusted_rows_join_every_fold_and_rounds_leave_out_flagged_rows(monkeypatch):
    import sftkit.finetune

    seen = []

    def fake_fit(texts, labels, *a, **k):
        seen.append(list(texts))
        return _WordRule()

    monkeypatch.setattr(sftkit.finetune, "fit_text_classifier", fake_fit)
    texts = [f"good {i}" for i in range(10)] + [f"bad {i}" for i in range(10)]
    labels = ["positive"] * 10 + ["negative"] * 8 + ["positive"] * 2  # bad 8, bad 9 mislabelled
    rounds = noisy.iterative_out_of_fold(texts, labels, rounds=3, k=2, trusted_texts=["trusted bad"],
                                         trusted_labels=["negative"], trusted_weight=3)
    # round 1 flags the two wrong labels, round 2 flags the same two: converged, so no round 3
    assert len(rounds) == 2 and len(seen) == 4
    y = noisy.label_indices(labels, ["negative", "positive"])
    assert np.flatnonzero(noisy.margin(rounds[-1], y) < 0).tolist() == [18, 19]
    assert all(t.count("trusted bad") == 3 for t in seen)
    assert any("bad 8" in t for t in seen[:2]) and not any("bad 8" in t or "bad 9" in t for t in seen[2:])
    with pytest.raises(ValueError, match="not in the data"):
        noisy.out_of_fold_proba(texts, labels, k=2, trusted_texts=["x"], trusted_labels=["neutral"])
    scores = noisy.noisy_label_scores(rounds[-1], labels, ["negative", "positive"], kind="disagreement")
    assert np.flatnonzero(scores.drop).tolist() == [18, 19] and "model says negative" in scores.reason[18]


# ----------------------------------------------------------------------------- sftkit select


def run_select(*argv):
    """The `select` subcommand behind a small argparse wrapper, exit codes like `sftkit`'s."""
    from sftkit.selection.cli import add_parser

    parser = argparse.ArgumentParser(prog="sftkit")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["select", *map(str, argv)])
    try:
        return args.func(args)
    except (DataError, FileExistsError) as e:
        print(f"sftkit: error: {e}")
        return 2


def noisy_rows():
    rows = tiny_rows(60)
    rows += [dict(rows[0], id="dup-1"), dict(rows[1], id="dup-2", text=rows[1]["text"].upper()),
             {"id": "junk-1", "text": "", "label": "positive"},
             {"id": "junk-2", "text": "click here to see more reviews", "label": "negative"}]
    return rows


def read_ids(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [r["id"] for r in csv.DictReader(f)]


@pytest.mark.parametrize("strategy,budget", [("filter", None), ("dedup", None), ("quality", None),
                                             ("random", 0.5), ("filter", 20)])
def test_select_partitions_the_input_and_leaves_it_unchanged(tmp_path, strategy, budget):
    src = write_csv(tmp_path / "in.csv", noisy_rows())
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out"
    argv = ["--data", src, "--strategy", strategy, "--out", out] + (["--budget", budget] if budget else [])
    assert run_select(*argv) == 0
    kept, rejected = read_ids(out / "kept.csv"), read_ids(out / "rejected.csv")
    ids = [r["id"] for r in noisy_rows()]
    assert sorted(kept + rejected) == sorted(ids)
    assert len(set(kept + rejected)) == len(ids)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["n_kept"] == len(kept) and summary["n_rejected"] == len(rejected)
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        assert all(r["reason"] for r in csv.DictReader(f))
    if strategy == "filter":
        assert {"dup-1", "dup-2", "junk-1", "junk-2"} <= set(rejected)
    if budget:
        assert len(kept) == (20 if budget == 20 else 32)


def test_select_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", noisy_rows(), columns=("id", "body", "label"))
    out = tmp_path / "out"
    assert run_select("--data", src, "--strategy", "filter", "--out", out) == 2
    msg = capsys.readouterr().out.strip()
    assert "no column 'text'" in msg and "\n" not in msg
    assert not out.exists() and list(tmp_path.iterdir()) == [src]
    good = write_csv(tmp_path / "good.csv", noisy_rows())
    assert run_select("--data", good, "--strategy", "random", "--out", out) == 2  # random needs --budget
    assert run_select("--data", good, "--strategy", "filter", "--budget", "1.5", "--out", out) == 2
    assert not out.exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    assert run_select("--data", good, "--strategy", "filter", "--out", tmp_path / "mine") == 2
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_select_trusted_file_with_unknown_label_or_zero_rounds_is_exit_2(tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", noisy_rows())
    trusted = write_csv(tmp_path / "trusted.csv", [{"id": "t1", "text": "fine", "label": "neutral"}])
    out = tmp_path / "out"
    assert run_select("--data", good, "--strategy", "noisy", "--trusted", trusted, "--out", out) == 2
    msg = capsys.readouterr().out.strip()
    assert "trusted.csv" in msg and "neutral" in msg and "\n" not in msg
    assert run_select("--data", good, "--strategy", "noisy", "--rounds", "0", "--out", out) == 2
    assert "--rounds" in capsys.readouterr().out
    assert not out.exists()


def test_select_noisy_with_trusted_file_trains_and_partitions(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", noisy_rows())
    trusted = write_csv(tmp_path / "trusted.csv", tiny_rows(20))
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out"
    assert run_select("--data", src, "--strategy", "noisy", "--trusted", trusted, "--rounds", "2", "--folds", "2",
                      "--epochs", "1", "--out", out) == 0
    assert "round 1/2" in capsys.readouterr().out
    kept, rejected = read_ids(out / "kept.csv"), read_ids(out / "rejected.csv")
    assert sorted(kept + rejected) == sorted(r["id"] for r in noisy_rows())
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_select_domain_adapts_on_in_domain_texts_and_partitions(tmp_path):
    rows = tiny_rows(40) + [{"id": f"news-{i}", "text": f"the council met on monday to discuss the budget {i}",
                             "label": "positive"} for i in range(8)]
    src = write_csv(tmp_path / "in.csv", rows)
    ref = write_csv(tmp_path / "ref.csv", tiny_rows(40, seed=1))
    out = tmp_path / "out"
    assert run_select("--data", src, "--strategy", "domain", "--in-domain", ref, "--out", out) == 0
    kept, rejected = read_ids(out / "kept.csv"), read_ids(out / "rejected.csv")
    assert sorted(kept + rejected) == sorted(r["id"] for r in rows)
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        assert all(r["reason"] == "off_domain" and r["detail"].startswith("off-domain") for r in csv.DictReader(f))
    news_out = sum(i.startswith("news-") for i in rejected) / 8
    reviews_out = sum(not i.startswith("news-") for i in rejected) / 40
    assert news_out > reviews_out
    short = write_csv(tmp_path / "short.csv", tiny_rows(5))
    assert run_select("--data", src, "--strategy", "domain", "--in-domain", short, "--out", tmp_path / "o2") == 2


def test_select_without_id_column_uses_row_numbers(tmp_path):
    src = write_csv(tmp_path / "in.csv", noisy_rows(), columns=("text", "label"))
    assert run_select("--data", src, "--strategy", "filter", "--out", tmp_path / "o") == 0
    ids = read_ids(tmp_path / "o" / "kept.csv") + read_ids(tmp_path / "o" / "rejected.csv")
    assert sorted(ids) == sorted(f"row-{i + 1}" for i in range(len(noisy_rows())))
