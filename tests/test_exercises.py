"""Every checked exercise accepts its right answer (in each stated form), rejects a wrong one with a
hint, and never prints the solution."""
import math
import re

import numpy as np
import pytest

from sftkit.exercises import EXERCISES, NOT_ANSWERED, check
from sftkit.solutions import SOLUTIONS, as_markdown


def run(key, answer):
    lines = []
    result = check(key, answer, echo=lines.append)
    assert len(lines) == 1
    return result, lines[0]


def numbers_in(value):
    values = value if isinstance(value, (tuple, list)) else (value,)
    shown = set()
    for v in values:
        v = float(v)
        shown |= {repr(v), f"{v:.3f}", f"{v:.2f}", f"{v:,.0f}" if v.is_integer() and abs(v) >= 10 else "\0"}
        if v.is_integer() and abs(v) >= 10:
            shown.add(str(int(v)))
    return shown - {"\0"}


def test_every_exercise_has_a_worked_solution_and_the_reverse():
    assert set(EXERCISES) == set(SOLUTIONS)
    doc = as_markdown()
    assert all(f"## {key}:" in doc for key in EXERCISES)


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_right_answer_is_accepted(key):
    assert run(key, SOLUTIONS[key].answer) == (True, f"{key}: right.")


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_equivalent_forms_are_accepted(key):
    answer = SOLUTIONS[key].answer
    if isinstance(answer, tuple):
        assert run(key, list(answer))[0] is True
        assert run(key, np.array(answer))[0] is True
        assert run(key, tuple(round(float(v), 4) for v in answer))[0] is True
    else:
        assert run(key, round(float(answer), 4))[0] is True
        assert run(key, str(round(float(answer), 4)))[0] is True


def test_a_share_may_be_a_percentage():
    assert run("00.2", 99.01)[0] is True and run("00.2", "99.0%".rstrip("%"))[0] is True


def test_00_2_examples_of_the_form_are_not_the_answer():
    """The unanswered cell prints the form; its examples must not be accepted (they once were: 0.99)."""
    form = EXERCISES["00.2"].form
    examples = re.findall(r"\d+(?:\.\d+)?%?", form)
    assert len(examples) == 3, form
    for example in examples:
        assert run("00.2", example if example.endswith("%") else float(example))[0] is False, example


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_wrong_answer_gets_a_hint_and_never_the_solution(key):
    result, line = run(key, SOLUTIONS[key].wrong)
    assert result is False and line.startswith(f"{key}: not yet. Hint: ")
    hint = line.split("Hint: ", 1)[1]
    for shown in numbers_in(SOLUTIONS[key].answer):
        assert shown not in hint, (key, shown)


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_nonsense_is_refused_with_the_expected_form(key):
    for junk in ("banana", [1, 2, 3, 4, 5], float("nan"), True):
        assert run(key, junk)[0] is False


def test_unanswered_and_unknown():
    result, line = run("01.5", None)
    assert result is None and NOT_ANSWERED in line and "expected: a number" in line
    with pytest.raises(KeyError, match=re.escape("no exercise '99.9'")):
        check("99.9", 1)


def test_lessons_contain_a_check_cell_for_every_exercise():
    """Every exercise has one answer cell, in its own lesson, after every other code cell (so clearing
    it, `sftkit lessons copy --blank`, cannot break the lesson). The cells ship without answers
    (tests/test_lessons_clean.py); the right answers are checked against sftkit.solutions above."""
    import json
    from pathlib import Path

    from sftkit.course import answer_cell_id

    lessons = Path(__file__).resolve().parent.parent / "lessons"
    found = set()
    for path in lessons.glob("[0-9][0-9]_*.ipynb"):
        code = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        keys = [answer_cell_id(c) for c in code]
        if not any(keys):
            continue
        first = keys.index(next(k for k in keys if k))
        assert all(keys[first:]), f"{path.name}: a code cell after the first answer cell would break a blank copy"
        for cell, key in zip(code[first:], keys[first:]):
            assert key.startswith(path.name[:2]) and key not in found, (path.name, key)
            found.add(key)
            printed = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert printed.startswith(f"{key}: {NOT_ANSWERED}"), (path.name, key, printed)
    assert found == set(EXERCISES)


# ----------------------------------------------------------------------------- lesson 11 (中文文本分类)

def test_11_1_accepts_the_paired_t_interval_and_teaches_the_usual_slips():
    from scipy import stats

    d = np.array([0.01, 0.03, 0.02])
    half = stats.t.ppf(0.975, 2) * d.std(ddof=1) / math.sqrt(3)
    right = (d.mean() - half, d.mean() + half)
    assert right[0] < 0 < right[1]                                    # the point of the exercise
    assert run("11.1", right) == (True, "11.1: right.")
    assert run("11.1", (round(right[1], 3), round(right[0], 3)))[0] is True     # either order, three decimals
    z = 1.959964 * d.std(ddof=1) / math.sqrt(3)
    assert "1.96" in run("11.1", (d.mean() - z, d.mean() + z))[1]
    pop = stats.t.ppf(0.975, 2) * d.std() / math.sqrt(3)
    assert "n - 1" in run("11.1", (d.mean() - pop, d.mean() + pop))[1]
    wide = stats.t.ppf(0.975, 2) * d.std(ddof=1)
    assert "√n" in run("11.1", (d.mean() - wide, d.mean() + wide))[1]


def test_11_2_counts_the_training_reviews_cut_at_32():
    from sftkit import data, text

    train = data.stratified_sample(data.load_bundled("zh_reviews")["train"], 500, seed=0)
    both = text.token_lengths(train.texts, "chars+bigrams")
    chars = text.token_lengths(train.texts, "chars")
    assert (both == 2 * chars - 1).all()                              # c characters, c - 1 bigrams
    right = (int((both > 32).sum()), int((chars > 32).sum()))
    assert 0 < right[1] < right[0] < 500
    assert run("11.2", right) == (True, "11.2: right.")
    assert "先放所有的字" in run("11.2", (right[0], right[0]))[1]
    assert "chars+bigrams 的词元数" in run("11.2", (right[1], right[1]))[1]
    assert run("11.2", (right[0] + 0.5, right[1]))[0] is False


def test_11_3_counts_jiebas_tokens_and_the_characters():
    from sftkit.text import tokenize

    right = (len(tokenize(["南京市长江大桥"], "jieba")[0]), len(tokenize(["南京市长江大桥"], "chars")[0]))
    assert right[1] == 7
    assert run("11.3", right) == (True, "11.3: right.")
    assert "错误切法" in run("11.3", (3, 7))[1]
    assert "每个汉字" in run("11.3", (right[0], 6))[1]


def test_11_4_counts_tokens_as_the_chars_tokenizer_does():
    from sftkit.text import tokenize

    chars = tokenize(["iPhone很好用！"], "chars")[0]
    both = tokenize(["iPhone很好用！"], "chars+bigrams")[0]
    assert run("11.4", (len(chars), len(both))) == (True, "11.4: right.")
    assert "拉丁字母" in run("11.4", (9, 17))[1]        # one token per Latin letter
    assert "标点" in run("11.4", (5, 9))[1]             # the full-width ！ kept as a token
    assert "n - 1" in run("11.4", (4, 8))[1]            # bigrams miscounted


def test_11_5_counts_the_bigrams_that_do_not_fit():
    assert run("11.5", 11)[0] is True
    assert "二元组" in run("11.5", 0)[1]
    assert "n - 1" in run("11.5", 12)[1]
    assert run("11.5", 11.5)[0] is False


def test_11_6_unknown_share_of_whole_review_tokens():
    assert run("11.6", 0.994)[0] is True and run("11.6", 99.4)[0] is True
    # s6 item 32: the string form and two-decimal rounding are right answers too
    assert run("11.6", "99.4%")[0] is True and run("11.6", "99.4 %")[0] is True
    assert run("11.6", 0.99)[0] is True and run("11.6", "99%")[0] is True
    assert run("11.6", 0.98)[0] is False and run("11.6", "98%")[0] is False
    assert "一字不差" in run("11.6", "100%")[1] and "[UNK] 的比例" in run("11.6", "0.6%")[1]
    assert "[UNK] 的比例" in run("11.6", 0.006)[1]
    # the hint for the complement names the numerator, without saying the student's number is 1 - the answer
    assert "已知词元的比例" not in run("11.6", 0.006)[1] and "分子" in run("11.6", 0.006)[1]
    assert "一字不差" in run("11.6", 1.0)[1]


# ----------------------------------------------------------------------------- lessons 09 and 10: cleaning and selection

def test_09_1_jaccard_right_and_a_union_counted_twice():
    assert run("09.1", 0.625) == (True, "09.1: right.")
    assert run("09.1", "62.5")[0] is True
    result, line = run("09.1", 50 / 130)
    assert result is False and "shared shingles once" in line


def test_09_1_accepts_rounded_answers_and_percent_strings_and_refuses_wrong_ones():
    # 0.625 rounded to two decimals either way, and the form's "fraction or %"
    for right in (0.62, 0.63, 62.5, 62, 63, "62.5%", "62.5 %", "0.625"):
        assert run("09.1", right)[0] is True, right
    for wrong in (0.61, 0.64, 60, "38.5%", "abc"):
        assert run("09.1", wrong)[0] is False, wrong
    assert "not by the size of one" in run("09.1", "71.4%")[1]
    assert "shared shingles once" in run("09.1", "38.5%")[1]


def test_09_2_confident_learning_right_and_the_naive_argmax_answer_refused():
    # the per-class thresholds change the outcome: the 0.5 cut flags row 0 as well
    assert run("09.2", [1, 3])[0] is True and run("09.2", {3, 1})[0] is True
    result, line = run("09.2", [0, 1, 3])
    assert result is False and "a cut at 0.5" in line
    result, line = run("09.2", [0, 1])
    assert result is False and "a row you listed is not confidently of another class" in line
    result, line = run("09.2", [1])
    assert result is False and "you missed a row: compute t_0 and t_1 first" in line
    result, line = run("09.2", [3])
    assert result is False and "you missed a row" in line
    result, line = run("09.2", [1, 2, 3])
    assert result is False and "a row you listed" in line
    # no hint names a row: a hint must not give part of the answer away
    for wrong in ([0, 1], [1], [3], [], [1, 2, 3], [0, 3], [2]):
        result, line = run("09.2", wrong)
        assert result is False and "row 0" not in line and "row 3" not in line and "row 1" not in line, wrong
    assert run("09.2", "1")[0] is False


def test_10_1_k_center_right_and_distance_to_the_first_point_only():
    assert run("10.1", [0, 3, 1, 2])[0] is True
    result, line = run("10.1", [0, 3, 2, 1])
    assert result is False and "nearest" in line
    assert run("10.1", [0, 3, 1])[0] is False


def test_10_2_domain_cut_right_and_the_sign_flipped():
    assert run("10.2", [1])[0] is True
    result, line = run("10.2", [0])
    assert result is False and "sign is the other way round" in line
    result, line = run("10.2", [1, 3])
    assert result is False and "above the cut, not above zero" in line
    # s6 L10-10: the hint for an answer of the wrong form must not show the right list as its example
    for wrong_form in (1, "1", "[1]"):
        result, line = run("10.2", wrong_form)
        assert result is False and "as a list" in line and "[1]" not in line


# 09.3, 09.4 and 10.3: the right answers are computed here the way the lessons compute them
# (section 3's pair count, section 7's rule, section 3's composition), not copied from a run.

def _pool_and_cache():
    from sftkit.data import data_dir
    from sftkit.finetune import encode_labels
    from sftkit.selection import domain, experiment, strategies

    pool, truth = experiment.load_pool()
    c = experiment.read_columns(data_dir() / "selection" / "pool_scores.csv")
    ref = experiment.read_columns(data_dir() / "selection" / "reference_scores.csv")
    last = max(int(k[7:].split("_")[0]) for k in c if k.startswith("trusted"))
    cut = domain.threshold_from(ref["ce_in_domain"] - ref["ce_general"], strategies.DOMAIN_QUANTILE)
    return (pool, truth, encode_labels(pool.labels, pool.classes),
            experiment.stack_proba(c, f"trusted{last}", pool.classes),
            domain.domain_scores(c["ce_in_domain"] - c["ce_general"], threshold=cut))


def test_09_3_dedup_at_0_7_right_and_the_default_thresholds_counts_refused():
    from sftkit.selection import strategies

    pool, truth, *_ = _pool_and_cache()
    status = truth["status"]
    index = {i: n for n, i in enumerate(pool.ids)}
    pairs = [(n, index[d]) for n, d in enumerate(truth["duplicate_of"]) if status[n] == "duplicate"]
    partner = dict(pairs) | {b: a for a, b in pairs}
    counts = {}
    for threshold in (0.7, strategies.DEDUP_THRESHOLD):
        dd = strategies.score("dedup", pool, threshold=threshold)
        g = dd.extra["group"]
        removed = np.flatnonzero(dd.drop & np.isin(status, ["clean", "flipped", "duplicate"]))
        counts[threshold] = (int(dd.drop.sum()), sum(int(i in partner and g[partner[i]] == g[i]) for i in removed))
    assert counts[0.7][0] > counts[strategies.DEDUP_THRESHOLD][0]         # a lower threshold drops more
    assert run("09.3", counts[0.7]) == (True, "09.3: right.")
    assert run("09.3", list(counts[0.7]))[0] is True
    result, line = run("09.3", counts[strategies.DEDUP_THRESHOLD])
    assert result is False and "default threshold" in line
    result, line = run("09.3", (counts[0.7][0], counts[0.7][1] + 1))
    assert result is False and "drop count is right" in line
    assert run("09.3", (counts[0.7][0], 0.5))[0] is False


def test_09_4_systematic_flips_missed_right_and_found_or_another_rule_refused():
    from sftkit.selection import noisy

    pool, truth, y, last, _ = _pool_and_cache()
    systematic = (truth["status"] == "flipped") & (truth["detail"] == "systematic")
    flags = noisy.find_label_issues(y, last, filter_by="predicted_neq_given")
    missed = int((systematic & ~flags).sum())
    assert 0 < missed < systematic.sum() / 2
    assert run("09.4", missed) == (True, "09.4: right.")
    result, line = run("09.4", int((systematic & flags).sum()))
    assert result is False and "how many are missed" in line
    cl_missed = int((systematic & ~noisy.find_label_issues(y, last, filter_by="confident_learning")).sum())
    assert cl_missed != missed
    result, line = run("09.4", cl_missed)
    assert result is False and "predicted_neq_given" in line
    assert run("09.4", missed + 0.5)[0] is False


def test_10_3_two_part_ranking_right_and_the_four_part_share_refused():
    from sftkit.selection import combine, noisy, select, strategies

    pool, truth, y, last, dom = _pool_and_cache()
    clean = truth["status"] == "clean"
    parts = dict(strategies.score("filter", pool).extra["parts"])
    parts["noisy"] = noisy.noisy_label_scores(pool.labels, last, filter_by="predicted_neq_given")
    parts["domain"] = dom
    two = clean[select(combine(parts["noisy"], parts["domain"], method="pipeline"), 1000).kept].mean()
    four = clean[select(combine(*parts.values(), method="pipeline"), 1000).kept].mean()
    assert abs(two - four) > 0.01                                     # the exercise tells the two apart
    assert run("10.3", float(two)) == (True, "10.3: right.")
    assert run("10.3", f"{100 * two:.1f}%")[0] is True and run("10.3", round(float(two), 2))[0] is True
    result, line = run("10.3", float(four))
    assert result is False and "four-part pipeline" in line
    assert run("10.3", float(two) + 0.02)[0] is False
# ----------------------------------------------------------------------------- lesson 06: fine-tuning

def test_06_answers_follow_the_library_recipe():
    from sftkit.config import TrainConfig

    cfg = TrainConfig()
    assert run("06.1", (2.0, 0.002))[0] is True and run("06.1", [2, 0.002])[0] is True
    assert run("06.1", (cfg.group_lr_factor, 0.004 / cfg.group_lr_factor))[0] is False   # the default is not it
    assert run("06.2", tuple(cfg.epochs_for(n) for n in (80, 240, 600)))[0] is True


@pytest.mark.parametrize("key, wrong, hint", [
    ("06.1", (4.0, 0.001), "divides the head's rate twice"),
    ("06.1", (0.5, 0.008), "it is above 1"),
    ("06.1", (2.6, 0.004 / 2.6), "that is the default factor"),
    ("06.1", (2.0, 0.001), "divide the head's rate once"),
    ("06.1", (3.0, 0.002), "solve for it"),
    ("06.2", (50, 17, 7), "inside a range"),
    ("06.2", (40, 16, 10), "round up"),
    ("06.3", (320000, 62115), "wrong order"),
    ("06.3", (382115, 0), "freeze_embedding='auto'"),
    ("06.3", (291, 320000 + 61824), "first part of training"),
    ("06.3", (61824, 320000), "softmax layer"),
    ("06.4", 4, "counting from 0"),
    ("06.4", 3, "two levels below the head"),
])
def test_06_wrong_answers_get_the_hint_written_for_them(key, wrong, hint):
    result, line = run(key, wrong)
    assert result is False and hint in line


def test_06_3_hints_point_to_the_counting_without_spelling_it_out():
    # review s6 L06-24: the last hint named every formula, which with the frozen-embedding hint gave the answer
    for wrong in ((1000, 2000), (62115, 1), (382115, 0)):
        result, line = run("06.3", wrong)
        assert result is False and not any(f in line for f in ("V*d", "4(u", "uK", "320000", "61824", "291"))
    assert "lesson 03" in run("06.3", (1000, 2000))[1]


def test_06_1_accepts_rounding_within_its_tolerance_only():
    assert run("06.1", (2.0005, 0.00204))[0] is True
    assert run("06.1", (2.01, 0.002))[0] is False and run("06.1", (2.0, 0.0021))[0] is False


# ----------------------------------------------------------------------------- lessons 00-04 (review s5)

@pytest.mark.parametrize("answer", ["99%", "99 %", " 99.0% ", 0.99, 99])
def test_00_2_accepts_a_percentage_written_with_its_sign(answer):
    assert run("00.2", answer) == (True, "00.2: right.")


@pytest.mark.parametrize("answer", ["1%", "50%", "99", "%"])
def test_00_2_rejects_a_wrong_or_unreadable_percentage(answer):
    # "99" as a string is a number (accepted); the others are wrong shares or not a number
    result, line = run("00.2", answer)
    assert result is (answer == "99")


@pytest.mark.parametrize("key, rounded, wrong, hint", [
    ("01.1", (1.20, 0.05), (0.52, 0.02), "natural logarithm"),
    ("01.1", (1.2, 0.05), (0.05, 1.20), "wrong order"),
    ("01.4", (6.91, 0), (3.0, 0), "natural logarithm"),
    ("01.4", (6.9, 0.0), (6.8, 0), "never below eps"),
])
def test_01_checks_accept_two_decimals_and_still_reject_a_wrong_answer(key, rounded, wrong, hint):
    assert run(key, rounded)[0] is True
    result, line = run(key, wrong)
    assert result is False and hint in line


def test_03_1_asks_for_a_size_no_lesson_prints():
    """Lessons 00 and 05 print the layer counts of the language model's size (u = 128); 03.1 asks for u = 96,
    whose LSTM and softmax-layer counts appear in no lesson of 00-05."""
    import json
    from pathlib import Path

    _, lstm, head = SOLUTIONS["03.1"].answer
    for nb in sorted((Path(__file__).resolve().parent.parent / "lessons").glob("0[0-5]_*.ipynb")):
        shown = json.dumps(json.loads(nb.read_text(encoding="utf-8")), ensure_ascii=False)
        assert f"{lstm:,d}" not in shown and str(lstm) not in shown, nb.name
        assert f"{head} weights" not in shown and f"{head} parameters" not in shown, nb.name


def test_01_1_asks_about_probabilities_the_lesson_never_works_out():
    """The answer cannot be read off lesson 01: neither loss appears in its cells or their outputs."""
    import json
    import math
    from pathlib import Path

    from sftkit.exercises import EXERCISE_01_1_P

    nb = Path(__file__).resolve().parent.parent / "lessons" / "01_cross_entropy.ipynb"
    shown = json.dumps(json.loads(nb.read_text(encoding="utf-8")), ensure_ascii=False)
    for p in EXERCISE_01_1_P:
        assert f"{-math.log(p):.3f}" not in shown, p
        assert f"log {p}" not in shown and f"log({p})" not in shown, p


def test_03_3_matches_the_bundled_validation_split_and_hints_at_ln_2():
    from sftkit.data import load_bundled
    from sftkit.exercises import EXERCISE_03_3

    counts = load_bundled("reviews")["val"].counts()
    assert (counts["negative"], counts["positive"]) == (EXERCISE_03_3["negative"], EXERCISE_03_3["positive"])
    assert run("03.3", 4.92)[0] is True and run("03.3", 4.9)[0] is True
    assert run("03.3", 5.0)[0] is False
    result, line = run("03.3", 0.6931)
    assert result is False and "close to uniform" in line
    result, line = run("03.3", 10.0)
    assert result is False and "average them" in line


def test_03_2_hint_for_one_direction_points_to_the_summary_not_the_answer():
    """s6 L03-2: the hint for the one-directional count must not say 'two LSTMs' (that is the answer)."""
    result, line = run("03.2", 4 * (64 * 128 + 64))
    assert result is False and "model.summary()" in line
    assert "two" not in line and "each way" not in line


# ----------------------------------------------------------------------------- lessons 05, 07, 08: solutions live in one place
# These lessons used to carry worked answers in their answer cells; now the answers are only in
# sftkit.solutions, and the checks (which compute the right answer from the library and the
# bundled data) are fed them above. Here: every answer cell of these lessons has its solution.

def test_05_07_08_answer_cells_are_exactly_the_solved_exercises():
    import json
    from pathlib import Path

    from sftkit.course import answer_cell_id

    lessons = Path(__file__).resolve().parent.parent / "lessons"
    for number, count in (("05", 4), ("07", 5), ("08", 5)):
        path = next(lessons.glob(f"{number}_*.ipynb"))
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        keys = [k for k in map(answer_cell_id, cells) if k]
        assert keys == [f"{number}.{k}" for k in range(1, count + 1)], (path.name, keys)
        assert all(key in SOLUTIONS and run(key, SOLUTIONS[key].answer)[0] is True for key in keys)


def test_08_3_is_the_run_budget_and_length_not_counts_the_lesson_prints():
    from sftkit.config import TrainConfig

    assert run("08.3", (TrainConfig().epochs_for(3000), 48))[0] is True
    assert "step [3/5]" in run("08.3", (40, 48))[1]
    assert "report.md" in run("08.3", (10, 64))[1]
    assert run("08.3", (500, 130))[0] is False            # the old answer, readable off the lesson


# ----------------------------------------------------------------------------- lessons 00-04: every "Try this" item checked
# (issue 16, session 5) The judges compute their right values from the library and the bundled data; here
# each is tied to that computation where the lesson's code makes it, and each typical mistake to its hint.

def test_00_1_labels_follow_sorted_names():
    from sftkit.exercises import EXERCISE_00_1

    names = sorted({label for _, label in EXERCISE_00_1})
    assert names == ["ham", "invoice", "spam"]                       # the new name sorts between the old ones
    assert run("00.1", [names.index(label) for _, label in EXERCISE_00_1])[0] is True
    assert "sorted order" in run("00.1", [0, 1, 0, 2])[1]             # numbered by first appearance
    assert run("00.1", [2, 0, 2, 1.5])[0] is False


def test_00_3_trained_share_matches_the_classifier_keras_builds():
    from sftkit import models
    from sftkit.pretrain import load_shipped

    lm = load_shipped()
    clf = models.build_classifier(len(lm.vocabulary), 2, pretrained=lm, compile=False)
    clf.get_layer("embedding").trainable = False
    share = sum(int(np.prod(w.shape)) for w in clf.trainable_weights) / clf.count_params()
    assert run("00.3", share)[0] is True and run("00.3", f"{100 * share:.1f}%")[0] is True
    assert "rebuild" in run("00.3", 258 / clf.count_params())[1]
    assert "rebuild" in run("00.3", f"{100 * 258 / clf.count_params():.2f}%")[1]
    # a share five times the head's (0.5 read as 0.5 %) is not the head's share: the general hint, not "rebuild"
    assert "rebuild" not in run("00.3", 0.5)[1] and run("00.3", 0.5)[0] is False


def test_00_3_hint_points_at_freezing_not_at_the_formula():
    """Review s6 L00-9: the fallback hint named the subtraction and the division, the whole solution."""
    result, line = run("00.3", 0.7)
    assert result is False and "trainable_weights" in line
    assert "V x d" not in line and "divide" not in line


def test_01_4_gradient_is_what_tensorflow_sends_back_through_the_clip():
    """Review s6 L01-1: the second half of Try 4 (the gradient through the clip) is checked, and its right
    value is the one tf.GradientTape gives for the lesson's confidently wrong example."""
    from sftkit._tf import tf_and_keras

    tf, _ = tf_and_keras()
    p = tf.Variable([[1.0, 0.0]])
    with tf.GradientTape() as tape:
        loss = -tf.math.log(tf.clip_by_value(p, 1e-3, 1 - 1e-3))[0, 1]
    gradient = float(tape.gradient(loss, p).numpy()[0, 1])
    assert run("01.4", (float(loss), gradient)) == (True, "01.4: right.")
    line = run("01.4", (6.91, -1000.0))[1]      # review s8 item 7: the hint asks, it does not say clip is flat
    assert "slope of -log p" in line and "tf.GradientTape" in line and "outside its range" in line
    assert "own p" not in line and "flat" not in line
    assert "chain rule through clip(p)" in run("01.4", (6.91, -1.0))[1]
    assert "two numbers" in run("01.4", 6.91)[1]                       # the loss alone is half the answer


def test_01_3_01_4_02_3_hints_point_to_the_method_not_the_result():
    """Review s6c L00-04 item 8: the hints named the result (every position read, padding included;
    the rewritten loss; a yes/no question whose answer is the gradient 0)."""
    line_02_3 = run("02.3", (5, 7))[1]
    assert "return_sequences=True" in line_02_3 and "padding" not in line_02_3 and "every position" not in line_02_3
    line_mask = run("02.3", (4, 4))[1]           # s7 L00-04 item 10: the method, not "what does it skip?"
    assert "count with a mask" in line_mask and "state after each step" in line_mask and "skip" not in line_mask
    line_01_3 = run("01.3", (1.0, 2.0, 3.0))[1]
    assert "derivation" in line_01_3 and "log sum" not in line_01_3 and "(sum_i t_i)" not in line_01_3
    for wrong in ((6.91, -1000.0), (6.91, -1.0)):
        line_01_4 = run("01.4", wrong)[1]
        assert "chain rule" in line_01_4 and "move" not in line_01_4 and " 0" not in line_01_4


def test_01_2_overflow_limits_are_where_numpy_overflows():
    with np.errstate(over="ignore"):
        for dtype, s in ((np.float64, 709), (np.float32, 88)):
            assert np.isfinite(np.exp(dtype(s))) and not np.isfinite(np.exp(dtype(s + 1)))
    assert "wrong order" in run("01.2", (88, 709))[1]
    assert "3.4e38" in run("01.2", (709, 709))[1]


def test_01_3_gradient_is_the_finite_difference_of_the_library_loss():
    from sftkit import losses
    from sftkit.exercises import EXERCISE_01_3

    z, t, h = np.array(EXERCISE_01_3["z"]), np.array(EXERCISE_01_3["t"]), 1e-6
    fd = [(losses.categorical_crossentropy(t, z + h * e, from_logits=True)
           - losses.categorical_crossentropy(t, z - h * e, from_logits=True)) / (2 * h) for e in np.eye(3)]
    assert run("01.3", fd)[0] is True and run("01.3", np.round(fd, 2))[0] is True
    assert "sign" in run("01.3", [-v for v in fd])[1]


def test_02_1_counts_padding_in_the_vectorized_rows():
    from sftkit import data, text

    train = data.load_bundled("reviews")["train"]
    vocab = text.make_vectorizer(train.texts).get_vocabulary()
    zeros = {L: int((text.vectorize(text.make_vectorizer(vocabulary=vocab, sequence_length=L), train.texts) == 0).sum())
             for L in (24, text.suggest_sequence_length(train.texts, coverage=0.99))}
    right = max(zeros.values()) - min(zeros.values())
    assert run("02.1", right)[0] is True
    assert run("02.1", float(right))[0] is True
    # review s8 item 8: the Try asks for the count; the estimate from the table's rounded shares is refused
    estimate = 0.566 * 128000 - 0.430 * 96000
    assert estimate != right and "rounded shares" in run("02.1", estimate)[1]
    for near in (right + 1, right - 1, right + 200):
        assert run("02.1", near)[0] is False
    assert run("02.1", right * 1.02)[0] is False
    assert "not a change of share" in run("02.1", 13.6)[1]


def test_02_2_words_and_unknown_share():
    assert "max_tokens counts padding" in run("02.2", (50, 0.46))[1]
    assert "known tokens" in run("02.2", (48, 1 - 3333 / 7189))[1]
    assert run("02.2", (48, 46.4))[0] is True                        # a percentage


def test_03_4_lowest_constant_loss_is_the_entropy_of_the_class_shares():
    """The check's values are the minimum over constant predictions, found here by search, not by formula."""
    from sftkit.exercises import EXERCISE_03_4

    q = np.linspace(1e-4, 1 - 1e-4, 200001)
    lowest = []
    for a, b in EXERCISE_03_4:
        mean_loss = -(a * np.log(q) + b * np.log(1 - q)) / (a + b)
        lowest.append(float(mean_loss.min()))
        assert abs(q[mean_loss.argmin()] - a / (a + b)) < 1e-4           # reached at the class share
    assert run("03.4", tuple(lowest))[0] is True
    assert run("03.4", tuple(round(v, 2) for v in lowest))[0] is True   # two decimals
    assert "uniform guess" in run("03.4", (math.log(2), math.log(2)))[1]
    assert "accuracy" in run("03.4", (0.75, 400 / 404))[1]
    assert "natural logarithm" in run("03.4", tuple(v / math.log(10) for v in lowest))[1]
    assert run("03.4", (lowest[0], 0.1))[0] is False


def test_04_1_and_04_3_ranges_hold_the_measured_seeds_and_refuse_adam_or_the_last_epoch():
    """The two checks that need a training run accept ranges around what seeds 0-2 gave (comments in
    sftkit/exercises.py); the worked solutions are the seed-0 values, and the typical mistakes are refused."""
    from sftkit.exercises import EXERCISE_04_1_RANGE, EXERCISE_04_3_RANGE

    for sgd_val_loss in (0.661, 0.6612, 0.6645):                      # SGD(0.1), seeds 0, 1, 2
        assert run("04.1", sgd_val_loss)[0] is True
    assert EXERCISE_04_1_RANGE[1] < math.log(2) + 0.01                 # "still near ln 2" ...
    assert "rebuild" in run("04.1", 0.288)[1]                          # ... and Adam's 8-epoch loss is refused
    for best in ((9, 0.2275), (8, 0.182), (9, 0.1995)):                # Adam, 20 epochs, seeds 0, 1, 2
        assert run("04.3", best)[0] is True
    assert "last epoch" in run("04.3", (EXERCISE_04_3_RANGE["epochs"], 0.2851))[1]
    assert "training loss" in run("04.3", (9, 0.0834))[1]
    assert "rebuild" in run("04.3", (2, 0.54))[1]
    assert run("04.3", (9.5, 0.2))[0] is False
    # s7 L00-04 item 11: a seed that turns later than the three measured is accepted, and an epoch outside
    # the range gets a hint that does not assume the student counted from 0
    assert run("04.3", (16, 0.21))[0] is True and run("04.3", (19, 0.25))[0] is True
    # review s8 item 11: the lesson's own 8-epoch run (lowest at epoch 6, 0.261; later points higher) is refused
    for eight_epoch_run in ((6, 0.261), (6, 0.26), (7, 0.282), (8, 0.288)):
        line = run("04.3", eight_epoch_run)[1]
        assert run("04.3", eight_epoch_run)[0] is False and "8-epoch run" in line and "20 epochs" in line
    for wrong in ((3, 0.25), (12, 0.45)):
        line = run("04.3", wrong)[1]
        assert "outside what the course measured" in line and "count" not in line


# ----------------------------------------------------------------------------- fix578: lessons 05, 07, 08 (review s5b)

def test_05_3_leans_count_only_beyond_a_neutral_sentence():
    right = SOLUTIONS["05.3"].answer
    assert right[3] == 0                                     # relative to a neutral prefix, none moves the sentence's way
    result, line = run("05.3", (-0.1078, -0.0719, 0.1182, 1))   # the raw leans, judged by their sign
    assert result is False and "subtract the neutral" in line
    result, line = run("05.3", (*right[:3], 1))              # right leans, a count by the raw signs
    assert result is False and "now count" in line


def test_05_4_hint_for_the_chinese_count_does_not_give_it_away():
    """s6 L05-10: with the first two numbers right and the Chinese count wrong, the hint says how to count,
    not how many spaces the sentence has (that would give the answer)."""
    german, unk, chinese = SOLUTIONS["05.4"].answer
    for wrong in (len("这个水壶很好用"), chinese + 1):
        result, line = run("05.4", (german, unk, wrong))
        assert result is False and "token_ids" in line and "space" not in line
    assert run("05.4", (german, unk + 1, chinese))[0] is False


def test_07_5_verdict_is_per_seed_not_by_the_mean():
    right = SOLUTIONS["07.5"].answer
    assert right[3] == 0 and min(right[:3]) < 0 < max(right[:3])   # mixed across seeds
    result, line = run("07.5", (*right[:3], -1))             # the sign of the mean
    assert result is False and "not the sign of the mean" in line
    result, line = run("07.5", tuple(-v for v in right[:3]) + (0,))
    assert result is False and "the order" in line
    assert run("07.5", 0.024)[0] is False                    # the old answer (the range of 'none'), printed in the lesson


def test_07_3_counts_texts_with_the_library():
    assert run("07.3", (450, 15))[0] is True
    result, line = run("07.3", (300, 10))
    assert result is False and "originals still trained on" in line
    assert "150" not in line and "two" not in line and "2" not in line      # the hint does not spell out 150 + 2 x 150


def test_07_1_hint_for_the_kept_epoch_does_not_give_it_away():
    """s6 review item 31: with the first number right, the hint once said 'patience=2 ... 2 epochs', i.e. trained - 2."""
    trained, kept = SOLUTIONS["07.1"].answer
    for wrong in (trained, trained - 1, 1):
        result, line = run("07.1", (trained, wrong))
        assert result is False and "what does `patience` count" in line
        assert not re.search(r"\d", line.split(":", 1)[1]), line         # no number at all after the id


def test_07_4_hint_names_the_lexicon_the_exercise_defines():
    result, line = run("07.4", (5, 3))
    assert result is False and "positive lexicon the exercise names" in line and "lesson 05" not in line


def test_08_1_accepts_the_lessons_own_grid_scan_and_the_probability_scan():
    """s6 review item 41: a 0.01 grid (as lesson 08 section 5 scans) finds t = 0.57, the predicted probabilities
    t = 0.582; both flag the same first 250 messages, but not the same last 250. Both are right answers."""
    from sftkit.exercises import _spam_baseline

    p_val, _, spam = _spam_baseline()
    is_val = np.array(spam["val"].labels) == "spam"
    p_a, is_a, p_b, is_b = p_val[:250], is_val[:250], p_val[250:], is_val[250:]

    def lowest(candidates):
        return next(t for t in candidates if (p_a >= t).any() and is_a[p_a >= t].mean() >= 0.95)

    def scored(t):
        flagged = p_b >= t
        return (flagged & is_b).sum() / flagged.sum(), (flagged & is_b).sum() / is_b.sum()

    t_grid, t_unique = lowest(np.linspace(0.01, 0.99, 99)), lowest(np.unique(p_a))
    assert np.array_equal(p_a >= t_grid, p_a >= t_unique)                # the same decisions on the first 250
    by_grid, by_unique = scored(t_grid), scored(t_unique)
    assert abs(by_grid[0] - by_unique[0]) > 0.01                         # but not on the last 250
    assert run("08.1", by_grid)[0] is True and run("08.1", by_unique)[0] is True
    assert run("08.1", tuple(100 * v for v in by_grid))[0] is True       # as percentages
    for t in (0.3, 0.9):                                                 # too low (precision < 0.95), too high
        assert run("08.1", scored(t))[0] is False
    result, line = run("08.1", (0.95, 0.9))
    assert result is False and "promise made on the first half" in line


def test_08_3_is_the_run_without_the_test_file():
    """s6 review item 36: Try 3 runs sftkit train without --test, which splits its test set off train.csv."""
    import json
    from pathlib import Path

    from sftkit.config import TrainConfig
    from sftkit.data import load_bundled, split_off

    spam = load_bundled("spam")
    train, _, test, note = split_off(spam["train"], spam["val"], None, seed=TrainConfig().seed)
    assert len(train) + len(test) == len(spam["train"]) and "test" in note
    assert run("08.3", (TrainConfig().epochs_for(len(train)), 48))[0] is True
    lesson = next((Path(__file__).resolve().parent.parent / "lessons").glob("08_*.ipynb"))
    try_cell = next("".join(c["source"]) for c in json.loads(lesson.read_text(encoding="utf-8"))["cells"]
                    if "## Try this" in "".join(c["source"]))
    item = try_cell[try_cell.index("3. ✓"):try_cell.index("4. ✓")]
    assert "sftkit train" in item and "--test DATA" not in item and "test.csv" not in item


def test_08_2_hint_for_a_wrong_answer_names_the_steps_not_the_figures():
    right = SOLUTIONS["08.2"].answer
    assert run("08.2", right)[0] is True and run("08.2", list(right))[0] is True
    assert run("08.2", (round(right[0], 3), round(right[1], 3)))[0] is True
    result, line = run("08.2", (0.5, 0.5))
    assert result is False and "class by class" in line
    for giveaway in ("spam share", "recall 1", "equal to its share", "0.13"):
        assert giveaway not in line
    result, line = run("08.2", (right[0], 2 * right[1]))    # the spam class's F1 alone
    assert result is False and "ham class" in line and "is 0" not in line


def test_08_answers_are_not_the_figures_the_lesson_prints():
    result, line = run("08.2", (0.87, 0.465))               # all-ham on validation: printed in section 2
    assert result is False and "'ham'" in line
    result, line = run("08.4", (0.924, 10))                  # the F1 printed in sections 4 and 6
    assert result is False and "counts every message" in line
    result, line = run("08.4", (1.0, 9))
    assert result is False and "count the messages" in line
    result, line = run("08.1", (0.95, 0.9))
    assert result is False and "promise made on the first half" in line


# ----------------------------------------------------------------------------- lesson 12: the capstone

def test_12_1_two_shares_rounded_to_two_decimals_are_right_and_the_reversed_pair_is_not():
    assert run("12.1", [0.4, 0.66])[0] is True and run("12.1", (40, 66.7))[0] is True
    result, line = run("12.1", [0.66, 0.4])
    # the swapped pair gets the definitions, not a confirmation that both numbers are right
    assert result is False and "divides by" in line and "right two" not in line and "wrong order" not in line
    result, line = run("12.1", [0.2, 0.66])
    assert result is False and "base rate" in line


# ----------------------------------------------------------------------------- fix612: percentages, 06.4 hints

def test_12_1_and_12_2_accept_percentage_strings_and_still_reject_wrong_ones():
    assert run("12.1", ("40%", "67%"))[0] is True and run("12.1", ["40 %", "66.7%"])[0] is True
    result, line = run("12.1", ("67%", "40%"))
    assert result is False and "precision" in line and "right two" not in line
    result, line = run("12.1", ("20%", "67%"))
    assert result is False and "base rate" in line
    assert run("12.2", "80%")[0] is True and run("12.2", "80 %")[0] is True
    result, line = run("12.2", "100%")
    assert result is False and "is every label right" in line
    result, line = run("12.2", "20%")
    assert result is False and "matches the label" in line and "disagree" not in line


def test_06_4_non_whole_answers_get_the_whole_number_hint_not_the_counting_from_0_one():
    for wrong in (4.9, 4.5, 5.5):
        result, line = run("06.4", wrong)
        assert result is False and "whole number" in line and "counting from 0" not in line
    assert run("06.4", 5)[0] is True and run("06.4", 5.0)[0] is True


# ----------------------------------------------------------------------------- 01.5 rounding (review s5b, lead)

def test_01_5_accepts_two_decimals_like_01_1_and_01_4():
    assert run("01.5", 1.61)[0] is True and run("01.5", 1.609)[0] is True
    result, line = run("01.5", 0.2)
    assert result is False and "-log of it" in line
    assert run("01.5", 1.5)[0] is False and run("01.5", 0.69)[0] is False
