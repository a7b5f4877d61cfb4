"""Data selection: the interface, the scorers (on hand-made data) and `sftkit select`."""
import csv
import hashlib
import json
from collections import Counter

import numpy as np
import pytest

from sftkit.data import LabelledTexts
from sftkit.finetune import encode_labels
from sftkit.selection import Scores, combine, select
from sftkit.selection.base import budget_count, percentile_rank
from sftkit.selection import dedup, diversity, domain, dynamics, noisy, quality, strategies

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
    # ties share their average rank: a scorer that cannot tell rows apart does not rank them by position
    assert percentile_rank(np.array([1.0, 1.0, 1.0, 0.0])).tolist() == [2 / 3, 2 / 3, 2 / 3, 0.0]


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
    assert s.reason[4] == "quality: few vowels (0.00)"      # also all unknown: the worst rule (a tie) names it
    assert s.reason[5] == "quality: repetitive (0.03 distinct)"   # also too long, but less far from passing
    assert s.reason[6] == "quality: too short (2 words)"
    assert s.score[0] == 1.0 and (s.score[1:] < 1.0).all()


def _words(n):
    """``n`` distinct letter-only words, a third of their letters vowels."""
    import itertools

    return ["".join(w) for w in itertools.islice(itertools.product("bdfgklmnprst", "aeiou", "bdfgklmnprst"), n)]


@pytest.mark.parametrize("text,reason", [
    ("", "quality: empty text"),
    ("$$$$ %%%% #### 1234", "quality: no words (only symbols, digits or punctuation)"),
    ("buy buy buy buy buy buy buy buy buy buy", "quality: repetitive (0.10 distinct)"),
    ("click here for more", "quality: boilerplate"),
    ("lovely lamp", "quality: too short (2 words)"),
    (" ".join(_words(101)), "quality: too long (101 words)"),
    ("lamp 1234567 ok fine", "quality: few letters (0.59)"),
    ("tssnv ftrjbwqbq hqtkxdn", "quality: few vowels (0.00)"),
    (" ".join(["lovely lamp"] * 12), "quality: repetitive (0.08 distinct)"),
    ("alpha beta gamma delta", "quality: unknown words (0.75)"),
])
def test_each_quality_rule_on_its_own_text(text, reason):
    vocabulary = set(_words(101)) | {"lovely", "lamp", "ok", "fine", "tssnv", "ftrjbwqbq", "hqtkxdn", "alpha", "buy"}
    score, why = quality.check(text, quality.QualityRules(), vocabulary)
    assert why == reason
    assert 0 <= score < 1
    assert quality.check("a lovely lamp, fine", quality.QualityRules(), vocabulary | {"a"}) == (1.0, "")


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
    assert noisy.find_label_issues(Y, PROBA, filter_by="confident_learning").tolist() == [
        False, False, True, False, False, False]
    Q = noisy.calibrated_joint(noisy.confident_joint(Y, conf, 2), Y)
    assert np.isclose(Q.sum(), 1.0) and np.allclose(Q.sum(axis=1), [0.5, 0.5])
    # cleanlab's default rule, and its argument order: labels first, then pred_probs
    assert noisy.find_label_issues(Y, PROBA).tolist() == [False, False, True, False, False, False]
    # predicted != given also flags row 5 (0.6 > 0.4), which no class is confident about
    assert noisy.find_label_issues(Y, PROBA, filter_by="predicted_neq_given").tolist() == [
        False, False, True, False, False, True]


def test_find_label_issues_refuses_bad_input():
    with pytest.raises(ValueError, match="filter_by must be one of prune_by_noise_rate, confident_learning, "
                                         "predicted_neq_given; got 'confident_joint'"):
        noisy.find_label_issues(Y, PROBA, filter_by="confident_joint")
    with pytest.raises(ValueError, match=r"labels has shape \(5,\) but pred_probs \(6, 2\)"):
        noisy.find_label_issues(Y[:5], PROBA)


def test_find_label_issues_agrees_with_cleanlab():
    cleanlab_filter = pytest.importorskip("cleanlab.filter")
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 300)
    logits = rng.normal(size=(300, 3)) + 2.5 * np.eye(3)[y]
    y[:30] = (y[:30] + 1) % 3                                   # 10% flipped
    P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    for rule in noisy.FILTER_BY:
        ours = noisy.find_label_issues(y, P, filter_by=rule)
        theirs = cleanlab_filter.find_label_issues(y, P, filter_by=rule)
        assert np.mean(ours == theirs) > 0.99, rule


def test_find_label_issues_never_flags_a_row_the_model_agrees_with():
    # like cleanlab 2.x: prune_by_noise_rate's per-class quota can reach rows whose argmax is their
    # label; those are unflagged. On these weak probabilities the quota alone would flag 428 rows,
    # 2 of them rows the model agrees with.
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 1000)
    logits = rng.normal(size=(1000, 2)) + 0.3 * np.eye(2)[y]
    P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    for rule in noisy.FILTER_BY:
        assert not (noisy.find_label_issues(y, P, filter_by=rule) & noisy.model_agrees(P, y)).any(), rule
    assert noisy.find_label_issues(y, P).sum() == 426
    # a tie goes to the given label
    assert noisy.model_agrees(np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([0, 1])).tolist() == [True, True]
    try:
        import cleanlab.filter as cleanlab_filter
    except ImportError:
        return
    assert (noisy.find_label_issues(y, P) == cleanlab_filter.find_label_issues(y, P)).all()


def test_self_confidence_margin_and_scores():
    assert np.allclose(noisy.self_confidence(PROBA, Y), [0.9, 0.8, 0.25, 0.8, 0.9, 0.4])
    assert np.allclose(noisy.margin(PROBA, Y), [0.8, 0.6, -0.5, 0.6, 0.8, -0.2])
    labels = ["neg" if v == 0 else "pos" for v in Y]
    s = noisy.noisy_label_scores(labels, PROBA)
    assert s.drop.tolist() == [False, False, True, False, False, False]
    assert s.reason[2] == "label issue: labelled neg, model says pos (p=0.25 for the label)"
    assert np.allclose(s.score, [0.9, 0.8, 0.25, 0.8, 0.9, 0.4])
    d = noisy.noisy_label_scores(labels, PROBA, filter_by="predicted_neq_given")
    assert np.flatnonzero(d.drop).tolist() == [2, 5] and np.allclose(d.score, noisy.margin(PROBA, Y))
    assert not noisy.noisy_label_scores(labels, PROBA, filter_by=None).drop.any()
    with pytest.raises(ValueError, match=r"pred_probs has shape \(6, 2\); expected \(6, 3\)"):
        noisy.noisy_label_scores(labels, PROBA, classes=["neg", "pos", "meh"])


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


def test_record_dynamics_trains_through_fit_text_classifier_with_every_option(monkeypatch):
    import sftkit.finetune

    real, seen = sftkit.finetune.fit_text_classifier, []

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(sftkit.finetune, "fit_text_classifier", spy)
    rows = tiny_rows(120)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    per_epoch = dynamics.record_dynamics(texts, labels, epochs=2, dropout=0.25, l2=1e-4, embedding_dim=8,
                                         lstm_units=8, sequence_length=12)
    assert len(seen) == 1 and seen[0]["dropout"] == 0.25 and seen[0]["l2"] == 1e-4 and seen[0]["epochs"] == 2
    assert per_epoch.shape == (2, 120, 2)
    assert np.allclose(per_epoch.sum(axis=2), 1.0, atol=1e-4)
    assert not np.allclose(per_epoch[0], per_epoch[1])       # one snapshot per epoch, not the last one twice


def test_out_of_fold_on_tiny_data():
    rows = tiny_rows(120)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
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
    y = encode_labels(labels, ["negative", "positive"])
    assert np.flatnonzero(noisy.margin(rounds[-1], y) < 0).tolist() == [18, 19]
    assert all(t.count("trusted bad") == 3 for t in seen)
    assert any("bad 8" in t for t in seen[:2]) and not any("bad 8" in t or "bad 9" in t for t in seen[2:])
    with pytest.raises(ValueError, match="not in the data"):
        noisy.out_of_fold_proba(texts, labels, k=2, trusted_texts=["x"], trusted_labels=["neutral"])
    scores = noisy.noisy_label_scores(labels, rounds[-1], filter_by="predicted_neq_given")
    assert np.flatnonzero(scores.drop).tolist() == [18, 19] and "model says negative" in scores.reason[18]


# ----------------------------------------------------------------------------- fakes for the registry tests


class FakeClassifier:
    """Stands in for a trained classifier: multinomial naive Bayes on what it was trained on.

    It records the texts it trained on and those it was asked to score, so a test can
    check that no row is scored by a model that saw it.
    """

    def __init__(self, texts, labels):
        self.trained_on = set(texts)
        self.classes = sorted(set(labels))
        self.words = {c: Counter() for c in self.classes}
        for t, y in zip(texts, labels):
            self.words[y].update(t.lower().split())
        self.predicted = []

    def predict_proba(self, texts):
        self.predicted.extend(texts)
        vocab = set().union(*self.words.values())
        log_p = np.array([[sum(np.log((self.words[c][w] + 1) / (sum(self.words[c].values()) + len(vocab)))
                               for w in t.lower().split()) for c in self.classes] for t in texts])
        p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)


@pytest.fixture
def fake_training(monkeypatch):
    """Every classifier the registry trains is a FakeClassifier; returns the list of them."""
    import sftkit.finetune

    models = []

    def fit(train_texts, train_labels, val_texts=None, val_labels=None, *, config=None, pretrained=None,
            callbacks=(), verbose=0, **overrides):
        models.append(FakeClassifier(list(train_texts), [str(y) for y in train_labels]))
        return models[-1]

    monkeypatch.setattr(sftkit.finetune, "fit_text_classifier", fit)
    monkeypatch.setattr(diversity, "encoder_embeddings",
                        lambda clf, texts: np.array([[len(t), t.count(" ")] for t in texts], dtype=float))
    return models


class FakeLM:
    """3 nats per word, less 2 x the share of words it was adapted on: a tiny Moore-Lewis pair."""

    def __init__(self, vocabulary=()):
        self.vocabulary = set(vocabulary)

    def token_counts(self, texts):
        """Tokens are space-separated words; only words in ASCII are known (so other scripts are [UNK])."""
        words = [t.lower().split() for t in texts]
        return (np.array([len(w) for w in words]), np.array([sum(x.isascii() for x in w) for w in words]))

    def text_cross_entropy(self, texts):
        out = []
        for t in texts:
            w = t.lower().split()
            out.append(np.nan if len(w) < 2 else 3.0 - 2.0 * sum(x in self.vocabulary for x in w) / len(w))
        return np.array(out)


@pytest.fixture
def fake_lm(monkeypatch):
    """The shipped LM and its adaptation replaced by FakeLM; returns the texts each adaptation saw."""
    import sftkit.pretrain

    adapted_on = []

    def adapt(general, texts, **kwargs):
        adapted_on.append(list(texts))
        return FakeLM({w for t in texts for w in t.lower().split()})

    monkeypatch.setattr(sftkit.pretrain, "load_shipped", lambda: FakeLM())
    monkeypatch.setattr(strategies, "_ADAPTED", {})      # no adapted model kept from another test
    monkeypatch.setattr(domain, "in_domain_lm", adapt)
    return adapted_on


# ----------------------------------------------------------------------------- the registry


def messy_rows():
    """Reviews plus one problem of each kind, each row id naming its problem."""
    rows = tiny_rows(60)
    return rows + [
        dict(rows[0], id="dup-1"), dict(rows[1], id="dup-2", text=rows[1]["text"].upper()),
        {"id": "junk-1", "text": "", "label": "positive"},
        {"id": "junk-2", "text": "click here to see more reviews", "label": "negative"},
        {"id": "flip-1", "text": "the lamp is awful and broken", "label": "positive"},
        {"id": "flip-2", "text": "the kettle is terrible and useless", "label": "positive"},
    ] + [{"id": f"news-{i}", "text": t, "label": y} for i, (t, y) in enumerate([
        ("council members met on monday to discuss a new budget", "positive"),
        ("heavy rain is expected across northern regions by friday", "negative"),
        ("stir the flour into melted butter then add warm milk slowly", "positive"),
        ("the minister resigned after weeks of pressure over contracts", "negative")])]


def trusted_rows():
    return [{"id": f"tr-{i}", "text": f"my {w} really is {w}", "label": y}
            for i, (w, y) in enumerate([("great", "positive"), ("awful", "negative"), ("lovely", "positive"),
                                         ("broken", "negative"), ("solid", "positive"), ("flimsy", "negative")])]


def read_ids(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [r["id"] for r in csv.DictReader(f)]


# flags each strategy is run with, and the rows it must reject
STRATEGY_RUNS = {
    "dedup": ([], {"dup-1", "dup-2"}),
    "quality": ([], {"junk-1", "junk-2"}),
    "filter": ([], {"dup-1", "dup-2", "junk-1", "junk-2"}),
    "noisy": (["--trusted", "trusted.csv", "--folds", "3"], {"flip-1", "flip-2"}),
    "domain": (["--in-domain", "ref.csv"], {"news-0", "news-1", "news-2", "news-3"}),
    "diversity": (["--budget", "20"], set()),
    "random": (["--budget", "0.5"], set()),
    "pipeline": (["--trusted", "trusted.csv", "--in-domain", "ref.csv", "--folds", "3", "--rounds", "2"],
                 {"dup-1", "dup-2", "junk-1", "junk-2", "flip-1", "flip-2", "news-0", "news-1", "news-2", "news-3"}),
}


def test_every_strategy_of_the_registry_has_a_run_and_a_description():
    assert set(STRATEGY_RUNS) == set(strategies.REGISTRY) == set(strategies.DESCRIPTIONS)


@pytest.mark.parametrize("name", list(STRATEGY_RUNS))
def test_select_runs_each_strategy_of_the_registry(name, tmp_path, run_cli, fake_training, fake_lm):
    flags, must_reject = STRATEGY_RUNS[name]
    src = write_csv(tmp_path / "in.csv", messy_rows())
    write_csv(tmp_path / "trusted.csv", trusted_rows())
    write_csv(tmp_path / "ref.csv", tiny_rows(40, seed=1))
    flags = [str(tmp_path / f) if f.endswith(".csv") else f for f in flags]
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out"
    code, stdout, err = run_cli("select", "--data", src, "--strategy", name, "--out", out, *flags)
    assert code == 0, err
    kept, rejected = read_ids(out / "kept.csv"), read_ids(out / "rejected.csv")
    ids = [r["id"] for r in messy_rows()]
    assert sorted(kept + rejected) == sorted(ids)
    assert must_reject <= set(rejected)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        reasons = {r["id"]: r["reason"] for r in csv.DictReader(f)}
    codes = {"dup": "duplicate", "junk": "low_quality", "flip": "label_issue", "news": "off_domain"}
    got = {i: reasons[i] for i in must_reject}
    if name == "pipeline":  # the first step that drops a row names it: noisy runs before domain
        assert {got.pop(i) for i in list(got) if i.startswith("news")} <= {"off_domain", "label_issue"}
    assert got == {i: codes[i.split("-")[0]] for i in got}
    assert set(reasons.values()) <= set(codes.values()) | {"over_budget", "off_domain"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["strategy"], summary["n_kept"], summary["n_rejected"]) == (name, len(kept), len(rejected))
    if "--budget" in flags:
        assert len(kept) == {"20": 20, "0.5": 35}[flags[flags.index("--budget") + 1]]
    # the command is the registry: the same call in Python keeps the same rows
    from sftkit.data import load_labelled

    data = load_labelled(src, allow_empty_text=True)
    settings = {"seed": 0} if "seed" in strategies.settings_of(name) else {}
    if "--trusted" in flags:
        settings["trusted"] = load_labelled(tmp_path / "trusted.csv")
    if "--in-domain" in flags:
        settings["in_domain"] = load_labelled(tmp_path / "ref.csv").texts
    for flag in ("--folds", "--rounds"):
        if flag in flags:
            settings[flag[2:]] = int(flags[flags.index(flag) + 1])
    budget = {"20": 20, "0.5": 0.5}.get(flags[flags.index("--budget") + 1]) if "--budget" in flags else None
    again = select(strategies.score(name, data, **settings), budget)
    assert [data.ids[i] for i in again.kept] == kept


def test_score_refuses_unknown_names_and_settings():
    data = LabelledTexts.from_lists(["a b c", "d e f"], ["x", "y"])
    with pytest.raises(ValueError, match="unknown strategy 'magic'; choose one of: dedup, quality, filter"):
        strategies.score("magic", data)
    with pytest.raises(TypeError, match="the dedup strategy does not take folds"):
        strategies.score("dedup", data, folds=3)
    assert strategies.settings_of("quality") == []


def test_no_row_is_scored_by_a_model_that_trained_on_it(fake_training):
    rows = [dict(r, text=f"{r['text']} {r['id']}") for r in tiny_rows(60)]   # every text unique
    rows += [dict(rows[1], id="dup-1", text=rows[1]["text"].upper())] + messy_rows()[62:]
    data = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows], [r["id"] for r in rows])
    trusted = LabelledTexts.from_lists([r["text"] for r in trusted_rows()], [r["label"] for r in trusted_rows()])
    s = strategies.score("pipeline", data, trusted=trusted, folds=3, rounds=2, seed=0)
    rounds = len(s.extra["parts"]["noisy"].extra["rounds"])
    assert len(fake_training) == 3 * rounds
    for model in fake_training:
        assert model.predicted and not set(model.predicted) & model.trained_on
        assert set(trusted.texts) <= model.trained_on          # the trusted rows join every fold model
    scored = Counter(t for model in fake_training for t in model.predicted)
    assert all(scored[t] == rounds for t in data.texts)       # every row once per round
    # rows the filter drops are scored but never trained on
    parts = s.extra["parts"]
    filtered = {data.texts[i] for i in np.flatnonzero(parts["dedup"].drop | parts["quality"].drop)}
    assert {"", "click here to see more reviews", rows[1]["text"].upper()} <= filtered
    assert not any(filtered & model.trained_on for model in fake_training)


def test_probability_columns_follow_the_sorted_class_order(monkeypatch):
    import sftkit.finetune

    class OwnOrder:
        """A classifier that keeps its classes in its own (unsorted) order."""
        classes = ["mango", "zebra", "apple"]

        def predict_proba(self, texts):
            return np.array([[0.8 if c in t else 0.1 for c in self.classes] for t in texts])

    monkeypatch.setattr(sftkit.finetune, "fit_text_classifier", lambda *a, **k: OwnOrder())
    labels = ["zebra", "apple", "mango"] * 6
    texts = [f"{y} number {i}" for i, y in enumerate(labels)]
    P = noisy.out_of_fold_proba(texts, labels, k=3)
    assert P.shape == (18, 3)
    assert P.argmax(axis=1).tolist() == encode_labels(labels, ["apple", "mango", "zebra"]).tolist()
    s = strategies.score("noisy", LabelledTexts.from_lists(texts, labels), folds=3)
    assert np.allclose(s.extra["pred_probs"], P) and not s.drop.any()


def test_select_strategy_settings_errors_are_one_line_exit_2(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", messy_rows())
    trusted = write_csv(tmp_path / "trusted.csv", trusted_rows())
    out = tmp_path / "out"
    cases = [
        (["--strategy", "dedup", "--trusted", trusted], "--trusted is not used by the dedup strategy "
                                                        "(only by noisy, pipeline)"),
        (["--strategy", "noisy", "--folds", "1"], "--folds must be an integer >= 2; got 1"),
        (["--strategy", "pipeline", "--rounds", "0"], "--rounds must be an integer >= 1; got 0"),
        (["--strategy", "filter", "--threshold", "1.5"], "--threshold must be in (0, 1]; got 1.5"),
        (["--strategy", "domain"], "the domain strategy needs --in-domain FILE (texts of the target domain)"),
    ]
    for flags, message in cases:
        code, stdout, err = run_cli("select", "--data", src, "--out", out, *flags)
        assert (code, err.strip()) == (2, f"sftkit: error: {message}")
        assert not out.exists()


def test_select_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", messy_rows(), columns=("id", "body", "label"))
    out = tmp_path / "out"
    code, _, err = run_cli("select", "--data", src, "--strategy", "filter", "--out", out)
    assert code == 2 and "no column 'text'" in err and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [src]
    good = write_csv(tmp_path / "good.csv", messy_rows())
    assert run_cli("select", "--data", good, "--strategy", "random", "--out", out)[0] == 2  # needs --budget
    assert run_cli("select", "--data", good, "--strategy", "filter", "--budget", "1.5", "--out", out)[0] == 2
    assert not out.exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    assert run_cli("select", "--data", good, "--strategy", "filter", "--out", tmp_path / "mine")[0] == 2
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_select_trusted_or_in_domain_file_problems_name_the_file(tmp_path, run_cli, fake_lm):
    good = write_csv(tmp_path / "good.csv", messy_rows())
    trusted = write_csv(tmp_path / "trusted.csv", [{"id": "t1", "text": "fine", "label": "neutral"}])
    out = tmp_path / "out"
    code, _, err = run_cli("select", "--data", good, "--strategy", "noisy", "--trusted", trusted, "--out", out)
    assert code == 2 and err.strip() == f"sftkit: error: {trusted}: label(s) neutral do not occur in {good}"
    short = write_csv(tmp_path / "short.csv", tiny_rows(5))
    code, _, err = run_cli("select", "--data", good, "--strategy", "domain", "--in-domain", short, "--out", out)
    assert code == 2 and err.strip() == f"sftkit: error: {short}: only 5 in-domain texts; give at least 20"
    nocol = write_csv(tmp_path / "nocol.csv", tiny_rows(30), columns=("id", "label"))
    code, _, err = run_cli("select", "--data", good, "--strategy", "domain", "--in-domain", nocol, "--out", out)
    assert code == 2 and err.strip() == f"sftkit: error: {nocol}: line 1: no column 'text'; name it with --text-col"
    assert not out.exists()


def test_domain_holds_out_in_domain_texts_to_set_the_cut(fake_lm):
    ref = [r["text"] for r in tiny_rows(40, seed=1)]
    rows = messy_rows()
    data = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows])
    s = strategies.score("domain", data, in_domain=ref, seed=0)
    (adapted,) = fake_lm
    held = s.extra["held_out"]["texts"]
    assert len(held) == 10 and sorted(held + adapted) == sorted(ref)   # 20% held out, the rest adapts
    assert s.extra["cut"] == np.quantile(s.extra["held_out"]["ce_in_domain"] - s.extra["held_out"]["ce_general"],
                                         strategies.DOMAIN_QUANTILE)


def test_select_noisy_with_trusted_file_trains_and_partitions(tmp_path, run_cli):
    """One real run (a few tiny models) through the command: the fakes above are not the only check."""
    src = write_csv(tmp_path / "in.csv", messy_rows())
    trusted = write_csv(tmp_path / "trusted.csv", tiny_rows(20))
    out = tmp_path / "out"
    code, stdout, err = run_cli("select", "--data", src, "--strategy", "noisy", "--trusted", trusted, "--rounds", "2",
                                "--folds", "2", "--epochs", "1", "--out", out)
    assert code == 0, err
    assert "round 1/2" in stdout
    kept, rejected = read_ids(out / "kept.csv"), read_ids(out / "rejected.csv")
    assert sorted(kept + rejected) == sorted(r["id"] for r in messy_rows())


def test_select_domain_with_the_shipped_language_model(tmp_path, run_cli):
    """One real run of the domain strategy: the shipped LM, adapted on in-domain texts."""
    rows = tiny_rows(40) + [{"id": f"news-{i}", "text": f"the council met on monday to discuss the budget {i}",
                             "label": "positive"} for i in range(8)]
    src = write_csv(tmp_path / "in.csv", rows)
    ref = write_csv(tmp_path / "ref.csv", tiny_rows(40, seed=1))
    out = tmp_path / "out"
    code, _, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", ref, "--out", out)
    assert code == 0, err
    kept, rejected = read_ids(out / "kept.csv"), read_ids(out / "rejected.csv")
    assert sorted(kept + rejected) == sorted(r["id"] for r in rows)
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        assert all(r["reason"] == "off_domain" and r["detail"].startswith("off-domain") for r in csv.DictReader(f))
    news_out = sum(i.startswith("news-") for i in rejected) / 8
    reviews_out = sum(not i.startswith("news-") for i in rejected) / 40
    assert news_out > reviews_out


def test_select_without_id_column_uses_row_numbers(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", messy_rows(), columns=("text", "label"))
    assert run_cli("select", "--data", src, "--strategy", "filter", "--out", tmp_path / "o")[0] == 0
    ids = read_ids(tmp_path / "o" / "kept.csv") + read_ids(tmp_path / "o" / "rejected.csv")
    assert sorted(ids) == sorted(f"row-{i + 1}" for i in range(len(messy_rows())))


def test_a_small_file_is_not_judged_by_a_vocabulary_learned_from_itself():
    texts = ["the kettle is great and I love it", "this phone broke after a week sadly",
             "the lamp is bright and handy for reading", "a fine blender for soups and shakes"]
    s = quality.quality_scores(texts)
    assert not s.drop.any(), s.reason
    many = texts * (quality.MIN_TEXTS_FOR_VOCABULARY // len(texts)) + ["zorblat quenfix mivvle drabnok"]
    s = quality.quality_scores(many)
    assert s.drop.tolist() == [False] * (len(many) - 1) + [True]
    assert s.reason[-1].startswith("quality: unknown words")


@pytest.mark.parametrize("filter_by", ["prune_by_noise_rate", "confident_learning"])
def test_find_label_issues_with_probabilities_equal_to_their_class_mean(filter_by):
    # every row gives its label 0.9: the class means round a hair above 0.9, which made no
    # row confident and the calibrated joint 0/0 (a crash: "cannot convert float NaN")
    y = np.array([0, 1, 2] * 10)
    proba = np.eye(3)[y] * 0.8 + 0.1 / 3 * 3 / 2
    proba = proba / proba.sum(axis=1, keepdims=True)
    assert not noisy.find_label_issues(y, proba, filter_by=filter_by).any()
    assert noisy.confident_labels(proba, noisy.per_class_thresholds(proba, y)).tolist() == y.tolist()


def test_combined_ranking_does_not_follow_row_order_when_a_part_ties():
    # review of lesson 10: the pipeline's quality and dedup scores are 1 for every kept row; with
    # ties broken by position, half of the combined rank was the row's place in the file
    from sftkit.selection.base import Scores, combine

    informative = np.array([0.3, 0.9, 0.1, 0.7, 0.5])
    flat = Scores("flat", np.ones(5), [""] * 5)
    alone = combine(Scores("x", informative, [""] * 5))
    both = combine(Scores("x", informative, [""] * 5), flat)
    assert np.argsort(both.score).tolist() == np.argsort(alone.score).tolist() == [2, 0, 4, 3, 1]
