"""`sftkit select`: every flag checked up front, the noisy step's edge cases, what the output says.

Findings of the rev_select review (F5-F14, F18, F21-F24, F28, F31, F34, F35, F37).
"""
import csv
import json
import re
import warnings

import numpy as np
import pytest

from sftkit.config import ConfigError
from sftkit.data import DataError, LabelledTexts, load_labelled
from sftkit.selection import noisy, select, strategies
from sftkit.selection.base import Scores, budget_count
from sftkit.selection.cli import parse_budget

from conftest import tiny_rows, write_csv
from test_selection import FakeClassifier, fake_training, fake_lm  # noqa: F401 - fixtures

MISSING = "no-such-file.csv"   # flag errors must come before the data file is read


def lines_of(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ----------------------------------------------------------------------------- flags, before any file is read


@pytest.mark.parametrize("flags, message", [
    (["--strategy", "random", "--budget", "inf"], "--budget must be a whole count >= 1 (1 = one row), a fraction "
                                                  "in (0, 1] (1.0 = every row) or a percentage in (0%, 100%]; "
                                                  "got 'inf'"),
    (["--strategy", "random", "--budget", "nan"], "got 'nan'"),
    (["--strategy", "random", "--budget", "1e400"], "got '1e400'"),
    (["--strategy", "random", "--budget", "150%"], "got '150%'"),
    (["--strategy", "random", "--budget", "zehn"], "got 'zehn'"),
    (["--strategy", "random", "--budget", "2.5"], "got '2.5'"),
    (["--strategy", "random", "--budget", "5", "--seed", "-1"], "--seed must be an integer in [0, 4294967295]; got -1"),
    (["--strategy", "random", "--budget", "5", "--seed", str(2**32)], f"got {2**32}"),
    (["--strategy", "noisy", "--seed", str(2**32 - 1)],
     "--seed must be an integer in [0, 4294967291] with 5 folds and 1 round(s)"),
    (["--strategy", "pipeline", "--seed", str(2**32 - 2), "--folds", "2", "--rounds", "3"],
     "--seed must be an integer in [0, 4294967292] with 2 folds and 3 round(s)"),
    (["--strategy", "diversity", "--budget", "5", "--seed", "-3"], "--seed must be an integer in [0, 4294967295]"),
    (["--strategy", "dedup", "--threshold", "nan"], "--threshold must be in (0, 1]; got nan"),
    (["--strategy", "noisy", "--epochs", "0"], "--epochs must be an integer >= 1; got 0"),
    (["--strategy", "noisy", "--batch-size", "0"], "--batch-size must be an integer >= 1; got 0"),
    (["--strategy", "quality", "--threshold", "0.5"], "--threshold is not used by the quality strategy "
                                                       "(only by dedup, filter, pipeline)"),
    (["--strategy", "dedup", "--folds", "3"], "--folds is not used by the dedup strategy (only by noisy, pipeline)"),
    (["--strategy", "filter", "--seed", "3"], "--seed is not used by the filter strategy"),
    (["--strategy", "random", "--budget", "3", "--epochs", "2"], "--epochs is not used by the random strategy"),
    (["--strategy", "filter", "--balance"], "--balance needs --budget"),
    (["--strategy", "random"], "the random strategy needs --budget"),
    (["--strategy", "dedup", "--label-col", "text"], "--text-col and --label-col are both 'text'; each must name "
                                                      "its own column"),
    (["--strategy", "dedup", "--text-col", "id"], "--text-col and --id-col (its default) are both 'id'"),
    (["--strategy", "dedup", "--id-col", "标签", "--label-col", "标签"], "--label-col and --id-col are both '标签'"),
])
def test_select_flag_errors_are_one_line_and_come_before_reading_the_data(tmp_path, run_cli, flags, message):
    code, _, err = run_cli("select", "--data", tmp_path / MISSING, *flags, "--out", tmp_path / "o")
    assert code == 2 and err.startswith("sftkit: error: ") and message in err, err
    assert err.count("\n") == 1 and MISSING not in err and not (tmp_path / "o").exists()


def test_parse_budget_forms():
    assert parse_budget("1") == 1 and isinstance(parse_budget("1"), int)          # one row
    assert parse_budget("1.0") == 1.0 and isinstance(parse_budget("1.0"), float)  # every row
    assert parse_budget("10%") == pytest.approx(0.1) and parse_budget("100%") == 1.0
    assert parse_budget("200.0") == 200 and parse_budget(" 40 ") == 40 and parse_budget(None) is None
    assert budget_count(parse_budget("1"), 60) == 1 and budget_count(parse_budget("1.0"), 60) == 60
    for bad in (float("inf"), float("nan"), -float("inf")):
        with pytest.raises(ValueError, match="budget must be a fraction in"):
            budget_count(bad, 10)


@pytest.mark.parametrize("budget, kept", [("1", 1), ("1.0", 60), ("10%", 6), ("0.25", 15), ("7", 7)])
def test_select_budget_counts(tmp_path, run_cli, budget, kept):
    src = write_csv(tmp_path / "in.csv", tiny_rows(60))
    code, out, err = run_cli("select", "--data", src, "--strategy", "random", "--budget", budget, "--out",
                             tmp_path / "o")
    assert code == 0, err
    assert len(lines_of(tmp_path / "o" / "kept.csv")) == kept
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["budget"], summary["budget_rows"]) == (budget, kept)


def test_select_refuses_a_budget_that_keeps_no_row(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", tiny_rows(60))
    code, _, err = run_cli("select", "--data", src, "--strategy", "random", "--budget", "0.001", "--out",
                           tmp_path / "o")
    assert (code, err.strip()) == (2, f"sftkit: error: --budget 0.001 keeps 0 of the 60 rows of {src}; "
                                      "give at least one row")
    assert not (tmp_path / "o").exists()


# ----------------------------------------------------------------------------- --threshold 1


def test_threshold_1_drops_only_texts_with_the_same_shingles_in_any_script(tmp_path, run_cli):
    texts = ["这个杯子做工粗糙，不值这个价", "这个杯子做工粗糙，不值这个价！", "这个杯子做工很好，值这个价",
             "สินค้าดีมาก ส่งเร็ว", "สินค้าดีมาก  ส่งเร็ว", "สินค้าดีมาก ส่งช้า",
             "Great kettle, boils fast", "great kettle boils fast!!", "Great kettle, boils slowly"]
    rows = [{"id": f"r{i}", "text": t, "label": "a" if i % 2 else "b"} for i, t in enumerate(texts)]
    data = LabelledTexts.from_lists(texts, [r["label"] for r in rows], [r["id"] for r in rows])
    s = strategies.dedup(data, threshold=1)
    assert s.drop.tolist() == [False, True, False, False, True, False, False, True, False]
    # the labels alternate, so every dropped copy here carries another label than the row kept (F29)
    assert [s.reason[i] for i in (1, 4, 7)] == ["duplicate: same text as r0 (its label 'a', the kept row's 'b')",
                                                "duplicate: same text as r3 (its label 'b', the kept row's 'a')",
                                                "duplicate: same text as r6 (its label 'a', the kept row's 'b')"]
    # what 1 means: the rows that a lower threshold drops include these and more
    assert set(np.flatnonzero(s.drop)) <= set(np.flatnonzero(strategies.dedup(data, threshold=0.5).drop))
    src = write_csv(tmp_path / "in.csv", rows)
    for strategy in ("dedup", "filter"):
        code, _, err = run_cli("select", "--data", src, "--strategy", strategy, "--threshold", "1",
                               "--out", tmp_path / strategy)
        assert code == 0, err
        assert {"r1", "r4", "r7"} <= {r["id"] for r in lines_of(tmp_path / strategy / "rejected.csv")}


# ----------------------------------------------------------------------------- noisy: classes and folds


def imbalanced(big=40, small=4, tiny=1, tiny_label="tiny"):
    texts = [f"common review number {i} about a product that works well" for i in range(big)]
    texts += [f"rare complaint {i} the thing broke on day {i}" for i in range(small)]
    texts += [f"一个很少见的评论 {i}" for i in range(tiny)]
    labels = ["big"] * big + ["small"] * small + [tiny_label] * tiny
    order = np.random.default_rng(0).permutation(len(texts))
    return LabelledTexts.from_lists([texts[i] for i in order], [labels[i] for i in order],
                                    [f"r{i}" for i in range(len(texts))], source="imb.csv")


@pytest.mark.parametrize("label", ["tiny", "极少", "หายาก"])
def test_noisy_refuses_a_class_of_one_row_naming_it_and_its_line(fake_training, label):
    data = imbalanced(tiny_label=label)
    with pytest.raises(DataError, match=f"class '{label}' has 1 row: the noisy step judges each row by a model "
                                        "trained on other rows of its class; add rows of that class"):
        strategies.noisy(data, folds=5)
    assert not fake_training  # refused before any model was trained


def test_noisy_takes_a_one_row_class_when_trusted_rows_teach_it(fake_training):
    data = imbalanced()
    trusted = LabelledTexts.from_lists(["另一个很少见的评论", "又一个很少见的评论"], ["tiny", "tiny"])
    s = strategies.noisy(data, folds=3, trusted=trusted, rounds=1)
    assert len(s) == len(data) and np.isfinite(s.score).all()


def test_select_noisy_one_row_class_is_one_line_exit_2(tmp_path, run_cli, fake_training):
    rows = [{"id": f"r{i}", "text": t, "label": y} for i, (t, y) in
            enumerate(zip(imbalanced().texts, imbalanced().labels))]
    src = write_csv(tmp_path / "imb.csv", rows)
    line = 2 + [r["label"] for r in rows].index("tiny")
    code, _, err = run_cli("select", "--data", src, "--strategy", "noisy", "--folds", "5", "--out", tmp_path / "o")
    assert code == 2 and err.startswith(f"sftkit: error: {src}: line {line}: class 'tiny' has 1 row")
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_pipeline_when_the_filter_removes_a_whole_class(tmp_path, run_cli, fake_training):
    rows = tiny_rows(60) + [{"id": f"s{i}", "text": f"click here to win a prize number {i} now", "label": "spam"}
                            for i in range(6)]
    data = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows], [r["id"] for r in rows])
    lines = []
    s = strategies.pipeline(data, folds=3, progress=lines.append)
    spam = np.array([y == "spam" for y in data.labels])
    noisy_part = s.extra["parts"]["noisy"]
    assert s.drop[spam].all() and not noisy_part.drop[spam].any() and np.isnan(noisy_part.score[spam]).all()
    assert noisy_part.extra["pred_probs"].shape == (len(data), 3)
    assert np.isfinite(noisy_part.score[~spam]).all()
    assert "note: class 'spam' (6 rows) has no row left to learn from (all excluded)" in "\n".join(lines)
    assert not any("spam" in m.classes for m in fake_training)
    src = write_csv(tmp_path / "spam.csv", rows)
    code, out, err = run_cli("select", "--data", src, "--strategy", "pipeline", "--folds", "3",
                             "--out", tmp_path / "o")
    assert code == 0, err
    reasons = {r["id"]: r["reason"] for r in lines_of(tmp_path / "o" / "rejected.csv")}
    assert {reasons[f"s{i}"] for i in range(6)} == {"low_quality"}


def test_pipeline_refuses_a_class_the_filter_leaves_one_row_of(fake_training):
    spam = [{"id": f"s{i}", "text": f"click here to win a prize number {i} now", "label": "spam"} for i in range(5)]
    rows = tiny_rows(60) + spam + [{"id": "s-ok", "text": "win a holiday in a free draw", "label": "spam"}]
    data = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows], [r["id"] for r in rows])
    with pytest.raises(DataError, match=r"class 'spam' has 1 row the models may learn from \(6 in the file"):
        strategies.pipeline(data, folds=3)


def test_out_of_fold_proba_gives_an_unseen_class_probability_0(fake_training):
    texts = [f"good thing {i}" for i in range(6)] + [f"bad thing {i}" for i in range(6)] + ["odd one", "odd two"]
    labels = ["pos"] * 6 + ["neg"] * 6 + ["odd"] * 2
    exclude = np.array([False] * 12 + [True, True])
    P = noisy.out_of_fold_proba(texts, labels, k=3, exclude=exclude)
    assert P.shape == (14, 3) and not np.isnan(P).any()
    assert (P[:, ["neg", "odd", "pos"].index("odd")] == 0).all()


@pytest.mark.parametrize("n_rows, folds, message", [
    (2, 5, "2 rows, fewer than --folds 5; K-fold scoring needs a class with at least 2 rows"),
    (6, 4, "no class has --folds 4 rows (the largest, 'a', has 3); give --folds 3 or fewer"),
])
def test_noisy_refuses_more_folds_than_rows(fake_training, n_rows, folds, message):
    labels = ["a", "b"] * (n_rows // 2) if n_rows > 2 else ["a", "b"]
    texts = [f"text {i}" for i in range(len(labels))]
    data = LabelledTexts.from_lists(texts, labels, source="two.csv")
    if n_rows == 2:  # a class of one row is refused first; with trusted rows teaching both, folds are next
        trusted = LabelledTexts.from_lists(["ta", "tb"], ["a", "b"])
        with pytest.raises(DataError, match=re.escape(message)):
            strategies.noisy(data, folds=folds, trusted=trusted)
    else:
        with pytest.raises(DataError, match=re.escape(message)):
            strategies.noisy(data, folds=folds)
    assert not fake_training


def test_noisy_says_in_its_own_words_when_a_class_has_fewer_rows_than_folds(fake_training):
    texts = [f"good thing {i}" for i in range(20)] + [f"bad thing {i}" for i in range(20)] + ["lost a", "lost b"]
    labels = ["pos"] * 20 + ["neg"] * 20 + ["lost"] * 2
    said = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # sklearn's "least populated class" warning must not escape
        strategies.noisy(LabelledTexts.from_lists(texts, labels), folds=3, progress=said.append)
    assert said[0] == ("note: class 'lost' has 2 rows, fewer than --folds 3: each of its rows is judged by a model "
                       "that saw only 1 of them")


def test_check_settings_library_errors():
    with pytest.raises(ConfigError, match="select.threshold must be in"):
        strategies.check_settings("dedup", threshold=float("inf"))
    with pytest.raises(ConfigError, match="select.folds must be an integer >= 2; got True"):
        strategies.check_settings("noisy", folds=True)
    with pytest.raises(ConfigError, match=r"with 5 folds and 4 round\(s\)"):
        strategies.check_settings("noisy", seed=strategies.SEED_MAX - 3, trusted=object())
    strategies.check_settings("noisy", seed=strategies.SEED_MAX - 4)   # 5 folds, 1 round: seeds up to SEED_MAX
    with pytest.raises(ConfigError, match="select.seed"):
        strategies.random(LabelledTexts.from_lists(["a", "b"], ["x", "y"]), seed=-1)


# ----------------------------------------------------------------------------- --balance


def test_balance_keeps_a_row_of_every_class_when_the_budget_allows():
    labels = ["big"] * 95 + ["small"] * 4 + ["tiny"]
    s = Scores("random", np.random.default_rng(1).random(100), [""] * 100)
    for k in (3, 10, 50):
        kept = select(s, k, labels, balance=True).kept
        counts = {c: sum(labels[i] == c for i in kept) for c in ("big", "small", "tiny")}
        assert len(kept) == k and min(counts.values()) >= 1, (k, counts)
    # unchanged where no class rounds to 0: 50% keeps each class's share
    kept = select(s, 0.5, labels, balance=True).kept
    assert sum(labels[i] == "small" for i in kept) == 2
    # a class whose rows are all dropped takes no place
    drop = np.array([y == "tiny" for y in labels])
    kept = select(Scores("x", s.score, [""] * 100, drop), 10, labels, balance=True).kept
    assert len(kept) == 10 and {labels[i] for i in kept} == {"big", "small"}


def test_select_balance_warns_when_the_budget_is_smaller_than_the_classes(tmp_path, run_cli):
    rows = [{"id": f"r{i}", "text": f"text {i}", "label": y} for i, y in
            enumerate(["big"] * 95 + ["small"] * 4 + ["tiny"])]
    src = write_csv(tmp_path / "imb.csv", rows)
    code, _, err = run_cli("select", "--data", src, "--strategy", "random", "--budget", "10", "--balance",
                           "--out", tmp_path / "a")
    assert code == 0 and err == ""
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    assert summary["kept_per_class"] == {"big": 8, "small": 1, "tiny": 1}
    code, _, err = run_cli("select", "--data", src, "--strategy", "random", "--budget", "2", "--balance",
                           "--out", tmp_path / "b")
    assert code == 0 and "sftkit: warning: --balance: class(es) " in err
    assert "got no row: --budget 2 (2 rows) has fewer places than the 3 classes" in err


# ----------------------------------------------------------------------------- the output folder


def test_select_never_deletes_files_the_user_added_to_an_old_run(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", tiny_rows(30))
    out = tmp_path / "o"
    assert run_cli("select", "--data", src, "--strategy", "dedup", "--out", out)[0] == 0
    assert run_cli("select", "--data", src, "--strategy", "quality", "--out", out)[0] == 0   # own files: replaced
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["strategy"] == "quality"
    (out / "my_notes.md").write_text("mine", encoding="utf-8")
    (out / "plots").mkdir()
    code, _, err = run_cli("select", "--data", src, "--strategy", "dedup", "--out", out)
    assert code == 2 and err.strip() == (f"sftkit: error: {out}: an earlier run's folder that now also holds "
                                         "my_notes.md, plots; replacing it would delete them: move them out or "
                                         "choose another --out")
    assert (out / "my_notes.md").read_text(encoding="utf-8") == "mine" and (out / "plots").is_dir()


def test_select_out_under_a_file_is_refused_before_any_work(tmp_path, run_cli, fake_training):
    src = write_csv(tmp_path / "in.csv", tiny_rows(30))
    code, _, err = run_cli("select", "--data", src, "--strategy", "noisy", "--folds", "2",
                           "--out", tmp_path / "in.csv" / "sub")
    assert (code, err.strip()) == (2, f"sftkit: error: {src / 'sub'}: {src} is a file, not a folder; "
                                      "choose another --out")
    assert not fake_training


# ----------------------------------------------------------------------------- columns and values


def test_rejected_csv_added_columns_never_collide(tmp_path, run_cli):
    rows = [{"id": "1", "text": "good product here", "label": "p", "reason": "a", "select_reason": "b", "score": "5"},
            {"id": "2", "text": "good product here", "label": "p", "reason": "c", "select_reason": "d", "score": "4"},
            {"id": "3", "text": "bad product here today", "label": "n", "reason": "e", "select_reason": "f",
             "score": "3"}]
    src = write_csv(tmp_path / "in.csv", rows, columns=list(rows[0]))
    assert run_cli("select", "--data", src, "--strategy", "dedup", "--out", tmp_path / "o")[0] == 0
    with open(tmp_path / "o" / "rejected.csv", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == ["id", "text", "label", "reason", "select_reason", "score", "select_reason_2", "detail",
                      "select_score"]
    back = load_labelled(tmp_path / "o" / "rejected.csv")     # sftkit reads its own output back
    assert back.extra["select_reason_2"] == ["duplicate"] and back.extra["reason"] == ["c"]


def test_explicit_id_col_must_exist_default_may_be_absent(tmp_path, run_cli):
    src = write_csv(tmp_path / "uid.csv", [{"text": "good product", "label": "p", "uid": "u1"},
                                           {"text": "bad product", "label": "n", "uid": "u2"}],
                    columns=("text", "label", "uid"))
    code, _, err = run_cli("select", "--data", src, "--strategy", "dedup", "--id-col", "UID", "--out", tmp_path / "o")
    assert (code, err.strip()) == (2, f"sftkit: error: {src}: line 1: no column 'UID' (columns: 'text', 'label', "
                                      "'uid'); name the right one with --id-col")
    assert run_cli("select", "--data", src, "--strategy", "dedup", "--out", tmp_path / "o")[0] == 0
    assert [r["id"] for r in lines_of(tmp_path / "o" / "kept.csv")] == ["row-1", "row-2"]
    assert run_cli("select", "--data", src, "--strategy", "dedup", "--id-col", "uid", "--out", tmp_path / "p")[0] == 0
    assert [r["uid"] for r in lines_of(tmp_path / "p" / "kept.csv")] == ["u1", "u2"]


@pytest.mark.parametrize("line, message", [
    ('{"text": {"a": 1}, "label": "p"}', "line 2: 'text' is an object, not a string"),
    ('{"text": "好的", "label": ["x"]}', "line 2: 'label' is a list, not a string"),
    ('{"id": [1, 2], "text": "ok", "label": "p"}', "line 2: 'id' is a list, not a string"),
    ('{"text": "好", "label": "p", "text": "坏"}', "line 2: key 'text' appears twice in one object"),
])
def test_jsonl_objects_or_lists_as_text_label_or_id_are_refused(tmp_path, run_cli, line, message):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "fine", "label": "p"}\n' + line + "\n", encoding="utf-8")
    code, _, err = run_cli("select", "--data", src, "--strategy", "dedup", "--out", tmp_path / "o")
    assert code == 2 and err.startswith(f"sftkit: error: {src}: {message}")


def test_jsonl_objects_in_other_keys_are_kept_as_json_not_python_reprs(tmp_path, run_cli):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "fine", "label": "p", "meta": {"lang": "中文", "ok": true}}\n'
                   '{"text": "bad", "label": "n", "meta": null}\n', encoding="utf-8")
    assert run_cli("select", "--data", src, "--strategy", "dedup", "--out", tmp_path / "o")[0] == 0
    meta = [r["meta"] for r in lines_of(tmp_path / "o" / "kept.csv")]
    assert json.loads(meta[0]) == {"lang": "中文", "ok": True} and meta[1] == ""


def test_select_warns_about_labels_differing_only_in_case(tmp_path, run_cli):
    rows = [{"id": f"r{i}", "text": f"text {i}", "label": y} for i, y in enumerate(["pos", "POS", "neg", "Pos"])]
    src = write_csv(tmp_path / "in.csv", rows)
    code, _, err = run_cli("select", "--data", src, "--strategy", "dedup", "--out", tmp_path / "o")
    assert code == 0
    assert err.strip().splitlines() == [
        "sftkit: warning: labels 'POS' (1 row, first on line 3), 'Pos' (1 row, first on line 5) and 'pos' (1 row, "
        "first on line 2) differ only in case, spacing or width: each is its own class; write them one way if they "
        "mean the same"]


# ----------------------------------------------------------------------------- --trusted


def test_trusted_errors_name_the_line_and_the_column_rule(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", tiny_rows(30))
    trusted = write_csv(tmp_path / "t.csv", [{"id": "t1", "text": "fine", "label": "positive"},
                                             {"id": "t2", "text": "so so", "label": "mixed"},
                                             {"id": "t3", "text": "meh", "label": "中性"}])
    code, _, err = run_cli("select", "--data", src, "--strategy", "noisy", "--trusted", trusted, "--out",
                           tmp_path / "o")
    assert (code, err.strip()) == (2, f"sftkit: error: {trusted}: line 3: label 'mixed' does not occur in {src} "
                                      "(nor do 中性); the trusted rows must use the labels of the data")
    other = write_csv(tmp_path / "t2.csv", [{"review": "fine", "sentiment": "positive"}],
                      columns=("review", "sentiment"))
    code, _, err = run_cli("select", "--data", src, "--strategy", "noisy", "--trusted", other, "--out",
                           tmp_path / "o")
    assert code == 2 and err.strip().endswith("the --trusted file must use the same column names as --data "
                                              "(text, label)")
    code, _, err = run_cli("select", "--data", src, "--strategy", "noisy", "--trusted", src, "--out", tmp_path / "o")
    assert code == 2 and f"--trusted {src} is the --data file itself" in err


# ----------------------------------------------------------------------------- what the output records


def test_summary_records_the_settings_used(tmp_path, run_cli, fake_training):
    src = write_csv(tmp_path / "in.csv", tiny_rows(40))
    trusted = write_csv(tmp_path / "t.csv", [{"id": "t1", "text": "great good fine", "label": "positive"},
                                             {"id": "t2", "text": "awful bad poor", "label": "negative"}])
    code, _, err = run_cli("select", "--data", src, "--strategy", "pipeline", "--threshold", "0.7", "--folds", "2",
                           "--epochs", "1", "--trusted", trusted, "--seed", "3", "--lstm-units", "8",
                           "--out", tmp_path / "o")
    assert code == 0, err
    s = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert s["written_by"].startswith("sftkit ") and s["seed"] == 3
    assert {k: s["settings"][k] for k in ("threshold", "folds", "epochs", "rounds", "seed")} == {
        "threshold": 0.7, "folds": 2, "epochs": 1, "rounds": strategies.TRUSTED_ROUNDS, "seed": 3}
    assert s["settings"]["trusted"]["path"] == str(trusted) and len(s["settings"]["trusted"]["sha256"]) == 64
    assert s["settings"]["model"]["lstm_units"] == 8 and s["settings"]["model"]["tokenizer"] == "auto"
    code, _, err = run_cli("select", "--data", src, "--strategy", "dedup", "--out", tmp_path / "d")
    s = json.loads((tmp_path / "d" / "summary.json").read_text(encoding="utf-8"))
    assert s["settings"] == {"threshold": strategies.DEDUP_THRESHOLD} and "seed" not in s


def test_budget_cut_by_file_order_says_so(tmp_path, run_cli):
    rows = [{"id": f"r{i}", "text": f"a perfectly fine review number {i} of a thing", "label": "ab"[i % 2]}
            for i in range(12)]
    src = write_csv(tmp_path / "in.csv", rows)
    code, out, err = run_cli("select", "--data", src, "--strategy", "quality", "--budget", "5", "--out",
                             tmp_path / "o")
    assert code == 0, err
    assert [r["id"] for r in lines_of(tmp_path / "o" / "kept.csv")] == [f"r{i}" for i in range(5)]
    details = {r["detail"] for r in lines_of(tmp_path / "o" / "rejected.csv")}
    assert details == {"over budget: quality score 1 ties the cut; tied rows are kept in file order"}
    assert "note: 7 rows tied at the cut with kept rows were left out by file order" in out
    # a real ranking still says "below the cut"
    s = Scores("random", np.arange(6, dtype=float), [""] * 6)
    assert select(s, 2).reason[0] == "over budget: random score 0 below the cut"


def test_select_warns_when_no_row_is_kept(tmp_path, run_cli):
    rows = [{"id": f"r{i}", "text": t, "label": "ab"[i % 2]} for i, t in enumerate(["", " ", "", "\t"])]
    src = write_csv(tmp_path / "in.csv", rows)
    code, out, err = run_cli("select", "--data", src, "--strategy", "quality", "--out", tmp_path / "o")
    assert code == 0 and "quality: kept 0 of 4 rows" in out
    assert err.strip() == "sftkit: warning: no row is left: quality rejected all 4 rows (see rejected.csv)"


# ----------------------------------------------------------------------------- F29: copies with another label


@pytest.mark.parametrize("threshold", [0.8, 1.0])
def test_dedup_says_when_a_dropped_copy_carries_another_label(threshold):
    texts = ["the kettle boils fast and looks great", "the kettle boils fast and looks great",
             "这个水壶烧水很快，外观也很好看", "这个水壶烧水很快，外观也很好看", "a lamp that flickers all day long",
             "a lamp that flickers all day long"]
    labels = ["pos", "neg", "pos", "pos", "neg", "neg"]
    data = LabelledTexts.from_lists(texts, labels)
    s = strategies.score("dedup", data, threshold=threshold)
    assert list(np.flatnonzero(s.drop)) == [1, 3, 5]
    assert s.reason[1].endswith("(its label 'neg', the kept row's 'pos')")
    assert "label" not in s.reason[3] and "label" not in s.reason[5]      # same label: nothing to add
    assert s.extra["notes"] == ["dedup: 1 of the 3 dropped copies carry another label than the row kept for them "
                                "(their reason in rejected.csv gives both): one of each pair is wrong, or the text "
                                "is ambiguous"]


def test_select_prints_the_label_conflicts_of_dedup(tmp_path, run_cli):
    rows = [{"id": f"r{i}", "text": t, "label": lab} for i, (t, lab) in
            enumerate([("great lamp, bright and solid", "pos"), ("great lamp, bright and solid", "neg"),
                       ("awful kettle, broke in a week", "neg")])]
    src = write_csv(tmp_path / "in.csv", rows)
    code, out, err = run_cli("select", "--data", src, "--strategy", "filter", "--out", tmp_path / "o")
    assert code == 0
    assert "note: dedup: 1 of the 1 dropped copies carry another label" in out
    rejected = lines_of(tmp_path / "o" / "rejected.csv")
    assert [r["id"] for r in rejected] == ["r1"]
    assert rejected[0]["detail"].endswith("(its label 'neg', the kept row's 'pos')")


# ----------------------------------------------------------------------------- F16: weak fold models


def test_noisy_records_the_fold_models_fit_and_warns_when_they_learned_nothing(fake_training):
    from sftkit.selection.strategies import _fold_model_check

    labels = ["a"] * 60 + ["b"] * 40
    good = np.zeros((100, 2))
    good[:60, 0] = good[60:, 1] = 0.9
    good[:60, 1] = good[60:, 0] = 0.1
    s = Scores("noisy", np.ones(100), [""] * 100)
    _fold_model_check(s, labels, good, None)
    assert s.extra["summary"] == {"out_of_fold_accuracy": 1.0, "largest_class_share": 0.6}
    assert "notes" not in s.extra
    guess = np.tile([0.7, 0.3], (100, 1))            # always the largest class: learned nothing
    s = Scores("noisy", np.ones(100), [""] * 100)
    _fold_model_check(s, labels, guess, None)
    assert s.extra["summary"] == {"out_of_fold_accuracy": 0.6, "largest_class_share": 0.6}
    assert s.extra["notes"][0].startswith("warning: the noisy step's fold models predict the given labels out of "
                                          "fold with accuracy 0.600, hardly better than always answering the "
                                          "largest class (0.600)")
    # rows no model may learn from do not count
    s = Scores("noisy", np.ones(100), [""] * 100)
    _fold_model_check(s, labels, good, np.arange(100) >= 50)
    assert s.extra["summary"] == {"out_of_fold_accuracy": 1.0, "largest_class_share": 1.0}
