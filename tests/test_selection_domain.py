"""The domain strategy on texts its general language model cannot read: unknown words, other scripts."""
import csv
import json

import numpy as np
import pytest

from sftkit.data import DataError, LabelledTexts
from sftkit.selection import domain, strategies

from conftest import tiny_rows, write_csv
from test_selection import FakeLM, fake_lm, read_ids  # noqa: F401  (fake_lm is a fixture)

#: The same short review in many scripts: every word is outside the shipped (English) vocabulary.
FOREIGN = {
    "ar": "منتج رائع جدا وأنصح الجميع بشرائه",
    "ko": "정말 좋은 제품입니다 추천합니다",
    "ru": "Отличный товар, всем рекомендую",
    "hi": "यह उत्पाद बहुत अच्छा है",
    "th": "สินค้าดีมาก ส่งเร็ว ประทับใจมาก",
    "ja": "この商品はとても良いです。また買いたいと思います。",
    "zh": "这个杯子做工很好，物流也快，五星好评",
    "emoji": "👍👍👍 😍😍",
}


@pytest.fixture(scope="module")
def shipped():
    from sftkit.pretrain import load_shipped

    return load_shipped()


# ----------------------------------------------------------------------------- the language model


def test_unknown_words_are_not_scored_as_known(shipped):
    texts = [FOREIGN["ru"], FOREIGN["ko"], "the kettle is great and the lamp is awful"]
    tokens, known = shipped.token_counts(texts)
    assert list(tokens) == [4, 4, 9] and list(known) == [0, 0, 9]
    ce = shipped.text_cross_entropy(texts)
    # all [UNK]: nothing to score (before, [UNK] was a "known word" and both got the same finite score)
    assert np.isnan(ce[0]) and np.isnan(ce[1]) and np.isfinite(ce[2])


def test_cross_entropy_is_the_mean_over_known_next_words_only(shipped):
    known_text = "the kettle is great"
    with_unknown = "the kettle is great xqzvw"          # one unknown word at the end: a target that is not scored
    assert shipped.token_counts([with_unknown])[1][0] == 4
    a, b = shipped.text_cross_entropy([known_text, with_unknown])
    assert b == pytest.approx(a, abs=1e-6)


def test_next_word_windows_and_continue_training_with_nothing_to_train_on(shipped):
    from sftkit.pretrain import continue_training, next_word_windows

    x, y = next_word_windows([np.array([5], dtype=np.int32), np.array([], dtype=np.int32)], 8)
    assert x.shape == (0, 8) and y.shape == (0, 8)
    with pytest.raises(ValueError, match=r"none of the 2 passage\(s\) has two tokens .*nothing to train on"):
        continue_training(shipped, [FOREIGN["zh"], FOREIGN["ja"]])


# ----------------------------------------------------------------------------- the rule


def test_unscorable_names_each_reason():
    why = domain.unscorable(np.array([0, 4, 5, 3, 1]), np.array([0, 0, 3, 1, 1]), 0.5)
    assert why == ["no words", "4 of 4 words unknown to the language model", "",
                   "2 of 3 words unknown to the language model", "0 of 1 words unknown to the language model"]


def test_domain_scores_drop_unscorable_rows_whatever_their_difference():
    s = domain.domain_scores(np.array([-3.0, 0.1, -0.2]), threshold=0.5,
                             why_unscorable=["4 of 4 words unknown to the language model", "", ""])
    assert list(s.drop) == [True, False, False]
    assert s.reason[0] == "off-domain: unscorable: 4 of 4 words unknown to the language model"
    assert np.isnan(s.extra["difference"][0]) and s.score[0] == -np.inf


def test_domain_drops_rows_in_other_scripts_as_unscorable_not_in_domain(fake_lm):
    ref = [r["text"] for r in tiny_rows(40, seed=1)]
    english = [r["text"] for r in tiny_rows(30)]
    texts = english + list(FOREIGN.values())
    data = LabelledTexts.from_lists(texts, ["positive"] * len(texts))
    notes = []
    s = strategies.score("domain", data, in_domain=ref, seed=0, progress=notes.append)
    foreign = slice(len(english), None)
    assert s.drop[foreign].all()
    assert all(r.startswith("off-domain: unscorable: ") and "words unknown to the language model" in r
               for r in s.reason[foreign])
    assert not any("unscorable" in r for r in s.reason[:len(english)])
    assert s.extra["summary"]["unscorable_rows"] == len(FOREIGN)
    assert any(n.startswith(f"domain: {len(FOREIGN)} of {len(texts)} rows and 0 of 40 in-domain texts are unscorable")
               for n in notes)


def test_domain_warns_when_the_general_model_knows_few_of_the_words(fake_lm):
    ref = [r["text"] for r in tiny_rows(40, seed=1)]
    texts = [f"{r['text']} очень хорошо" for r in tiny_rows(10)]       # 8 words, 6 known: scorable, 75% known
    data = LabelledTexts.from_lists(texts, ["positive"] * len(texts))
    notes = []
    s = strategies.score("domain", data, in_domain=ref, seed=0, progress=notes.append)
    assert s.extra["summary"]["unscorable_rows"] == 0
    assert s.extra["summary"]["known_word_share"] == pytest.approx(6 / 8)
    assert [n for n in notes if "warning" in n] == [
        "domain: warning: the shipped general language model (a 0-word English vocabulary from sftkit's bundled "
        "synthetic corpus) knows only 75% of the rows' words and 100% of the in-domain texts' words; the scores rest on those words alone. To fit them better, train a "
        "general language model on text like yours with `sftkit pretrain --corpus FILE --out DIR` and pass it "
        "with --lm DIR"]
    notes.clear()
    strategies.score("domain", LabelledTexts.from_lists(ref, ["positive"] * 40), in_domain=ref, seed=0,
                     progress=notes.append)
    assert not any("warning" in n for n in notes)


@pytest.mark.parametrize("lang", ["zh", "ja", "ar", "hi", "th", "ko"])
def test_domain_refuses_in_domain_texts_the_general_model_cannot_read(fake_lm, lang):
    data = LabelledTexts.from_lists([r["text"] for r in tiny_rows(30)], ["positive"] * 30)
    ref = LabelledTexts.from_lists([f"{FOREIGN[lang]} {i}" for i in range(40)], [""] * 40, source="zh_ref.csv")
    with pytest.raises(DataError, match=r"^zh_ref\.csv: .*can read only 0 of the 40 in-domain texts .*"
                                        r"sftkit pretrain --corpus FILE --out DIR.*--lm DIR"):
        strategies.score("domain", data, in_domain=ref, seed=0)
    assert fake_lm == []                                   # refused before any adaptation


def test_domain_refuses_when_most_rows_are_unscorable(fake_lm):
    ref = [r["text"] for r in tiny_rows(40, seed=1)]
    texts = [FOREIGN["zh"]] * 6 + [r["text"] for r in tiny_rows(4)]
    data = LabelledTexts.from_lists(texts, ["positive"] * len(texts), source="mostly_zh.csv")
    with pytest.raises(DataError, match=r"^mostly_zh\.csv: .*cannot read 6 of the 10 rows"):
        strategies.score("domain", data, in_domain=ref, seed=0)


# ----------------------------------------------------------------------------- the command


def test_select_domain_with_chinese_in_domain_texts_is_one_line_exit_2(tmp_path, run_cli):
    """F19: the shipped (English) model and Chinese in-domain texts: a clear refusal, not a numpy traceback."""
    src = write_csv(tmp_path / "in.csv", tiny_rows(30))
    ref = write_csv(tmp_path / "ref_zh.csv", [{"text": f"{FOREIGN['zh']}，第{i}次购买"} for i in range(30)],
                    columns=("text",))
    out = tmp_path / "out"
    code, _, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", ref, "--out", out)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"sftkit: error: {ref}: the shipped general language model (a 2,392-word English "
                          "vocabulary from sftkit's bundled synthetic corpus) can read only 0 of the 30 in-domain texts")
    assert not out.exists()


def test_select_domain_summary_counts_unscorable_rows(tmp_path, run_cli, fake_lm):
    rows = tiny_rows(30) + [{"id": f"x-{k}", "text": t, "label": "positive"} for k, t in FOREIGN.items()]
    src = write_csv(tmp_path / "in.csv", rows)
    ref = write_csv(tmp_path / "ref.csv", tiny_rows(40, seed=1))
    out = tmp_path / "out"
    code, stdout, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", ref, "--out", out)
    assert code == 0, err
    assert f"domain: {len(FOREIGN)} of {len(rows)} rows and 0 of 40 in-domain texts are unscorable" in stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["domain"]["unscorable_rows"] == len(FOREIGN) and summary["domain"]["in_domain_unscorable"] == 0
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        unscorable = {r["id"] for r in csv.DictReader(f) if r["detail"].startswith("off-domain: unscorable")}
    assert unscorable == {f"x-{k}" for k in FOREIGN}


def test_select_lm_flag(tmp_path, run_cli):
    src = write_csv(tmp_path / "in.csv", tiny_rows(30))
    code, _, err = run_cli("select", "--data", src, "--strategy", "dedup", "--lm", tmp_path, "--out", tmp_path / "o")
    assert code == 2 and err.strip() == "sftkit: error: --lm is not used by the dedup strategy (only by domain, pipeline)"
    ref = write_csv(tmp_path / "ref.csv", tiny_rows(40, seed=1))
    missing = tmp_path / "no_lm"
    code, _, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", ref, "--lm", missing,
                           "--out", tmp_path / "o")
    assert code == 2 and err.strip() == (f"sftkit: error: {missing / 'lm.keras'}: not found (is '{missing}' a model "
                                         "written by `sftkit pretrain`?)")
    lm = tmp_path / "my_lm"
    lm.mkdir()
    code, _, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", ref, "--lm", lm,
                           "--out", lm)                # the output would replace the language model
    assert code == 2 and err.strip() == f"sftkit: error: {lm}: holds the input {lm}; choose another --out"


def test_select_help_says_what_the_shipped_language_model_is(run_cli, capsys):
    from sftkit.pretrain import load_shipped

    with pytest.raises(SystemExit):
        run_cli("select", "--help")
    stdout = capsys.readouterr().out
    text = " ".join(stdout.split())
    assert f"{len(load_shipped().vocabulary):,}-word English vocabulary" in text
    assert "sftkit pretrain --corpus FILE --out DIR" in text and "--lm DIR" in text


def test_select_domain_reads_chinese_with_a_chinese_general_model(tmp_path, run_cli):
    """Another script is handled by passing a general model that reads it (--lm): here the bundled Chinese one."""
    from sftkit.data import data_dir, load_labelled

    zh = load_labelled(data_dir() / "zh_reviews" / "train.csv")
    rows = [{"id": zh.ids[i], "text": zh.texts[i], "label": zh.labels[i]} for i in range(40)]
    rows += [{"id": f"x-{k}", "text": FOREIGN[k], "label": "positive"} for k in ("ar", "ko", "ru", "emoji")]
    src = write_csv(tmp_path / "in.csv", rows)
    ref = write_csv(tmp_path / "ref.csv", [{"text": t} for t in zh.texts[100:130]], columns=("text",))
    out = tmp_path / "out"
    lm = data_dir() / "zh_pretrained"
    code, stdout, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", ref, "--lm", lm,
                                "--out", out)
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))["domain"]
    assert summary["language_model"] == "given" and summary["in_domain_unscorable"] == 0
    assert summary["vocabulary_size"] == len((lm / "vocab.txt").read_text(encoding="utf-8").splitlines())
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        unscorable = {r["id"] for r in csv.DictReader(f) if r["detail"].startswith("off-domain: unscorable")}
    assert unscorable == {"x-ar", "x-ko", "x-ru", "x-emoji"}       # the Chinese rows are scored, the others cannot be
    assert len(read_ids(out / "kept.csv")) > 30
    english = write_csv(tmp_path / "en.csv", tiny_rows(30))        # the Chinese model cannot read English
    code, _, err = run_cli("select", "--data", src, "--strategy", "domain", "--in-domain", english, "--lm", lm,
                           "--out", tmp_path / "out2")
    assert code == 2 and err.strip() == (
        f"sftkit: error: {english}: the general language model (a {summary['vocabulary_size']:,}-word vocabulary) "
        "can read only 0 of the 30 in-domain texts (0% of their words are in its vocabulary; a text needs 50%); it "
        "does not fit these texts; the --lm model must be trained on text like them (`sftkit pretrain --corpus FILE "
        "--out DIR`)")
