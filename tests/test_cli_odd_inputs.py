"""`sftkit train / pretrain / predict / evaluate` on a new user's odd inputs: one line, exit 2, nothing half-written.

Each test is one kind of input a fresh-user review found crashing or silently misleading
(seeds beyond NumPy's range, texts of symbols only, damaged model folders, ...).
"""
import csv
import json
import random

import pytest

from tests.conftest import tiny_rows, write_csv

FAST = ["--epochs", "1", "--sequence-length", "8", "--embedding-dim", "8", "--lstm-units", "8"]
SYMBOLS = ["!!! +++ ###", "--- ... ???", "$$$ %%% &&&", "*** ((( )))", "@@ ^^ ~~ ||", "<<< >>> ==="]


def symbol_rows(n=120, seed=0):
    rng = random.Random(seed)
    return [{"id": f"s{i}", "text": rng.choice(SYMBOLS), "label": "up" if i % 2 else "down"} for i in range(n)]


# ----------------------------------------------------------------------------- H1: seeds


@pytest.mark.parametrize("seed", ["4294967296", "99999999999999999999"])
def test_seed_outside_numpys_range_is_refused_in_one_line(seed, run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(60))
    code, _, err = run_cli("train", "--data", data, "--out", tmp_path / "o", "--seed", seed, *FAST)
    assert code == 2
    assert err.strip() == f"sftkit: error: --seed must be an integer in [0, 4294967295]; got {seed}"
    assert not (tmp_path / "o").exists()
    code, _, err = run_cli("pretrain", "--corpus", tmp_path / "c.txt", "--out", tmp_path / "lm", "--seed", seed)
    assert code == 2 and "--seed must be an integer in [0, 4294967295]" in err


def test_the_largest_seed_splits(tmp_path):
    """The split's second draw used seed + 1, past scikit-learn's range for the largest seed."""
    from sftkit.data import LabelledTexts, stratified_split

    rows = tiny_rows(60)
    data = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows])
    train, val, test = stratified_split(data, seed=2**32 - 1)
    assert (len(train), len(val), len(test)) == (48, 6, 6)


# ----------------------------------------------------------------------------- H6: --bidirectional


def test_bidirectional_with_a_pretrained_lstm_is_refused_before_any_work(run_cli, tmp_path):
    # the data file does not exist: the refusal comes before it is read
    code, _, err = run_cli("train", "--data", tmp_path / "missing.csv", "--out", tmp_path / "o",
                           "--pretrained", "shipped", "--bidirectional", "--pretrained-layers", "embedding+lstm")
    assert code == 2
    assert err.startswith("sftkit: error: --bidirectional cannot start from the pretrained (left-to-right) LSTM; "
                          "add --pretrained-layers embedding, or drop --bidirectional")
    data = write_csv(tmp_path / "d.csv", tiny_rows(60))
    code, out, err = run_cli("train", "--data", data, "--out", tmp_path / "o", "--pretrained", "shipped",
                             "--bidirectional", *FAST)
    assert code == 2 and "[1/5]" not in out
    assert "--pretrained-layers auto takes it below 1500 training examples; here 48" in err
    assert not (tmp_path / "o").exists()


# ----------------------------------------------------------------------------- H2, H5, M4: no tokens


@pytest.mark.parametrize("tokenizer", ["auto", "chars", "unicode-words"])
def test_training_texts_of_symbols_only_are_refused(tokenizer, run_cli, tmp_path):
    data = write_csv(tmp_path / "symbols.csv", symbol_rows())
    code, out, err = run_cli("train", "--data", data, "--out", tmp_path / "o", "--tokenizer", tokenizer, *FAST)
    assert code == 2, err
    used = "words" if tokenizer == "auto" else tokenizer
    assert err.strip() == (f"sftkit: error: {data}: no training text has a token left after tokenizer {used} "
                           "(every text is punctuation or symbols, which it removes); give texts with words in them")
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob(".o*"))


def test_texts_without_tokens_are_counted_in_a_warning():
    from sftkit.config import TrainConfig
    from sftkit.data import LabelledTexts
    from sftkit.workflow import check_tokens, data_warnings

    rows = tiny_rows(40) + symbol_rows(20)
    train = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows], source="mine.csv")
    val = LabelledTexts.from_lists(["the lamp is great", "!!!"], ["positive", "negative"], source="val.csv")
    assert check_tokens(train, val, "words") == [
        "20 of 60 training texts have no tokens after tokenizer words (punctuation or symbols only; first: "
        "mine.csv line 41): the model sees only padding for them",
        "1 of 2 validation texts have no tokens after tokenizer words (punctuation or symbols only; first: "
        "val.csv line 2): the model sees only padding for them"]
    # the old advice, --tokenizer chars, removes the same punctuation: it is not given for empty texts
    mostly = LabelledTexts.from_lists([r["text"] for r in symbol_rows(30)] + ["the lamp is great"] * 10,
                                      ["a", "b"] * 20, source="m.csv")
    lines = data_warnings(mostly, mostly, mostly, TrainConfig(), tokenizer="words")
    assert not any("--tokenizer chars" in line for line in lines)
    assert any(line.startswith("the median text has no tokens (tokenizer words)") for line in lines)


def test_pretrain_on_a_corpus_of_symbols_is_refused_and_leaves_no_folder(run_cli, tmp_path):
    corpus = tmp_path / "punct.txt"
    corpus.write_text("!!! ??? ...\n--- +++\n*** ### @@@\n", encoding="utf-8")
    code, _, err = run_cli("pretrain", "--corpus", corpus, "--out", tmp_path / "lm", "--epochs", "1")
    assert code == 2
    assert err.strip() == (f"sftkit: error: {corpus}: no training passage has two tokens after tokenizer words "
                           "(punctuation and symbols are removed; a language model predicts the next word); "
                           "give passages of words, several per line")
    assert not (tmp_path / "lm").exists()


# ----------------------------------------------------------------------------- a small model for predict


@pytest.fixture(scope="module")
def two_class_run(tmp_path_factory):
    from sftkit.cli import main

    folder = tmp_path_factory.mktemp("odd")
    data = write_csv(folder / "mine.csv", tiny_rows(120, seed=5))
    assert main(["train", "--data", str(data), "--out", str(folder / "run"), *FAST]) == 0
    return folder / "run"


# ----------------------------------------------------------------------------- H3: every row kept


def test_predict_keeps_every_csv_row_and_numbers_rows_as_pandas_does(two_class_run, run_cli, tmp_path):
    import pandas as pd

    data = tmp_path / "mid.csv"
    # quoted blanks and empty fields are rows; a blank line (or one of spaces) is not, for pandas as for sftkit
    data.write_text('text\nfirst lamp great\n"   "\nthird lamp awful\n""\n\nseventh kettle\n   \nlast 很好\n',
                    encoding="utf-8")
    expected = pd.read_csv(data, keep_default_na=False)["text"].tolist()
    out = tmp_path / "pred.csv"
    code, _, err = run_cli("predict", "--model", two_class_run, "--data", data, "--out", out)
    assert code == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["text"] for r in rows] == expected == ["first lamp great", "   ", "third lamp awful", "",
                                                     "seventh kettle", "last 很好"]
    assert [r["id"] for r in rows] == [f"row-{i}" for i in range(1, 7)]
    assert [r["note"] for r in rows][1:4:2] == ["empty", "empty"]
    assert f"note: {data}: 2 rows have an empty text (note 'empty'; its prediction means nothing)" in err
    assert f"note: {data}: 2 blank lines skipped, as pandas does (not rows; row-N ids count data rows only)" in err


def test_predict_keeps_an_empty_row_of_an_id_text_csv(two_class_run, run_cli, tmp_path):
    data = tmp_path / "ids.csv"
    data.write_text("id,text\na,the lamp is great\n,\nb,the kettle is awful\n", encoding="utf-8")
    code, out, _ = run_cli("predict", "--model", two_class_run, "--data", data)
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["id"], r["text"], r["note"]) for r in rows] == [
        ("a", "the lamp is great", ""), ("row-2", "", "empty"), ("b", "the kettle is awful", "")]


# ----------------------------------------------------------------------------- H4: damaged model folders


def _damaged(run, tmp_path, name, edit):
    import shutil

    folder = tmp_path / name
    shutil.copytree(run, folder)
    edit(folder / "model")
    return folder


def _rewrite_labels(**changes):
    def edit(model):
        meta = json.loads((model / "labels.json").read_text(encoding="utf-8"))
        meta.update(changes)
        (model / "labels.json").write_text(json.dumps(meta), encoding="utf-8")
    return edit


DAMAGE = {
    "garbage_model": (lambda m: (m / "model.keras").write_text("garbage\n"),
                      r"model/model\.keras: not a readable sftkit model \(not a complete \.keras zip file\); it is "
                      r"damaged, truncated or was not written by sftkit"),
    "truncated_model": (lambda m: (m / "model.keras").write_bytes((m / "model.keras").read_bytes()[:20000]),
                        r"model/model\.keras: not a readable sftkit model .*damaged, truncated"),
    "labels_not_json": (lambda m: (m / "labels.json").write_text('{"classes": [\n', encoding="utf-8"),
                        r"model/labels\.json: line 2: not valid JSON \(Expecting value\); the file is damaged"),
    "labels_other_run": (_rewrite_labels(classes=["a", "b", "c"]),
                         r"model/labels\.json: lists 3 classes but model\.keras has 2 outputs: the two files come "
                         r"from different runs"),
    "labels_no_classes": (_rewrite_labels(classes="positive"),
                          r"model/labels\.json: no list of two or more distinct class names"),
    "threshold_7": (_rewrite_labels(decision_rule={"kind": "threshold", "positive": "positive", "threshold": 7}),
                    r"model/labels\.json: its decision rule is invalid: a threshold is a probability in \[0, 1\]; "
                    r"got 7"),
    "threshold_missing": (_rewrite_labels(decision_rule={"kind": "threshold", "positive": "positive"}),
                          r"model/labels\.json: its decision rule is invalid"),
    "unknown_positive": (_rewrite_labels(decision_rule={"kind": "threshold", "positive": "spam", "threshold": 0.5}),
                         r"model/labels\.json: its decision rule is invalid: positive class 'spam'"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_model_folder_is_one_line_naming_the_file(case, two_class_run, run_cli, tmp_path):
    import re

    edit, pattern = DAMAGE[case]
    folder = _damaged(two_class_run, tmp_path, case, edit)
    data = write_csv(tmp_path / "d.csv", tiny_rows(20))
    for args in (["predict", "--model", folder, "the lamp is great"],
                 ["predict", "--model", folder, "--data", data, "--out", tmp_path / "p.csv"],
                 ["evaluate", "--model", folder, "--data", data]):
        code, out, err = run_cli(*args)
        assert code == 2, (args, err)
        assert len(err.strip().splitlines()) == 1 and re.search(pattern, err), err
        assert not (tmp_path / "p.csv").exists()


def test_a_damaged_model_raises_data_error_from_the_library(two_class_run, tmp_path):
    from sftkit.data import DataError
    from sftkit.models import TextClassifier

    folder = _damaged(two_class_run, tmp_path, "lib", DAMAGE["labels_other_run"][0])
    with pytest.raises(DataError, match="lists 3 classes but model.keras has 2 outputs"):
        TextClassifier.load(folder / "model")


# ----------------------------------------------------------------------------- M1: missing-value labels


@pytest.mark.parametrize("spelling", ["nan", "NaN", "NA", "None", "null", "N/A"])
def test_a_label_pandas_reads_as_missing_is_named_in_a_warning(spelling):
    from sftkit.data import LabelledTexts, label_warnings

    rows = tiny_rows(40)
    labels = [r["label"] for r in rows]
    labels[5] = labels[9] = spelling
    data = LabelledTexts.from_lists([r["text"] for r in rows], labels, source="mine.csv")
    assert label_warnings(data) == [
        f"label '{spelling}' (2 rows, first on line 6) becomes a class of its own, but '{spelling}' is how a "
        "missing value is written (pandas.read_csv reads it as missing): give these rows their label, or remove them"]
    assert label_warnings(["positive", "negative", "Nancy", "none of these"]) == []


def test_a_single_nan_label_is_not_answered_with_add_more_nan_rows(run_cli, tmp_path):
    rows = tiny_rows(60)
    rows[13]["label"] = "NaN"
    data = write_csv(tmp_path / "d.csv", rows)
    code, _, err = run_cli("train", "--data", data, "--out", tmp_path / "o", *FAST)
    assert code == 2
    assert err.strip() == (f"sftkit: error: {data}: line 15: class 'NaN' has 1 example, too few to split; 'NaN' is "
                           "how a missing value is written (pandas.read_csv reads it as missing): give these rows "
                           "their label, or remove them")


# ----------------------------------------------------------------------------- M2, L7, L4: classes absent from a set


def test_macro_f1_is_over_the_classes_present_and_says_so():
    from sklearn.metrics import f1_score

    from sftkit.evaluate import report

    y_true = ["neg", "pos", "pos", "neg", "pos"]
    rep = report(y_true, y_true, labels=["neg", "neu", "pos"])
    assert rep.accuracy == 1.0 and rep.macro_f1 == 1.0
    assert rep.absent == ["neu"]
    assert rep.macro_f1 == f1_score(y_true, y_true, labels=["neg", "pos"], average="macro")
    note = ("no examples of class 'neu': macro F1 is the mean over the 2 classes present, and its recall and F1 "
            "are not defined (n/a)")
    assert rep.absent_note() == note
    assert f"note: {note}" in rep.table() and "| neu | n/a | n/a | n/a | 0 |" in rep.markdown()
    # predicted but absent: its precision (0) is defined, and counted
    wrong = report(y_true, ["neu"] + y_true[1:], labels=["neg", "neu", "pos"])
    assert "| neu | 0.000 | n/a | n/a | 0 |" in wrong.markdown() and wrong.absent == ["neu"]
    full = report(y_true + ["neu"], y_true + ["neu"], labels=["neg", "neu", "pos"])
    assert full.absent == [] and full.absent_note() is None and "n/a" not in full.table()


def test_a_validation_set_without_a_class_is_warned_about():
    from sftkit.config import TrainConfig
    from sftkit.data import LabelledTexts
    from sftkit.workflow import data_warnings

    rows = tiny_rows(40)
    train = LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows], source="t.csv")
    val = LabelledTexts.from_lists(["the lamp is great"] * 3, ["positive"] * 3, source="v.csv")
    lines = data_warnings(train, val, train, TrainConfig(), tokenizer="words")
    assert ("validation (v.csv) has no examples of class 'negative': macro F1 there is the mean over the other "
            "1 class") in lines


def test_evaluate_says_which_class_a_file_lacks(two_class_run, run_cli, tmp_path):
    rows = [r for r in tiny_rows(40, seed=4) if r["label"] == "positive"]
    data = write_csv(tmp_path / "onlypos.csv", rows)
    code, out, _ = run_cli("evaluate", "--model", two_class_run, "--data", data)
    assert code == 0
    assert ("note: no examples of class 'negative': macro F1 is the mean over the 1 class present, and its "
            "recall and F1 are not defined (n/a)") in out
    full = write_csv(tmp_path / "both.csv", tiny_rows(40, seed=4))
    code, _, err = run_cli("evaluate", "--model", two_class_run, "--data", full, "--val", data)
    assert code == 2
    assert err.strip() == (f"sftkit: error: {data}: no examples of class 'negative': choosing a threshold needs "
                           "validation examples of both classes; give a validation file with both")


# ----------------------------------------------------------------------------- M3: --sequence-length far too long


def test_a_sequence_length_beyond_the_limit_is_refused(run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(60))
    code, _, err = run_cli("train", "--data", data, "--out", tmp_path / "o", "--sequence-length", "100000")
    assert code == 2
    assert err.strip() == "sftkit: error: --sequence-length must be an integer in [1, 4096]; got 100000"
    code, _, err = run_cli("pretrain", "--corpus", tmp_path / "c.txt", "--sequence-length", "100000")
    assert code == 2 and "--sequence-length must be an integer in [2, 4096]" in err


def test_a_sequence_length_far_beyond_the_texts_is_warned_about():
    from sftkit.workflow import length_warning

    texts = [r["text"] for r in tiny_rows(40)]      # 6 tokens each
    assert length_warning(texts, 1000, "words") == (
        "--sequence-length 1000 is 167 times the longest training text (6 tokens): every text is mostly padding, "
        "and the LSTM steps through all of it (time and memory grow with the length); try --sequence-length 8")
    assert length_warning(texts, 64, "words") is None and length_warning(texts, 8, "words") is None


# ----------------------------------------------------------------------------- M5, M6: the tokenizer used


def test_the_tokenizer_used_is_logged_and_recorded(two_class_run):
    metrics = json.loads((two_class_run / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["tokenizer"] == {"used": "words", "chosen_by": "auto"}
    assert "Tokenizer: `words` (auto)." in (two_class_run / "report.md").read_text(encoding="utf-8")


def test_the_tokenizer_says_how_it_was_chosen_and_when_the_pretrained_one_overrides():
    from types import SimpleNamespace

    from sftkit.config import TrainConfig
    from sftkit.workflow import tokenizer_used

    zh = ["这个水壶很好，喜欢。", "质量太差了", "Этот чайник"]
    assert tokenizer_used(TrainConfig(), zh) == ("jieba", "auto: 57% of the letters are in scripts written "
                                                          "without spaces")
    assert tokenizer_used(TrainConfig(), ["Этот чайник отличный"]) == (
        "unicode-words", "auto: 100% of the letters are not ASCII")
    assert tokenizer_used(TrainConfig(tokenizer="chars"), zh) == ("chars", "given")
    lm = SimpleNamespace(vocabulary=["", "[UNK]", "the", "lamp", "great", "awful"])
    assert tokenizer_used(TrainConfig(tokenizer="chars"), zh, lm) == (
        "words", "the language model's; --tokenizer chars is not used (the pretrained vocabulary was built with words)")
    assert tokenizer_used(TrainConfig(), zh, lm) == ("words", "the language model's")


# ----------------------------------------------------------------------------- M9: one column for both


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_the_same_column_for_texts_and_labels_is_refused(command, run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(60))
    model = ["--model", tmp_path / "nomodel"] if command == "evaluate" else ["--out", tmp_path / "o"]
    code, _, err = run_cli(command, "--data", data, *model, "--text-col", "text", "--label-col", "text")
    assert code == 2
    assert err.strip() == ("sftkit: error: --text-col and --label-col both name column 'text'; the texts and the "
                           "labels must be two columns")


# ----------------------------------------------------------------------------- M7: other scripts under jieba/chars


@pytest.mark.parametrize("text, jieba, chars", [
    ("这个水壶很好。Этот чайник отличный", ["这个", "水壶", "很", "好", "этот", "чайник", "отличный"], None),
    ("很好 مرحبا שלום κόσμος", ["很", "好", "مرحبا", "שלום", "κόσμος"], None),
    ("café很好", ["café", "很", "好"], ["café", "很", "好"]),
    # Thai: grapheme clusters (letter + vowel/tone marks), never a mark alone
    ("ดีมาก", ["ดี", "ม", "า", "ก"], ["ดี", "ม", "า", "ก"]),
    ("ผลิตภัณฑ์นี้", ["ผ", "ลิ", "ต", "ภั", "ณ", "ฑ์", "นี้"], ["ผ", "ลิ", "ต", "ภั", "ณ", "ฑ์", "นี้"]),
    # U+FE0F (emoji presentation) is dropped, not a token
    ("❤\ufe0f很好", ["❤", "很", "好"], ["❤", "很", "好"]),
])
def test_jieba_and_chars_keep_other_scripts_readable(text, jieba, chars):
    from sftkit.text import tokenize

    assert tokenize([text], "jieba") == [jieba]
    if chars is not None:
        assert tokenize([text], "chars") == [chars]
    marks = [t for t in tokenize([text], "jieba")[0] + tokenize([text], "chars")[0]
             if all(__import__("unicodedata").category(c).startswith("M") or c == "\ufe0f" for c in t)]
    assert marks == []


def test_chinese_and_ascii_segmentation_is_unchanged():
    """Chinese, kana and ASCII go to jieba as before (the bundled corpora tokenize identically)."""
    from sftkit.text import segment

    assert segment("这个水壶很好用，iphone也很好用") == " ".join(
        w for w in __import__("jieba").lcut("这个水壶很好用，iphone也很好用") if w.strip())


# ----------------------------------------------------------------------------- M8: class names no font can draw


def test_labels_no_font_can_draw_give_one_note_and_no_warnings(run_cli, tmp_path, recwarn):
    from sftkit import plots

    if not plots.missing_glyphs(["ไม่ดี"]):
        pytest.skip("a font with Thai letters is installed here")
    rows = tiny_rows(80)
    for r in rows:
        r["label"] = "ไม่ดี" if r["label"] == "negative" else "good"
    data = write_csv(tmp_path / "thai.csv", rows)
    code, out, err = run_cli("train", "--data", data, "--out", tmp_path / "o", *FAST)
    assert code == 0, err
    note = ("note: no installed font has the Thai letters of 'ไม่ดี': it is drawn as boxes in confusion.png "
            "(install a font with them, e.g. Noto Sans Thai, to see them)")
    assert out.count(note) == 1
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
    assert plots.glyph_note(["good", "很好", "Ünïcødé"]) is None


def test_drawing_an_undrawable_label_warns_without_the_quiet_context():
    """The checks above can fail: matplotlib warns for such glyphs unless silenced (once per glyph
    and process, so each half draws letters of its own)."""
    import io
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sftkit import plots

    if not plots.missing_glyphs(["ฮฬฯฦ"]):
        pytest.skip("a font with Thai letters is installed here")
    for title, quiet in (("ฮ", False), ("ฬฦ", True)):
        fig, ax = plt.subplots()
        ax.set_title(title)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with plots.quiet_glyph_warnings() if quiet else warnings.catch_warnings():
                fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
        assert any("missing from font" in str(w.message) for w in caught) is not quiet


# ----------------------------------------------------------------------------- the low ones: L1-L10


def test_options_that_need_another_option_are_noted(run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(60))
    code, out, _ = run_cli("train", "--data", data, "--out", tmp_path / "o", "--lm-epochs", "2",
                           "--augment-copies", "3", *FAST)
    assert code == 0
    assert "note: --lm-epochs has no effect without --pretrained" in out
    assert "note: --augment-copies has no effect without --augment" in out
    # L9: running again into the same folder says it replaces the earlier run
    code, out, _ = run_cli("train", "--data", data, "--out", tmp_path / "o", *FAST)
    assert code == 0 and "note: --" not in out
    assert f"note: {tmp_path / 'o'} holds an earlier run; it is replaced when this one finishes" in out
    # L10: a validation set this small is warned about
    assert "warning: validation has only 6 examples: early stopping and the decision threshold are decided on " \
           "them, and one example moves its accuracy by 0.17; give at least 20 if you can" in out


def test_an_empty_corpus_does_not_ask_for_a_header_row(run_cli, tmp_path):
    corpus = tmp_path / "empty.txt"
    corpus.write_text("\n  \n\n", encoding="utf-8")
    code, _, err = run_cli("pretrain", "--corpus", corpus, "--out", tmp_path / "lm")
    assert code == 2
    assert err.strip() == (f"sftkit: error: {corpus}: the file is empty; a corpus needs at least two passages "
                           "(non-empty lines)")


def test_evaluate_messages_speak_of_scoring_not_training(two_class_run, run_cli, tmp_path):
    rows = tiny_rows(20)
    rows[3]["label"] = ""
    data = write_csv(tmp_path / "e.csv", rows)
    code, _, err = run_cli("evaluate", "--model", two_class_run, "--data", data)
    assert code == 2
    assert err.strip() == (f"sftkit: error: {data}: line 5: missing label in column 'label'; every labelled example "
                           "(for training or scoring) needs a label")
    one = write_csv(tmp_path / "one.csv", tiny_rows(1))
    code, out, _ = run_cli("evaluate", "--model", two_class_run, "--data", one)
    assert code == 0 and f"{one}: 1 example\n" in out


def test_predict_names_a_language_model_folder_and_takes_the_model_file(two_class_run, run_cli, tmp_path):
    from sftkit.pretrain import shipped_lm_dir

    lm = shipped_lm_dir()
    code, _, err = run_cli("predict", "--model", lm, "the lamp is great")
    assert code == 2
    assert err.strip() == (f"sftkit: error: {lm}: a language model from `sftkit pretrain`, not a classifier; "
                           f"fine-tune it on labelled texts with `sftkit train --pretrained {lm}`, then give that "
                           "run folder")
    code, out, _ = run_cli("predict", "--model", two_class_run / "model" / "model.keras", "the lamp is great")
    assert code == 0 and out.strip().endswith("the lamp is great")
