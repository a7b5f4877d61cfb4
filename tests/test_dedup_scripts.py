"""Dedup on text that is not English, on texts without letters, and on templated files."""
from __future__ import annotations

import numpy as np
import pytest

from sftkit.selection import dedup, strategies


def test_emoji_and_symbol_only_texts_are_not_the_same_text():
    texts = ["👍👍👍", "😡😡", "!!!???", "★★★★★", "👍👍👍", "★ ★★★★"]
    s = dedup.dedup_scores(texts, ids=["p1", "n1", "q", "s1", "p2", "s2"])
    assert s.drop.tolist() == [False, False, False, False, True, False]
    assert s.reason[4] == "duplicate: same text as p1"
    assert dedup.dedup_key("😡😡") != dedup.dedup_key("👍👍👍")


@pytest.mark.parametrize("a,b", [("ไม่ดีเลย สินค้า", "ไม้ดีเลย สินค้า"),         # Thai "not" / "wood": one tone mark
                                 ("आज का दिन अच्छा था", "आज का दीन अच्छा था"),   # Hindi "day" / "poor": one vowel sign
                                 ("நல்ல பொருள்", "நலல பொருள்")])                 # Tamil, a virama (pulli) dropped
def test_words_that_differ_in_a_combining_mark_are_not_the_same_text(a, b):
    assert dedup.normalise(a) == a and dedup.normalise(b) == b
    s = dedup.dedup_scores([a, b], ids=["a", "b"])
    assert s.reason[1] != "duplicate: same text as a"


def test_shingles_are_about_a_word_long_in_every_script():
    assert dedup.shingle_size_of("the kettle is lovely") == 5
    assert dedup.shingle_size_of("质量很好") == 2 and dedup.shingle_size_of("とても良い") == 2
    assert dedup.shingle_size_of("สินค้าดีมาก") == 3
    assert dedup.shingle_size(["质量很好", "烧水很快", "good"]) == 2


# The same ten reviews in English and Chinese (the same meaning), each edited the same two ways:
# one word swapped for a synonym, one word deleted (a word of either language).
EN = ["this kettle boils water fast and the lid closes well",
      "the phone case cracked after one week, very poor quality",
      "lovely soft towels, they wash well and dry quickly",
      "the blender is loud but it crushes ice easily",
      "delivery was slow and the box was damaged on arrival",
      "great value for money, my kids use it every day",
      "the chair is comfortable but the wheels squeak a lot",
      "these headphones sound clear and the battery lasts long",
      "the jacket runs small, I had to return it",
      "good lamp, bright light and easy to assemble"]
ZH = ["这个水壶烧水很快，盖子也很严实",
      "手机壳用了一周就裂了，质量很差",
      "毛巾很柔软，好洗又干得快",
      "搅拌机声音大，但是碎冰很轻松",
      "发货很慢，到的时候箱子也压坏了",
      "性价比很高，孩子每天都在用",
      "椅子很舒服，就是轮子老是有响声",
      "耳机音质清楚，电池也很耐用",
      "夹克尺码偏小，我只好退货了",
      "台灯不错，光线亮，安装也简单"]
SWAP = {"en": [("fast", "quickly"), ("cracked", "broke"), ("lovely", "nice"), ("loud", "noisy"), ("slow", "late"),
               ("great", "good"), ("comfortable", "comfy"), ("clear", "clean"), ("small", "tight"),
               ("bright", "strong")],
        "zh": [("很快", "挺快"), ("裂了", "坏了"), ("柔软", "松软"), ("声音大", "声音响"), ("很慢", "太慢"),
               ("很高", "挺高"), ("舒服", "舒适"), ("清楚", "清晰"), ("偏小", "太小"), ("不错", "很好")]}
DELETE = {"en": ["fast", "very", "soft", "easily", "slow", "every", "lot", "long", "small,", "easy"],
          "zh": ["这个", "就", "又", "但是", "也", "都", "就是", "也", "我", "也"]}


def _pairs(lang):
    texts = EN if lang == "en" else ZH
    for t, (a, b), d in zip(texts, SWAP[lang], DELETE[lang]):
        assert a in t and d in t
        yield t, t.replace(a, b, 1)
        yield t, " ".join(t.replace(d, "", 1).split())


def test_chinese_and_english_near_duplicates_are_alike_at_the_default_threshold():
    similarity = {lang: np.array([dedup.jaccard(dedup.shingles(a), dedup.shingles(b)) for a, b in _pairs(lang)])
                  for lang in ("en", "zh")}
    # the same edit moves the Jaccard similarity about as much in both languages ...
    assert abs(similarity["zh"].mean() - similarity["en"].mean()) < 0.05, similarity
    # ... so the default threshold calls about as many of them near-duplicates (3-grams: 1 of 20)
    above = {lang: int((s >= strategies.DEDUP_THRESHOLD).sum()) for lang, s in similarity.items()}
    assert above["zh"] >= above["en"] - 2 and above["zh"] >= 3, above
    # and dedup itself, at a threshold where LSH proposes most pairs, finds them as it finds the English ones
    found = {lang: sum(dedup.dedup_scores([a, b], threshold=0.6).drop[1] for a, b in _pairs(lang))
             for lang in ("en", "zh")}
    assert found["zh"] >= found["en"] - 2 and found["zh"] >= 15, found


def test_templated_rows_are_not_compared_pair_by_pair(monkeypatch):
    calls = []
    real = dedup.jaccard
    monkeypatch.setattr(dedup, "jaccard", lambda a, b: calls.append(1) or real(a, b))
    n = 600
    texts = [f"this blender is really good and I love it, order number {i}" for i in range(n)]
    s = dedup.dedup_scores(texts)
    assert s.drop.sum() == n - 1                 # all one group (every pair is above the threshold)
    assert len(calls) < 5 * n, len(calls)       # not n * n: a pair already in one group is not checked again
