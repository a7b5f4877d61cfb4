"""benchmarks/baseline.py: the TF-IDF + logistic regression baseline beside `sftkit train`."""
from pathlib import Path

import pytest

from conftest import load_benchmark, tiny_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def baseline():
    return load_benchmark("baseline")


def test_analyzer_follows_the_script(baseline):
    assert baseline.baseline_analyzer(["the lid is great"]) == "word"
    assert baseline.baseline_analyzer(["质量很好", "不太满意"]) == "char"


def test_baseline_only_on_the_bundled_chinese_reviews(baseline, capsys):
    assert baseline.main(["--bundled", "zh_reviews", "--baseline-only"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "data: 4000 train / 500 validation / 1000 test; classes negative, positive"
    assert out[1].startswith("baseline  TF-IDF char 1-2-grams + logistic regression (C=10 on validation): "
                             "val accuracy 0.774 | test accuracy 0.738, macro F1 0.738 (standard ")


def test_one_file_is_split_and_both_models_print(baseline, tmp_path, capsys):
    path = write_csv(tmp_path / "tiny.csv", tiny_rows(200))
    assert baseline.main([str(path), "--seeds", "0"]) == 0
    out = capsys.readouterr().out
    assert "data: 160 train / 20 validation / 20 test" in out
    assert "TF-IDF word 1-2-grams" in out
    assert "sftkit train defaults (tokenizer words, seed 0" in out
    assert "difference (sftkit - baseline): test accuracy" in out


def test_bad_input_is_one_line_and_exit_2(baseline, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert baseline.main([str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nope.csv" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as e:
        baseline.main(["--train", str(missing)])
    assert e.value.code == 2
    assert "give one labelled FILE, or --bundled NAME, or all of --train, --val and --test" in capsys.readouterr().err


# ----------------------------------------------------------------------------- sftkit.baseline (the library part)

def _split(rows):
    from sftkit.data import LabelledTexts

    return LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows])


def test_fit_baseline_chooses_C_on_validation_and_predicts_class_names():
    from sftkit.baseline import C_GRID, fit_baseline

    rows = tiny_rows(200)
    base = fit_baseline(_split(rows[:160]), _split(rows[160:]))
    assert base.analyzer == "word" and set(base.val_scores) == set(C_GRID)
    assert base.val_scores[base.C] == max(base.val_scores.values()) == base.val.accuracy
    assert base.C == next(C for C in C_GRID if base.val_scores[C] == base.val.accuracy)   # the first of ties
    assert set(base.predict(["the lid is great", "the lid is awful"])) <= {"positive", "negative"}


def test_fit_baseline_on_chinese_uses_folded_characters():
    from sftkit.baseline import fit_baseline, fold

    assert fold("Ｔｙｐｅ－Ｃ数据线３天") == "type-c数据线3天"
    texts = ["质量很好，很满意", "非常好用，推荐", "太差了，不推荐", "质量很差，失望"] * 5
    labels = ["positive", "positive", "negative", "negative"] * 5
    data = _split([{"text": t, "label": y} for t, y in zip(texts, labels)])
    base = fit_baseline(data, data)
    assert base.analyzer == "char"
    assert base.predict(["很好，推荐", "ＴＯＯ差了，不推荐"]) == ["positive", "negative"]


def test_fit_baseline_refuses_one_class_an_empty_validation_and_a_bad_analyzer():
    from sftkit.baseline import fit_baseline

    rows = tiny_rows(40)
    one = _split([r for r in rows if r["label"] == "positive"])
    with pytest.raises(ValueError, match="training labels contain a single class"):
        fit_baseline(one, _split(rows))
    with pytest.raises(ValueError, match="the validation split is empty"):
        fit_baseline(_split(rows), _split(rows).take([]))
    with pytest.raises(ValueError, match="analyzer must be 'word' or 'char'; got 'bigram'"):
        fit_baseline(_split(rows), _split(rows), analyzer="bigram")
