"""The bundled Chinese data (data/zh_reviews, data/zh_pretrain) and Chinese across the toolkit."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from sftkit.synth import DEFAULT_SEED, generate
from sftkit.synth import zh_lexicon as Z

DATA = Path(__file__).resolve().parent.parent / "data"
SEEN = Z.SEEN_POS_GENERAL + Z.SEEN_NEG_GENERAL + Z.SEEN_POS_USE + Z.SEEN_NEG_USE + Z.SEEN_POS_LOOK \
    + Z.SEEN_NEG_LOOK + Z.SEEN_POS_FEEL + Z.SEEN_NEG_FEEL


def read_csv(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def zh():
    return {s: read_csv(f"zh_reviews/{s}.csv") for s in ("train", "val", "test")}


def test_zh_splits_sizes_columns_and_balance(zh):
    assert [len(zh[s]) for s in ("train", "val", "test")] == [4000, 500, 1000]
    assert list(zh["test"][0]) == ["id", "text", "label", "subset"]
    assert list(zh["train"][0]) == ["id", "text", "label"]
    for rows in zh.values():
        share = sum(r["label"] == "positive" for r in rows) / len(rows)
        assert 0.45 < share < 0.55
    assert Counter(r["subset"] for r in zh["test"]) == {"standard": 800, "unseen_words": 200}


def test_zh_heldout_words_absent_from_train_val_but_in_corpus_and_unseen_subset(zh):
    train_val = "\n".join(r["text"] for s in ("train", "val") for r in zh[s])
    assert not [w for w in Z.HELDOUT_WORDS if w in train_val]
    corpus = (DATA / "zh_pretrain/corpus.txt").read_text(encoding="utf-8")
    assert {w: corpus.count(w) for w in Z.HELDOUT_WORDS if corpus.count(w) < 100} == {}
    for r in (r for r in zh["test"] if r["subset"] == "unseen_words"):
        assert any(w in r["text"] for w in Z.HELDOUT_WORDS), r["text"]


def test_zh_heldout_words_in_the_chinese_lm_vocabulary_all_but_lakua():
    """data/README.md: jieba splits 拉胯 (拉 + 胯), so the LM holds 胯, which no train/val text has; the other 19 are words."""
    from sftkit.text import segment

    vocab = set((DATA / "zh_pretrained/vocab.txt").read_text(encoding="utf-8").split("\n"))
    assert [w for w in Z.HELDOUT_WORDS if w not in vocab] == ["拉胯"]
    assert segment("太拉胯了") == "太拉 胯 了" and segment("质量拉胯。") == "质量 拉 胯 。"
    assert "胯" in vocab
    assert not any("胯" in r["text"] for s in ("train", "val") for r in read_csv(f"zh_reviews/{s}.csv"))


def test_zh_no_labelled_text_shared_or_copied_into_corpus(zh):
    texts = {s: {r["text"] for r in rows} for s, rows in zh.items()}
    assert not texts["train"] & texts["test"] and not texts["train"] & texts["val"]
    assert not texts["val"] & texts["test"]
    corpus = (DATA / "zh_pretrain/corpus.txt").read_text(encoding="utf-8")
    assert not [t for t in texts["val"] | texts["test"] if t in corpus]
    assert 1.0e6 < len(corpus.encode("utf-8")) < 3.0e6


def test_zh_negation_and_contrast_words_do_not_predict_the_label(zh):
    """不 and 虽然 occur with both labels, so on their own they carry no label."""
    for marker, least in (("不", 800), ("虽然", 150), ("没", 150), ("别", 50)):
        labels = [r["label"] for r in zh["train"] if marker in r["text"]]
        assert len(labels) > least, marker
        assert 0.3 < labels.count("positive") / len(labels) < 0.7, marker


def test_zh_degree_adverbs_mixed_scripts_and_fullwidth_forms_occur(zh):
    text = "\n".join(r["text"] for r in zh["train"])
    for w in ("很", "非常", "有点", "虽然", "但是", "不过", "可是", "USB", "Type-C", "，", "。"):
        assert w in text, w
    assert any("\uff01" <= c <= "\uff5e" and c not in "，！？～" for c in text)  # full-width letters/digits


def test_zh_every_shape_occurs_and_grammar_is_deterministic():
    a, b = generate(DEFAULT_SEED), generate(DEFAULT_SEED + 1)
    shapes = Counter(r["shape"] for r in a["zh_reviews/train.csv"])
    from sftkit.synth.zh_reviews import ZhReviewGrammar

    assert set(shapes) == {s for s, _ in ZhReviewGrammar.SHAPES}
    assert [r["text"] for r in a["zh_reviews/val.csv"]] != [r["text"] for r in b["zh_reviews/val.csv"]]


# ----------------------------------------------------------------------------- the toolkit on Chinese rows


def test_quality_rules_read_chinese_and_cyrillic_rows():
    from sftkit.selection import quality

    good_zh = "这个电水壶质量很好，烧水也快，我很满意。"
    good_ru = "Это отличный чайник, очень доволен покупкой."
    f = quality.features(good_zh)
    assert f["tokens"] >= 8 and f["letter_share"] > 0.8 and f["vowel_share"] == 1.0
    assert quality.words_of("质量很好abc") == ["质量", "很", "好", "abc"]
    texts = [good_zh, good_ru, "此用户未填写评价内容", "好", "，。！？"]
    s = quality.quality_scores(texts, vocabulary=set(quality.words_of(good_zh + good_ru)))
    assert s.drop.tolist() == [False, False, True, True, True]
    assert s.reason[2] == "quality: boilerplate"
    assert s.reason[3] == "quality: too short (1 words)"
    assert s.reason[4] == "quality: no words (only symbols, digits or punctuation)"


def test_dedup_keeps_chinese_characters_in_its_shingles():
    from sftkit.selection import dedup

    assert dedup.normalise("Ｈｅｌｌｏ，世界！") == "hello 世界"
    assert dedup.shingle_size(["质量很好"]) == 2 and dedup.shingle_size(["good"]) == 5
    base = ("这个电水壶质量很好，烧水很快，外观也漂亮，用了两个月一点问题都没有，"
            "客服回复也及时，包装得很仔细，家里人都说好，推荐购买。")
    texts = [base,
             base.replace("，", ",").replace("。", "."),          # same text after NFKC + punctuation
             base.replace("两个月", "三个月"),                    # one character changed
             "这个电水壶质量很差，烧水很慢，外观也难看，用了两天就坏了，不推荐购买。",
             "完全不同的评论：衣服面料舒服，尺码合适。"]
    s = dedup.dedup_scores(texts, ids=["a", "b", "c", "d", "e"])
    assert s.drop.tolist() == [False, True, True, False, False]
    assert s.reason[1] == "duplicate: same text as a"
    assert s.reason[2] == "near-duplicate: of a"


def test_augmentation_works_per_character_in_chinese():
    import random

    from sftkit.augment import augment_dataset, augment_text, token_dropout

    text = "这款iPhone很好用"
    assert token_dropout(text, random.Random(1), 0.3) == "款 iPhone 好 用"
    assert augment_text(text, "token_dropout", random.Random(1), p=0.3) == "款iPhone好用"
    swapped = augment_text("质量很好", "word_swap", random.Random(2), p=0.2)
    assert sorted(swapped) == sorted("质量很好") and swapped != "质量很好"
    assert augment_text("the lid is good", "word_swap", random.Random(2), p=0.2) == "lid the is good"
    texts, labels = augment_dataset(["质量很好，物流很快"], ["positive"], method="token_dropout", seed=0, p=0.4)
    assert " " not in texts[1] and len(texts[1]) < len(texts[0]) and labels == ["positive"] * 2


def test_plot_with_chinese_labels_draws_without_missing_glyph_warnings(tmp_path):
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    from sftkit import plots

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        fig = plots.confusion_matrix([[40, 3], [5, 52]], ["负面 negative", "正面 positive"], title="混淆矩阵")
        fig.savefig(tmp_path / "cm.png")
    assert plots.CJK_FONT in matplotlib.rcParams["font.family"]
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_step_2_warns_when_words_split_chinese_text():
    from sftkit.config import TrainConfig
    from sftkit.data import LabelledTexts
    from sftkit.workflow import data_warnings

    def rows(texts):
        return LabelledTexts(ids=[str(i) for i in range(len(texts))], texts=texts,
                             labels=["positive", "negative"] * (len(texts) // 2))

    train = rows(["这个电水壶质量很好", "用了三天就坏了", "烧水很快，我很满意", "外观一般般"] * 5)
    val, test = rows(["包装很仔细", "客服不回消息"]), rows(["质量不错", "很失望"])
    lines = data_warnings(train, val, test, TrainConfig(tokenizer="words"))
    assert [line.split(":")[0] for line in lines] == ["all of the tokens are unknown to the vocabulary (4 tokens, tokenizer words)",
                                                      "the median text is 1 token long (tokenizer words)"]
    assert all(line.endswith("use --tokenizer jieba (or auto) for text without spaces") for line in lines)
    (unknown,) = data_warnings(train, val, test, TrainConfig())  # jieba: few of these words in training
    assert unknown.startswith("83% of the tokens are unknown to the vocabulary (16 tokens, tokenizer jieba)")
    assert unknown.endswith("the training texts do not cover these words: check that both come from the same source")
    assert data_warnings(train, rows(["质量很好", "我很满意"]), test, TrainConfig()) == []


@pytest.mark.parametrize("name", ["MeanMaxPooling", "ConcatPooling"])
def test_pooling_over_a_text_with_no_real_step_gives_zeros_not_minus_1e9(name):
    """A review that is empty after standardization (all padding) must not send -1e9 to the softmax layer."""
    import numpy as np

    from sftkit.models import custom_layers

    x = np.arange(12, dtype="float32").reshape(2, 3, 2) - 5.0
    mask = np.array([[True, True, False], [False, False, False]])
    out = np.asarray(custom_layers()[name]()(x, mask=mask))
    assert np.all(np.isfinite(out)) and np.abs(out).max() < 10
    if name == "MeanMaxPooling":   # (mean, max)
        assert np.allclose(out, [[-4, -3, -3, -2], [0, 0, 0, 0]])
    else:                          # (last, max, mean); the empty row's "last" is its step 0
        assert np.allclose(out[0], [-3, -2, -3, -2, -4, -3]) and np.allclose(out[1][2:], 0)
